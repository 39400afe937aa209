import type { RotationFacts } from '../../../lambdas/core/account';
import { checkFindings } from '../../../lambdas/core/check-findings';
import { rotationCheck } from '../../../lambdas/core/checks/rotation';
import { parsePolicy } from '../../../lambdas/core/policy';
import { aContext, anAccount, NOW } from '../../support/accounts';

const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const rotating = (facts: Partial<RotationFacts>): RotationFacts => ({ enabled: true, intervalDays: 30, ...facts });

describe('Check: rotation', () => {
  it.each([
    ['rotated within its interval', rotating({ lastRotatedAt: daysAgo(20) }), []],
    ['within the grace period', rotating({ lastRotatedAt: daysAgo(33) }), []],
    ['past interval and grace', rotating({ lastRotatedAt: daysAgo(34) }), ['failing']],
    ['never rotated since creation long ago', rotating({ createdAt: daysAgo(90) }), ['failing']],
    ['never rotated, created recently', rotating({ createdAt: daysAgo(10) }), []],
    [
      'on a cron schedule whose next date is long past',
      rotating({ intervalDays: undefined, nextRotationAt: daysAgo(10) }),
      ['failing'],
    ],
    ['disabled, however old', { enabled: false, intervalDays: 30, lastRotatedAt: daysAgo(900) }, []],
    ['with no rotation metadata at all', undefined, []],
  ])('%s', (_case, rotation, kinds) => {
    const findings = checkFindings(rotationCheck, anAccount({ rotation }), aContext());

    expect(findings.map((found) => found.id.split(':').at(-1))).toEqual(kinds);
    for (const found of findings) expect(found.severity).toBe('medium');
  });

  it('reports a monitored secret scheduled for deletion', () => {
    const [found] = checkFindings(
      rotationCheck,
      anAccount({ deletionScheduledAt: new Date('2026-06-08T00:00:00Z') }),
      aContext(),
    );

    expect(found).toMatchObject({
      id: 'press-office/x#rotation:scheduled-deletion',
      evidence: { deletionDate: '2026-06-08' },
    });
  });

  it('takes the grace period from the policy', () => {
    const policy = parsePolicy({ rotation: { graceDays: 0 } });

    expect(
      checkFindings(
        rotationCheck,
        anAccount({ rotation: rotating({ lastRotatedAt: daysAgo(31) }) }),
        aContext({ policy }),
      ),
    ).toHaveLength(1);
  });

  it.each([
    ['started a week ago to the day', 7, []],
    ['started eight days ago', 8, ['pending-stuck']],
  ])('a password change by its owner %s, neither confirmed nor aborted', (_case, days, kinds) => {
    const account = anAccount({ rotation: { enabled: false, pendingSince: daysAgo(days as number) } });
    const findings = checkFindings(rotationCheck, account, aContext());

    expect(findings.map((found) => found.id.split(':').at(-1))).toEqual(kinds);
    for (const found of findings) {
      expect(found).toMatchObject({ severity: 'high', evidence: { pendingMaxDays: 7 } });
      expect(found.remediation).toMatch(/confirm the change .* abort it/);
    }
  });

  it('takes the days a change may wait from the policy', () => {
    const policy = parsePolicy({ rotation: { pendingMaxDays: 2 } });
    const account = anAccount({ rotation: { enabled: false, pendingSince: daysAgo(3) } });

    expect(checkFindings(rotationCheck, account, aContext({ policy })).map((found) => found.id)).toEqual([
      'press-office/x#rotation:pending-stuck',
    ]);
  });
});
