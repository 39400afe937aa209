import { randomUUID } from 'node:crypto';
import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { settingsOf } from '../core/check-settings';
import { rotationSettings } from '../core/checks/rotation';
import { formatDay } from '../core/iso-date';
import { generatePassword, type RandomInt } from '../core/password-generator';
import { PlatformCatalog } from '../core/platform-catalog';
import { passwordRulesOf } from '../core/platform-links/password-rules-of';
import type { Policy } from '../core/policy';
import { SafeToShowError } from '../core/safe-to-show-error';
import { valueFields } from './secrets-manager-inventory';
import {
  changeOf,
  DEFAULT_TAG_KEY,
  formatVersionChanges,
  parseVersionChanges,
  tagKeysFor,
  versionIn,
} from './secrets-manager-tags';

/** A rotation step that cannot be taken on this secret: said to the person, never with a value. */
export class RotationRefused extends SafeToShowError {
  override readonly name = 'RotationRefused';
}

/** The login a step acted on, as its owner is told of it: names and dates, never a value. */
export interface RotationSubject {
  readonly secret: string;
  readonly platform: string;
  readonly owner?: string;
}

export type StartOutcome = RotationSubject & {
  /** `started` made a new pending version; `already-pending` found one and kept it. */
  readonly outcome: 'started' | 'already-pending';
  readonly pendingVersion: string;
  readonly since?: Date;
};
export type ConfirmOutcome = RotationSubject & {
  readonly outcome: 'confirmed' | 'nothing-pending';
  /** When the password is now recorded as changed. */
  readonly changedAt?: Date;
};
export type AbortOutcome = RotationSubject & { readonly outcome: 'aborted' | 'nothing-pending' };

/**
 * A change of password made by a person, with Secrets Manager's staging labels as its states: `start` stores a new
 * password as `AWSPENDING` (the scan keeps reading `AWSCURRENT`), `confirm` moves `AWSCURRENT` to it once the platform
 * has it and records that moment as the password's change date, `abort` takes the label off. Each step first writes
 * the record that will be true after it (a tag naming the version it concerns, which the scan ignores until the
 * version holds the label), then moves the labels, so a run stopped between its calls leaves the secret as it was and
 * the same step, run again, finishes it. A secret with Secrets Manager's own rotation is refused: its rotation
 * function also writes `AWSPENDING`.
 */
export class SecretsManagerRotation {
  private readonly client: SecretsManagerClient;
  private readonly tags: ReturnType<typeof tagKeysFor>;

  constructor(options: { client: SecretsManagerClient; tagKey?: string }) {
    this.client = options.client;
    this.tags = tagKeysFor(options.tagKey ?? DEFAULT_TAG_KEY);
  }

  /** Stores `generate(platform)` as the pending password, unless a change is pending already (then it is kept). */
  async start(secretId: string, generate: (platform: string) => string, now: Date): Promise<StartOutcome> {
    const secret = await this.monitored(secretId);
    const subject = this.subjectOf(secret);
    const stages = secret.VersionIdsToStages;
    const pending = versionIn(stages, 'AWSPENDING');
    if (pending !== undefined && pending !== versionIn(stages, 'AWSCURRENT')) {
      const since = changeOf(parseVersionChanges(this.tag(secret, this.tags.rotationPending)), pending)?.changedAt;
      return {
        ...subject,
        outcome: 'already-pending',
        pendingVersion: pending,
        ...(since instanceof Date && { since }),
      };
    }
    const arn = secret.ARN ?? secretId;
    const current = await this.client.send(new GetSecretValueCommand({ SecretId: arn }));
    const password = generate(subject.platform);
    const read = current.SecretString === undefined ? undefined : valueFields(current.SecretString);
    if (read === undefined || 'problem' in read) {
      throw new RotationRefused(`${subject.secret}: its value is not a login the scan can read, so it is not changed`);
    }
    const plain = !current.SecretString?.trimStart().startsWith('{');
    const value = plain ? password : JSON.stringify({ ...read.fields, password });
    const version = randomUUID();
    await this.client.send(
      new TagResourceCommand({
        SecretId: arn,
        Tags: [
          { Key: this.tags.rotationPending, Value: formatVersionChanges([{ versionId: version, changedAt: now }]) },
        ],
      }),
    );
    await this.client.send(
      new PutSecretValueCommand({
        SecretId: arn,
        SecretString: value,
        ClientRequestToken: version,
        VersionStages: ['AWSPENDING'],
      }),
    );
    return { ...subject, outcome: 'started', pendingVersion: version, since: now };
  }

