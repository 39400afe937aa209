import { type Finding, finding } from '../../../lambdas/core/finding';
import { rootCauses, stepsText } from '../../../lambdas/core/report/actions';
import type { Severity } from '../../../lambdas/core/severity';

/** A login of the estate: its owner and how many logins can be taken over through it. */
const login = (id: string, exposesCount = 0, owner: string | null = 'press') => ({ id, owner, exposesCount });

const own = (accountId: string, severity: Severity, check: 'breached-password' | 'mfa' = 'breached-password') =>
  finding({
    accountId,
    check,
    kind: check === 'mfa' ? 'disabled' : 'breached',
    severity,
    title: 't',
    detail: 'd',
    remediation: 'r',
  });

/** A takeover-chain finding on `accountId` whose link to fix first is `fixFirst`. */
const chain = (accountId: string, fixFirst: string, severity: Severity): Finding =>
  finding({
    accountId,
    check: 'recovery',
    kind: 'exposed-chain',
    severity,
    title: 't',
    detail: 'd',
    remediation: 'r',
    evidence: { fixFirst, chains: [{ logins: [accountId, fixFirst] }], worstExposure: severity },
  });

const reused = (accountId: string, group: string) =>
  finding({
    accountId,
    check: 'reused-password',
    kind: 'reused',
    severity: 'high',
    title: 't',
    detail: 'd',
    remediation: 'r',
    evidence: { reuseGroup: group },
  });

