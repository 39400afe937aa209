import type { IdentityBreach } from '../../../lambdas/core/check';
import { CheckUnavailableError } from '../../../lambdas/core/check';
import { checkFindings } from '../../../lambdas/core/check-findings';
import { breachedIdentityCheck } from '../../../lambdas/core/checks/breached-identity';
import { aContext, anAccount } from '../../support/accounts';

const breach = (name: string, added: string, extra: Partial<IdentityBreach> = {}): IdentityBreach => ({
  name,
  addedDate: new Date(added),
  exposedPasswords: true,
  ...extra,
});
const run = (breaches: IdentityBreach[], changed: string | undefined) =>
  checkFindings(
    breachedIdentityCheck,
    anAccount({ passwordChangedAt: changed === undefined ? undefined : new Date(changed) }),
    aContext({ evidence: { identity: { status: 'checked', source: 'Have I Been Pwned', breaches } } }),
  );

describe('Check: breached-identity', () => {
  it.each([
    ['added after the change, with passwords', [breach('Adobe', '2026-03-01T10:00:00Z')], '2026-01-01', 'critical'],
    [
      'added after the change, without passwords',
      [breach('Gravatar', '2026-03-01T10:00:00Z', { exposedPasswords: false })],
      '2026-01-01',
      'high',
    ],
    ['added the same day as a date-only change', [breach('SameDay', '2026-01-01T18:30:00Z')], '2026-01-01', 'critical'],
    ['added the day before the change', [breach('DayBefore', '2025-12-31T23:59:00Z')], '2026-01-01', undefined],
    ['added before the change', [breach('LinkedIn', '2016-05-21T21:35:40Z')], '2026-01-01', undefined],
    ['any breach, when the change date is unknown', [breach('Old', '2016-05-21T21:35:40Z')], undefined, 'critical'],
    ['no breach at all', [], '2026-01-01', undefined],
  ])('%s: %s', (_case, breaches, changed, severity) => {
    expect(run(breaches, changed).map((found) => found.severity)).toEqual(severity ? [severity] : []);
  });

  it('lists only breach names and dates as evidence, oldest first', () => {
    const [found] = run(
      [breach('B', '2026-04-01T00:00:00Z'), breach('A', '2026-03-01T00:00:00Z'), breach('Old', '2020-01-01T00:00:00Z')],
      '2026-01-01',
    );

    expect(found?.evidence).toEqual({
      breaches: ['A (added 2026-03-01)', 'B (added 2026-04-01)'],
      exposedPasswords: true,
    });
  });

  it('names the breach source it was told of, not one of its own', () => {
    const [found] = checkFindings(
      breachedIdentityCheck,
      anAccount({ passwordChangedAt: new Date('2026-01-01') }),
      aContext({
        evidence: {
          identity: { status: 'checked', source: 'a breach mirror', breaches: [breach('A', '2026-03-01T00:00:00Z')] },
        },
      }),
    );

    expect(found?.detail).toContain('1 breach added to a breach mirror since its password last changed on 2026-01-01');
  });

  it('throws rather than passes when the lookup failed', () => {
    expect(() =>
      checkFindings(
        breachedIdentityCheck,
        anAccount(),
        aContext({ evidence: { identity: { status: 'failed', reason: 'HTTP 401' } } }),
      ),
    ).toThrow(new CheckUnavailableError('HTTP 401'));
  });
});
