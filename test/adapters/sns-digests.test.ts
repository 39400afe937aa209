import { MAX_SMS_LENGTH, ownerDigests, UNOWNED } from '../../lambdas/adapters/sns/sns-digests';
import { finding } from '../../lambdas/core/finding';
import type { FindingState } from '../../lambdas/core/lifecycle/lifecycle-state';
import { buildReport, type Report } from '../../lambdas/core/report/report';
import type { AccountResult } from '../../lambdas/core/scan';
import type { Severity } from '../../lambdas/core/severity';
import { runCli } from '../support/run-cli';

const account = (id: string, owner: string | null): AccountResult => ({
  id,
  platform: 'x.com',
  owner,
  status: 'at-risk',
  worstSeverity: 'high',
  checks: {},
});
const problem = (accountId: string, severity: Severity, kind: string, title = 'A problem', detail = 'Detail.') =>
  finding({ accountId, check: 'mfa', kind, severity, title, detail, remediation: 'Fix it.' });

function reportOf(accounts: AccountResult[], findings: ReturnType<typeof problem>[]) {
  return buildReport({ accounts, findings }, new Date('2026-06-01T06:00:00Z'));
}

describe('Function: ownerDigests', () => {
  const report = reportOf(
    [
      account('press/x', 'press'),
      account('press/fb', 'press'),
      account('digital/ig', 'digital'),
      account('lost/li', null),
    ],
    [
      problem('press/x', 'critical', 'disabled', 'Two-factor authentication is off'),
      problem('digital/ig', 'high', 'invalid-totp'),
      problem('press/fb', 'medium', 'stale-attestation'),
      problem('lost/li', 'medium', 'no-evidence'),
    ],
  );

  it('sends one digest per owner, with the worst severity and the checks, and unowned findings apart', () => {
    const digests = ownerDigests(report, { family: 'mfa-status' });

    expect(digests.map((digest) => [digest.owner, digest.worstSeverity, digest.findings, digest.checks])).toEqual([
      ['press', 'critical', 2, ['mfa']],
      ['digital', 'high', 1, ['mfa']],
      [UNOWNED, 'medium', 1, ['mfa']],
    ]);
  });

  it('prints ids, owners and text in the email as they are, never obeying an escape or a reordering character', () => {
    const hostile = reportOf(
      [account('press/\u202ex', 'press\u2066')],
      [problem('press/\u202ex', 'high', 'no-evidence', 'Title \u001b[2J', 'Detail \u200b.')],
    );
    const [digest] = ownerDigests(hostile, { family: 'mfa-status' });
    const { email } = JSON.parse(digest?.message ?? '{}') as { email: string };

    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
    expect(email).not.toMatch(/[\u001b\u200b\u202e\u2066]/);
    expect(email).toContain('press/\\u{202e}x');
    expect(email).toContain('Title \\u{1b}[2J');
  });

  it('writes an email body with every finding and its remediation, worst first', () => {
    const [press] = ownerDigests(report, { family: 'mfa-status' });
    const { email, sms, default: plain } = JSON.parse(press?.message ?? '{}');

    expect(press?.subject).toBe('credential-hygiene: 2 findings for press, worst critical');
    expect(email).toContain(
      'credential-hygiene found 2 findings needing attention on logins owned by press (worst: CRITICAL).',
    );
    expect(email).toContain('Check run: mfa-status, 2026-06-01T06:00:00.000Z.');
    expect(email.indexOf('1. CRITICAL: press/x (x.com)')).toBeLessThan(email.indexOf('2. MEDIUM: press/fb (x.com)'));
    expect(email.match(/What to do: Fix it\./g)).toHaveLength(2);
    expect(sms).toBe('credential-hygiene: CRITICAL Fix press/x: turn on a second factor. +1 more to do, see email.');
    expect(plain.startsWith(press?.subject)).toBe(true);
  });

  it('keeps the SMS within one segment and the subject within SNS limits, in ASCII', () => {
    const longId = `press/${'very-long-account-name-'.repeat(6)}`;
    const digests = ownerDigests(
      reportOf(
        [account(longId, 'päss-öffice\nteam')],
        [problem(longId, 'high', 'x', 'A title — with non-ASCII and much more text '.repeat(4))],
      ),
      { family: 'mfa-status' },
    );
    const { sms } = JSON.parse(digests[0]?.message ?? '{}');

    expect(sms.length).toBeLessThanOrEqual(MAX_SMS_LENGTH);
    expect(sms).toMatch(/^credential-hygiene: HIGH Fix press\/very-long/);
    expect(digests[0]?.subject.length).toBeLessThan(100);
    expect(`${sms}${digests[0]?.subject}`).toMatch(/^[\x20-\x7e]*$/);
  });

  it('splits a digest too large for one message into numbered parts, losing no finding', () => {
    const many = Array.from({ length: 40 }, (_, index) =>
      problem('press/x', 'high', `k${index}`, `Finding ${index}`, 'x'.repeat(2000)),
    );
    const digests = ownerDigests(reportOf([account('press/x', 'press')], many), {
      family: 'r',
      maxMessageBytes: 20_000,
    });

    expect(digests.length).toBeGreaterThan(1);
    expect(digests.map((digest) => [digest.part, digest.parts])).toEqual(
      digests.map((_, index) => [index + 1, digests.length]),
    );
    for (const digest of digests) {
      expect(Buffer.byteLength(digest.message)).toBeLessThanOrEqual(20_000);
      expect(digest.subject).toContain(`(part ${digest.part} of ${digests.length})`);
    }
    const emails = digests.map((digest) => JSON.parse(digest.message).email as string).join('\n');
    for (let index = 0; index < 40; index++) expect(emails).toContain(`   Finding ${index}\n`);
    expect(digests.reduce((sum, digest) => sum + digest.findings, 0)).toBe(40);
  });

  it('with lifecycle changes, sends only what is new, worse or due a reminder, labelled, and what was fixed', () => {
    const fixed: FindingState = {
      id: 'press/li#ownership:missing-owner',
      accountId: 'press/li',
      check: 'ownership',
      owner: 'press',
      title: 'Nobody owns this login',
      severity: 'medium',
      status: 'resolved',
      firstSeen: '2026-05-01T00:00:00.000Z',
      lastSeen: '2026-05-31T00:00:00.000Z',
      resolvedAt: '2026-06-01T06:00:00.000Z',
    };
    const changes = new Map([
      ['press/x#mfa:disabled', 'worsened' as const],
      ['digital/ig#mfa:invalid-totp', 'unchanged' as const],
      ['press/fb#mfa:stale-attestation', 'reminded' as const],
      ['lost/li#mfa:no-evidence', 'unchanged' as const],
    ]);

    const digests = ownerDigests(report, { family: 'mfa-status', changes, resolved: [fixed] });

    expect(digests.map((digest) => [digest.owner, digest.findings, digest.fixed])).toEqual([['press', 2, 1]]);
    const { email } = JSON.parse(digests[0]?.message ?? '{}');
    expect(email).toContain('1. CRITICAL (worse than before): press/x (x.com)');
    expect(email).toContain('2. MEDIUM (reminder): press/fb (x.com)');
    expect(email).toContain('Fixed since the last run:\n- press/li: Nobody owns this login (ownership)');
    expect(digests[0]?.subject).toBe('credential-hygiene: 2 findings for press, worst critical; 1 fixed');
  });

  it('tells an owner whose findings were all fixed, without an SMS-worthy severity', () => {
    const fixed = {
      ...({} as FindingState),
      id: 'a#mfa:disabled',
      accountId: 'press/x',
      check: 'mfa',
      owner: 'press',
      title: 'Two-factor authentication is off',
    } as FindingState;

    const [digest] = ownerDigests(reportOf([account('press/x', 'press')], []), {
      family: 'r',
      changes: new Map(),
      resolved: [fixed],
    });

    expect(digest).toMatchObject({
      owner: 'press',
      worstSeverity: 'info',
      findings: 0,
      fixed: 1,
      subject: 'credential-hygiene: 1 fixed for press',
    });
    expect(JSON.parse(digest?.message ?? '{}').sms).toBe(
      'credential-hygiene: 1 fixed for press. Nothing new needs attention.',
    );
  });

  it('sends nothing when there are no findings', () => {
    expect(ownerDigests(reportOf([account('a', 'press')], []), { family: 'r' })).toEqual([]);
  });
});

