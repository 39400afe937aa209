import { CheckUnavailableError } from '../../../lambdas/core/check';
import { checkFindings } from '../../../lambdas/core/check-findings';
import { knowersCheck } from '../../../lambdas/core/checks/knowers';
import { parsePolicy } from '../../../lambdas/core/policy';
import type { SecretRead } from '../../../lambdas/core/secret-reads';
import { aContext, anAccount } from '../../support/accounts';

const read = (name: string, at: string): SecretRead => ({
  secret: 'press-office/x',
  reader: { name, kind: 'identity-center-user', arns: [`arn:aws:sts::1:assumed-role/AWSReservedSSO_P_0/${name}`] },
  at: new Date(at),
});

describe('Check: knowers', () => {
  const changed = new Date('2026-05-01T00:00:00Z');
  const known = (reads: SecretRead[], leavers: [string, string][] = [], ignore: string[] = []) => ({
    knowers: {
      status: 'known' as const,
      reads,
      leavers: new Map(leavers.map(([name, day]) => [name, new Date(`${day}T00:00:00Z`)])),
      ignore,
    },
  });

  it('is critical on a high-impact platform when a reader of the current password has left, high elsewhere', () => {
    const evidence = known([read('alice', '2026-05-02T00:00:00Z')], [['alice', '2026-05-20']]);
    const onX = checkFindings(knowersCheck, anAccount({ passwordChangedAt: changed }), aContext({ evidence }));
    const elsewhere = checkFindings(
      knowersCheck,
      anAccount({ platform: 'newswire-portal.example', passwordChangedAt: changed }),
      aContext({ evidence }),
    );

    expect(onX.map((found) => [found.id, found.severity])).toEqual([
      ['press-office/x#knowers:leaver-knows', 'critical'],
    ]);
    expect(onX[0]?.link).toBe('https://x.com/settings/password');
    expect(onX[0]?.evidence).toEqual({ leavers: ['alice'], leaversCount: 1, leftOn: ['2026-05-20'] });
    expect(elsewhere.map((found) => found.severity)).toEqual(['high']);
  });

  it("reports a read after leaving, and more readers than the policy's maxPeople", () => {
    const reads = ['a', 'b', 'c', 'd'].map((name) => read(name, '2026-06-01T00:00:00Z'));
    const evidence = known(reads, [['d', '2026-04-01']]);
    const policy = parsePolicy({ knowers: { maxPeople: 3 } });

    const found = checkFindings(
      knowersCheck,
      anAccount({ passwordChangedAt: changed }),
      aContext({ evidence, policy }),
    );

    expect(found.map((each) => each.id.split(':').at(-1))).toEqual(['read-after-leaving', 'many-knowers']);
    expect(found[1]?.evidence).toEqual({ people: 4, maxPeople: 3 });
  });

  it("ignores the source's monitor principals and passes a login nobody read", () => {
    const evidence = known([read('alice', '2026-05-02T00:00:00Z')], [['alice', '2026-05-20']], ['arn:aws:sts::1:*']);

    expect(checkFindings(knowersCheck, anAccount({ passwordChangedAt: changed }), aContext({ evidence }))).toEqual([]);
    expect(checkFindings(knowersCheck, anAccount(), aContext({ evidence: known([]) }))).toEqual([]);
  });

  it('cannot run where the reads are not known', () => {
    const failed = { knowers: { status: 'failed' as const, reason: 'the access logs could not be read' } };

    expect(() => checkFindings(knowersCheck, anAccount(), aContext({ evidence: failed }))).toThrow(
      CheckUnavailableError,
    );
    expect(() => checkFindings(knowersCheck, anAccount(), aContext())).toThrow(CheckUnavailableError);
  });
});
