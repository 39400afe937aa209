import { randomUUID } from 'node:crypto';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import {
  type FindingState,
  LifecycleLockError,
  type LifecycleState,
  type LifecycleStore,
  type LoadOptions,
  type PasswordRecord,
  RESOLVED_RETENTION_DAYS,
} from '../core/lifecycle/lifecycle-state';
import { sleep } from '../util/sleep';
import { storedIdentityRecordSchema } from './stored-identity-record';

/** Partition keys: one partition per family's findings, one for password records, one lock item per family. */
export const partitionKeys = {
  findings: (family: string) => `FINDING#${family}`,
  passwords: 'PASSWORD',
  identities: 'IDENTITY',
  lock: (family: string) => `LOCK#${family}`,
};

/** BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;
/** Resolved findings are kept this long for the record, then expire through the table's TTL. */
const RESOLVED_RETENTION_SECONDS = RESOLVED_RETENTION_DAYS * 86_400;

export interface DynamoDbLifecycleStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** How long a lock is held before another run may take it over (a crashed run). Default 10 minutes. */
  readonly leaseMs?: number;
  /** How long to wait for another run's lock. Default 60 s. */
  readonly lockTimeoutMs?: number;
  /** Attempts for a batch whose items DynamoDB left unprocessed. Default 5. */
  readonly maxWriteAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly clock?: () => number;
  readonly runId?: () => string;
}

/**
 * Lifecycle state in the stack's DynamoDB table. Reads are queries of one partition; writes are batched upserts
 * made under a per-family lock (a conditional put with a lease), so that two overlapping runs of one function
 * reconcile one after the other.
 */
export class DynamoDbLifecycleStore implements LifecycleStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly leaseMs: number;
  private readonly lockTimeoutMs: number;
  private readonly maxWriteAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: () => number;
  private readonly runId: () => string;

  constructor(options: DynamoDbLifecycleStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.leaseMs = options.leaseMs ?? 600_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
    this.maxWriteAttempts = options.maxWriteAttempts ?? 5;
    this.sleep = options.sleep ?? sleep;
    this.clock = options.clock ?? Date.now;
    this.runId = options.runId ?? randomUUID;
  }

  async load(family: string, options: LoadOptions = {}): Promise<LifecycleState> {
    const shared = options.withPasswords !== false;
    const [findings, passwords, identities] = await Promise.all([
      this.queryPartition(partitionKeys.findings(family)),
      shared ? this.queryPartition(partitionKeys.passwords) : [],
      options.withIdentities ? this.queryPartition(partitionKeys.identities) : [],
    ]);
    return {
      findings: findings as unknown as FindingState[],
      passwords: passwords as unknown as PasswordRecord[],
      identities: identities.flatMap((item) => {
        // A record that is not one (written by hand, or by a future version) is asked again rather than trusted.
        const record = storedIdentityRecordSchema.safeParse(item);
        return record.success ? [record.data] : [];
      }),
    };
  }

  async save(family: string, changes: LifecycleState): Promise<void> {
    const now = Math.floor(this.clock() / 1000);
    const items = [
      ...changes.findings.map((state) => ({
        pk: partitionKeys.findings(family),
        sk: state.id,
        ...state,
        ...(state.status === 'resolved' && { expiresAt: now + RESOLVED_RETENTION_SECONDS }),
      })),
      ...changes.passwords.map((record) => ({ pk: partitionKeys.passwords, sk: record.accountId, ...record })),
      ...(changes.identities ?? []).map((record) => ({
        pk: partitionKeys.identities,
        sk: record.fingerprint,
        ...record,
      })),
    ];
    for (let start = 0; start < items.length; start += BATCH_SIZE) {
      let requests = items.slice(start, start + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        if (attempt > this.maxWriteAttempts) {
          throw new Error(
            `DynamoDB left ${requests.length} lifecycle writes unprocessed after ${this.maxWriteAttempts} attempts`,
          );
        }
        const response = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (response.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (requests.length > 0) await this.sleep(100 * 2 ** attempt);
      }
    }
  }

  async withLock<T>(family: string, work: () => Promise<T>): Promise<T> {
    const holder = this.runId();
    const key = { pk: partitionKeys.lock(family), sk: 'LOCK' };
    const deadline = this.clock() + this.lockTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, lockHolder: holder, expiresAt: Math.floor((this.clock() + this.leaseMs) / 1000) },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': Math.floor(this.clock() / 1000) },
          }),
        );
        break;
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
        if (this.clock() >= deadline) {
          throw new LifecycleLockError(
            `another ${family} run still holds the lifecycle lock; this run will be retried`,
          );
        }
        await this.sleep(Math.min(5_000, 250 * 2 ** attempt));
      }
    }
    try {
      return await work();
    } finally {
      await this.release(key, holder);
    }
  }

  private async release(key: Record<string, string>, holder: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'lockHolder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
    } catch (error) {
      // Lost to a takeover after the lease ran out: the lock is no longer ours to release.
      if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  private async queryPartition(pk: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.client },
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } },
    );
    for await (const page of pages) {
      for (const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...item } of page.Items ?? []) items.push(item);
    }
    return items;
  }
}