describe('Function: ownerDigests, with accepted risks', () => {
  const acceptance = { reason: 'vendor migration in spring', acceptedBy: 'Head of Digital', expires: '2026-05-31' };
  const open = problem('press/x', 'high', 'no-evidence', 'No evidence of a second factor');
  const accepted = {
    ...problem('press/fb', 'medium', 'unavailable', 'Platform offers no second factor'),
    accepted: acceptance,
  };
  const email = (digest: { message: string } | undefined) => JSON.parse(digest?.message ?? '{}').email as string;

  it('tells no one of an accepted finding', () => {
    const report = reportOf([account('press/x', 'press'), account('press/fb', 'press')], [open, accepted]);

    const digests = ownerDigests(report, { family: 'mfa-status' });

    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ findings: 1, ending: 0 });
    expect(email(digests[0])).not.toContain('Platform offers no second factor');
  });

  it('says whose acceptance expired, and when, on a reopened finding', () => {
    const report = reportOf([account('press/x', 'press')], [open]);

    const [digest] = ownerDigests(report, {
      family: 'mfa-status',
      changes: new Map([[open.id, 'reopened']]),
      reopened: new Map([[open.id, acceptance]]),
    });

    expect(email(digest)).toContain('1. HIGH (acceptance ended): press/x (x.com)');
    expect(email(digest)).toContain(
      'The acceptance of this finding by Head of Digital ("vendor migration in spring") expired on 2026-05-31: it needs attention again.',
    );
  });

  it('lists acceptances ending soon, with who and until when, in a digest of their own when nothing else is new', () => {
    const report = reportOf(
      [account('press/fb', 'press')],
      [{ ...accepted, accepted: { ...acceptance, expires: '2026-06-10' } }],
    );

    const [digest, ...others] = ownerDigests(report, {
      family: 'mfa-status',
      changes: new Map([[accepted.id, 'accepted']]),
      ending: [{ ...accepted, accepted: { ...acceptance, expires: '2026-06-10' } }],
    });

    expect(others).toEqual([]);
    expect(digest).toMatchObject({ worstSeverity: 'info', findings: 0, ending: 1, checks: ['mfa'] });
    expect(digest?.subject).toBe('credential-hygiene: 1 acceptance ending soon for press');
    expect(email(digest)).toContain(
      '- press/fb: Platform offers no second factor (mfa), accepted by Head of Digital until 2026-06-10: vendor migration in spring',
    );
  });
});

