import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { synthesizeStack } from '../../bench/synthesized-bundles';
import { DynamoDbSecretReads } from '../../lambdas/adapters/cloudtrail/dynamodb-secret-reads';
import { recordRecords } from '../../lambdas/adapters/cloudtrail/read-recorder';
import type { Report } from '../../lambdas/core/report/report';
import { MONITOR_PRINCIPALS } from '../../lambdas/shared/monitor-principals';
import { generatedReads } from '../support/generated-reads';
import { runCli } from '../support/run-cli';
import { EmulatedStack, REGION } from './emulated-stack';
import { MotoServer } from './moto-server';

const CREDENTIALS = { accessKeyId: 'AKIAEMULATOR000000', secretAccessKey: 'emulator-secret-access-key' };
const LEAVERS_SECRET = 'credential-hygiene/leavers';
const TAG = 'credential-hygiene';

/** `work` over `items`, `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += limit) {
    await Promise.all(items.slice(start, start + limit).map(work));
  }
}

/** The estate's size here: moto's DynamoDB scans the whole table for each Query (one per secret), so the 500 secrets
 * and 20,000 reads of the CLI's test take it four minutes; a fifth of each takes it seconds and asks the same code. */
const SECRETS = 100;
const READS = 4_000;

/**
 * Who knows each password, on AWS and locally, for one estate: secrets in moto, 90 days of reads of them recorded by
 * the recorder's code into the stack's table, a leavers list in its secret; the password-age bundle's verdicts, as
 * `cdk synth` built it, are the CLI's on the same logs and the generator's own.
 */
describe(`Who knows the password: one estate of ${SECRETS} secrets and ${READS} reads, on AWS (moto) and by the CLI`, () => {
  const workDir = mkdtempSync(join(tmpdir(), 'credential-hygiene-knowers-'));
  const now = new Date();
  const estate = generatedReads(now, SECRETS, 30, READS);
  let moto: MotoServer;
  let stack: EmulatedStack;

  beforeAll(async () => {
    moto = await MotoServer.start();
    stack = await EmulatedStack.deploy(
      moto,
      synthesizeStack(join(workDir, 'cdk.out'), { knowers: { enabled: true, leaversSecret: LEAVERS_SECRET } }),
      workDir,
    );
    const client = { endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS };
    await stack.secretsManager.send(new CreateSecretCommand({ Name: LEAVERS_SECRET, SecretString: estate.leaversCsv }));
    const arns = new Map<string, string>();
    await inBatches(estate.inventory.accounts, 10, async (account) => {
      const { id, platform, owner, passwordChangedAt, ...value } = account as Record<string, string>;
      const arn = await stack.putSecret({
        name: id as string,
        value: JSON.stringify(value),
        tags: { [`${TAG}:platform`]: platform as string, [`${TAG}:owner`]: owner as string },
        createdAt: new Date(`${passwordChangedAt}T00:00:00Z`),
      });
      arns.set(id as string, arn);
    });
    const tables = Object.entries(stack.template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::DynamoDB::Table',
    );
    const record = recordRecords({
      secretsManager: new SecretsManagerClient(client),
      tagKey: `${TAG}:platform`,
      monitorPrincipals: MONITOR_PRINCIPALS,
      store: new DynamoDbSecretReads({
        client: DynamoDBDocumentClient.from(new DynamoDBClient(client)),
        tableName: stack.resolve({ Ref: tables[0]?.[0] }) as string,
        monitorPrincipals: MONITOR_PRINCIPALS,
      }),
    });
    // A read that names its secret by ARN names the secret's real one (the generator's stands for it).
    const real = (record: Record<string, unknown>) => {
      const parameters = record.requestParameters as { secretId?: string } | undefined;
      const secretId = parameters?.secretId;
      if (secretId === undefined || !secretId.startsWith('arn:')) return record;
      const name = secretId.slice(secretId.indexOf(':secret:') + 8, -7);
      return { ...record, requestParameters: { ...parameters, secretId: arns.get(name) ?? secretId } };
    };
    // As EventBridge delivers them: one event each, in pages the size of a backfill's.
    const events = estate.records.map((record, index) => ({ record: real(record), eventId: `event-${index}` }));
    for (let start = 0; start < events.length; start += 500) {
      await record(events.slice(start, start + 500), (index) => `event ${start + index}`);
    }
  }, 300_000);

  afterAll(async () => {
    await moto?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('gives the same people and the same leavers as the CLI on the same logs, and as the estate was made', async () => {
    const run = await stack.invoke('password-age', { dryRun: true });
    if (run.code !== 0) throw new Error(`password-age failed: ${run.failure}\n${run.output.slice(-3000)}`);
    const onAws = new Map((run.result?.accounts ?? []).map((account) => [account.id, account.knowers]));

    const inventory = join(workDir, 'inventory.json');
    writeFileSync(inventory, JSON.stringify(estate.inventory));
    const log = join(workDir, 'reads.json');
    writeFileSync(log, JSON.stringify({ Records: estate.records }));
    const leavers = join(workDir, 'leavers.csv');
    writeFileSync(leavers, estate.leaversCsv);
    const cli = await runCli([
      'scan',
      '--inventory',
      inventory,
      '--checks',
      'knowers',
      '--access-log',
      log,
      '--leavers',
      leavers,
      '--now',
      now.toISOString(),
      '--format',
      'json',
    ]);
    const local = new Map((JSON.parse(cli.stdout) as Report).accounts.map((account) => [account.id, account.knowers]));

    expect(onAws.size).toBe(SECRETS);
    for (const [id, expected] of estate.expected) {
      const names = (knowers: { left: readonly { name: string }[] } | undefined) =>
        (knowers?.left ?? []).map((person) => person.name.toLowerCase()).sort();
      const verdict = (knowers: ReturnType<typeof onAws.get>) => [id, knowers?.people, names(knowers)];
      expect(verdict(onAws.get(id))).toEqual([id, expected.people.size, [...expected.left].sort()]);
      expect(verdict(onAws.get(id))).toEqual(verdict(local.get(id)));
    }
    const leaverFindings = (run.result?.findings ?? []).filter((found) => found.id.endsWith('#knowers:leaver-knows'));
    expect(leaverFindings.length).toBe([...estate.expected.values()].filter((each) => each.left.size > 0).length);
    expect(leaverFindings.length).toBeGreaterThan(5);
  }, 300_000);
});
