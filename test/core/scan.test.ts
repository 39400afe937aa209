import { MFA_PROVIDER_DESCRIPTORS } from '../../lambdas/adapters/mfa-providers/descriptors';
import { ZxcvbnStrengthEstimator } from '../../lambdas/adapters/zxcvbn-strength-estimator';
import type { Check } from '../../lambdas/core/check';
import {
  ALL_CHECKS,
  breachedIdentityCheck,
  ownershipCheck,
  passwordAgeCheck,
  rotationCheck,
} from '../../lambdas/core/checks';
import {
  BreachLookupError,
  type BreachRangeSource,
  MfaLookupError,
  type MfaProviderAnswer,
  type MfaStatusSource,
} from '../../lambdas/core/evidence-sources';
import type { IdentityRecord } from '../../lambdas/core/lifecycle/lifecycle-state';
import { passwordFingerprint } from '../../lambdas/core/password-facts';
import { parsePolicy } from '../../lambdas/core/policy';
import { acceptanceLines, buildReport } from '../../lambdas/core/report/report';
import { type ScanRequest, scan } from '../../lambdas/core/scan';
import { randomPassword, sha1Hex } from '../support/passwords';

const NOW = new Date('2026-06-01T00:00:00Z');
const KEY = Buffer.alloc(32, 7);
const entry = (ref: string, value: unknown) => ({ ref, value });
const login = (id: string, extra: object = {}) => ({
  id,
  platform: 'x.com',
  owner: 'press-office',
  password: randomPassword(),
  passwordChangedAt: '2026-05-01',
  totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  ...extra,
});

/** A corpus in memory that records the prefixes it was asked for. */
class RecordingCorpus implements BreachRangeSource {
  readonly asked: string[] = [];
  constructor(
    private readonly breached: ReadonlyMap<string, number> = new Map(),
    private readonly failingPrefixes: ReadonlySet<string> = new Set(),
  ) {}
  async countsFor(prefix: string, suffixes: ReadonlySet<string>) {
    this.asked.push(prefix);
    if (this.failingPrefixes.has(prefix)) throw new BreachLookupError('HTTP 503 after 4 attempts');
    const counts = new Map<string, number>();
    for (const suffix of suffixes) {
      const count = this.breached.get(prefix + suffix);
      if (count) counts.set(suffix, count);
    }
    return counts;
  }
}

function request(entries: ScanRequest['entries'], overrides: Partial<ScanRequest> = {}): ScanRequest {
  return {
    entries,
    checks: ALL_CHECKS,
    now: NOW,
    fingerprintKey: KEY,
    breachSource: new RecordingCorpus(),
    strengthEstimator: new ZxcvbnStrengthEstimator(),
    // The providers this build knows, as the functions and the CLI pass them.
    mfaProviderCatalog: MFA_PROVIDER_DESCRIPTORS,
    ...overrides,
  };
}