describe('Function: rootCauses', () => {
  it("puts a mailbox's action first, fixing the chains of the logins behind it, which are exposed, not at risk", () => {
    const causes = rootCauses(
      [login('mailbox', 2), login('x'), login('fb'), login('blog')],
      [
        own('mailbox', 'critical'),
        chain('x', 'mailbox', 'critical'),
        chain('fb', 'mailbox', 'critical'),
        own('blog', 'critical'),
      ],
      undefined,
    );

    expect(causes.actions.map((action) => action.id)).toEqual(['fix:mailbox', 'fix:blog']);
    expect(causes.actions[0]).toMatchObject({
      account: 'mailbox',
      severity: 'critical',
      fixes: ['mailbox#breached-password:breached', 'x#recovery:exposed-chain', 'fb#recovery:exposed-chain'],
      exposes: ['fb', 'x'],
      title: 'Fix mailbox: change its password',
    });
    expect(causes.rootActionOf.get('x#recovery:exposed-chain')).toBe('fix:mailbox');
    expect([...causes.exposed].sort()).toEqual(['fb', 'x']);
  });

  it('ranks by the worst finding an action resolves, a derived one included, before the logins it exposes', () => {
    // The mailbox's own problem is medium, but the chain it opens to the X account is critical by the X account's
    // own rule: fixing the mailbox removes a critical finding.
    const causes = rootCauses(
      [login('mailbox', 1), login('x'), login('a'), login('b')],
      [own('mailbox', 'medium'), chain('x', 'mailbox', 'critical'), own('a', 'high'), own('b', 'high')],
      undefined,
    );

    expect(causes.actions.map((action) => [action.id, action.severity])).toEqual([
      ['fix:mailbox', 'critical'],
      ['fix:a', 'high'],
      ['fix:b', 'high'],
    ]);
  });

  it('breaks ties by the logins exposed, then by reach, then by the findings fixed, then by id', () => {
    const causes = rootCauses(
      [login('c'), login('b', 5), login('a'), login('d')],
      [own('a', 'high'), own('b', 'high'), own('c', 'high'), own('c', 'high', 'mfa'), own('d', 'high')],
      undefined,
    );

    expect(causes.actions.map((action) => action.account)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('follows a root that has no problem of its own to the login whose fix ends it (a root itself exposed)', () => {
    // The X account's chain goes through the mailbox, whose only problem is that it shares its password with the
    // blog, the group's root: changing the blog's password is what ends both.
    const causes = rootCauses(
      [login('blog', 3), login('mailbox', 1), login('x')],
      [own('blog', 'critical'), reused('blog', 'g1'), reused('mailbox', 'g1'), chain('x', 'mailbox', 'high')],
      { g1: ['blog', 'mailbox'] },
    );

    expect(causes.actions.map((action) => action.id)).toEqual(['fix:blog']);
    expect(causes.actions[0]?.exposes).toEqual(['mailbox', 'x']);
    expect(causes.rootActionOf.get('x#recovery:exposed-chain')).toBe('fix:blog');
    expect([...causes.exposed].sort()).toEqual(['mailbox', 'x']);
  });

  it('ends a cycle of logins that expose only each other at the first one met, losing no finding', () => {
    const causes = rootCauses(
      [login('a', 1), login('b', 1)],
      [chain('a', 'b', 'high'), chain('b', 'a', 'high')],
      undefined,
    );

    const fixed = causes.actions.flatMap((action) => action.fixes).sort();
    expect(fixed).toEqual(['a#recovery:exposed-chain', 'b#recovery:exposed-chain']);
    expect(causes.actions.length).toBeGreaterThan(0);
  });

  it("makes the reuse group's most exposing member its root; the others' reuse findings are derived from it", () => {
    const causes = rootCauses(
      [login('a'), login('b', 4), login('c')],
      [reused('a', 'g1'), reused('b', 'g1'), reused('c', 'g1')],
      { g1: ['a', 'b', 'c'] },
    );

    expect(causes.actions.map((action) => [action.id, action.fixes.length, action.exposes])).toEqual([
      ['fix:b', 3, ['a', 'c']],
    ]);
  });

  it('keeps an action for a root whose own findings are accepted: the chains it opens are still open', () => {
    const accepted = { ...own('mailbox', 'high'), accepted: { reason: 'r', acceptedBy: 'p', expires: '2027-01-01' } };
    const causes = rootCauses([login('mailbox', 1), login('x')], [accepted, chain('x', 'mailbox', 'high')], undefined);

    expect(causes.actions).toEqual([
      expect.objectContaining({
        id: 'fix:mailbox',
        fixes: ['x#recovery:exposed-chain'],
        title: 'Fix mailbox: change its password',
      }),
    ]);
  });

  it('gives a login exposed only through another no action of its own, and every root at least its severity', () => {
    const accounts = [];
    const findings = [];
    for (let team = 0; team < 25; team++) {
      accounts.push(login(`t${team}/mailbox`, 11));
      findings.push(own(`t${team}/mailbox`, team % 3 === 0 ? 'critical' : 'medium'));
      for (let n = 0; n < 11; n++) {
        accounts.push(login(`t${team}/l${n}`));
        findings.push(chain(`t${team}/l${n}`, `t${team}/mailbox`, team % 3 === 0 ? 'critical' : 'medium'));
        if (n % 4 === 0) findings.push(own(`t${team}/l${n}`, 'high'));
      }
    }
    const { actions, rootActionOf, exposed } = rootCauses(accounts, findings, undefined);
    const byId = new Map(actions.map((action) => [action.id, action]));
    const severityOf = new Map(findings.map((found) => [found.id, found.severity]));

    expect(exposed.size).toBe(25 * 8);
    for (const login of exposed) expect(byId.has(`fix:${login}`)).toBe(false);
    for (const [findingId, root] of rootActionOf) {
      const rootSeverity = byId.get(root)?.severity;
      expect(rootSeverity).toBeDefined();
      expect(['critical', 'high', 'medium', 'low', 'info'].indexOf(rootSeverity as string)).toBeLessThanOrEqual(
        ['critical', 'high', 'medium', 'low', 'info'].indexOf(severityOf.get(findingId) as string),
      );
    }
    expect(actions.filter((action) => action.exposes.length === 11)).toHaveLength(25);
    // The critical mailboxes first: each removes a critical finding on twelve logins.
    expect(actions.slice(0, 9).every((action) => action.account.endsWith('/mailbox'))).toBe(true);
  });
});

describe('Function: stepsText', () => {
  it('names one step per platform page: a breached, weak and shared password need one new password', () => {
    expect(stepsText([own('a', 'critical'), reused('a', 'g'), own('a', 'critical', 'mfa')])).toBe(
      'change its password and turn on a second factor',
    );
  });
});
