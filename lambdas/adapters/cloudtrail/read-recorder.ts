import { DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { errorName } from '../../core/error-name';
import { arnGlob, type SecretRead } from '../../core/secret-reads';
import { secretReadsOf } from './secret-read-events';

/** How long a secret's being monitored (or not) is remembered in a warm function: a tag change takes effect after it. */
const MONITORED_TTL_MS = 5 * 60_000;

/** The errors that say a secret is not one the recorder may describe: not monitored (its grant needs the tag), or gone. */
const NOT_MONITORED = new Set(['AccessDeniedException', 'ResourceNotFoundException']);

export interface ReadRecorderDependencies {
  readonly secretsManager: Pick<SecretsManagerClient, 'send'>;
  readonly tagKey: string;
  readonly store: { record(reads: readonly { readonly read: SecretRead; readonly eventId: string }[]): Promise<void> };
  /** The monitor's own principals (globs): its reads are never recorded. */
  readonly monitorPrincipals: readonly string[];
  readonly clock?: () => number;
}

/**
 * Records the reads of monitored secrets from CloudTrail's events as EventBridge delivers them (`detail` is the
 * CloudTrail record). A read by the monitor itself, a refused one and one of a secret that does not carry the
 * monitoring tag are passed over: the recorder's role may describe only monitored secrets, so a secret it may not
 * describe is not one. Returns how many reads it recorded.
 */
export function readRecorder(deps: ReadRecorderDependencies): (event: unknown) => Promise<{ recorded: number }> {
  const record = recordRecords(deps);
  return async (event) => {
    const { detail, id } = (event ?? {}) as { detail?: unknown; id?: unknown };
    const eventId = (detail as { eventID?: unknown } | undefined)?.eventID ?? id;
    if (typeof eventId !== 'string' || eventId === '') throw new Error('read recorder: the event has no id');
    return { recorded: await record([{ record: detail, eventId }], () => 'detail') };
  };
}

/**
 * Records the reads of monitored secrets in CloudTrail records, each under its event's id (so that one seen twice, by
 * the rule and by a backfill, is kept once): what the recorder does with one event, and a backfill with a page of them.
 * Returns how many reads it kept.
 */
export function recordRecords(
  deps: ReadRecorderDependencies,
): (
  records: readonly { readonly record: unknown; readonly eventId: string }[],
  where: (index: number) => string,
) => Promise<number> {
  const monitor = deps.monitorPrincipals.map(arnGlob);
  const known = new Map<string, { monitored: boolean; until: number }>();
  const clock = deps.clock ?? Date.now;
  const isMonitored = async (secret: string): Promise<boolean> => {
    const cached = known.get(secret);
    if (cached !== undefined && cached.until > clock()) return cached.monitored;
    let monitored: boolean;
    try {
      const answer = await deps.secretsManager.send(new DescribeSecretCommand({ SecretId: secret }));
      monitored = (answer.Tags ?? []).some((tag) => tag.Key === deps.tagKey);
    } catch (error) {
      if (!NOT_MONITORED.has(errorName(error))) throw error;
      monitored = false;
    }
    known.set(secret, { monitored, until: clock() + MONITORED_TTL_MS });
    return monitored;
  };
  return async (records, where) => {
    const kept: { read: SecretRead; eventId: string }[] = [];
    for (const [index, { record, eventId }] of records.entries()) {
      const reads = secretReadsOf([record], () => where(index)).filter(
        (read) => !read.reader.arns.some((arn) => monitor.some((matches) => matches(arn))),
      );
      for (const [position, read] of reads.entries()) {
        if (await isMonitored(read.secret)) kept.push({ read, eventId: `${eventId}#${position}` });
      }
    }
    await deps.store.record(kept);
    return kept.length;
  };
}