describe('Function: scan', () => {
  it('passes a well-kept login on every check', async () => {
    const result = await scan(request([entry('inventory[0]', login('a'))]));

    expect(result.findings).toEqual([]);
    expect(result.accounts).toEqual([
      {
        id: 'a',
        platform: 'x.com',
        owner: 'press-office',
        status: 'ok',
        worstSeverity: null,
        mfaEvidence: 'vault',
        checks: {
          'breached-password': 'passed',
          'weak-password': 'passed',
          'reused-password': 'passed',
          'password-age': 'passed',
          rotation: 'passed',
          mfa: 'passed',
          ownership: 'passed',
          recovery: 'passed',
        },
      },
    ]);
  });

  it('reports a malformed entry as invalid-secret and still scans every other account', async () => {
    const result = await scan(
      request([
        entry('inventory[0]', login('a')),
        entry('inventory[1]', { id: 'broken', platform: 'x.com', password: 42 }),
        entry('inventory[2]', 'not an object'),
        entry('inventory[3]', login('c', { owner: undefined })),
      ]),
    );

    expect(result.accounts.map((account) => [account.id, account.status])).toEqual([
      ['a', 'ok'],
      ['broken', 'invalid'],
      ['inventory[2]', 'invalid'],
      ['c', 'at-risk'],
    ]);
    expect(result.findings.find((found) => found.accountId === 'broken')).toMatchObject({
      check: 'invalid-secret',
      severity: 'high',
      title: 'Entry cannot be read (password)',
      evidence: { ref: 'inventory[1]', problems: ['password: must be a string'] },
    });
  });

  it('reports a second entry with the same id under its position, leaving the first scanned', async () => {
    const result = await scan(request([entry('inventory[0]', login('a')), entry('inventory[1]', login('a'))]));

    expect(result.accounts.map((account) => [account.id, account.status])).toEqual([
      ['a', 'ok'],
      ['inventory[1]', 'invalid'],
    ]);
    expect(result.findings[0]?.detail).toContain('id: "a" is already used by inventory[0]');
  });

  it('asks the corpus once per prefix and only with 5-hex prefixes', async () => {
    const shared = randomPassword();
    const other = randomPassword();
    const corpus = new RecordingCorpus();
    await scan(
      request(
        [
          entry('inventory[0]', login('a', { password: shared })),
          entry('inventory[1]', login('b', { password: shared })),
          entry('inventory[2]', login('c', { password: other })),
        ],
        { breachSource: corpus },
      ),
    );

    expect([...corpus.asked].sort()).toEqual([sha1Hex(shared).slice(0, 5), sha1Hex(other).slice(0, 5)].sort());
  });

  it.each([
    [2, 2],
    [undefined, 16],
  ])(
    'keeps no more range lookups pending than the source serves at once (source says %s, so %s)',
    async (concurrency, expected) => {
      let pending = 0;
      let most = 0;
      const asked: string[] = [];
      const source: BreachRangeSource = {
        ...(concurrency !== undefined && { concurrency }),
        countsFor: async (prefix) => {
          asked.push(prefix);
          most = Math.max(most, ++pending);
          await new Promise((resolve) => setImmediate(resolve));
          pending -= 1;
          return new Map();
        },
      };
      const passwords = Array.from({ length: 40 }, () => randomPassword());

      await scan(
        request(
          passwords.map((password, index) => entry(`inventory[${index}]`, login(`login-${index}`, { password }))),
          { breachSource: source },
        ),
      );

      expect(most).toBe(expected);
      expect(new Set(asked)).toEqual(new Set(passwords.map((password) => sha1Hex(password).slice(0, 5))));
    },
  );

  it('reports a breached password as critical with its count', async () => {
    const password = randomPassword();
    const corpus = new RecordingCorpus(new Map([[sha1Hex(password), 812]]));

    const result = await scan(request([entry('inventory[0]', login('a', { password }))], { breachSource: corpus }));

    expect(result.findings).toEqual([
      expect.objectContaining({ check: 'breached-password', severity: 'critical', evidence: { breachCount: 812 } }),
    ]);
  });

  it('turns a failed breach lookup into a check-error for exactly the accounts under that prefix', async () => {
    const failing = randomPassword();
    const corpus = new RecordingCorpus(new Map(), new Set([sha1Hex(failing).slice(0, 5)]));

    const result = await scan(
      request([entry('inventory[0]', login('a', { password: failing })), entry('inventory[1]', login('b'))], {
        breachSource: corpus,
      }),
    );

    expect(result.findings).toEqual([
      expect.objectContaining({
        id: 'a#check-error:breached-password',
        check: 'check-error',
        severity: 'medium',
        evidence: { check: 'breached-password', reason: 'HTTP 503 after 4 attempts' },
      }),
    ]);
    expect(result.accounts.map((account) => [account.id, account.status, account.checks['breached-password']])).toEqual(
      [
        ['a', 'incomplete', 'error'],
        ['b', 'ok', 'passed'],
      ],
    );
  });

  it('reports check-errors, never passes, when no breach source or estimator is given', async () => {
    const result = await scan(
      request([entry('inventory[0]', login('a'))], { breachSource: undefined, strengthEstimator: undefined }),
    );

    expect(result.findings.map((found) => found.id).sort()).toEqual([
      'a#check-error:breached-password',
      'a#check-error:weak-password',
    ]);
  });

  it('in a spot check, says a reuse it could not see is undecided, never passed', async () => {
    const shared = randomPassword();
    const entries = [entry('inventory[0]', login('a', { password: shared }))];
    const checks = ALL_CHECKS.filter((check) => check.id === 'reused-password');

    const spot = await scan(request(entries, { checks, wholeEstate: false }));
    const whole = await scan(request(entries, { checks }));

    expect(spot.accounts[0]?.checks['reused-password']).toBe('pending');
    expect(spot.accounts[0]?.status).toBe('ok');
    expect(whole.accounts[0]?.checks['reused-password']).toBe('passed');
  });

  it('reports a check that emits a kind it does not declare as unable to run, never as its finding', async () => {
    const undeclared: Check = {
      id: 'ownership',
      kinds: { 'missing-owner': 'medium' },
      fixes: { 'missing-owner': { does: 'name its owner' } },
      run: () => [{ kind: 'made-up', title: 't', detail: 'd', remediation: 'r' }],
    };

    const result = await scan(request([entry('inventory[0]', login('a'))], { checks: [undeclared] }));

    expect(result.findings.map((found) => found.id)).toEqual(['a#check-error:ownership']);
  });

  it('reports a severity rule that gives a severity its kind does not declare as unable to run', async () => {
    const wayward: Check = {
      id: 'ownership',
      kinds: { 'missing-owner': { severities: ['low', 'medium'], rule: 'r', severityOf: () => 'critical' } },
      fixes: { 'missing-owner': { does: 'name its owner' } },
      run: () => [{ kind: 'missing-owner', title: 't', detail: 'd', remediation: 'r' }],
    };

    const result = await scan(request([entry('inventory[0]', login('a'))], { checks: [wayward] }));

    expect(result.findings.map((found) => found.id)).toEqual(['a#check-error:ownership']);
  });

  it('contains a check that throws unexpectedly to that check and account', async () => {
    const exploding: Check = {
      id: 'ownership',
      kinds: {},
      fixes: {},
      run() {
        throw new TypeError('boom with secret text');
      },
    };

    const result = await scan(request([entry('inventory[0]', login('a'))], { checks: [passwordAgeCheck, exploding] }));

    expect(result.findings).toEqual([
      expect.objectContaining({
        id: 'a#check-error:ownership',
        evidence: { check: 'ownership', reason: 'the check failed unexpectedly (TypeError)' },
      }),
    ]);
  });

  it('marks every member of a reuse group, symmetrically, whatever the key', async () => {
    const shared = randomPassword();
    const result = await scan(
      request([
        entry('inventory[0]', login('a', { password: shared })),
        entry('inventory[1]', login('b')),
        entry('inventory[2]', login('c', { password: shared })),
      ]),
    );

    const reuse = result.findings.filter((found) => found.check === 'reused-password');
    expect(reuse.map((found) => [found.accountId, found.evidence.sharedWith])).toEqual([
      ['a', ['c']],
      ['c', ['a']],
    ]);
    expect(JSON.stringify(result)).not.toContain(passwordFingerprint(KEY, shared));
  });

  it('applies severity overrides by check and by check:kind', async () => {
    const policy = parsePolicy({ severityOverrides: { ownership: 'low', 'password-age:unknown-age': 'info' } });

    const result = await scan(
      request([entry('inventory[0]', login('a', { owner: undefined, passwordChangedAt: undefined }))], {
        policy,
        checks: [ownershipCheck, passwordAgeCheck],
      }),
    );

    expect(result.findings.map((found) => [found.check, found.severity])).toEqual([
      ['ownership', 'low'],
      ['password-age', 'info'],
    ]);
  });

  it('applies severity overrides to unreadable entries too', async () => {
    const policy = parsePolicy({ severityOverrides: { 'invalid-secret': 'critical' } });

    const result = await scan(request([entry('inventory[0]', { id: 'a' })], { policy }));

    expect(result.findings.map((found) => found.severity)).toEqual(['critical']);
    expect(result.accounts[0]?.worstSeverity).toBe('critical');
  });

  it('orders findings worst first and runs only the checks it is given', async () => {
    const result = await scan(
      request([entry('inventory[0]', login('a', { owner: undefined, mfa: { status: 'disabled' }, totp: undefined }))], {
        checks: [ownershipCheck, ALL_CHECKS.find((check) => check.id === 'mfa') as Check],
      }),
    );

    expect(result.findings.map((found) => found.severity)).toEqual(['critical', 'medium']);
    expect(Object.keys(result.accounts[0]?.checks ?? {})).toEqual(['ownership', 'mfa']);
  });

  it('merges trusted facts over parsed fields and names the tag a bad field came from', async () => {
    const changed = new Date('2026-05-20T00:00:00Z');
    const result = await scan(
      request(
        [
          {
            ref: 'press/x',
            value: login('press/x', { passwordChangedAt: '2020-01-01' }),
            facts: { passwordChangedAt: changed, deletionScheduledAt: new Date('2026-06-10T00:00:00Z') },
          },
          {
            ref: 'press/y',
            value: login('press/y', { platform: 'not a domain' }),
            fieldSources: { platform: 'tag credential-hygiene:platform' },
          },
        ],
        { checks: [passwordAgeCheck, rotationCheck] },
      ),
    );

    expect(result.findings.map((found) => found.id)).toEqual([
      'press/y#invalid-secret:invalid',
      'press/x#rotation:scheduled-deletion',
    ]);
    expect(result.accounts[0]?.checks['password-age']).toBe('passed');
    expect(result.findings[0]?.evidence.problems).toEqual([
      'tag credential-hygiene:platform: must be a domain such as x.com',
    ]);
  });

  it('runs metadata checks on a secret whose value was not read, and check-errors the ones that need it', async () => {
    const { password: _unread, totp: _seed, ...metadataOnly } = login('press/x');

    const result = await scan(
      request([{ ref: 'press/x', value: metadataOnly, valueUnavailable: 'access denied' }], {
        checks: [passwordAgeCheck, ownershipCheck, ...ALL_CHECKS.filter((check) => check.id === 'breached-password')],
      }),
    );

    expect(result.accounts[0]?.checks).toEqual({
      'password-age': 'passed',
      ownership: 'passed',
      'breached-password': 'error',
    });
    expect(result.findings).toEqual([
      expect.objectContaining({
        id: 'press/x#check-error:breached-password',
        evidence: { check: 'breached-password', reason: 'the secret value could not be used: access denied' },
      }),
    ]);
  });

  it('with password history, scores only passwords that changed, or whose account words changed', async () => {
    const scored: string[] = [];
    const counting = {
      estimate: (password: string) => {
        scored.push(password);
        return { score: 4 as const };
      },
    };
    const [a, b, c] = [login('a'), login('b'), login('c')];
    const entries = () => [entry('inventory[0]', a), entry('inventory[1]', b), entry('inventory[2]', c)];
    const first = await scan(request(entries(), { strengthEstimator: counting, passwordHistory: new Map() }));
    const history = new Map(first.passwordRecords.map((record) => [record.accountId, record]));
    scored.length = 0;

    b.password = randomPassword();
    (c as { username?: string }).username = 'renamed-account';
    const second = await scan(request(entries(), { strengthEstimator: counting, passwordHistory: history }));

    expect(scored.sort()).toEqual([b.password, c.password].sort());
    expect(second.accounts.map((account) => account.checks['weak-password'])).toEqual(['passed', 'passed', 'passed']);
    expect(second.passwordRecords.every((record) => record.strength?.score === 4)).toBe(true);
  });

  it('revalidates remembered ranges: an unchanged range keeps its counts, a changed one is read again', async () => {
    const breached = randomPassword();
    const clean = randomPassword();
    let version = 'v1';
    const asked: (string | undefined)[] = [];
    const versioned: BreachRangeSource = {
      countsFor: async () => new Map(),
      countsSince: async (prefix, suffixes, etag) => {
        asked.push(etag);
        if (etag === version) return { unchanged: true };
        const counts = new Map(
          [...suffixes].filter((suffix) => prefix + suffix === sha1Hex(breached)).map((suffix) => [suffix, 70]),
        );
        return { counts, etag: version };
      },
    };
    const entries = [
      entry('inventory[0]', login('a', { password: breached })),
      entry('inventory[1]', login('b', { password: clean })),
    ];
    const checks = ALL_CHECKS.filter((check) => check.id === 'breached-password');
    const first = await scan(request(entries, { breachSource: versioned, checks, passwordHistory: new Map() }));
    const history = new Map(first.passwordRecords.map((record) => [record.accountId, record]));

    const second = await scan(request(entries, { breachSource: versioned, checks, passwordHistory: history }));
    version = 'v2';
    const third = await scan(request(entries, { breachSource: versioned, checks, passwordHistory: history }));

    expect(asked).toEqual([undefined, undefined, 'v1', 'v1', 'v1', 'v1']);
    for (const result of [first, second, third]) {
      expect(result.findings.map((found) => [found.accountId, found.evidence])).toEqual([['a', { breachCount: 70 }]]);
    }
    expect(third.passwordRecords.map((record) => record.breach?.etag)).toEqual(['v2', 'v2']);
  });

  it('checks identities in rotation: least recently checked first, remembered ones kept, new ones pending', async () => {
    const asked: string[][] = [];
    let run: string[] = [];
    const source = {
      name: 'a breach source',
      breachesFor: async (identity: string) => {
        run.push(identity);
        return identity === 'c@example.org'
          ? [
              {
                name: 'Leak',
                addedDate: new Date('2026-05-20T00:00:00Z'),
                exposedPasswords: true,
              },
            ]
          : [];
      },
    };
    const entries = ['a', 'b', 'c', 'd', 'e'].map((name, index) =>
      entry(`inventory[${index}]`, login(name, { email: `${name}@example.org` })),
    );
    const identityCheck = ALL_CHECKS.find((check) => check.id === 'password-age') as Check;
    const checks = [identityCheck, breachedIdentityCheck];
    let history = new Map<string, IdentityRecord>();
    const results = [];
    for (let day = 0; day < 3; day++) {
      run = [];
      const result = await scan(
        request(entries, {
          checks,
          identitySource: source,
          identityBudget: 2,
          identityHistory: history,
          now: new Date(NOW.getTime() + day * 86_400_000),
        }),
      );
      asked.push(run.sort());
      history = new Map([...history, ...result.identityRecords.map((record) => [record.fingerprint, record] as const)]);
      results.push(result);
    }

    expect(asked).toEqual([
      ['a@example.org', 'b@example.org'],
      ['c@example.org', 'd@example.org'],
      ['a@example.org', 'e@example.org'],
    ]);
    expect(results[0]?.identityCoverage).toEqual({
      identities: 5,
      lookedUp: 2,
      fromMemory: 0,
      notYetChecked: 3,
      runsToCoverAll: 3,
    });
    // Not reached yet is coverage, not a finding: nothing is announced now to be "fixed" on the next run.
    expect(results[0]?.findings.filter((found) => found.check === 'check-error')).toEqual([]);
    expect(
      results[0]?.accounts.filter((account) => account.checks['breached-identity'] === 'pending').map((a) => a.id),
    ).toEqual(['c', 'd', 'e']);
    expect(results[0]?.accounts.find((account) => account.id === 'c')?.status).toBe('ok');
    expect(results[1]?.findings.map((found) => found.id)).toEqual(['c#breached-identity:since-last-change']);
    expect(results[2]?.identityCoverage).toMatchObject({ lookedUp: 2, fromMemory: 3, notYetChecked: 0 });
    expect(results[2]?.findings.map((found) => found.id)).toEqual(['c#breached-identity:since-last-change']);
    expect(JSON.stringify([...history.values()])).not.toContain('@example.org');
  });

  it("states the strength of each account's MFA evidence, and counts them in the report", async () => {
    const { totp: _seed, ...noSeed } = login('x');
    const result = await scan(
      request(
        [
          entry('inventory[0]', login('vault')),
          entry('inventory[1]', { ...noSeed, id: 'attested', mfa: { status: 'enabled', attestedAt: '2026-05-20' } }),
          entry('inventory[2]', { ...noSeed, id: 'stale', mfa: { status: 'enabled', attestedAt: '2024-01-01' } }),
          entry('inventory[3]', { ...noSeed, id: 'none' }),
        ],
        { checks: ALL_CHECKS.filter((check) => check.id === 'mfa') },
      ),
    );

    expect(result.accounts.map((account) => [account.id, account.mfaEvidence])).toEqual([
      ['vault', 'vault'],
      ['attested', 'attested'],
      ['stale', 'attested'],
      ['none', 'none'],
    ]);
    expect(buildReport(result, NOW).summary.byMfaEvidence).toEqual({ vault: 1, attested: 2, none: 1 });
  });

  describe('with MFA providers', () => {
    /** A provider in memory that records who it was asked about. */
    const provider = (id: MfaStatusSource['id'], answers: Record<string, MfaProviderAnswer | Error>) => {
      const asked: string[] = [];
      const source: MfaStatusSource = {
        id,
        async statusOf(user) {
          asked.push(user);
          const answer = answers[user];
          if (answer === undefined) throw new MfaLookupError('it has no such user (404)');
          if (answer instanceof Error) throw answer;
          return answer;
        },
      };
      return { source, asked };
    };
    const mfaOnly = ALL_CHECKS.filter((check) => check.id === 'mfa');
    const mailbox = (id: string, extra: object) => login(id, { platform: 'gmail.com', totp: undefined, ...extra });

    it("asks the platform's provider once per user, and reports the evidence as verified", async () => {
      const google = provider('google-workspace', {
        'press@example.org': { enrolled: true, enforced: true },
        'desk@example.org': { enrolled: false },
      });
      const result = await scan(
        request(
          [
            entry('inventory[0]', mailbox('press', { email: 'press@example.org' })),
            entry('inventory[1]', mailbox('press-alias', { username: 'press@example.org' })),
            entry('inventory[2]', mailbox('desk', { email: 'desk@example.org' })),
          ],
          { checks: mfaOnly, mfaProviders: [google.source] },
        ),
      );

      expect(google.asked.sort()).toEqual(['desk@example.org', 'press@example.org']);
      expect(result.findings.map((found) => [found.id, found.severity])).toEqual([
        ['desk#mfa:not-enrolled', 'critical'],
      ]);
      expect(result.accounts.map((account) => account.mfaEvidence)).toEqual(['verified', 'verified', 'verified']);
      expect(buildReport(result, NOW).summary.byMfaEvidence).toEqual({ verified: 3 });
    });

    it('takes the provider an account names over its platform, and none opts out', async () => {
      const iam = provider('aws-iam', { 'press-console': { enrolled: true } });
      const google = provider('google-workspace', {});
      const result = await scan(
        request(
          [
            entry('inventory[0]', login('console', { username: 'press-console', mfaProvider: 'aws-iam' })),
            entry('inventory[1]', mailbox('personal', { email: 'someone@gmail.com', mfaProvider: 'none' })),
          ],
          { checks: mfaOnly, mfaProviders: [iam.source, google.source] },
        ),
      );

      expect(iam.asked).toEqual(['press-console']);
      expect(google.asked).toEqual([]);
      expect(result.accounts.map((account) => account.mfaEvidence)).toEqual(['verified', 'none']);
    });

    it("falls back to the vault where the platform's provider is not configured", async () => {
      const result = await scan(
        request([entry('inventory[0]', login('mail', { platform: 'gmail.com' }))], { checks: mfaOnly }),
      );

      expect(result.findings).toEqual([]);
      expect(result.accounts[0]?.mfaEvidence).toBe('vault');
    });

    it('reports a check-error, never a pass, when the provider cannot answer or cannot be asked', async () => {
      const google = provider('google-workspace', { 'down@example.org': new Error('socket hang up') });
      const result = await scan(
        request(
          [
            entry('inventory[0]', mailbox('missing', { email: 'missing@example.org' })),
            entry('inventory[1]', mailbox('down', { email: 'down@example.org' })),
            entry('inventory[2]', mailbox('no-address', { username: 'press-desk' })),
            entry('inventory[3]', login('unconfigured', { mfaProvider: 'microsoft-entra', email: 'a@example.org' })),
          ],
          { checks: mfaOnly, mfaProviders: [google.source] },
        ),
      );

      expect(result.accounts.map((account) => [account.id, account.status, account.mfaEvidence])).toEqual([
        ['missing', 'incomplete', undefined],
        ['down', 'incomplete', undefined],
        ['no-address', 'incomplete', undefined],
        ['unconfigured', 'incomplete', undefined],
      ]);
      expect(Object.fromEntries(result.findings.map((found) => [found.accountId, found.evidence.reason]))).toEqual({
        missing: 'Google Workspace could not say whether MFA is on: it has no such user (404)',
        down: 'Google Workspace could not say whether MFA is on: the lookup failed unexpectedly (Error)',
        'no-address':
          "Google Workspace could not say whether MFA is on: Google Workspace needs the account's email (or a username that is an address) to look it up",
        unconfigured:
          'Microsoft Entra ID could not say whether MFA is on: the Microsoft Entra ID MFA provider is not configured',
      });
    });
  });

  it('reports progress through each phase', async () => {
    const phases = new Set<string>();
    await scan(request([entry('inventory[0]', login('a'))], { onProgress: (progress) => phases.add(progress.phase) }));

    expect([...phases].sort()).toEqual(['breach', 'checks']);
  });
});