  /** Makes the pending password the current one, recorded as changed at `now`. */
  async confirm(secretId: string, now: Date): Promise<ConfirmOutcome> {
    const secret = await this.monitored(secretId);
    const subject = this.subjectOf(secret);
    const arn = secret.ARN ?? secretId;
    const stages = secret.VersionIdsToStages;
    const pending = versionIn(stages, 'AWSPENDING');
    const current = versionIn(stages, 'AWSCURRENT');
    if (pending === undefined) return { ...subject, outcome: 'nothing-pending' };
    const changes = parseVersionChanges(this.tag(secret, this.tags.passwordChanged));
    if (pending !== current) {
      // The record first, naming the pending version: ignored until that version is current.
      const kept = changeOf(changes, current);
      await this.client.send(
        new TagResourceCommand({
          SecretId: arn,
          Tags: [
            {
              Key: this.tags.passwordChanged,
              Value: formatVersionChanges([...(kept ? [kept] : []), { versionId: pending, changedAt: now }]),
            },
          ],
        }),
      );
      await this.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: arn,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: pending,
          ...(current !== undefined && { RemoveFromVersionId: current }),
        }),
      );
    }
    const recorded = pending !== current ? now : changeOf(changes, pending)?.changedAt;
    await this.client.send(
      new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSPENDING', RemoveFromVersionId: pending }),
    );
    await this.client.send(new UntagResourceCommand({ SecretId: arn, TagKeys: [this.tags.rotationPending] }));
    return { ...subject, outcome: 'confirmed', ...(recorded instanceof Date && { changedAt: recorded }) };
  }

  /** Takes the pending label off: the current password stays as it is. */
  async abort(secretId: string): Promise<AbortOutcome> {
    const secret = await this.monitored(secretId);
    const subject = this.subjectOf(secret);
    const arn = secret.ARN ?? secretId;
    const pending = versionIn(secret.VersionIdsToStages, 'AWSPENDING');
    if (pending === undefined) return { ...subject, outcome: 'nothing-pending' };
    if (pending === versionIn(secret.VersionIdsToStages, 'AWSCURRENT')) {
      throw new RotationRefused(
        `${subject.secret}: the change was already confirmed (its new password is current); run rotate confirm to finish it`,
      );
    }
    await this.client.send(
      new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: 'AWSPENDING', RemoveFromVersionId: pending }),
    );
    await this.client.send(new UntagResourceCommand({ SecretId: arn, TagKeys: [this.tags.rotationPending] }));
    return { ...subject, outcome: 'aborted' };
  }

  private async monitored(secretId: string): Promise<DescribeSecretCommandOutput> {
    let secret: DescribeSecretCommandOutput;
    try {
      secret = await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'ResourceNotFoundException') throw new RotationRefused(`${secretId}: no such secret`);
      // Who may change passwords may describe only monitored secrets: a refusal here means it is not one.
      if (name === 'AccessDeniedException') {
        throw new RotationRefused(`${secretId}: not a monitored login, or not one you may change (access denied)`);
      }
      throw error;
    }
    const name = secret.Name ?? secretId;
    if (this.tag(secret, this.tags.platform) === undefined) {
      throw new RotationRefused(`${name}: not a monitored login (it has no ${this.tags.platform} tag)`);
    }
    if (secret.RotationEnabled) {
      throw new RotationRefused(
        `${name}: Secrets Manager rotation is configured for it, and its rotation function also uses AWSPENDING: change it with that rotation, or turn it off first`,
      );
    }
    if (secret.DeletedDate !== undefined) throw new RotationRefused(`${name}: the secret is scheduled for deletion`);
    return secret;
  }

  private tag(secret: DescribeSecretCommandOutput, key: string): string | undefined {
    return secret.Tags?.find((tag) => tag.Key === key)?.Value;
  }

  private subjectOf(secret: DescribeSecretCommandOutput): RotationSubject {
    const owner = this.tag(secret, this.tags.owner);
    return {
      secret: secret.Name ?? '',
      platform: this.tag(secret, this.tags.platform) ?? '',
      ...(owner !== undefined && { owner }),
    };
  }
}

