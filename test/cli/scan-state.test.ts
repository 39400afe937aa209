import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../lambdas/core/report/report';
import { randomPassword, sha1Hex } from '../support/passwords';
import { runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

const CORPUS = ['--pwned-passwords', 'examples/pwned-passwords.txt'];

describe('CLI: credential-hygiene scan --state', () => {
  const dir = useTempDir();
  const scan = async (inventory: string, now: string, extra: string[] = []) => {
    const run = await runCli([
      'scan',
      '--inventory',
      inventory,
      ...CORPUS,
      '--now',
      now,
      '--state',
      join(dir(), 'state.json'),
      ...extra,
    ]);
    return { ...run, report: extra.includes('json') ? (JSON.parse(run.stdout) as Report) : undefined };
  };

  it('reports everything new the first time, nothing new the second, and a fixed entry as resolved', async () => {
    const first = await scan('examples/inventory.json', '2026-11-24', ['--format', 'json']);
    const second = await scan('examples/inventory.json', '2026-11-24', ['--format', 'json']);
    const inventory = JSON.parse(readFileSync('examples/inventory.json', 'utf8'));
    const mailbox = inventory.accounts.find((account: { id: string }) => account.id === 'press-office/mailbox');
    mailbox.password = randomPassword(22);
    mailbox.passwordChangedAt = '2026-11-20';
    const fixedInventory = join(dir(), 'fixed.json');
    writeFileSync(fixedInventory, JSON.stringify(inventory));
    const third = await scan(fixedInventory, '2026-11-24', ['--format', 'json']);

    expect(first.report?.lifecycle).toMatchObject({ tracked: true, resolved: [] });
    expect(first.report?.lifecycle.new).toHaveLength(first.report?.findings.length ?? -1);
    expect(second.report?.lifecycle).toMatchObject({ new: [], worsened: [], reminded: [], resolved: [] });
    expect(second.report?.lifecycle.unchanged).toHaveLength(first.report?.findings.length ?? -1);
    expect([...(third.report?.lifecycle.resolved ?? [])].sort()).toEqual([
      'press-office/mailbox#breached-password:breached',
      'press-office/mailbox#password-age:too-old',
      'press-office/mailbox#reused-password:reused',
      'press-office/mailbox#weak-password:weak',
      'press-office/x#reused-password:reused',
    ]);
  });

  it('shows what changed in the table, and what was fixed', async () => {
    await scan('examples/inventory.json', '2026-11-24');
    const dayLater = await scan('examples/inventory.json', '2026-11-25');

    const all = dayLater.stdout.trimEnd().split('\n');
    const lines = all.slice(all.findIndex((line) => line.startsWith('SEVERITY')));
    expect(lines[0]).toMatch(/^SEVERITY\s+CHANGE\s+ACCOUNT/);
    expect(lines[1]).toMatch(/^CRITICAL\s+REMINDER\s/);
    expect(lines.at(-1)).toMatch(/; since the last run: 9 reminded$/);
  });

  it('keeps its state and key private, and no password or hash in them', async () => {
    await scan('examples/inventory.json', '2026-11-24');
    const state = join(dir(), 'state.json');

    expect(statSync(state).mode & 0o777).toBe(0o600);
    expect(statSync(`${state}.key`).mode & 0o777).toBe(0o600);
    const text = readFileSync(state, 'utf8');
    for (const password of ['Northshire2019!', 'summer2024', 'GzI7ZJOTupvPl7Iak_L0IVtA']) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(sha1Hex(password));
    }
  });

  it('never calls a breached password fixed because the breach source could not be reached', async () => {
    await scan('examples/inventory.json', '2026-11-24');

    const unreachable = await runCli([
      'scan',
      '--inventory',
      'examples/inventory.json',
      '--pwned-passwords',
      'http://127.0.0.1:9/',
      '--now',
      '2026-11-25',
      '--state',
      join(dir(), 'state.json'),
      '--format',
      'json',
    ]);
    const report = JSON.parse(unreachable.stdout) as Report;

    expect(report.lifecycle.resolved).toEqual([]);
    expect(report.findings.find((found) => found.id === 'press-office/x#breached-password:breached')).toMatchObject({
      severity: 'critical',
      detail: expect.stringMatching(/not confirmed fixed and stays open/),
    });
  });

  it('never calls the SMS-only factor fixed because only its attestation aged', async () => {
    await scan('examples/inventory.json', '2026-12-05');

    const later = await scan('examples/inventory.json', '2027-05-05', ['--format', 'json']);

    expect(later.report?.lifecycle.resolved).not.toContain('digital-team/tiktok#mfa:sms-only');
    expect(later.report?.lifecycle.unconfirmed).toEqual(['digital-team/tiktok#mfa:sms-only']);
    expect(later.report?.findings.find((found) => found.id === 'digital-team/tiktok#mfa:sms-only')?.detail).toMatch(
      /evidence \(an out-of-date attestation\) is weaker than what it was found on/,
    );
  });

  it.each([
    ['32 spaces', ' '.repeat(32), /must hold no spaces, line breaks or control characters/],
    ['one character repeated', 'a'.repeat(40), /must be random: it holds fewer than 8 different characters/],
    ['too few characters', 'abcdefgh', /must hold at least 32 characters/],
  ])('refuses a fingerprint key of %s, saying what is wrong', async (_case, key, message) => {
    const run = await runCli(
      ['scan', '--inventory', 'examples/inventory.json', ...CORPUS, '--state', join(dir(), 'state.json')],
      undefined,
      { CREDENTIAL_HYGIENE_FINGERPRINT_KEY: key },
    );

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`CREDENTIAL_HYGIENE_FINGERPRINT_KEY ${message.source}`));
  });

  it('says so, with exit 2, when the state file is not one', async () => {
    writeFileSync(join(dir(), 'state.json'), '{"not": "state"}');

    const run = await scan('examples/inventory.json', '2026-11-24');

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/state file .*state\.json is not a credential-hygiene state file/);
  });
});
