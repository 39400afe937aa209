import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_INVENTORY_ENTRIES } from '../../lambdas/adapters/inventory-file';
import { DEFAULT_MAX_MESSAGE_BYTES, ownerDigests } from '../../lambdas/adapters/sns/sns-digests';
import { MAX_YAML_FILE_BYTES } from '../../lambdas/adapters/structured-file';
import { ownershipCheck, reusedPasswordCheck } from '../../lambdas/core/checks';
import { type Finding, finding } from '../../lambdas/core/finding';
import { formatReport, REPORT_FORMATS } from '../../lambdas/core/report/format-report';
import { buildReport, type Report } from '../../lambdas/core/report/report';
import { type AccountResult, scan } from '../../lambdas/core/scan';
import { randomPassword } from '../support/passwords';
import { runCliProcess as runCli } from '../support/run-cli';
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
      // Each finding names at most ten others: about 1.6 KB an account (its finding's id once more in the group root's
      // action, its rootAction), where every other id made it N² (crashing at 5,000).
      expect(Buffer.byteLength(json)).toBeLessThan(count * 1_800);
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
      // Linear: each finding's line, and in the JSON (about 550 bytes a finding, indented) its id once more in the
      // action of its login.
      expect(`${format}: ${text.length < 150_000 * 600}`).toBe(`${format}: true`);
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

describe('Reliability: the inventory bound is what works', () => {
  const dir = useTempDir();
  const minimal = (count: number) =>
    Array.from({ length: count }, (_, index) => ({
      id: id(index),
      platform: 'x.com',
      owner: `team-${index % 300}`,
      password: `unique-password-${index}`,
      passwordChangedAt: '2025-01-01',
    }));
  const scanOf = (inventory: string, extra: readonly string[] = []) =>
    runCli(['scan', '--inventory', inventory, '--checks', 'password-age', '--now', '2026-11-24', ...extra]);

  it(`scans an inventory of ${MAX_INVENTORY_ENTRIES.toLocaleString('en')} entries, the bound, to a JSON report written whole`, async () => {
    const inventory = join(dir(), 'estate.json');
    writeFileSync(inventory, JSON.stringify(minimal(MAX_INVENTORY_ENTRIES)));
    const output = join(dir(), 'report.json');

    const run = await scanOf(inventory, ['--format', 'json', '--output', output]);

    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(output, 'utf8')) as Report;
    expect(report.accounts).toHaveLength(MAX_INVENTORY_ENTRIES);
    expect(report.findings).toHaveLength(MAX_INVENTORY_ENTRIES);
  }, 120_000);

  it('refuses one entry more, and a YAML inventory past its own bound, saying what to do', async () => {
    const tooMany = join(dir(), 'estate.json');
    writeFileSync(tooMany, JSON.stringify(minimal(MAX_INVENTORY_ENTRIES + 1)));
    const yaml = join(dir(), 'estate.yaml');
    writeFileSync(yaml, `accounts:\n${'  # padding\n'.repeat(Math.ceil(MAX_YAML_FILE_BYTES / 12) + 1)}`);

    const many = await scanOf(tooMany);
    const large = await scanOf(yaml);

    expect(many.code).toBe(2);
    expect(many.stderr).toContain(
      `holds ${MAX_INVENTORY_ENTRIES + 1} entries, more than the ${MAX_INVENTORY_ENTRIES} one scan is made for: split it`,
    );
    expect(large.code).toBe(2);
    expect(large.stderr).toMatch(/a YAML file may be at most 8 MB .* write a larger one as JSON/);
  }, 120_000);

  it('reads a YAML inventory just under its bound', async () => {
    const yaml = join(dir(), 'estate.yaml');
    const entry = (index: number) =>
      `  - id: ${id(index)}\n    platform: x.com\n    password: "unique-password-${index}"\n    passwordChangedAt: "2025-01-01"\n`;
    const entries: string[] = [];
    let bytes = 'accounts:\n'.length;
    for (let index = 0; bytes + entry(index).length < MAX_YAML_FILE_BYTES; index++) {
      entries.push(entry(index));
      bytes += entry(index).length;
    }
    writeFileSync(yaml, `accounts:\n${entries.join('')}`);

    const run = await scanOf(yaml, ['--format', 'json']);

    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).accounts).toHaveLength(entries.length);
  }, 120_000);

  it('names at most ten of an entry’s problems, and counts the rest', async () => {
    const inventory = join(dir(), 'estate.json');
    writeFileSync(
      inventory,
      JSON.stringify([
        Object.fromEntries([
          ['id', 'wide'],
          ['platform', 'x.com'],
          ['password', 'unique-password'],
          ...Array.from({ length: 5_000 }, (_, index) => [`unknown-field-${index}`, index]),
        ]),
      ]),
    );

    const run = await scanOf(inventory, ['--format', 'json']);
    const [found] = (JSON.parse(run.stdout) as Report).findings;

    expect(found?.evidence.problems).toHaveLength(10);
    expect(found?.evidence.moreProblems).toBe(4_990);
    expect(found?.detail).toMatch(/; and 4990 more problems\.$/);
    expect(run.stdout.length).toBeLessThan(10_000);
  });
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