/** What a step needs besides the secret: the platforms' rules and pages, the waiting time, a random source, the clock. */
export interface RotationStepContext {
  readonly generate: (platform: string) => string;
  readonly changePasswordLink: (platform: string) => string | undefined;
  readonly pendingMaxDays: number;
  readonly now: Date;
}

/** Runs one step, as the CLI's `rotate` and the password-change function both do, with the owner's notice. */
export async function rotationStep(
  rotation: SecretsManagerRotation,
  step: 'start' | 'confirm' | 'abort',
  secretId: string,
  context: RotationStepContext,
): Promise<{ readonly outcome: StartOutcome | ConfirmOutcome | AbortOutcome; readonly notice: string }> {
  const outcome =
    step === 'start'
      ? await rotation.start(secretId, context.generate, context.now)
      : step === 'confirm'
        ? await rotation.confirm(secretId, context.now)
        : await rotation.abort(secretId);
  const link = context.changePasswordLink(outcome.platform);
  const notice = rotationNotice(outcome, {
    ...(link !== undefined && { changePasswordLink: link }),
    pendingMaxDays: context.pendingMaxDays,
  });
  return { outcome, notice };
}

/** The context of a step under `policy`: its platforms (their rules and change-password pages) and its waiting time. */
export function rotationContextOf(policy: Policy, now: Date, randomInt: RandomInt): RotationStepContext {
  const catalog = PlatformCatalog.bundled(policy.platforms);
  return {
    generate: (platform) => generatePassword(passwordRulesOf(platform, catalog), randomInt),
    changePasswordLink: (platform) => catalog.linkOf(platform, 'change-password')?.url,
    pendingMaxDays: settingsOf(policy, rotationSettings).pendingMaxDays,
    now,
  };
}

/**
 * What the login's owner is told after a rotation step: where to change the password, how to read the new one, and
 * what to run next. Names, links and commands only: the new password is read by the owner from the vault, never sent.
 */
export function rotationNotice(
  step: StartOutcome | ConfirmOutcome | AbortOutcome,
  context: { readonly changePasswordLink?: string; readonly pendingMaxDays: number },
): string {
  const { secret, platform } = step;
  const owner = step.owner === undefined ? '' : ` (owner: ${step.owner})`;
  switch (step.outcome) {
    case 'started':
    case 'already-pending': {
      const since = step.since === undefined ? '' : ` since ${formatDay(step.since)}`;
      const lead =
        step.outcome === 'started'
          ? `A new password for ${secret}${owner} on ${platform} is stored as the secret's pending version.`
          : `A change of password for ${secret}${owner} on ${platform} is already pending${since}: the same pending password is kept.`;
      return [
        lead,
        '  1. Read it (it is never sent):',
        `       aws secretsmanager get-secret-value --secret-id ${secret} --version-stage AWSPENDING --query SecretString --output text`,
        "     or open the secret in the Secrets Manager console and retrieve its AWSPENDING version's value.",
        `  2. Change the password on ${platform} to it${context.changePasswordLink ? `: ${context.changePasswordLink}` : ''}.`,
        `  3. Then confirm: credential-hygiene rotate confirm ${secret}`,
        `     (or, if you do not change it: credential-hygiene rotate abort ${secret}).`,
        `Until it is confirmed the monitor checks the current password; after ${context.pendingMaxDays} days pending it reports rotation:pending-stuck.`,
        '',
      ].join('\n');
    }
    case 'confirmed':
      return `${secret}${owner}: the new password is now the current one${step.changedAt ? `, changed ${step.changedAt.toISOString()}` : ''}; its age counts from then.\n`;
    case 'aborted':
      return `${secret}${owner}: the pending password was dropped; the current one stays as it is.\n`;
    default:
      return `${secret}${owner}: no change of password is pending (start one with credential-hygiene rotate start ${secret}).\n`;
  }
}
