import type { BatchImportFindingsCommand } from '@aws-sdk/client-securityhub';
import {
  SecurityHubChannel,
  type SecurityHubProblem,
} from '../../../lambdas/adapters/security-hub/security-hub-channel';
import { finding } from '../../../lambdas/core/finding';
import type { FindingState } from '../../../lambdas/core/lifecycle/lifecycle-state';
import { buildReport } from '../../../lambdas/core/report/report';
import { awsError } from '../../support/aws-errors';

const problem = (index: number) =>
  finding({
    accountId: `estate/login-${index}`,
    check: 'password-age',
    kind: 'too-old',
    severity: 'medium',
    title: 'Old',
    detail: 'd',
    remediation: 'r',
  });

function channelWith(answer: (findings: readonly { Id: string; RecordState: string }[]) => unknown) {
  const batches: { Id: string; RecordState: string }[][] = [];
  const problems: SecurityHubProblem[] = [];
  const channel = new SecurityHubChannel({
    awsAccountId: '111122223333',
    region: 'eu-west-2',
    client: {
      send: async (command: BatchImportFindingsCommand) => {
        const findings = command.input.Findings as { Id: string; RecordState: string }[];
        batches.push(findings);
        return answer(findings);
      },
    } as never,
    onProblem: (each) => void problems.push(each),
  });
  return { channel, batches, problems };
}

const report = (count: number) =>
  buildReport(
    { accounts: [], findings: Array.from({ length: count }, (_, index) => problem(index)) },
    new Date('2026-06-01T06:00:00Z'),
  );

describe('Class: SecurityHubChannel', () => {
  it('imports every finding in batches of at most 100, and archives the resolved ones', async () => {
    const { channel, batches, problems } = channelWith(() => ({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] }));
    const fixed: FindingState = {
      id: 'estate/gone#password-age:too-old',
      accountId: 'estate/gone',
      check: 'password-age',
      owner: null,
      title: 'Old',
      severity: 'medium',
      status: 'resolved',
      firstSeen: '2026-05-01T00:00:00.000Z',
      lastSeen: '2026-05-31T00:00:00.000Z',
      resolvedAt: '2026-06-01T06:00:00.000Z',
    };

    const result = await channel.deliver({
      report: report(250),
      family: 'password-age',
      resolved: [fixed],
    });

    expect(result).toEqual({ messages: 0 });
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 51]);
    expect(
      batches
        .flat()
        .filter((each) => each.RecordState === 'ARCHIVED')
        .map((each) => each.Id),
    ).toEqual(['credential-hygiene/password-age/estate/gone#password-age:too-old']);
    expect(problems).toEqual([]);
  });

  it('reports Security Hub switched off once, clearly, and does not fail the run', async () => {
    const { channel, batches, problems } = channelWith(() => {
      throw awsError('InvalidAccessException', 'Account 111122223333 is not subscribed to AWS Security Hub');
    });

    await expect(channel.deliver({ report: report(250), family: 'mfa-status' })).resolves.toEqual({
      messages: 0,
    });

    expect(batches).toHaveLength(1);
    expect(problems).toEqual([
      {
        kind: 'not-enabled',
        findings: 250,
        reason:
          'Security Hub is not enabled in account 111122223333, region eu-west-2 (InvalidAccessException): enable it, or set securityHub.enabled to false in cdk.json',
      },
    ]);
  });

  it('reads InvalidAccess on the findings it refused as Security Hub off, and other refusals as such', async () => {
    const off = channelWith((findings) => ({
      FailedCount: findings.length,
      FailedFindings: findings.map((each) => ({ Id: each.Id, ErrorCode: 'InvalidAccess', ErrorMessage: 'm' })),
    }));
    const refused = channelWith((findings) => ({
      FailedCount: 1,
      FailedFindings: [{ Id: findings[0]?.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'm' }],
    }));

    await off.channel.deliver({ report: report(150), family: 'mfa-status' });
    await refused.channel.deliver({ report: report(150), family: 'mfa-status' });

    expect(off.problems.map((each) => [each.kind, each.findings])).toEqual([['not-enabled', 150]]);
    expect(refused.problems).toEqual([
      { kind: 'rejected', findings: 1, reason: 'refused: InvalidInput' },
      { kind: 'rejected', findings: 1, reason: 'refused: InvalidInput' },
    ]);
  });

  it('goes on to the next batch after one that failed, and reports it', async () => {
    let calls = 0;
    const { channel, batches, problems } = channelWith(() => {
      calls += 1;
      if (calls === 1) throw awsError('InternalException', 'boom');
      return { FailedCount: 0 };
    });

    await channel.deliver({ report: report(150), family: 'mfa-status' });

    expect(batches).toHaveLength(2);
    expect(problems).toEqual([{ kind: 'failed', findings: 100, reason: 'InternalException' }]);
  });
});
