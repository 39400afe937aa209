import {
  acceptanceEnd,
  ExceptionMatcher,
  globMatches,
  isAcceptanceActive,
  isAcceptanceEnding,
  type RiskException,
} from '../../lambdas/core/exceptions';
import { type Finding, finding } from '../../lambdas/core/finding';
import { DEFAULT_POLICY, PolicyError, parsePolicy } from '../../lambdas/core/policy';

const NOW = new Date('2026-12-01T09:00:00Z');

const exception = (overrides: Partial<RiskException> = {}): RiskException => ({
  account: 'press-office/press-releases',
  check: 'mfa:unavailable',
  reason: 'The service offers no second factor',
  acceptedBy: 'Head of Digital',
  expires: '2027-03-31',
  ...overrides,
});

const aFinding = (accountId: string, check: Finding['check'], kind: string): Finding =>
  finding({ accountId, check, kind, severity: 'medium', title: 't', detail: 'd', remediation: 'r' });

const acceptedBy = (exceptions: readonly RiskException[], found: Finding, now = NOW) =>
  new ExceptionMatcher(exceptions, now, DEFAULT_POLICY.exceptionMaxDays).accept(found).accepted;

describe('Class: ExceptionMatcher', () => {
  it.each([
    ['the exact account and kind', exception(), 'press-office/press-releases', 'mfa', 'unavailable', true],
    [
      'the check, which covers every kind of it',
      exception({ check: 'mfa' }),
      'press-office/press-releases',
      'mfa',
      'disabled',
      true,
    ],
    [
      'a glob over the accounts',
      exception({ account: 'press-office/*' }),
      'press-office/x',
      'mfa',
      'unavailable',
      true,
    ],
    ['a one-character glob', exception({ account: 'press-office/?' }), 'press-office/x', 'mfa', 'unavailable', true],
    ['not another kind of the same check', exception(), 'press-office/press-releases', 'mfa', 'disabled', false],
    [
      'not another check on the same account',
      exception({ check: 'mfa' }),
      'press-office/press-releases',
      'password-age',
      'too-old',
      false,
    ],
    ['not another account', exception(), 'press-office/x', 'mfa', 'unavailable', false],
    [
      'not an account the glob does not reach',
      exception({ account: 'press-office/*' }),
      'digital/x',
      'mfa',
      'unavailable',
      false,
    ],
    ['not a longer id than the exact one', exception(), 'press-office/press-releases-old', 'mfa', 'unavailable', false],
    [
      'glob characters of regular expressions taken literally',
      exception({ account: 'press.office/(x)' }),
      'press-office/(x)',
      'mfa',
      'unavailable',
      false,
    ],
  ] as const)('matches %s: %s', (_case, rule, accountId, check, kind, matches) => {
    expect(acceptedBy([rule], aFinding(accountId, check, kind)) !== undefined).toBe(matches);
  });

  it("marks the finding with the first matching exception in the policy's order", () => {
    const first = exception({ account: 'press-office/*', reason: 'first' });
    const second = exception({ reason: 'second' });

    expect(acceptedBy([first, second], aFinding('press-office/press-releases', 'mfa', 'unavailable'))).toEqual({
      reason: 'first',
      acceptedBy: 'Head of Digital',
      expires: '2027-03-31',
    });
  });

  it('never accepts a finding that says an account could not be checked', () => {
    const everything = exception({ account: '*', check: 'mfa' });

    expect(acceptedBy([everything], aFinding('press-office/x', 'check-error', 'mfa'))).toBeUndefined();
  });

  it('holds through the last day (UTC) and ends at the start of the next', () => {
    const found = aFinding('press-office/press-releases', 'mfa', 'unavailable');

    expect(acceptedBy([exception()], found, new Date('2027-03-31T23:59:59.999Z'))).toBeDefined();
    expect(acceptedBy([exception()], found, new Date('2027-04-01T00:00:00.000Z'))).toBeUndefined();
    expect(acceptanceEnd('2027-03-31').toISOString()).toBe('2027-04-01T00:00:00.000Z');
    expect(isAcceptanceActive({ expires: '2027-03-31' }, new Date('2027-04-01T00:00:00Z'))).toBe(false);
  });

  it('calls an acceptance ending within 14 days of its end, and not before or after', () => {
    const acceptance = { expires: '2027-03-31' };

    expect(isAcceptanceEnding(acceptance, new Date('2027-03-17T23:59:59Z'))).toBe(false);
    expect(isAcceptanceEnding(acceptance, new Date('2027-03-18T00:00:00Z'))).toBe(true);
    expect(isAcceptanceEnding(acceptance, new Date('2027-03-31T23:00:00Z'))).toBe(true);
    expect(isAcceptanceEnding(acceptance, new Date('2027-04-01T00:00:00Z'))).toBe(false);
  });

  it('reports what each exception matched, and calls one in force that matched nothing stale only in a full run', () => {
    const used = exception();
    const unused = exception({ account: 'digital/*' });
    const expired = exception({ account: 'digital/*', expires: '2026-11-30' });
    const matcher = new ExceptionMatcher([used, unused, expired], NOW, DEFAULT_POLICY.exceptionMaxDays);
    matcher.accept(aFinding('press-office/press-releases', 'mfa', 'unavailable'));

    expect(matcher.outcomes(true).map(({ status, matched, stale }) => ({ status, matched, stale }))).toEqual([
      { status: 'active', matched: ['press-office/press-releases#mfa:unavailable'], stale: false },
      { status: 'active', matched: [], stale: true },
      { status: 'expired', matched: [], stale: false },
    ]);
    expect(matcher.outcomes(false).map((outcome) => outcome.stale)).toEqual([false, false, false]);
  });
});

