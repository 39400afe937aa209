import type { FindingState } from '../../../lambdas/core/lifecycle/lifecycle-state';
import { MAX_TREND_POINTS, trendOf } from '../../../lambdas/core/lifecycle/trend';
import type { Severity } from '../../../lambdas/core/severity';

const state = (id: string, severity: Severity, firstSeen: string, resolvedAt?: string): FindingState => ({
  id,
  accountId: id.split('#')[0] as string,
  check: 'mfa',
  owner: 'press',
  title: 't',
  severity,
  status: resolvedAt === undefined ? 'open' : 'resolved',
  firstSeen,
  lastSeen: resolvedAt ?? '2026-06-03T00:00:00.000Z',
  ...(resolvedAt !== undefined && { resolvedAt }),
});

describe('Function: trendOf', () => {
  it('counts open findings by severity at each moment a finding was first seen or fixed, up to now', () => {
    const trend = trendOf(
      [
        state('a#mfa:disabled', 'critical', '2026-06-01T00:00:00.000Z', '2026-06-03T00:00:00.000Z'),
        state('b#mfa:no-evidence', 'high', '2026-06-02T00:00:00.000Z'),
        state('c#mfa:no-evidence', 'high', '2026-06-01T00:00:00.000Z'),
      ],
      '2026-06-04T00:00:00.000Z',
    );

    expect(trend.map((point) => [point.at.slice(0, 10), point.open.critical, point.open.high])).toEqual([
      ['2026-06-01', 1, 1],
      ['2026-06-02', 1, 2],
      ['2026-06-03', 0, 2],
      ['2026-06-04', 0, 2],
    ]);
  });

  it('leaves accepted findings out, makes no trend of one moment, and keeps the latest moments only', () => {
    const accepted = {
      ...state('a#mfa:disabled', 'critical', '2026-06-01T00:00:00.000Z'),
      accepted: { reason: 'r', acceptedBy: 'p', expires: '2027-01-01' },
    };
    expect(trendOf([accepted], '2026-06-04T00:00:00.000Z')).toEqual([]);
    expect(trendOf([state('b#mfa:x', 'low', '2026-06-04T00:00:00.000Z')], '2026-06-04T00:00:00.000Z')).toEqual([]);

    const many = Array.from({ length: 100 }, (_, day) =>
      state(`l${day}#mfa:x`, 'low', new Date(Date.UTC(2026, 0, 1 + day)).toISOString()),
    );
    const trend = trendOf(many, '2026-12-01T00:00:00.000Z');
    expect(trend).toHaveLength(MAX_TREND_POINTS);
    expect(trend.at(-1)?.open.low).toBe(100);
  });
});