describe('Function: scan, with accepted risks', () => {
  const noMfa = (id: string) => login(id, { platform: 'newswire.example', totp: undefined });
  const policy = parsePolicy(
    {
      platforms: [{ domain: 'newswire.example', name: 'Newswire', mfa: [] }],
      exceptions: [
        {
          account: 'press-office/press-releases',
          check: 'mfa:unavailable',
          reason: 'the service offers no second factor',
          acceptedBy: 'Head of Digital',
          expires: '2026-09-30',
        },
        {
          account: 'digital/*',
          check: 'mfa',
          reason: 'team being wound down',
          acceptedBy: 'Head of Digital',
          expires: '2026-06-30',
        },
      ],
    },
    { now: NOW },
  );

  it('keeps an accepted finding in the report, apart: it puts no account at risk and is not counted', async () => {
    const result = await scan(
      request(
        [
          entry('inventory[0]', noMfa('press-office/press-releases')),
          entry('inventory[1]', noMfa('press-office/wire')),
        ],
        {
          checks: ALL_CHECKS.filter((check) => check.id === 'mfa'),
          policy,
        },
      ),
    );
    const report = buildReport(result, NOW);

    const byId = new Map(result.accounts.map((account) => [account.id, account]));
    expect(byId.get('press-office/press-releases')).toMatchObject({
      status: 'ok',
      worstSeverity: null,
      checks: { mfa: 'accepted' },
    });
    expect(byId.get('press-office/wire')).toMatchObject({ status: 'at-risk', checks: { mfa: 'failed' } });
    expect(result.findings.find((found) => found.accountId === 'press-office/press-releases')?.accepted).toEqual({
      reason: 'the service offers no second factor',
      acceptedBy: 'Head of Digital',
      expires: '2026-09-30',
    });
    expect(report.summary).toMatchObject({ findings: 1, accepted: 1, bySeverity: { medium: 1 } });
    expect(report.exceptions?.map(({ account, matched, stale }) => ({ account, matched, stale }))).toEqual([
      {
        account: 'press-office/press-releases',
        matched: ['press-office/press-releases#mfa:unavailable'],
        stale: false,
      },
      { account: 'digital/*', matched: [], stale: true },
    ]);
  });

  it('accepts a finding only within the cap for the severity it has now, naming the exception over its cap', async () => {
    const changedDaysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
    const agePolicy = parsePolicy(
      {
        exceptions: [
          {
            account: 'press-office/*',
            check: 'password-age:too-old',
            reason: 'the vendor locks the account on a password change until its migration',
            acceptedBy: 'Head of Digital',
            expires: '2027-03-28',
          },
        ],
      },
      { now: NOW },
    );
    const result = await scan(
      request(
        [
          entry('inventory[0]', login('press-office/medium', { passwordChangedAt: changedDaysAgo(200) })),
          entry('inventory[1]', login('press-office/high', { passwordChangedAt: changedDaysAgo(400) })),
        ],
        { checks: ALL_CHECKS.filter((check) => check.id === 'password-age'), policy: agePolicy },
      ),
    );
    const report = buildReport(result, NOW);

    expect(result.findings.map((found) => [found.id, found.severity, found.accepted !== undefined])).toEqual([
      ['press-office/high#password-age:too-old', 'high', false],
      ['press-office/medium#password-age:too-old', 'medium', true],
    ]);
    expect(result.exceptions).toEqual([
      expect.objectContaining({
        matched: ['press-office/medium#password-age:too-old'],
        overCap: [{ finding: 'press-office/high#password-age:too-old', severity: 'high', maxDays: 90 }],
        stale: false,
      }),
    ]);
    expect(acceptanceLines(report, (text) => text).exceptions).toEqual([
      'Over its cap: press-office/* password-age:too-old (accepted by Head of Digital) holds until 2027-03-28, longer than a high finding may be accepted (90 days, exceptionMaxDays.high); press-office/high#password-age:too-old stays open: shorten it, or fix it',
    ]);
    expect(report.summary).toMatchObject({ accepted: 1, bySeverity: { high: 1 } });
  });

  it('calls no exception stale in a spot check, which did not see every account', async () => {
    const result = await scan(
      request([entry('inventory[0]', noMfa('press-office/wire'))], {
        checks: ALL_CHECKS.filter((check) => check.id === 'mfa'),
        policy,
        wholeEstate: false,
      }),
    );

    expect(result.exceptions.map((outcome) => outcome.stale)).toEqual([false, false]);
  });
});

