import {
  BatchGetSecretValueCommand,
  GetSecretValueCommand,
  paginateListSecrets,
  paginateListSecretVersionIds,
  type SecretListEntry,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { RotationFacts } from '../core/account';
import { errorName } from '../core/error-name';
import { type AccountFacts, type InventoryEntry, memberLoginId } from '../core/inventory';
import type { StoreTerms } from '../core/store-terms';
import { assertConcurrency, eachConcurrently } from '../util/concurrency';
import {
  changeOf,
  DEFAULT_TAG_KEY,
  methodsOf,
  parseVersionChanges,
  secretsManagerTerms,
  tagKeysFor,
  type VersionChange,
  versionIn,
} from './secrets-manager-tags';

/** BatchGetSecretValue takes at most 20 secret ids. */
const BATCH_SIZE = 20;

export interface SecretsManagerInventoryOptions {
  readonly client: SecretsManagerClient;
  /** The tag whose presence selects a secret for monitoring; its value is the platform. */
  readonly tagKey?: string;
  /**
   * Whether to read secret values (password, TOTP seed). The password-age function never does: its account ages come
   * from version metadata instead.
   */
  readonly readValues: boolean;
  /** Single-secret calls (fallback reads, version listings) in flight at once. Default 8. */
  readonly concurrency?: number;
  /** Told of each secret that could not be read, with a reason that never holds secret material. */
  readonly onSecretError?: (secret: string, reason: string) => void;
  /**
   * The member of the estate (an AWS account of the organisation) this client reads, where the monitor reads several:
   * each login's id is then headed by it (`111111111111/press-office/x`) and kept in it (`keptIn`).
   */
  readonly member?: string;
  /**
   * The account this client reads, named in each login's `keptIn` only: the monitor's own account, whose logins keep
   * their secrets' names as ids where the monitor reads member accounts too.
   */
  readonly keptIn?: string;
}

type ValueRead = { readonly secretString: string; readonly createdDate?: Date } | { readonly unavailable: string };

/**
 * The monitored secrets, selected by tag, as inventory entries: tags and value composed into the fields that
 * `parseAccount` reads, and metadata (change date, rotation, deletion) as trusted facts. A secret that cannot be
 * read becomes an entry that says why; it never stops the others.
 */
export class SecretsManagerInventory {
  private readonly client: SecretsManagerClient;
  /** How a monitored secret is changed, in the tag keys this inventory reads, for the advice findings give. */
  readonly terms: StoreTerms;
  private readonly tags: ReturnType<typeof tagKeysFor>;
  private readonly readValues: boolean;
  private readonly concurrency: number;
  private readonly onSecretError: (secret: string, reason: string) => void;
  private readonly member: string | undefined;
  private readonly keptIn: string | undefined;

  constructor(options: SecretsManagerInventoryOptions) {
    this.client = options.client;
    this.tags = tagKeysFor(options.tagKey ?? DEFAULT_TAG_KEY);
    this.terms = secretsManagerTerms(this.tags);
    this.readValues = options.readValues;
    this.concurrency = options.concurrency ?? 8;
    assertConcurrency(this.concurrency);
    this.onSecretError = options.onSecretError ?? (() => {});
    this.member = options.member;
    this.keptIn = options.member ?? options.keptIn;
  }

  /** The id a secret's login goes by: its name, headed by its member's id where there are members. */
  private loginId(name: string): string {
    return this.member === undefined ? name : memberLoginId(this.member, name);
  }

  /** Every monitored secret, or only those named (by name or ARN) in `secretIds`. */
  async load(secretIds?: readonly string[]): Promise<InventoryEntry[]> {
    const listed = await this.listMonitoredSecrets();
    const selected = secretIds === undefined ? listed : listed.filter((secret) => matchesAny(secret, secretIds));
    const missing = (secretIds ?? []).filter((id) => !listed.some((secret) => matchesAny(secret, [id])));
    const recorded = new Map(selected.map((secret) => [secret.ARN ?? '', this.recordedChange(secret)]));
    const reads = this.readValues ? await this.readSecretValues(selected) : undefined;
    // A version whose change date was recorded needs no listing of versions.
    const currentVersionDates = this.readValues
      ? undefined
      : await this.currentVersionDates(selected.filter((secret) => recorded.get(secret.ARN ?? '') === undefined));
    const entries = selected.map((secret) => {
      const arn = secret.ARN ?? '';
      const read = reads?.get(arn);
      const change = recorded.get(arn);
      if (change !== undefined)
        return this.entryFor(secret, read, change.changedAt === 'unknown' ? undefined : change.changedAt);
      const changedAt = read && 'createdDate' in read ? read.createdDate : currentVersionDates?.get(arn);
      return this.entryFor(secret, read, changedAt ?? secret.LastChangedDate);
    });
    return [
      ...entries,
      ...missing.map((id) => ({
        ref: this.loginId(id),
        value: { id: this.loginId(id) },
        problems: [`id: no monitored secret has this name or ARN (is it tagged ${this.tags.platform}?)`],
      })),
    ];
  }

  private async listMonitoredSecrets(): Promise<SecretListEntry[]> {
    const secrets: SecretListEntry[] = [];
    const pages = paginateListSecrets(
      { client: this.client },
      { Filters: [{ Key: 'tag-key', Values: [this.tags.platform] }], IncludePlannedDeletion: true, MaxResults: 100 },
    );
    for await (const page of pages) for (const secret of page.SecretList ?? []) secrets.push(secret);
    // The tag-key filter matches keys by prefix; keep exact matches only.
    return secrets.filter((secret) => secret.Tags?.some((tag) => tag.Key === this.tags.platform));
  }

  /** The change date `import` or `rotate confirm` recorded for the secret's current version, if any. */
  private recordedChange(secret: SecretListEntry): VersionChange | undefined {
    const tagValue = secret.Tags?.find((tag) => tag.Key === this.tags.passwordChanged)?.Value;
    return changeOf(parseVersionChanges(tagValue), versionIn(secret.SecretVersionsToStages, 'AWSCURRENT'));
  }

  /** When the rotation now waiting for its owner was started: its record names the version still `AWSPENDING`. */
  private pendingSince(secret: SecretListEntry): Date | undefined {
    const tagValue = secret.Tags?.find((tag) => tag.Key === this.tags.rotationPending)?.Value;
    const pending = changeOf(parseVersionChanges(tagValue), versionIn(secret.SecretVersionsToStages, 'AWSPENDING'));
    return pending === undefined || pending.changedAt === 'unknown' ? undefined : pending.changedAt;
  }

  private entryFor(
    secret: SecretListEntry,
    read: ValueRead | undefined,
    passwordChangedAt: Date | undefined,
  ): InventoryEntry {
    const name = this.loginId(secret.Name ?? secret.ARN ?? 'unnamed secret');
    const tag = (key: string) => secret.Tags?.find((each) => each.Key === key)?.Value;
    const mfaStatus = tag(this.tags.mfa);
    const mfaAttestedAt = tag(this.tags.mfaAttestedAt);
    const mfaMethods = tag(this.tags.mfaMethods);
    const owner = tag(this.tags.owner);
    const mfaProvider = tag(this.tags.mfaProvider);
    const recoveryEmail = tag(this.tags.recoveryEmail);
    const recoveryPhone = tag(this.tags.recoveryPhone);
    const fromTags = {
      id: name,
      platform: tag(this.tags.platform),
      ...(owner !== undefined && { owner }),
      ...(recoveryEmail !== undefined && { recoveryEmail }),
      ...(recoveryPhone !== undefined && { recoveryPhone }),
      ...(mfaProvider !== undefined && { mfaProvider }),
      ...((mfaStatus !== undefined || mfaAttestedAt !== undefined || mfaMethods !== undefined) && {
        mfa: {
          status: mfaStatus,
          ...(mfaAttestedAt !== undefined && { attestedAt: mfaAttestedAt }),
          ...(mfaMethods !== undefined && { methods: methodsOf(mfaMethods) }),
        },
      }),
    };
    const fieldSources = {
      platform: `tag ${this.tags.platform}`,
      ...(owner !== undefined && { owner: `tag ${this.tags.owner}` }),
      mfa: `tag ${this.tags.mfa}`,
      'mfa.status': `tag ${this.tags.mfa}`,
      'mfa.attestedAt': `tag ${this.tags.mfaAttestedAt}`,
      'mfa.methods': `tag ${this.tags.mfaMethods}`,
      ...(mfaProvider !== undefined && { mfaProvider: `tag ${this.tags.mfaProvider}` }),
      ...(recoveryEmail !== undefined && { recoveryEmail: `tag ${this.tags.recoveryEmail}` }),
      ...(recoveryPhone !== undefined && { recoveryPhone: `tag ${this.tags.recoveryPhone}` }),
    };
    const facts = {
      ...factsOf(secret, passwordChangedAt, this.pendingSince(secret)),
      ...(this.keptIn !== undefined && { keptIn: this.keptIn }),
    };
    const resource = secret.ARN;
    const where = { ref: name, ...(resource !== undefined && { resource }) };
    if (read === undefined) {
      return {
        ...where,
        value: fromTags,
        facts,
        fieldSources,
        valueUnavailable: 'this function does not read secret values',
      };
    }
    if ('unavailable' in read)
      return { ...where, value: fromTags, facts, fieldSources, valueUnavailable: read.unavailable };
    const value = valueFields(read.secretString);
    if ('problem' in value) return { ...where, value: fromTags, facts, fieldSources, problems: [value.problem] };
    return { ...where, value: { ...value.fields, ...fromTags }, facts, fieldSources };
  }

  /** Values in batches of 20; a secret a batch could not return is read on its own, once. */
  private async readSecretValues(secrets: readonly SecretListEntry[]): Promise<Map<string, ValueRead>> {
    const reads = new Map<string, ValueRead>();
    const retry: SecretListEntry[] = [];
    for (const secret of secrets) {
      if (secret.DeletedDate !== undefined)
        reads.set(secret.ARN ?? '', { unavailable: 'the secret is scheduled for deletion' });
    }
    const readable = secrets.filter((secret) => secret.DeletedDate === undefined);
    for (let start = 0; start < readable.length; start += BATCH_SIZE) {
      const batch = readable.slice(start, start + BATCH_SIZE);
      try {
        const response = await this.client.send(
          new BatchGetSecretValueCommand({ SecretIdList: batch.map((secret) => secret.ARN ?? '') }),
        );
        for (const value of response.SecretValues ?? []) {
          if (value.ARN === undefined) continue;
          reads.set(value.ARN, valueRead(value));
        }
      } catch (error) {
        this.onSecretError(`a batch of ${batch.length} secrets`, describeError(error));
      }
      retry.push(...batch.filter((secret) => !reads.has(secret.ARN ?? '')));
    }
    await eachConcurrently(retry, this.concurrency, async (secret) => {
      const arn = secret.ARN ?? '';
      try {
        const value = await this.client.send(new GetSecretValueCommand({ SecretId: arn }));
        reads.set(arn, valueRead(value));
      } catch (error) {
        const reason = describeError(error);
        this.onSecretError(secret.Name ?? arn, reason);
        reads.set(arn, { unavailable: reason });
      }
    });
    return reads;
  }

  /** When each secret's AWSCURRENT version was created: the password's age, read from metadata alone. */
  private async currentVersionDates(secrets: readonly SecretListEntry[]): Promise<Map<string, Date>> {
    const dates = new Map<string, Date>();
    // Every secret of the estate, so only as many calls as run at once are held, not a promise per secret.
    await eachConcurrently(secrets, this.concurrency, async (secret) => {
      const arn = secret.ARN ?? '';
      try {
        const pages = paginateListSecretVersionIds({ client: this.client }, { SecretId: arn, MaxResults: 100 });
        for await (const page of pages) {
          const current = page.Versions?.find((version) => version.VersionStages?.includes('AWSCURRENT'));
          if (current?.CreatedDate) {
            dates.set(arn, current.CreatedDate);
            return;
          }
        }
      } catch (error) {
        this.onSecretError(secret.Name ?? arn, `${describeError(error)}; using its last-changed date`);
      }
    });
    return dates;
  }
}

function valueRead(value: { SecretString?: string; CreatedDate?: Date }): ValueRead {
  if (value.SecretString === undefined) {
    return { unavailable: 'the secret value is binary; a shared login is stored as a string or JSON' };
  }
  return { secretString: value.SecretString, ...(value.CreatedDate && { createdDate: value.CreatedDate }) };
}

function matchesAny(secret: SecretListEntry, ids: readonly string[]): boolean {
  return ids.some((id) => id === secret.Name || id === secret.ARN);
}

function factsOf(
  secret: SecretListEntry,
  passwordChangedAt: Date | undefined,
  pendingSince: Date | undefined,
): AccountFacts {
  const rules = secret.RotationRules;
  const intervalDays = rules?.AutomaticallyAfterDays ?? rateInDays(rules?.ScheduleExpression);
  const rotation: RotationFacts = {
    enabled: secret.RotationEnabled === true,
    ...(intervalDays !== undefined && { intervalDays }),
    ...(secret.LastRotatedDate && { lastRotatedAt: secret.LastRotatedDate }),
    ...(secret.NextRotationDate && { nextRotationAt: secret.NextRotationDate }),
    ...(secret.CreatedDate && { createdAt: secret.CreatedDate }),
    ...(pendingSince !== undefined && { pendingSince }),
  };
  return {
    rotation,
    ...(passwordChangedAt && { passwordChangedAt }),
    ...(secret.DeletedDate && { deletionScheduledAt: secret.DeletedDate }),
  };
}

/** `rate(10 days)` or `rate(12 hours)` in days; undefined for `cron()` and anything else. */
function rateInDays(expression: string | undefined): number | undefined {
  const match = /^rate\((\d+)\s+(day|days|hour|hours)\)$/.exec(expression?.trim() ?? '');
  if (!match) return undefined;
  const amount = Number(match[1]);
  return match[2]?.startsWith('day') ? amount : amount / 24;
}

/**
 * A secret value as fields: a JSON object as it is, any other string as the password. The value text is never
 * quoted in a problem.
 */
export function valueFields(secretString: string): { fields: Record<string, unknown> } | { problem: string } {
  if (!secretString.trimStart().startsWith('{')) return { fields: { password: secretString } };
  try {
    const parsed: unknown = JSON.parse(secretString);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return { fields: parsed as Record<string, unknown> };
    }
  } catch {
    // reported below, without the parser's message, which quotes the value
  }
  return { problem: 'secret value: starts with "{" but is not a JSON object (a plain password must not)' };
}

const KNOWN_ERRORS: Record<string, string> = {
  AccessDeniedException:
    "access denied (the role needs secretsmanager:GetSecretValue on it, and the secret's policy must allow it)",
  DecryptionFailure: "KMS could not decrypt it (the role needs kms:Decrypt on the secret's key)",
  KMSAccessDeniedException: "KMS denied decryption (the role needs kms:Decrypt on the secret's key)",
  ResourceNotFoundException: 'the secret no longer exists (deleted during the scan?)',
  InvalidRequestException: 'the secret cannot be read now (scheduled for deletion or disabled)',
  ThrottlingException: 'Secrets Manager throttled the request after retries',
  InternalServiceError: 'Secrets Manager failed (InternalServiceError) after retries',
};

/** A reason for a failed read that names the error, never anything from the secret. */
export function describeError(error: unknown): string {
  const name = errorName(error);
  return KNOWN_ERRORS[name] ?? `the read failed (${name})`;
}