describe('Function: ownerDigests, root causes first', () => {
  // The bundled example's shape: a breached shared mailbox without a second factor can reset the X account (same
  // owner) and Instagram (another owner's).
  const chainTo = (accountId: string) =>
    finding({
      accountId,
      check: 'recovery',
      kind: 'exposed-chain',
      severity: 'critical',
      title: 'Can be taken over through another login',
      detail: 'Whoever holds press/mailbox can reset this login.',
      remediation: 'Fix press/mailbox first.',
      evidence: {
        fixFirst: 'press/mailbox',
        chains: [{ logins: [accountId, 'press/mailbox'] }],
        worstExposure: 'critical',
      },
    });
  const accounts = [
    { ...account('press/mailbox', 'press'), exposesCount: 2 },
    account('press/x', 'press'),
    account('digital/ig', 'digital'),
  ];
  const findings = [
    finding({
      accountId: 'press/mailbox',
      check: 'breached-password',
      kind: 'breached',
      severity: 'critical',
      title: 'Password appears in a breach corpus',
      detail: 'Seen.',
      remediation: 'Change it.',
      link: 'https://account.live.com/password/change',
    }),
    chainTo('press/x'),
    chainTo('digital/ig'),
    problem('digital/ig', 'high', 'invalid-totp', 'Stored TOTP seed does not work'),
  ];
  const report = buildReport({ accounts, findings }, new Date('2026-06-01T06:00:00Z'));
  const bodies = (options: Parameters<typeof ownerDigests>[1]) =>
    Object.fromEntries(
      ownerDigests(report, options).map((digest) => [
        digest.owner,
        { ...digest, ...(JSON.parse(digest.message) as { email: string; sms: string }) },
      ]),
    );

  it("leads the mailbox owner's email and SMS with fixing the mailbox, naming the logins it exposes and its page", () => {
    const { press } = bodies({ family: 'breach-exposure' });
    const email = press?.email ?? '';

    expect(press?.sms).toMatch(/^credential-hygiene: CRITICAL Fix press\/mailbox: change its password\./);
    expect(email.indexOf('What to do first')).toBeLessThan(email.indexOf('The findings:'));
    expect(email).toContain('1. CRITICAL Fix press/mailbox: change its password (owner: press)');
    expect(email).toContain('It fixes 3 findings, on it and on the 2 logins it exposes: digital/ig, press/x.');
    expect(email).toContain('Where: https://account.live.com/password/change');
    // The X account's chain is the same owner's: it points to the step that ends it, and is not told in full again.
    expect(email).toMatch(
      /CRITICAL: press\/x \(x\.com\)\n {3}Can be taken over through another login: fixed when press\/mailbox is fixed \(step 1 above\)\./,
    );
  });

  it("tells another owner their login waits on the mailbox's fix, without counting it as their own critical", () => {
    const { digital } = bodies({ family: 'breach-exposure' });

    expect(digital?.worstSeverity).toBe('high');
    expect(digital?.findings).toBe(1);
    expect(digital?.email).toContain(
      '- digital/ig: Can be taken over through another login (critical): fixed when press/mailbox is fixed, owned by press.',
    );
    expect(digital?.sms).toMatch(/^credential-hygiene: HIGH Fix digital\/ig: re-enrol its authenticator/);
  });

  it('does not remind an owner of a finding that waits on another owner while its root is open', () => {
    const changes = new Map(findings.map((found) => [found.id, 'reminded' as const]));
    const { digital } = bodies({ family: 'breach-exposure', changes });

    expect(digital?.email).not.toContain('waiting on another owner');
    expect(digital?.findings).toBe(1);
  });
});

