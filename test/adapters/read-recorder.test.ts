import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbSecretReads, readsPartition } from '../../lambdas/adapters/cloudtrail/dynamodb-secret-reads';
import { readRecorder } from '../../lambdas/adapters/cloudtrail/read-recorder';
import { MONITOR_PRINCIPALS } from '../../lambdas/shared/monitor-principals';
import { awsError } from '../support/aws-errors';
import { identityCenterRead, monitorRead } from '../support/generated-reads';
import { serveTable } from '../support/in-memory-dynamodb';

const AT = new Date('2026-11-01T10:00:00Z');
const TAG = 'credential-hygiene:owner';

/** CloudTrail's event as EventBridge delivers it: the record is its `detail`. */
const delivered = (record: Record<string, unknown>, eventID = 'event-1') => ({
  version: '0',
  id: 'eb-1',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.secretsmanager',
  detail: { ...record, eventID },
});

describe('The read recorder', () => {
  const secretsManager = mockClient(SecretsManagerClient);
  const dynamo = mockClient(DynamoDBDocumentClient);
  let table: ReturnType<typeof serveTable>;
  const reads = () =>
    new DynamoDbSecretReads({
      client: dynamo as unknown as DynamoDBDocumentClient,
      tableName: 'state',
      monitorPrincipals: MONITOR_PRINCIPALS,
    });
  beforeEach(() => {
    secretsManager.reset();
    dynamo.reset();
    table = serveTable(dynamo as never);
    secretsManager
      .on(DescribeSecretCommand, { SecretId: 'press-office/x' })
      .resolves({ Tags: [{ Key: TAG, Value: 'press' }] });
    // The recorder may describe only monitored secrets: any other is refused to it.
    secretsManager.on(DescribeSecretCommand, { SecretId: 'payroll/db' }).rejects(awsError('AccessDeniedException'));
  });
  const recorder = () =>
    readRecorder({
      secretsManager: secretsManager as unknown as SecretsManagerClient,
      tagKey: TAG,
      store: reads(),
      monitorPrincipals: MONITOR_PRINCIPALS,
    });

  it("records a person's read of a monitored secret once, however often the event is delivered, and reads it back", async () => {
    const record = recorder();
    const event = delivered(identityCenterRead('alice@force.example', 'press-office/x', AT));

    expect(await record(event)).toEqual({ recorded: 1 });
    await record(event);

    expect([...table.values()].map((item) => item.pk)).toEqual([readsPartition('press-office/x')]);
    const item = [...table.values()][0] as Record<string, unknown>;
    expect(JSON.stringify(item)).not.toMatch(/ASIA|203\.0\.113|aws-cli/);
    expect(Number(item.expiresAt)).toBe(Math.floor(AT.getTime() / 1000) + 730 * 86_400);
    const loaded = await reads().load(['press-office/x']);
    expect(loaded.reads.map((read) => [read.reader.name, read.at.toISOString()])).toEqual([
      ['alice@force.example', AT.toISOString()],
    ]);
    expect(loaded.monitorPrincipals).toEqual(MONITOR_PRINCIPALS);
  });

  it("passes over the monitor's own reads, refused reads and secrets that are not monitored, asking each secret once", async () => {
    const record = recorder();

    expect(await record(delivered(monitorRead('press-office/x', AT), 'e1'))).toEqual({ recorded: 0 });
    expect(
      await record(delivered(identityCenterRead('a', 'press-office/x', AT, { errorCode: 'AccessDenied' }), 'e2')),
    ).toEqual({ recorded: 0 });
    expect(await record(delivered(identityCenterRead('a', 'payroll/db', AT), 'e3'))).toEqual({ recorded: 0 });
    expect(await record(delivered(identityCenterRead('b', 'payroll/db', AT), 'e4'))).toEqual({ recorded: 0 });

    expect(table.size).toBe(0);
    expect(secretsManager.commandCalls(DescribeSecretCommand).map((call) => call.args[0].input.SecretId)).toEqual([
      'payroll/db',
    ]);
  });

  it("fails the run (to be retried) when Secrets Manager fails otherwise, and on an event that is not CloudTrail's", async () => {
    secretsManager.on(DescribeSecretCommand, { SecretId: 'press-office/x' }).rejects(awsError('ThrottlingException'));
    const record = recorder();

    await expect(record(delivered(identityCenterRead('a', 'press-office/x', AT)))).rejects.toThrow();
    await expect(
      record(delivered({ ...identityCenterRead('a', 'press-office/x', AT), eventTime: 'yesterday' })),
    ).rejects.toThrow(/detail: eventTime is not what CloudTrail writes/);
    await expect(record({ detail: {} })).rejects.toThrow(/no id/);
  });

  it("refuses to judge on part of a secret's reads: past its bound of pages, the lookup fails naming the secret", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { pk: 'READ#press-office/x', sk: 'next' } });

    await expect(reads().load(['press-office/x'])).rejects.toThrow(
      /the secret press-office\/x has more recorded reads than one run reads \(20 pages\)/,
    );
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(20);
  });
});
