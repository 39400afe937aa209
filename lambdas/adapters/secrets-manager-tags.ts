import type { StoreTerms } from '../core/store-terms';

/** The tag that marks a secret as monitored (its value is the platform); the others share its prefix. */
export const DEFAULT_TAG_KEY = 'credential-hygiene:platform';

/** The tags that describe a login: the selector (its value is the platform) and its siblings under one prefix. */
export function tagKeysFor(selectorKey: string) {
  const prefix = selectorKey.includes(':') ? selectorKey.slice(0, selectorKey.lastIndexOf(':')) : selectorKey;
  return {
    platform: selectorKey,
    owner: `${prefix}:owner`,
    mfa: `${prefix}:mfa`,
    mfaAttestedAt: `${prefix}:mfa-attested-at`,
    mfaMethods: `${prefix}:mfa-methods`,
    mfaProvider: `${prefix}:mfa-provider`,
    recoveryEmail: `${prefix}:recovery-email`,
    recoveryPhone: `${prefix}:recovery-phone`,
    passwordChanged: `${prefix}:password-changed`,
    rotationPending: `${prefix}:rotation-pending`,
  };
}

/** Advice in the secrets' own terms: the tag a field is read from, and the AWS CLI command that does the change. */
export function secretsManagerTerms(tags: ReturnType<typeof tagKeysFor>): StoreTerms {
  return {
    field: (name) => `the secret's ${tags[name]} tag`,
    cancelDeletion: 'cancel the deletion (aws secretsmanager restore-secret --secret-id with its name)',
    rotateNow: 'rotate the secret now (aws secretsmanager rotate-secret --secret-id with its name)',
    confirmChange: "confirm it (credential-hygiene rotate confirm with the secret's name)",
    abortChange: "abort it (credential-hygiene rotate abort with the secret's name)",
  };
}

/** `sms totp` (tag values allow no commas): the factors an owner says are registered, in the attestation's list. */
export function methodsOf(tagValue: string): string[] {
  return tagValue.split(/[\s+/]+/).filter((method) => method !== '');
}

/**
 * When a version's password was set, as `import` and `rotate confirm` record it: a date, or `unknown` where the export
 * did not show one. Kept in a tag, not the value, because the password-age function reads metadata only; keyed by
 * version, because a person who later pastes a new password by hand makes a new version the record does not name (its
 * creation date is then the change date). Two entries at most: the current version's and the one being written, so a
 * run stopped between its two calls leaves the current version's record as it was.
 */
export type VersionChange = { readonly versionId: string; readonly changedAt: Date | 'unknown' };

const VERSION_ID = /^[A-Za-z0-9-]{32,64}$/;

/** `2025-03-14T09:30:00Z/6b2c… unknown/0f8e…`: the tag's value, read leniently (an entry it cannot read is no entry). */
export function parseVersionChanges(tagValue: string | undefined): VersionChange[] {
  if (tagValue === undefined) return [];
  return tagValue.split(/\s+/).flatMap((entry): VersionChange[] => {
    const slash = entry.lastIndexOf('/');
    const versionId = entry.slice(slash + 1);
    const when = entry.slice(0, slash);
    if (slash < 1 || !VERSION_ID.test(versionId)) return [];
    if (when === 'unknown') return [{ versionId, changedAt: 'unknown' }];
    const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(when) ? new Date(when) : undefined;
    return date !== undefined && !Number.isNaN(date.getTime()) ? [{ versionId, changedAt: date }] : [];
  });
}

export function formatVersionChanges(changes: readonly VersionChange[]): string {
  return changes
    .map(
      ({ versionId, changedAt }) =>
        `${changedAt === 'unknown' ? 'unknown' : changedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}/${versionId}`,
    )
    .join(' ');
}

/** The record for `versionId`, if the tag has one. */
export function changeOf(changes: readonly VersionChange[], versionId: string | undefined): VersionChange | undefined {
  return versionId === undefined ? undefined : changes.find((change) => change.versionId === versionId);
}

/** The version holding `stage` in a secret's `SecretVersionsToStages` / `VersionIdsToStages`. */
export function versionIn(
  stages: Readonly<Record<string, readonly string[] | undefined>> | undefined,
  stage: 'AWSCURRENT' | 'AWSPENDING',
): string | undefined {
  return Object.entries(stages ?? {}).find(([, labels]) => labels?.includes(stage))?.[0];
}