describe('Function: ownerDigests, on the bundled example', () => {
  it("leads press-office's digest with fixing press-office/mailbox, and tells digital-team its Instagram waits on it", async () => {
    const { stdout } = await runCli([
      'scan',
      '--inventory',
      'examples/inventory.json',
      '--pwned-passwords',
      'examples/pwned-passwords.txt',
      '--now',
      '2026-11-24',
      '--format',
      'json',
    ]);
    const digests = ownerDigests(JSON.parse(stdout) as Report, { family: 'cli' });
    const body = (owner: string) =>
      JSON.parse(digests.find((digest) => digest.owner === owner)?.message ?? '{}') as { email: string; sms: string };

    const press = body('press-office');
    expect(press.sms).toMatch(/^credential-hygiene: CRITICAL Fix press-office\/mailbox: /);
    const [, firstStep] = press.email.split('What to do first (each fixes the findings listed under it):\n\n');
    expect(firstStep).toMatch(
      /^1\. CRITICAL Fix press-office\/mailbox: .*\n {3}It fixes 10 findings, on it and on the 4 logins it exposes: press-office\/facebook, press-office\/instagram, press-office\/press-releases, press-office\/x\./,
    );
    expect(body('digital-team').email).toContain(
      '- press-office/instagram: Can be taken over through another login (critical): fixed when press-office/mailbox is fixed, owned by press-office.',
    );
  });
});
