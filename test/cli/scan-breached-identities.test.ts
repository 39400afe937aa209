import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../lambdas/core/report/report';
import { LocalHttpServer } from '../support/local-http-server';
import { runCli } from '../support/run-cli';

const KEY = 'hibp-key-fedcba9876543210';
const breach = (Name: string, AddedDate: string, DataClasses = ['Email addresses', 'Passwords']) => ({
  Name,
  Title: Name,
  BreachDate: AddedDate.slice(0, 10),
  AddedDate,
  DataClasses,
  IsFabricated: false,
  IsSpamList: false,
  IsRetired: false,
});

describe('CLI: breached identities with HIBP_API_KEY', () => {
  let hibp: LocalHttpServer;
  beforeAll(async () => {
    hibp = await LocalHttpServer.start((request, response) => {
      const account = decodeURIComponent((request.url ?? '').split('/').at(-1)?.split('?')[0] ?? '');
      if (account === 'press@northshire-police.example') {
        return void response.end(
          JSON.stringify([breach('NewsroomCMS', '2026-07-20T09:00:00Z'), breach('OldForum', '2017-02-01T00:00:00Z')]),
        );
      }
      response.writeHead(404).end();
    });
  });
  afterAll(() => hibp.stop());

  const scan = (env: Record<string, string>, extra: readonly string[] = []) =>
    runCli(
      [
        'scan',
        '--inventory',
        'examples/inventory.json',
        '--pwned-passwords',
        'examples/pwned-passwords.txt',
        '--now',
        '2026-11-24',
        '--format',
        'json',
        '--hibp-url',
        hibp.url,
        '--hibp-rate',
        '6000',
        ...extra,
      ],
      undefined,
      env,
    );

  it('reports the logins whose email was breached since their password changed, asking each email once', async () => {
    const run = await scan({ HIBP_API_KEY: KEY });

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const identity = report.findings.filter((found) => found.check === 'breached-identity');
    // press@ is the email of six logins; those whose password changed before 2026-07-20 are exposed.
    expect(identity.map((found) => found.accountId).sort()).toEqual([
      'press-office/facebook',
      'press-office/instagram',
      'press-office/mailbox',
      'press-office/x',
    ]);
    expect(identity[0]?.evidence).toEqual({ breaches: ['NewsroomCMS (added 2026-07-20)'], exposedPasswords: true });
    expect(new Set(hibp.requests.map((request) => request.url)).size).toBe(hibp.requests.length);
    expect(hibp.requests).toHaveLength(3);
    expect(`${run.stdout}${run.stderr}`).not.toContain(KEY);
  });

  it('rotates through the emails across runs with --state and --hibp-budget, keeping no address in the state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credential-hygiene-identities-'));
    try {
      const state = join(dir, 'state.json');
      const asked = (from: number) =>
        hibp.requests
          .slice(from)
          .map((request) => decodeURIComponent(request.url.split('/').at(-1)?.split('?')[0] ?? ''));
      const runWithBudget = async () => {
        const from = hibp.requests.length;
        const run = await scan({ HIBP_API_KEY: KEY }, ['--hibp-budget', '2', '--state', state]);
        return { report: JSON.parse(run.stdout) as Report, asked: asked(from) };
      };

      const first = await runWithBudget();
      const second = await runWithBudget();

      expect(first.asked.sort()).toEqual([
        'chief.constable@northshire-police.example',
        'digital@northshire-police.example',
      ]);
      expect(first.report.identityCoverage).toEqual({
        identities: 3,
        lookedUp: 2,
        fromMemory: 0,
        notYetChecked: 1,
        runsToCoverAll: 2,
      });
      expect(second.asked).toContain('press@northshire-police.example');
      expect(second.report.identityCoverage).toMatchObject({ lookedUp: 2, fromMemory: 1, notYetChecked: 0 });
      // The login not reached on the first run was reported as coverage, not announced and then "fixed".
      expect(first.report.lifecycle.new.filter((id) => id.includes('check-error:breached-identity'))).toEqual([]);
      expect(second.report.lifecycle.resolved.filter((id) => id.includes('breached-identity'))).toEqual([]);
      expect(readFileSync(state, 'utf8')).not.toContain('@northshire-police.example');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a line break', `${KEY}\r\n`, /HIBP API key holds a line break \(was it pasted with a newline\?\)/],
    ['two values', `${KEY} ${KEY}`, /HIBP API key holds a space/],
    ['too little', 'abc', /HIBP API key is too short/],
  ])('says what is wrong with a key holding %s, and asks nothing', async (_case, key, message) => {
    const before = hibp.requests.length;

    const run = await scan({ HIBP_API_KEY: key });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain(KEY);
    expect(hibp.requests.length).toBe(before);
  });

  it('does not run the check without a key', async () => {
    const before = hibp.requests.length;
    const run = await scan({ HIBP_API_KEY: '' });

    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.some((found) => found.check === 'breached-identity')).toBe(false);
    expect(hibp.requests.length).toBe(before);
  });
});
