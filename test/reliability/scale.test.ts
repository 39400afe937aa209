import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_MESSAGE_BYTES, ownerDigests } from '../../lambdas/adapters/sns/sns-digests';
import { ownershipCheck, reusedPasswordCheck } from '../../lambdas/core/checks';
import { type Finding, finding } from '../../lambdas/core/finding';
import { formatReport } from '../../lambdas/core/report/format-report';
import { buildReport, REPORT_FORMATS, type Report } from '../../lambdas/core/report/report';
import { type AccountResult, scan } from '../../lambdas/core/scan';
import { randomPassword } from '../support/passwords';
import { runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

const NOW = new Date('2026-06-01T00:00:00Z');
const id = (index: number) => `estate/login-${String(index).padStart(6, '0')}`;

/**
 * Sizes an estate within the project's scale table reaches, asserted by counting (report bytes, accounts reported),
 * not by the clock: each of these once crashed, ran out of heap or dropped accounts.
 */
describe('Reliability: reports stay linear in the size of the estate', () => {
  const dir = useTempDir();

  it.each([5_000, 10_000])(
    '%i accounts sharing one password: the group is stated once, the report stays linear',
    async (count) => {
      const password = randomPassword();
      const result = await scan({
        entries: Array.from({ length: count }, (_, index) => ({
          ref: `inventory[${index}]`,
          value: { id: id(index), platform: 'x.com', owner: 'press', password },
        })),
        checks: [reusedPasswordCheck],
        now: NOW,
        fingerprintKey: Buffer.alloc(32, 1),
      });
      const report = buildReport(result, NOW);
      const json = formatReport(report, 'json');

      expect(report.findings).toHaveLength(count);
      expect(Object.values(report.reuseGroups ?? {}).map((members) => members.length)).toEqual([count]);
      // Each finding names at most ten others: about 1.5 KB an account, where every other id made it N² (crashing at 5,000).
      expect(Buffer.byteLength(json)).toBeLessThan(count * 1_600);
      expect(report.findings.every((found) => (found.evidence.sharedWith as readonly string[]).length <= 10)).toBe(
        true,
      );
    },
  );

  it('150,000 findings, tracked, print in every format, each linear in size', () => {
    const findings: Finding[] = [];
    const accounts: AccountResult[] = [];
    for (let index = 0; index < 50_000; index++) {
      accounts.push({
        id: id(index),
        platform: 'x.com',
        owner: 'press',
        status: 'at-risk',
        worstSeverity: 'medium',
        checks: {},
      });
      for (const kind of ['too-old', 'unknown-age', 'failing'] as const) {
        findings.push(
          finding({
            accountId: id(index),
            check: kind === 'failing' ? 'rotation' : 'password-age',
            kind,
            severity: 'medium',
            title: 'A finding',
            detail: 'Its detail.',
            remediation: 'What to do.',
          }),
        );
      }
    }
    const ids = findings.map((found) => found.id);
    const report = buildReport({ accounts, findings }, NOW, {
      tracked: true,
      new: ids.slice(0, 50_000),
      worsened: [],
      reminded: ids.slice(50_000, 100_000),
      unchanged: ids.slice(100_000),
      reopened: [],
      accepted: [],
      resolved: [],
    });

    for (const format of REPORT_FORMATS) {
      const text = formatReport(report, format);
      expect(`${format}: ${text.length < 150_000 * 400}`).toBe(`${format}: true`);
      expect(text).toContain(format === 'json' ? '"estate/login-049999"' : 'estate/login-049999');
    }
    expect(
      formatReport(report, 'table')
        .split('\n')
        .filter((line) => line.startsWith('MEDIUM')),
    ).toHaveLength(150_000);
  });

  it('the CLI writes a 10,000-account JSON report whole: the Lambda response limit is not the CLI’s', async () => {
    const inventory = join(dir(), 'estate.json');
    writeFileSync(
      inventory,
      JSON.stringify(
        Array.from({ length: 10_000 }, (_, index) => ({
          id: `${id(index)}/${'x'.repeat(150)}`,
          platform: 'x.com',
          password: `unique-password-${index}`,
        })),
      ),
    );

    const run = await runCli([
      'scan',
      '--inventory',
      inventory,
      '--pwned-passwords',
      'examples/pwned-passwords.txt',
      '--checks',
      ownershipCheck.id,
      '--format',
      'json',
    ]);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report & { omitted?: unknown };
    expect(run.stdout.length).toBeGreaterThan(5_500_000);
    expect(report.accounts).toHaveLength(10_000);
    expect(report.omitted).toBeUndefined();
  }, 60_000);
});

describe('Reliability: owner digests stay linear', () => {
  it('splits 150,000 findings of one owner into messages that each fit SNS', () => {
    const findings = Array.from({ length: 150_000 }, (_, index) =>
      finding({
        accountId: id(index),
        check: 'ownership',
        kind: 'missing-owner',
        severity: 'medium',
        title: 'Nobody owns this login',
        detail: 'No owner is recorded.',
        remediation: 'Name one.',
      }),
    );
    const accounts = findings.map(
      (found): AccountResult => ({
        id: found.accountId,
        platform: 'x.com',
        owner: null,
        status: 'at-risk',
        worstSeverity: 'medium',
        checks: {},
      }),
    );

    const digests = ownerDigests(buildReport({ accounts, findings }, NOW), { family: 'password-age' });

    expect(digests.reduce((sum, digest) => sum + digest.findings, 0)).toBe(150_000);
    expect(digests.every((digest) => Buffer.byteLength(digest.message) <= DEFAULT_MAX_MESSAGE_BYTES)).toBe(true);
  });
});