describe('Function: parsePolicy, exceptions', () => {
  const problemsOf = (raw: unknown, now = NOW): readonly string[] => {
    try {
      parsePolicy(raw, { now });
    } catch (error) {
      if (error instanceof PolicyError) return error.problems;
      throw error;
    }
    throw new Error('expected a PolicyError');
  };

  it('reads exceptions, with the default caps of 30, 90 and 365 days', () => {
    const policy = parsePolicy({ exceptions: [exception()] }, { now: NOW });

    expect(policy.exceptions).toEqual([exception()]);
    expect(DEFAULT_POLICY.exceptionMaxDays).toEqual({ critical: 30, high: 90, medium: 365, low: 365, info: 365 });
  });

  it.each([
    [
      { reason: undefined },
      'exceptions[0] (press-office/press-releases, mfa:unavailable).reason: must say why the risk is accepted',
    ],
    [
      { reason: '   ' },
      'exceptions[0] (press-office/press-releases, mfa:unavailable).reason: must say why the risk is accepted',
    ],
    [
      { acceptedBy: undefined },
      'exceptions[0] (press-office/press-releases, mfa:unavailable).acceptedBy: must name who accepted the risk',
    ],
    [
      { expires: undefined },
      'exceptions[0] (press-office/press-releases, mfa:unavailable).expires: must be the last day it holds, as YYYY-MM-DD',
    ],
    [
      { expires: '31/03/2027' },
      'exceptions[0] (press-office/press-releases, mfa:unavailable).expires: must be the last day it holds, as YYYY-MM-DD',
    ],
    [
      { expires: '2027-02-30' },
      'exceptions[0] (press-office/press-releases, mfa:unavailable).expires: is not a date in the calendar',
    ],
    [
      { check: 'mfa:pigeon' },
      'exceptions[0] (press-office/press-releases, mfa:pigeon).check: is not a check id or check:kind (see the README for the list)',
    ],
    [
      { check: 'mfaa' },
      'exceptions[0] (press-office/press-releases, mfaa).check: is not a check id or check:kind (see the README for the list)',
    ],
    [
      { check: 'check-error' },
      'exceptions[0] (press-office/press-releases, check-error).check: cannot be accepted: it says an account could not be checked, not a risk to accept',
    ],
    [
      { account: '' },
      'exceptions[0] (mfa:unavailable).account: must be an account id or a glob over them (press-office/*)',
    ],
  ])('refuses an exception with %o, naming the entry', (change, problem) => {
    expect(problemsOf({ exceptions: [{ ...exception(), ...change }] })).toContain(problem);
  });

  it.each([
    ['a medium kind to 365 days ahead', 'mfa:unavailable', '2027-12-01', undefined],
    [
      'a medium kind to 366 days ahead',
      'mfa:unavailable',
      '2027-12-02',
      'a medium finding may be accepted for at most 365 days (exceptionMaxDays.medium)',
    ],
    // Valid for its medium and low kinds: each run leaves its critical findings open, naming it (see ExceptionMatcher).
    ['a whole check, within the cap of its least severe kind', 'mfa', '2027-01-01', undefined],
    [
      'a whole check, beyond the cap of its least severe kind',
      'mfa',
      '2027-12-02',
      'a low finding may be accepted for at most 365 days (exceptionMaxDays.low)',
    ],
    [
      'a kind whose severity varies, beyond the cap of its least severity',
      'password-age:too-old',
      '2027-12-02',
      'a medium finding may be accepted for at most 365 days (exceptionMaxDays.medium)',
    ],
    [
      'a kind whose severity varies, within the cap of its least severity',
      'password-age:too-old',
      '2027-10-01',
      undefined,
    ],
    ['a critical kind to 30 days ahead', 'mfa:disabled', '2026-12-31', undefined],
  ])('caps %s', (_case, check, expires, problem) => {
    const problems = (() => {
      try {
        parsePolicy({ exceptions: [exception({ check, expires })] }, { now: NOW });
        return [];
      } catch (error) {
        return (error as PolicyError).problems;
      }
    })();

    if (problem === undefined) expect(problems).toEqual([]);
    else expect(problems.join('\n')).toContain(problem);
  });

  it("caps by the severity the policy gives the kind, and by the policy's own caps", () => {
    const lowered = {
      severityOverrides: { 'mfa:disabled': 'low' },
      exceptions: [exception({ check: 'mfa:disabled', expires: '2027-06-01' })],
    };
    const tighter = { exceptionMaxDays: { medium: 30 }, exceptions: [exception({ expires: '2027-01-01' })] };

    expect(() => parsePolicy(lowered, { now: NOW })).not.toThrow();
    expect(problemsOf(tighter)).toEqual([
      'exceptions[0] (press-office/press-releases, mfa:unavailable): expires: 2027-01-01 is 31 days ahead; a medium finding may be accepted for at most 30 days (exceptionMaxDays.medium)',
    ]);
  });

  it('lets the caps be lowered freely but raised only to the ceiling the code holds', () => {
    expect(() => parsePolicy({ exceptionMaxDays: { critical: 1, high: 180, medium: 730 } })).not.toThrow();
    expect(problemsOf({ exceptionMaxDays: { critical: 36500, high: 181, low: 731 } })).toEqual([
      'exceptionMaxDays.critical: must be at most 90 days: a critical finding is never accepted for longer (the cap may be lowered, not raised past that)',
      'exceptionMaxDays.high: must be at most 180 days: a high finding is never accepted for longer (the cap may be lowered, not raised past that)',
      'exceptionMaxDays.low: must be at most 730 days: a low finding is never accepted for longer (the cap may be lowered, not raised past that)',
    ]);
  });

  it.each([
    ['*', 'mfa', false],
    ['?*', 'breached-password', false],
    ['*', 'mfa:unavailable', true],
    ['press-office/*', 'mfa', true],
  ])(
    'an exception for %s accepting %s is allowed: %s (none for every account may accept a critical)',
    (account, check, allowed) => {
      const problems = (() => {
        try {
          parsePolicy({ exceptions: [exception({ account, check, expires: '2026-12-15' })] }, { now: NOW });
          return [];
        } catch (error) {
          return (error as PolicyError).problems;
        }
      })();

      if (allowed) expect(problems).toEqual([]);
      else expect(problems.join('\n')).toContain('an exception for every account may not accept a critical finding');
    },
  );

  it('lets an exception that has expired stand (it is reported, not refused)', () => {
    expect(() => parsePolicy({ exceptions: [exception({ expires: '2026-01-01' })] }, { now: NOW })).not.toThrow();
  });
});

describe('Function: globMatches', () => {
  it.each([
    ['press-office/*', 'press-office/x', true],
    ['press-office/*', 'press-office/', true],
    ['press-office/*', 'press-office', false],
    ['*', 'anything at all', true],
    ['*/x', 'press-office/x', true],
    ['press-*/x', 'press-office/y', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*a*b', 'xaxxb', true],
    ['*a*b', 'xaxxbx', false],
    ['pr[ess]', 'pr[ess]', true],
    ['pr.ss', 'press', false],
  ])('%s against %s: %s', (glob, id, matches) => {
    expect(globMatches(glob, id)).toBe(matches);
  });

  it('answers a hostile glob over a long id without backtracking for ever', () => {
    expect(globMatches(`${'*a'.repeat(200)}*b`, 'a'.repeat(5000))).toBe(false);
  });
});
