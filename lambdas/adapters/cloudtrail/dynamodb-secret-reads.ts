import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SecretReadSource } from '../../core/evidence-sources';
import { SafeToShowError } from '../../core/safe-to-show-error';
import type { Leavers, Reader, SecretRead } from '../../core/secret-reads';
import { secretNameOf } from '../../core/secret-reads';

/** The partition of one secret's reads in the lifecycle table: `READ#press-office/x`. */
export function readsPartition(secretName: string): string {
  return `${READS_PREFIX}${secretName}`;
}

/** What every reads partition key begins with: what the grants on them are conditioned on. */
export const READS_PREFIX = 'READ#';

/** How long a read is kept by default: past the age at which the password-age check calls a password too old. */
export const DEFAULT_READ_RETENTION_DAYS = 730;

/**
 * A query's pages (up to 1 MB each, a few thousand reads) read for one secret at most: past it, the reads cannot be
 * known within a function's memory, and the lookup fails saying so rather than judge on some of them.
 */
const MAX_PAGES_PER_SECRET = 20;

/** Secrets whose reads are queried at once. */
const QUERIES_AT_ONCE = 16;

const DAY_SECONDS = 86_400;

interface ReadItem {
  readonly pk: string;
  readonly sk: string;
  readonly secret: string;
  readonly at: string;
  readonly reader: Reader;
  readonly versionId?: string;
  readonly versionStage?: string;
  readonly expiresAt: number;
}

/**
 * The reads of monitored secrets, kept in the lifecycle table: one partition per secret (`READ#<name>`), one item per
 * read, keyed by its time and CloudTrail's event id so that an event delivered twice is kept once, expiring after
 * `retentionDays`. Only a reader's name, kind, user id and role ARNs are kept: never a token, key or address.
 */
export class DynamoDbSecretReads implements SecretReadSource {
  readonly name = 'the recorded reads';
  constructor(
    private readonly options: {
      readonly client: DynamoDBDocumentClient;
      readonly tableName: string;
      readonly retentionDays?: number;
      /** Who among the readers has left (see directory-leavers); none by default. */
      readonly leavers?: (reads: readonly SecretRead[]) => Promise<Leavers>;
      readonly monitorPrincipals: readonly string[];
    },
  ) {}

  /** Records reads, each under the id of the event it came from (`eventId#index` for a batch's several). */
  async record(reads: readonly { readonly read: SecretRead; readonly eventId: string }[]): Promise<void> {
    const retention = (this.options.retentionDays ?? DEFAULT_READ_RETENTION_DAYS) * DAY_SECONDS;
    const items: ReadItem[] = reads.map(({ read, eventId }) => {
      const secret = secretNameOf(read.secret);
      return {
        pk: readsPartition(secret),
        sk: `${read.at.toISOString()}#${eventId}`,
        secret: read.secret,
        at: read.at.toISOString(),
        reader: read.reader,
        ...(read.versionId !== undefined && { versionId: read.versionId }),
        ...(read.versionStage !== undefined && { versionStage: read.versionStage }),
        expiresAt: Math.floor(read.at.getTime() / 1000) + retention,
      };
    });
    for (let start = 0; start < items.length; start += 25) {
      let pending: Record<string, unknown> | undefined = {
        [this.options.tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      // Unprocessed items are sent again, a few times; what is still left fails the run, which is retried.
      for (let attempt = 0; pending !== undefined && Object.keys(pending).length > 0; attempt++) {
        if (attempt === 5) throw new Error('DynamoDB left reads unwritten after five attempts');
        const answer = await this.options.client.send(new BatchWriteCommand({ RequestItems: pending as never }));
        pending = answer.UnprocessedItems as Record<string, unknown> | undefined;
      }
    }
  }

  /**
   * The reads of the given secrets (by name), each secret's partition queried in full, within a bound, a few secrets
   * at a time: an estate of 10,000 secrets is 10,000 queries, which one after another would take minutes.
   */
  async load(secrets: readonly string[]) {
    const reads: SecretRead[] = [];
    const names = [...new Set(secrets.map(secretNameOf))];
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const secret = names[next++] as string;
        for (const read of await this.readsOf(secret)) reads.push(read);
      }
    };
    await Promise.all(Array.from({ length: Math.min(QUERIES_AT_ONCE, names.length) }, worker));
    return {
      reads,
      leavers: (await this.options.leavers?.(reads)) ?? new Map<string, Date>(),
      monitorPrincipals: this.options.monitorPrincipals,
    };
  }

  /** One secret's partition, page by page, within `MAX_PAGES_PER_SECRET`. */
  private async readsOf(secret: string): Promise<SecretRead[]> {
    const reads: SecretRead[] = [];
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; ; page++) {
      if (page === MAX_PAGES_PER_SECRET) {
        throw new SecretReadsTooManyError(
          `the secret ${secret} has more recorded reads than one run reads (${MAX_PAGES_PER_SECRET} pages): lower knowers.readRetentionDays`,
        );
      }
      const answer = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': readsPartition(secret) },
          ...(startKey && { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of (answer.Items ?? []) as Partial<ReadItem>[]) {
        const read = readOfItem(item);
        if (read !== undefined) reads.push(read);
      }
      startKey = answer.LastEvaluatedKey;
      if (startKey === undefined) break;
    }
    return reads;
  }
}

/** Why the reads of a secret could not be read whole: said to the platform team, naming the secret. */
class SecretReadsTooManyError extends SafeToShowError {
  override readonly name = 'SecretReadsTooManyError';
}

/** An item as a read; one that is not (written by hand, or by a later version) is passed over. */
function readOfItem(item: Partial<ReadItem>): SecretRead | undefined {
  const { secret, at, reader } = item;
  if (typeof secret !== 'string' || typeof at !== 'string' || typeof reader?.name !== 'string') return undefined;
  const when = new Date(at);
  if (Number.isNaN(when.getTime())) return undefined;
  return {
    secret,
    at: when,
    reader: {
      name: reader.name,
      kind: reader.kind ?? 'role-session',
      arns: Array.isArray(reader.arns) ? reader.arns.filter((arn) => typeof arn === 'string') : [],
      ...(typeof reader.userId === 'string' && { userId: reader.userId }),
    },
    ...(typeof item.versionId === 'string' && { versionId: item.versionId }),
    ...(typeof item.versionStage === 'string' && { versionStage: item.versionStage }),
  };
}
