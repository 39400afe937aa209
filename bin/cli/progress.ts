import type { ScanProgress } from '../../lambdas/core/scan';
import type { CliStream } from './cli-io';

const LABELS: Record<ScanProgress['phase'], string> = {
  breach: 'Looking up breach ranges',
  strength: 'Scoring password strength',
  checks: 'Running checks',
};

/** A one-line progress indicator, redrawn in place; only for a terminal, never for a pipe or a log. */
export function terminalProgress(stream: CliStream): { update: (p: ScanProgress) => void; clear: () => void } {
  if (!stream.isTTY) return { update: () => {}, clear: () => {} };
  let last = 0;
  return {
    update(progress) {
      const now = Date.now();
      if (now - last < 100 && progress.done !== progress.total) return;
      last = now;
      stream.write(`\r\x1b[K${LABELS[progress.phase]}: ${progress.done}/${progress.total}`);
    },
    clear: () => stream.write('\r\x1b[K'),
  };
}
