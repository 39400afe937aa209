import { SEVERITIES, type Severity } from '../severity';
import type { FindingState } from './lifecycle-state';

/** Open findings by severity at one moment the kept state knows of. */
export interface TrendPoint {
  readonly at: string;
  readonly open: Readonly<Record<Severity, number>>;
}

/** The moments a trend shows at most: the latest, one column each in the HTML report's chart. */
export const MAX_TREND_POINTS = 30;

/**
 * Open findings by severity over the runs the kept state knows of: each moment a finding was first seen or fixed (a
 * run that changed something), the latest `MAX_TREND_POINTS`, with this run's last. A finding counts at a moment from
 * when it was first seen until it was fixed, with its latest severity; accepted ones are left out. Linear in the
 * states: at most `MAX_TREND_POINTS` passes. Fewer than two moments make no trend.
 */
export function trendOf(states: Iterable<FindingState>, now: string): TrendPoint[] {
  const kept = [...states].filter((state) => state.accepted === undefined);
  const moments = new Set<string>([now]);
  for (const state of kept) {
    moments.add(state.firstSeen);
    if (state.resolvedAt !== undefined) moments.add(state.resolvedAt);
  }
  const latest = [...moments]
    .filter((at) => at <= now)
    .sort()
    .slice(-MAX_TREND_POINTS);
  if (latest.length < 2) return [];
  return latest.map((at) => {
    const open = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
    for (const state of kept) {
      if (state.firstSeen <= at && (state.resolvedAt === undefined || state.resolvedAt > at)) open[state.severity] += 1;
    }
    return { at, open };
  });
}
