import type { Metrics } from '@aws-lambda-powertools/metrics';
import { finding } from '../../lambdas/core/finding';
import { buildReport } from '../../lambdas/core/report/report';
import { PowertoolsRunMetrics } from '../../lambdas/shared/powertools-run-metrics';

/** Powertools' Metrics as far as the run uses it, recording what would be emitted. */
function recordingMetrics() {
  const emitted: { name: string; value: number; dimensions: Record<string, string> }[] = [];
  const metric = (dimensions: Record<string, string>) => ({
    addDimension: (name: string, value: string) => {
      dimensions[name] = value;
    },
    addMetric: (name: string, _unit: unknown, value: number) => void emitted.push({ name, value, dimensions }),
  });
  const fake = { ...metric({}), singleMetric: () => metric({}), publishStoredMetrics: () => {} };
  return { metrics: fake as unknown as Metrics, emitted };
}

describe('Class: PowertoolsRunMetrics', () => {
  it('counts findings that need attention by check and severity, and accepted ones apart', () => {
    const mfaOff = (accountId: string) =>
      finding({
        accountId,
        check: 'mfa',
        kind: 'disabled',
        severity: 'critical',
        title: 't',
        detail: 'd',
        remediation: 'r',
      });
    const off = mfaOff('a');
    const accepted = { ...mfaOff('b'), accepted: { reason: 'r', acceptedBy: 'x', expires: '2026-07-01' } };
    const report = buildReport({ accounts: [], findings: [off, accepted] }, new Date('2026-06-01T00:00:00Z'));
    const { metrics, emitted } = recordingMetrics();

    new PowertoolsRunMetrics(metrics).record(report, { kind: 'scheduled' });

    expect(emitted).toEqual(
      expect.arrayContaining([
        { name: 'Findings', value: 1, dimensions: { check: 'mfa', severity: 'critical' } },
        { name: 'AcceptedFindings', value: 1, dimensions: {} },
        { name: 'ScheduledRunSucceeded', value: 1, dimensions: {} },
      ]),
    );
  });

  it('counts the logins a leaver knows where the knowers check ran, and says nothing where it did not', () => {
    const login = (id: string, left: number) => ({
      id,
      platform: 'x.com',
      owner: 'press',
      status: 'ok' as const,
      worstSeverity: null,
      checks: {},
      knowers: {
        since: '2026-01-01',
        people: 3,
        left: Array.from({ length: left }, () => ({ name: 'a', lastRead: '2026-02-01', leftOn: '2026-03-01' })),
      },
    });
    const knowing = buildReport({ accounts: [login('a', 1), login('b', 0), login('c', 2)], findings: [] }, new Date(0));
    const unknowing = buildReport({ accounts: [], findings: [] }, new Date(0));
    const first = recordingMetrics();
    const second = recordingMetrics();

    new PowertoolsRunMetrics(first.metrics).record(knowing, { kind: 'scheduled' });
    new PowertoolsRunMetrics(second.metrics).record(unknowing, { kind: 'scheduled' });

    expect(first.emitted).toContainEqual({ name: 'AccountsWithLeaver', value: 2, dimensions: {} });
    expect(second.emitted.map((each) => each.name)).not.toContain('AccountsWithLeaver');
  });
});
