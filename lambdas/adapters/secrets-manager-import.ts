import { randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { errorName } from '../core/error-name';
import type { LoginLabels, PlannedWrite, StoredLogin } from '../core/import/import-plan';
import { eachConcurrently } from '../util/concurrency';
import { describeError, valueFields } from './secrets-manager-inventory';
import {
  changeOf,
  DEFAULT_TAG_KEY,
  formatVersionChanges,
  parseVersionChanges,
  tagKeysFor,
  type VersionChange,
  versionIn,
} from './secrets-manager-tags';

type TagKeys = ReturnType<typeof tagKeysFor>;
/** The labels a login keeps as tags of the monitoring tag's prefix: `platform` is the monitoring tag itself. */
const LABEL_TAGS = [
  'platform',
  'owner',
  'recoveryEmail',
  'recoveryPhone',
  'mfa',
  'mfaAttestedAt',
  'mfaMethods',
  'mfaProvider',
] as const satisfies readonly (keyof TagKeys)[];

/** What is known of a stored secret beyond what the plan compares: where its current version is. */
interface Held {
  readonly arn: string;
  readonly currentVersion?: string;
  readonly changes: readonly VersionChange[];
}

/** A write that did not happen, with why (never the SDK's message, which may quote the request). */
export interface WriteFailure {
  readonly name: string;
  readonly reason: string;
}

/**
 * The secrets an import writes, in Secrets Manager: read what is stored under each name (DescribeSecret, and the
 * current value of a managed one), then create or update. A new secret is one `CreateSecret` with its value and every
 * tag, so it exists whole or not at all. An update records the new version's change date in the tag first (next to the
 * current version's record, which stays valid) and then writes the version: stopped between the two, the secret reads
 * as it was, and a rerun finishes it. Each write carries its own version id as `ClientRequestToken`, so a retried call
 * never makes a second version.
 */
export class SecretsManagerImportStore {
  private readonly client: SecretsManagerClient;
  private readonly tags: TagKeys;
  private readonly held = new Map<string, Held>();
  private readonly concurrency: number;

  constructor(options: { client: SecretsManagerClient; tagKey?: string; concurrency?: number }) {
    this.client = options.client;
    this.tags = tagKeysFor(options.tagKey ?? DEFAULT_TAG_KEY);
    this.concurrency = options.concurrency ?? 4;
  }

  /** The tag that marks a secret as monitored, and so as one an import may change. */
  get monitoringTag(): string {
    return this.tags.platform;
  }

  /** What the store holds under each name; a name it does not hold is absent from the map. */
  async read(names: readonly string[]): Promise<Map<string, StoredLogin>> {
    const stored = new Map<string, StoredLogin>();
    await eachConcurrently(names, this.concurrency, async (name) => {
      let described: Awaited<ReturnType<typeof this.describe>>;
      try {
        described = await this.describe(name);
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') return;
        throw error;
      }
      const tags = new Map((described.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
      const labels = this.labelsOf(tags);
      const managed = tags.has(this.tags.platform);
      const currentVersion = versionIn(described.VersionIdsToStages, 'AWSCURRENT');
      const changes = parseVersionChanges(tags.get(this.tags.passwordChanged));
      this.held.set(name, {
        arn: described.ARN ?? name,
        changes,
        ...(currentVersion !== undefined && { currentVersion }),
      });
      if (!managed) {
        stored.set(name, { managed, labels });
        return;
      }
      if (described.DeletedDate !== undefined) {
        stored.set(name, {
          managed,
          labels,
          blocked: 'the secret is scheduled for deletion (restore it first, or choose another name)',
        });
        return;
      }
      const current = await this.client.send(new GetSecretValueCommand({ SecretId: described.ARN ?? name }));
      const recorded = changeOf(changes, current.VersionId);
      const passwordChangedAt = recorded?.changedAt ?? current.CreatedDate;
      const value = storedFields(current.SecretString);
      stored.set(name, {
        managed,
        labels,
        ...(value !== undefined && { value }),
        ...(passwordChangedAt !== undefined && { passwordChangedAt }),
      });
    });
    return stored;
  }

  /** Makes the writes, at most `concurrency` at once; each that fails is told, and the others go on. */
  async apply(writes: readonly PlannedWrite[]): Promise<WriteFailure[]> {
    const failures: WriteFailure[] = [];
    await eachConcurrently(writes, this.concurrency, async (write) => {
      try {
        if (write.kind === 'create') await this.create(write);
        else await this.update(write);
      } catch (error) {
        failures.push({ name: write.login.name, reason: describeError(error) });
      }
    });
    return failures;
  }

  private describe(name: string) {
    return this.client.send(new DescribeSecretCommand({ SecretId: name }));
  }

  private labelsOf(tags: ReadonlyMap<string, string>): LoginLabels {
    const byKey = new Map<string, string>(LABEL_TAGS.map((label) => [this.tags[label], label]));
    const own = new Set<string>(Object.values(this.tags));
    const labels: Record<string, string> = {};
    for (const [key, value] of tags) {
      const label = byKey.get(key);
      if (label !== undefined) labels[label] = value;
      else if (!own.has(key)) labels[`tag:${key}`] = value;
    }
    return labels;
  }

  private tagsOf(labels: LoginLabels): { Key: string; Value: string }[] {
    return Object.entries(labels).map(([label, value]) => ({
      Key: label.startsWith('tag:') ? label.slice(4) : this.tags[label as (typeof LABEL_TAGS)[number]],
      Value: value,
    }));
  }

  private async create(write: Extract<PlannedWrite, { kind: 'create' }>): Promise<void> {
    const versionId = randomUUID();
    const changedAt = write.login.passwordChangedAt ?? 'unknown';
    await this.client.send(
      new CreateSecretCommand({
        Name: write.login.name,
        SecretString: JSON.stringify(write.value),
        ClientRequestToken: versionId,
        Tags: [
          ...this.tagsOf(write.login.labels),
          { Key: this.tags.passwordChanged, Value: formatVersionChanges([{ versionId, changedAt }]) },
        ],
      }),
    );
  }

  private async update(write: Extract<PlannedWrite, { kind: 'update' }>): Promise<void> {
    const held = this.held.get(write.login.name);
    if (held === undefined) throw new Error('an update of a secret that was not read first');
    const newVersion = write.value === undefined ? undefined : randomUUID();
    const current = changeOf(held.changes, held.currentVersion);
    const record =
      write.passwordChangedAt === undefined
        ? undefined
        : newVersion !== undefined
          ? [...(current ? [current] : []), { versionId: newVersion, changedAt: write.passwordChangedAt }]
          : held.currentVersion !== undefined
            ? [{ versionId: held.currentVersion, changedAt: write.passwordChangedAt }]
            : undefined;
    const tags = [
      ...this.tagsOf(write.labels),
      ...(record !== undefined ? [{ Key: this.tags.passwordChanged, Value: formatVersionChanges(record) }] : []),
    ];
    if (tags.length > 0) await this.client.send(new TagResourceCommand({ SecretId: held.arn, Tags: tags }));
    if (write.value !== undefined && newVersion !== undefined) {
      await this.client.send(
        new PutSecretValueCommand({
          SecretId: held.arn,
          SecretString: JSON.stringify(write.value),
          ClientRequestToken: newVersion,
        }),
      );
    }
  }
}

/** A stored value's fields, as the scan reads them; undefined for none, or for one the scan cannot read. */
function storedFields(secretString: string | undefined): Readonly<Record<string, unknown>> | undefined {
  if (secretString === undefined) return undefined;
  const read = valueFields(secretString);
  return 'fields' in read ? read.fields : undefined;
}
