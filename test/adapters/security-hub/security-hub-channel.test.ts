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

/** A password-age finding on `accountId` that the lifecycle resolved. */
const resolvedState = (accountId: string): FindingState => ({
  id: `${accountId}#password-age:too-old`,
  accountId,
  check: 'password-age',
  owner: null,
  title: 'Old',
  severity: 'medium',
  status: 'resolved',
  firstSeen: '2026-05-01T00:00:00.000Z',
  lastSeen: '2026-05-31T00:00:00.000Z',
  resolvedAt: '2026-06-01T06:00:00.000Z',
});

describe('Class: SecurityHubChannel', () => {
  it('imports every finding in batches of at most 100, and archives the resolved ones', async () => {
    const { channel, batches, problems } = channelWith(() => ({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] }));
    const fixed = resolvedState('estate/gone');

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

  it('sends a batch that failed once more, then goes on to the next batch, and reports one that failed twice', async () => {
    let calls = 0;
    const { channel, batches, problems } = channelWith(() => {
      calls += 1;
      if (calls <= 2) throw awsError('InternalException', 'boom');
      return { FailedCount: 0 };
    });

    await channel.deliver({ report: report(150), family: 'mfa-status' });

    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(problems).toEqual([{ kind: 'failed', findings: 100, reason: 'InternalException' }]);
  });

  it('sends again only what Security Hub refused of a batch', async () => {
    let calls = 0;
    const { channel, batches, problems } = channelWith((findings) => {
      calls += 1;
      return calls === 1
        ? { FailedCount: 2, FailedFindings: findings.slice(0, 2).map(({ Id }) => ({ Id, ErrorCode: 'InternalError' })) }
        : { FailedCount: 0 };
    });

    const result = await channel.deliver({ report: report(50), family: 'mfa-status' });

    expect(batches.map((batch) => batch.length)).toEqual([50, 2]);
    expect(problems).toEqual([]);
    expect(result).toEqual({ messages: 0 });
  });

  it('returns the closings it could not deliver (throttled, refused) as owed, and only those', async () => {
    const fixed = (index: number) => resolvedState(`estate/gone-${index}`);
    const throttled = channelWith(() => {
      throw awsError('ThrottlingException', 'Rate exceeded');
    });
    const refused = channelWith((findings) => ({
      FailedCount: 1,
      FailedFindings: findings
        .filter((each) => each.Id.includes('gone-1#'))
        .map(({ Id }) => ({ Id, ErrorCode: 'InternalError' })),
    }));

    const all = await throttled.channel.deliver({
      report: report(3),
      family: 'password-age',
      resolved: [fixed(1), fixed(2)],
    });
    const one = await refused.channel.deliver({
      report: report(3),
      family: 'password-age',
      resolved: [fixed(1), fixed(2)],
    });

    expect(all.owed).toEqual(['estate/gone-1#password-age:too-old', 'estate/gone-2#password-age:too-old']);
    expect(one.owed).toEqual(['estate/gone-1#password-age:too-old']);
  });

  it.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['eu-west-2', 'aws'],
  ])('imports under the partition of %s (%s)', async (region, partition) => {
    const batches: { ProductArn: string; Resources: { Partition: string; Type: string }[] }[][] = [];
    const channel = new SecurityHubChannel({
      awsAccountId: '111122223333',
      region,
      client: {
        send: async (command: BatchImportFindingsCommand) => void batches.push(command.input.Findings as never),
      } as never,
      onProblem: () => {},
    });
    const secret = `arn:${partition}:secretsmanager:${region}:111122223333:secret:press/x-AbCdEf`;

    await channel.deliver({
      report: buildReport(
        {
          accounts: [
            {
              id: 'estate/login-0',
              platform: 'x.com',
              owner: null,
              status: 'at-risk',
              worstSeverity: 'medium',
              checks: {},
              resource: secret,
            },
          ],
          findings: [problem(0)],
        },
        new Date('2026-06-01T06:00:00Z'),
      ),
      family: 'mfa-status',
    });

    const [imported] = batches.flat();
    expect(imported?.ProductArn).toBe(
      `arn:${partition}:securityhub:${region}:111122223333:product/111122223333/default`,
    );
    expect(imported?.Resources).toEqual([
      { Type: 'AwsSecretsManagerSecret', Id: secret, Partition: partition, Region: region },
    ]);
  });

  it("imports a member account's findings in that account, under its own AwsAccountId and product; a refused session is owed", async () => {
    const member = '444455556666';
    const refused = '777788889999';
    const imported = new Map<string, { AwsAccountId: string; ProductArn: string; Id: string }[]>();
    const problems: SecurityHubProblem[] = [];
    const into = (account: string) =>
      ({
        send: async (command: BatchImportFindingsCommand) => {
          const findings = command.input.Findings as { AwsAccountId: string; ProductArn: string; Id: string }[];
          imported.set(account, [...(imported.get(account) ?? []), ...findings]);
          return { SuccessCount: findings.length, FailedCount: 0, FailedFindings: [] };
        },
      }) as never;
    const channel = new SecurityHubChannel({
      awsAccountId: '111122223333',
      region: 'eu-west-2',
      client: into('111122223333'),
      memberClient: async (account) => {
        if (account === refused) throw awsError('AccessDenied', 'no');
        return into(account);
      },
      onProblem: (each) => void problems.push(each),
    });
    const login = (account: string) => ({
      id: `${account}/team/x`,
      platform: 'x.com',
      owner: 'team',
      status: 'at-risk' as const,
      worstSeverity: 'medium' as const,
      checks: {},
      keptIn: account,
    });
    const onLogin = (account: string) => ({
      ...problem(0),
      id: `${account}/team/x#password-age:too-old`,
      accountId: `${account}/team/x`,
    });
    const result = await channel.deliver({
      report: buildReport(
        { accounts: [login(member), login(refused)], findings: [onLogin(member), onLogin(refused), problem(1)] },
        new Date('2026-06-01T06:00:00Z'),
      ),
      family: 'password-age',
      // A fixed finding of a login gone from the member: routed by the member its id begins with.
      resolved: [resolvedState(`${member}/team/old`), resolvedState(`${refused}/team/old`)],
    });
    expect(imported.get(member)?.map((each) => [each.AwsAccountId, each.ProductArn])).toEqual([
      [member, `arn:aws:securityhub:eu-west-2:${member}:product/${member}/default`],
      [member, `arn:aws:securityhub:eu-west-2:${member}:product/${member}/default`],
    ]);
    expect(imported.get('111122223333')?.map((each) => each.AwsAccountId)).toEqual(['111122223333']);
    expect(imported.has(refused)).toBe(false);
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'failed', findings: 2, reason: expect.stringContaining(refused) }),
    ]);
    expect(result.owed).toEqual([`${refused}/team/old#password-age:too-old`]);
  });
});
