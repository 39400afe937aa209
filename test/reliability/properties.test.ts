import fc from 'fast-check';
import { countsInRange } from '../../lambdas/adapters/pwned-passwords-range-format';
import { ownerDigests } from '../../lambdas/adapters/sns/sns-digests';
import { ZxcvbnStrengthEstimator } from '../../lambdas/adapters/zxcvbn-strength-estimator';
import { parseAccount } from '../../lambdas/core/account-parser';
import { ALL_CHECKS, reusedPasswordCheck } from '../../lambdas/core/checks';
import { BreachLookupError } from '../../lambdas/core/evidence-sources';
import { passwordFingerprint } from '../../lambdas/core/password-facts';
import { PolicyError, parsePolicy } from '../../lambdas/core/policy';
import { formatReport } from '../../lambdas/core/report/format-report';
import { buildReport } from '../../lambdas/core/report/report';
import { scan } from '../../lambdas/core/scan';
import { InvalidInvocationError, parseInvocation } from '../../lambdas/shared/invocation';
import { ConfigError, readConfig } from '../../lib/config';
import { sha1Hex } from '../support/passwords';

const NOW = new Date('2026-06-01T00:00:00Z');
const RUNS = { numRuns: 200 };

/** Throws only `kind`, or nothing. */
function throwsOnly(kind: new (...args: never[]) => Error, work: () => unknown): boolean {
  try {
    work();
    return true;
  } catch (error) {
    return error instanceof kind;
  }
}

describe('Properties: parsers fail only in their own way', () => {
  it('parseAccount never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = parseAccount(value, NOW);
        return result.ok || result.problems.length > 0;
      }),
      RUNS,
    );
  });

  it('parseAccount never throws on objects shaped like accounts with wrong values', () => {
    const anything = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.object(),
      fc.array(fc.string()),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            id: anything,
            platform: anything,
            password: anything,
            passwordChangedAt: anything,
            mfa: anything,
            totp: anything,
          },
          { requiredKeys: [] },
        ),
        (value) => {
          const result = parseAccount(value, NOW);
          return result.ok || result.problems.length > 0;
        },
      ),
      RUNS,
    );
  });

  it.each([
    ['parsePolicy', PolicyError, (value: unknown) => parsePolicy(value)],
    ['parseInvocation', InvalidInvocationError, (value: unknown) => parseInvocation(value)],
    ['readConfig', ConfigError, (value: unknown) => readConfig(value)],
  ] as const)('%s throws nothing but its own error type', (_name, kind, parse) => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => throwsOnly(kind, () => parse(value))),
      RUNS,
    );
  });

  it('the range parser throws nothing but BreachLookupError, and never finds what is not there', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.stringMatching(/^[0-9A-F]{35}$/), (body, suffix) => {
        try {
          const counts = countsInRange(Buffer.from(body), new Set([suffix]));
          return !counts.has(suffix) || body.toUpperCase().includes(suffix);
        } catch (error) {
          return error instanceof BreachLookupError;
        }
      }),
      RUNS,
    );
  });
});

describe('Properties: reuse grouping', () => {
  it('is symmetric, and groups exactly the accounts that share a password', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 12 }),
        async (passwordIndexes) => {
          const passwords = [
            'Zq8-vN3r_Lm5TxW2',
            'Pw9_uT4s-Kk6RyV1',
            'Mx7.hG2d!Ee3QbN8',
            'Lr5#jF8c?Ww1ZsA4',
            'Nv3$kD6b%Tt9XpC2',
          ];
          const entries = passwordIndexes.map((index, position) => ({
            ref: `a${position}`,
            value: { id: `a${position}`, platform: 'x.com', password: passwords[index] },
          }));
          const result = await scan({
            entries,
            checks: [reusedPasswordCheck],
            now: NOW,
            fingerprintKey: Buffer.alloc(32, 5),
          });
          const sharedWith = new Map(
            result.findings.map((found) => [found.accountId, new Set(found.evidence.sharedWith as readonly string[])]),
          );
          for (const [a, others] of sharedWith) {
            for (const b of others) expect(sharedWith.get(b)?.has(a)).toBe(true);
          }
          passwordIndexes.forEach((index, position) => {
            const expected = passwordIndexes.flatMap((other, at) =>
              other === index && at !== position ? [`a${at}`] : [],
            );
            expect([...(sharedWith.get(`a${position}`) ?? [])].sort()).toEqual(expected.sort());
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('Properties: no output carries a password, its SHA-1, its fingerprint or a TOTP seed', () => {
  const secret = fc
    .uint8Array({ minLength: 12, maxLength: 40 })
    .map((bytes) => Buffer.from(bytes).toString('base64url'));
  const seed = fc.stringMatching(/^[A-Z2-7]{16,40}$/);

  it('in every report format and every owner digest', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(secret, seed, fc.boolean()), { minLength: 1, maxLength: 5 }),
        async (logins) => {
          const key = Buffer.alloc(32, 7);
          const entries = logins.map(([password, totp, breached], index) => ({
            ref: `inventory[${index}]`,
            value: {
              id: `press/${index}`,
              platform: 'x.com',
              owner: index % 2 ? 'press' : undefined,
              password: breached ? `${password}\n` : password,
              totp: index % 3 ? totp : `${totp}!`,
            },
          }));
          const result = await scan({
            entries,
            checks: ALL_CHECKS,
            now: NOW,
            fingerprintKey: key,
            breachSource: {
              countsFor: async (_prefix, suffixes) => new Map([...suffixes].map((suffix) => [suffix, 3])),
            },
            strengthEstimator: new ZxcvbnStrengthEstimator(),
          });
          const report = buildReport(result, NOW);
          const outputs = [
            ...(['json', 'table', 'markdown'] as const).map((format) => formatReport(report, format)),
            ...ownerDigests(report, { family: 'property' }).map((digest) => `${digest.subject}\n${digest.message}`),
          ].join('\n');
          for (const [password, totp] of logins) {
            const hash = sha1Hex(password);
            for (const fragment of [
              password,
              hash,
              hash.toLowerCase(),
              hash.slice(5),
              totp,
              passwordFingerprint(key, password),
            ]) {
              expect(outputs).not.toContain(fragment);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
