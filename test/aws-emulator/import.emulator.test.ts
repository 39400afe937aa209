import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerImportStore } from '../../lambdas/adapters/secrets-manager-import';
import { desiredLogins, planImport } from '../../lambdas/core/import/import-plan';
import { PlatformCatalog } from '../../lambdas/core/platform-catalog';
import type { Report } from '../../lambdas/core/report/report';
import { EXPORT_FIXTURES, EXPORTS_DIR, exportFixture, FIXTURE_SECRETS } from '../support/export-fixtures';
import { type CliRun, runCliProcess } from '../support/run-cli';
import { MotoServer, type RecordedRequest } from './moto-server';
import { evaluatePersonCalls, personAccessPolicy } from './person-access';

const REGION = 'eu-west-2';
const NOW = '2026-12-05';
/** Operations that change Secrets Manager. */
const WRITES = ['CreateSecret', 'PutSecretValue', 'TagResource', 'UntagResource', 'UpdateSecretVersionStage'];
/** Formats without folders get one owner for all. */
const WITHOUT_FOLDERS = new Set(['1password-csv', 'chrome-csv']);

const operationsOf = (requests: readonly { headers: Readonly<Record<string, string>> }[]) =>
  requests.map((request) => String(request.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, ''));

/** What the scan says of each login: its owner, and its findings with the figures they give. */
function scanned(report: Report, prefix = '') {
  return report.accounts
    .filter((account) => account.id.startsWith(prefix))
    .map((account) => ({
      id: account.id.slice(prefix.length),
      owner: account.owner,
      findings: report.findings
        .filter((finding) => finding.accountId === account.id)
        .map((finding) => `${finding.id.slice(finding.id.indexOf('#') + 1)} ${JSON.stringify(finding.evidence ?? {})}`)
        .sort(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

describe('import on an AWS emulator (moto): each format applied, scanned back, applied again', () => {
  let moto: MotoServer;
  let env: Record<string, string>;
  let dir: string;
  const outputs: CliRun[] = [];
  /** What import --apply sent, to evaluate against the person policy the stack outputs. */
  const personCalls: RecordedRequest[] = [];
  const cli = async (args: string[]) => {
    const run = await runCliProcess(args, undefined, env);
    outputs.push(run);
    return run;
  };
  const recordedImport = async (args: string[]) => {
    const recorded = await moto.recording(() => cli(args));
    personCalls.push(...recorded.requests);
    return recorded;
  };

  beforeAll(async () => {
    moto = await MotoServer.start();
    env = moto.cliEnvironment;
    dir = mkdtempSync(join(tmpdir(), 'import-emulator-'));
    writeFileSync(join(dir, 'northshire.1pux'), exportFixture('1password-1pux'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await moto.stop();
  });

  const newClient = () =>
    new SecretsManagerClient({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
  const client = () => newClient();
  /** Secrets Manager's logins, scanned as of NOW, as a report. */
  const scanAws = () =>
    runCliProcess(
      [
        'scan',
        '--source',
        'aws',
        '--pwned-passwords',
        'examples/pwned-passwords.txt',
        '--now',
        NOW,
        '--format',
        'json',
      ],
      undefined,
      env,
    );
  const fileOf = (format: string) =>
    format === '1password-1pux' ? join(dir, 'northshire.1pux') : join(EXPORTS_DIR, EXPORT_FIXTURES[format] as string);
  const ownerArgs = (format: string) =>
    format === 'inventory'
      ? []
      : WITHOUT_FOLDERS.has(format)
        ? ['--owner', 'press-office']
        : ['--owner-from', 'folder'];

  it.each(Object.keys(EXPORT_FIXTURES))(
    '%s: --apply creates each login; the scan of Secrets Manager says what the scan of the export says; a second --apply writes nothing',
    async (format) => {
      // Each format on an empty emulator: the same passwords in two formats would be one reuse group.
      await moto.post('/moto-api/reset');
      personCalls.length = 0;
      const prefix = `${format}/`;
      const common = ['import', '--from', format, fileOf(format), ...ownerArgs(format), '--name-prefix', prefix];

      const planned = await cli([...common, '--format', 'json']);
      expect(planned.code).toBe(0);
      expect(JSON.parse(planned.stdout).summary.create).toBe(3);

      const applied = await recordedImport([...common, '--apply', '--format', 'json']);
      expect(applied.value.code).toBe(0);
      const plan = JSON.parse(applied.value.stdout) as { items: { action: string; name?: string }[] };
      expect(plan.items.filter((item) => item.action === 'create')).toHaveLength(3);
      // Each new secret is one call, value and tags together: it exists whole or not at all.
      expect(operationsOf(applied.requests).filter((operation) => WRITES.includes(operation))).toEqual([
        'CreateSecret',
        'CreateSecret',
        'CreateSecret',
      ]);

      const inventory = join(dir, `${format}.json`);
      expect((await cli([...common, '--to-inventory', inventory])).code).toBe(0);
      const scanArgs = ['--pwned-passwords', 'examples/pwned-passwords.txt', '--now', NOW, '--format', 'json'];
      const fromFile = await cli(['scan', '--inventory', inventory, ...scanArgs]);
      const fromAws = await cli(['scan', '--source', 'aws', ...scanArgs]);
      expect(fromAws.code).toBe(0);
      const local = scanned(JSON.parse(fromFile.stdout) as Report, prefix);
      expect(local).toHaveLength(3);
      expect(scanned(JSON.parse(fromAws.stdout) as Report, prefix)).toEqual(local);

      const again = await recordedImport([...common, '--apply', '--format', 'json']);
      expect(again.value.code).toBe(0);
      expect(JSON.parse(again.value.stdout).summary).toMatchObject({ create: 0, update: 0, unchanged: 3 });
      expect(operationsOf(again.requests).filter((operation) => WRITES.includes(operation))).toEqual([]);
    },
  );

  it('a run that fails part way leaves each secret as it was or complete, and a rerun finishes it', async () => {
    const client = new SecretsManagerClient({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const catalog = PlatformCatalog.bundled();
    const items =
      (await import('../../lambdas/adapters/importers/registry'))
        .importerOf('keepass-xml')
        ?.parse(exportFixture('keepass-xml')) ?? [];
    // The same estate after a round of password changes, under a prefix of its own.
    const changed = items.map((item) =>
      item.password === undefined
        ? item
        : { ...item, password: `${item.password}-v2`, passwordChangedAt: new Date('2026-11-01T00:00:00Z') },
    );
    const settings = { catalog, ownerFromFolder: true, namePrefix: 'partial/' };
    const first = new SecretsManagerImportStore({ client });
    const original = desiredLogins(items, settings);
    await first.apply(planImport(original.logins, await first.read(original.logins.map((each) => each.name))).writes);

    // The second write of a new version fails, as a throttled or cut-off call would.
    let puts = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutSecretValueCommand' && ++puts === 2)
          throw Object.assign(new Error('cut off'), { name: 'InternalServiceError' });
        return next(args);
      },
      { step: 'initialize', name: 'failSecondPut' },
    );
    const failing = new SecretsManagerImportStore({ client, concurrency: 1 });
    const wanted = desiredLogins(changed, settings);
    const failures = await failing.apply(
      planImport(wanted.logins, await failing.read(wanted.logins.map((each) => each.name))).writes,
    );
    expect(failures).toEqual([
      { name: wanted.logins[1]?.name, reason: 'Secrets Manager failed (InternalServiceError) after retries' },
    ]);

    // The one that failed still reads as it was: its old password, and the date recorded for it.
    const half = await scanAws();
    const ageOf = (report: Report, name: string) =>
      report.findings.find((finding) => finding.accountId === name && finding.check === 'password-age')?.evidence;
    const failedName = wanted.logins[1]?.name as string;
    expect(ageOf(JSON.parse(half.stdout) as Report, failedName)).toMatchObject({ changedAt: '2025-01-02' });
    const value = await client.send(new GetSecretValueCommand({ SecretId: failedName }));
    expect(JSON.parse(value.SecretString ?? '{}').password).toBe(
      items.find((item) => item.title === 'Press mailbox')?.password,
    );

    const rerun = new SecretsManagerImportStore({ client });
    const plan = planImport(wanted.logins, await rerun.read(wanted.logins.map((each) => each.name)));
    expect(plan.rows.filter((row) => row.action === 'update').map((row) => row.name)).toEqual([failedName]);
    expect(await rerun.apply(plan.writes)).toEqual([]);
    const after = await scanAws();
    for (const login of wanted.logins) {
      expect(ageOf(JSON.parse(after.stdout) as Report, login.name)).toBeUndefined();
    }
    const last = new SecretsManagerImportStore({ client });
    const settled = planImport(wanted.logins, await last.read(wanted.logins.map((each) => each.name)));
    expect(settled.rows.map((row) => row.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it("every call import --apply made is allowed by the stack's PersonAccessPolicy", async () => {
    // The last format's calls (the emulator is reset between formats, so its secrets are the ones there now).
    const decisions = await evaluatePersonCalls(personCalls, client(), personAccessPolicy());
    expect(decisions.length).toBeGreaterThan(5);
    expect(decisions.filter((decision) => decision.decision !== 'Allowed')).toEqual([]);
    expect(new Set(decisions.map((decision) => decision.action))).toEqual(
      new Set([
        'secretsmanager:CreateSecret',
        'secretsmanager:TagResource',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]),
    );
  });

  it('no output of any run holds a password, a seed, a note or a custom field', () => {
    expect(outputs.length).toBeGreaterThan(0);
    const everything = outputs
      .map((run) => {
        // The scans' JSON reports name no secret either; their stdout is checked whole.
        return `${run.stdout}\n${run.stderr}`;
      })
      .join('\n');
    for (const secret of FIXTURE_SECRETS) expect(everything).not.toContain(secret);
  });
});