describe('Function: scan, the estate phase', () => {
  it("judges a takeover chain by what other runs know of a link (another function's MFA verdict)", async () => {
    const entries = [
      entry('inventory[0]', login('press/mailbox', { platform: 'outlook.com', username: 'press@northshire.example' })),
      entry('inventory[1]', login('press/x', { email: 'press@northshire.example' })),
    ];
    const checks = ALL_CHECKS.filter((check) => ['breached-password', 'recovery'].includes(check.id));
    const mfaOff = {
      id: 'press/mailbox#mfa:disabled',
      accountId: 'press/mailbox',
      check: 'mfa',
      owner: 'press-office',
      title: 'Two-factor authentication is off',
      severity: 'critical',
      status: 'open',
      firstSeen: '2026-05-01T00:00:00.000Z',
      lastSeen: '2026-05-01T00:00:00.000Z',
    } as const;

    const unknown = await scan(request(entries, { checks }));
    const known = await scan(request(entries, { checks, knownFindings: [mfaOff] }));

    expect(unknown.findings.map((found) => found.id)).toEqual([]);
    expect(known.findings.map((found) => [found.id, found.severity, found.evidence.links])).toEqual([
      ['press/x#recovery:exposed-chain', 'critical', ['press/mailbox: mfa:disabled (critical)']],
    ]);
    // What other runs know judges the chain; it is not reported again as this run's own finding.
    expect(known.accounts.find((account) => account.id === 'press/mailbox')?.checks).not.toHaveProperty('mfa');
  });
});

