import { SafeToShowError } from '../../../core/safe-to-show-error';
import { type EvidenceSourceCli, InvalidValue } from '../../cli-part';
import { AccessLogFiles } from '../../cloudtrail/access-log-files';
import { readLeaversFile } from '../../cloudtrail/leavers-file';

class AccessLogOptionError extends SafeToShowError {
  override readonly name = 'AccessLogOptionError';
}

/** The most access logs one scan reads: a day's CloudTrail files for a quarter, and more. */
const MAX_ACCESS_LOGS = 10_000;

/**
 * CloudTrail's record of who read each secret, for a local scan: `--access-log` (a log file as delivered to S3, or
 * `aws cloudtrail lookup-events` output; repeatable) turns the knowers check on, and `--leavers` says who has left.
 */
export const cloudTrailCli: EvidenceSourceCli = {
  options: [
    {
      flags: '--access-log <file>',
      description:
        'a CloudTrail log file (as delivered to S3, gzipped or not) or `aws cloudtrail lookup-events` output: who read each secret; repeat for more (turns on the knowers check)',
      parse: (value: string, previous: unknown) => {
        const paths = [...((previous as string[] | undefined) ?? []), value];
        if (paths.length > MAX_ACCESS_LOGS) throw new InvalidValue(`at most ${MAX_ACCESS_LOGS} access logs`);
        return paths;
      },
    },
    {
      flags: '--leavers <file>',
      description:
        'with --access-log: who has left, as CSV (username or email, leftOn) or JSON [{"username": …, "leftOn": "2026-03-31"}]',
    },
  ],
  helpText:
    'With --access-log, the knowers check reports who read each password since it last changed, and who of them has left (--leavers).',
  inputFiles: (options) => [
    ...((options.accessLog as string[] | undefined) ?? []).map((path) => ({ option: '--access-log', path })),
    ...(typeof options.leavers === 'string' ? [{ option: '--leavers', path: options.leavers }] : []),
  ],
  open: async (options) => {
    const logs = (options.accessLog as string[] | undefined) ?? [];
    const leaversPath = options.leavers as string | undefined;
    if (logs.length === 0) {
      if (leaversPath !== undefined) {
        throw new AccessLogOptionError('--leavers needs --access-log: who read each secret comes from the logs');
      }
      return {};
    }
    const leavers = leaversPath === undefined ? new Map() : await readLeaversFile(leaversPath);
    return { readSource: new AccessLogFiles(logs, leavers) };
  },
};