describe('Function: scan, takeover paths', () => {
  const breached = randomPassword();
  const corpus = new RecordingCorpus(new Map([[sha1Hex(breached), 42]]));
  const recoveryChecks = ALL_CHECKS.filter((check) => ['breached-password', 'recovery'].includes(check.id));
  const scanned = (entries: ScanRequest['entries'], overrides: Partial<ScanRequest> = {}) =>
    scan(request(entries, { checks: recoveryChecks, breachSource: corpus, ...overrides }));
  const outcome = (result: Awaited<ReturnType<typeof scan>>, id: string) =>
    result.accounts.find((account) => account.id === id)?.checks.recovery;

  it('finds a login five resets away from a breached mailbox exposed, never passed', async () => {
    const mailboxes = Array.from({ length: 5 }, (_, index) =>
      entry(
        `inventory[${index}]`,
        login(`m${index}`, {
          platform: 'outlook.com',
          username: `m${index}@northshire.example`,
          recoveryEmail: `m${index + 1}@northshire.example`,
          ...(index === 4 && { password: breached }),
        }),
      ),
    );

    const result = await scanned([...mailboxes, entry('inventory[5]', login('x', { email: 'm0@northshire.example' }))]);

    expect(outcome(result, 'x')).toBe('failed');
    expect(result.findings.find((found) => found.id === 'x#recovery:exposed-chain')).toMatchObject({
      severity: 'critical',
      evidence: { fixFirst: 'm4', chains: [{ logins: ['x', 'm0', 'm1', 'm2', 'm3', 'm4'] }] },
    });
  });

  it('knows the Gmail addresses that are one mailbox: dots and googlemail.com', async () => {
    const result = await scanned([
      entry(
        'inventory[0]',
        login('press/gmail', { platform: 'gmail.com', username: 'northshirepress@gmail.com', password: breached }),
      ),
      entry('inventory[1]', login('press/x', { email: 'northshire.press@gmail.com' })),
      entry('inventory[2]', login('press/bluesky', { platform: 'bsky.app', email: 'NorthshirePress@googlemail.com' })),
    ]);

    expect(outcome(result, 'press/x')).toBe('failed');
    expect(outcome(result, 'press/bluesky')).toBe('failed');
    expect(result.accounts.find((account) => account.id === 'press/gmail')).toMatchObject({ exposesCount: 2 });
  });

  it("counts the Unicode spelling of the organisation's IDN domain as the organisation's", async () => {
    const policy = parsePolicy({ organisationDomains: ['xn--polizei-mnchen-osb.example'] });
    const result = await scanned(
      [entry('inventory[0]', login('press/x', { recoveryEmail: 'presse@polizei-münchen.example' }))],
      { policy },
    );
    const unicodePolicy = parsePolicy({ organisationDomains: ['Polizei-München.example'] });
    const punycodeRecovery = await scanned(
      [entry('inventory[0]', login('press/x', { recoveryEmail: 'presse@xn--polizei-mnchen-osb.example' }))],
      { policy: unicodePolicy },
    );

    expect(result.findings.map((found) => found.id)).toEqual([]);
    expect(punycodeRecovery.findings.map((found) => found.id)).toEqual([]);
  });

  it("keeps the chain open when the mailbox's exposure is accepted: the risk is accepted, not gone", async () => {
    const policy = parsePolicy(
      {
        exceptions: [
          {
            account: 'press/mailbox',
            check: 'breached-password',
            reason: 'changing it with the vendor migration',
            acceptedBy: 'Head of Digital',
            expires: '2026-06-20',
          },
        ],
      },
      { now: NOW },
    );
    const entries = [
      entry(
        'inventory[0]',
        login('press/mailbox', { platform: 'outlook.com', username: 'press@northshire.example', password: breached }),
      ),
      entry('inventory[1]', login('press/x', { email: 'press@northshire.example' })),
    ];

    const result = await scanned(entries, { policy });

    expect(outcome(result, 'press/x')).toBe('failed');
    expect(result.accounts.find((account) => account.id === 'press/x')?.status).toBe('at-risk');
    expect(result.exceptions.map((each) => each.stale)).toEqual([false]);
  });

  it('judges a dense estate (1,000 mailboxes sharing one address, 1,000 logins behind them) whole, with a few chains each', async () => {
    const shared = 'press@northshire.example';
    const entries = [
      ...Array.from({ length: 1000 }, (_, index) =>
        entry(
          `inventory[${index}]`,
          login(`mailbox-${String(index).padStart(4, '0')}`, {
            platform: 'outlook.com',
            username: shared,
            ...(index === 7 && { password: breached }),
          }),
        ),
      ),
      ...Array.from({ length: 1000 }, (_, index) =>
        entry(`inventory[${1000 + index}]`, login(`login-${String(index).padStart(4, '0')}`, { email: shared })),
      ),
    ];

    const result = await scanned(entries);
    const chains = result.findings.filter((found) => found.check === 'recovery');

    expect(chains).toHaveLength(1999);
    expect(Math.max(...chains.map((found) => JSON.stringify(found.evidence).length))).toBeLessThan(400);
    expect(result.accounts.find((account) => account.id === 'mailbox-0000')).toMatchObject({
      exposesCount: 1999,
    });
  });
});
