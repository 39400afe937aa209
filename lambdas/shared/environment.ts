import { channelTargetsOf } from '../adapters/channels/registry';
import { type EvidenceSourceSettings, parseEvidenceSourceSettings } from '../adapters/evidence-sources/registry';
import type { KeyedSettings } from '../adapters/keyed-settings';
import { MFA_PROVIDER_IDS } from '../adapters/mfa-providers/descriptors';
import {
  credentialFileKeysOf,
  type MfaProviderSettings,
  parseMfaProviderSettings,
} from '../adapters/mfa-providers/settings';
import type { MemberAccountsSettings } from '../adapters/organizations/member-accounts-settings';
import { DEFAULT_TAG_KEY } from '../adapters/secrets-manager-tags';
import { type Policy, parsePolicy } from '../core/policy';
import { SafeToShowError } from '../core/safe-to-show-error';
import { describeIssues } from '../core/validation-problems';
import * as z from '../core/zod';

/** What a function reads from its environment; the CDK construct sets exactly these names. */
export const ENVIRONMENT_NAMES = {
  findingsTopicArn: 'FINDINGS_TOPIC_ARN',
  tagKey: 'MONITOR_TAG_KEY',
  policy: 'CHECK_POLICY',
  stateTableName: 'STATE_TABLE_NAME',
  fingerprintKeySecretArn: 'FINGERPRINT_KEY_SECRET_ARN',
  evidenceSources: 'EVIDENCE_SOURCES',
  mfaProviders: 'MFA_PROVIDERS',
  routedOwners: 'ROUTED_OWNERS',
  escalationContacts: 'ESCALATION_CONTACTS',
  readRetentionDays: 'READ_RETENTION_DAYS',
  knowersEnabled: 'KNOWERS_ENABLED',
  identityStoreId: 'IDENTITY_STORE_ID',
  leaversSecretName: 'LEAVERS_SECRET_NAME',
  memberAccounts: 'MEMBER_ACCOUNTS',
} as const;

/**
 * The settings that grow with the estate's configuration (the policy and its exceptions, the owners, the MFA
 * providers, the evidence sources): the stack bundles them with the function's code instead of setting them as environment variables, which
 * Lambda caps at 4 KB per function (300 owners' ids alone are more). A variable of the same name still wins.
 */
export const BUNDLED_SETTING_NAMES = [
  ENVIRONMENT_NAMES.policy,
  ENVIRONMENT_NAMES.routedOwners,
  ENVIRONMENT_NAMES.escalationContacts,
  ENVIRONMENT_NAMES.mfaProviders,
  ENVIRONMENT_NAMES.evidenceSources,
  ENVIRONMENT_NAMES.memberAccounts,
] as const;

/** The global that esbuild's `define` replaces, at bundling, with the bundled settings as one JSON text. */
export const BUNDLED_SETTINGS_GLOBAL = 'CREDENTIAL_HYGIENE_BUNDLED_SETTINGS';
declare const CREDENTIAL_HYGIENE_BUNDLED_SETTINGS: string | undefined;

/** The settings bundled with this function's code (none when it was not bundled by the stack: a test, the CLI). */
export function bundledSettings(): Readonly<Record<string, string>> {
  const text = typeof CREDENTIAL_HYGIENE_BUNDLED_SETTINGS === 'string' ? CREDENTIAL_HYGIENE_BUNDLED_SETTINGS : '{}';
  const settings = JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(
    BUNDLED_SETTING_NAMES.flatMap((name) => {
      const value = settings[name];
      return typeof value === 'string' ? [[name, value]] : [];
    }),
  );
}

export interface FunctionEnvironment {
  readonly findingsTopicArn: string;
  readonly tagKey: string;
  readonly policy: Policy;
  /** The lifecycle table; without it, findings are not remembered between runs. */
  readonly stateTableName?: string;
  /** The secret holding the key for password fingerprints (the breach-exposure function). */
  readonly fingerprintKeySecretArn?: string;
  /** The evidence sources configured for this function (its breach corpus, its identity source), by settings key. */
  readonly evidenceSources: EvidenceSourceSettings;
  /** The identity providers the mfa-status function asks; their credentials are in Secrets Manager. */
  readonly mfaProviders?: MfaProviderSettings;
  /** The owner ids that have recipients (cdk.json `owners`); absent in an environment that does not say. */
  readonly routedOwners?: ReadonlySet<string>;
  /** Each owner's escalation contact, where its entry names one (cdk.json `owners.<id>.escalateTo`). */
  readonly escalationContacts: ReadonlyMap<string, string>;
  /** The optional channels it delivers to, by channel id, each with its target (see adapters/channels). */
  readonly channelTargets: ReadonlyMap<string, unknown>;
  /** Whether the reads of the secrets are recorded (cdk.json `knowers.enabled`): the knowers check runs on them. */
  readonly knowersEnabled: boolean;
  /** IAM Identity Center's identity store, asked who among the readers has left (`knowers.identityStoreId`). */
  readonly identityStoreId?: string;
  /** The secret holding the leavers list (`knowers.leaversSecret`). */
  readonly leaversSecretName?: string;
  /** The organisation's accounts to read through their read role (cdk.json `accounts`); absent, its own account. */
  readonly memberAccounts?: MemberAccountsSettings;
}

/** The function is misconfigured: a deployment problem, named by variable. */
export class EnvironmentError extends SafeToShowError {
  override readonly name = 'EnvironmentError';
}

/**
 * A variable holding JSON, read into a value by `read`, which gives undefined where the JSON is not of its shape: text
 * that is not JSON and JSON of another shape are the same one problem, `message`.
 */
function jsonVariable<T>(read: (parsed: unknown) => T | undefined, message: string) {
  return z.pipe(
    z.string(),
    z.transform((text, context) => {
      let value: T | undefined;
      try {
        value = read(JSON.parse(text));
      } catch {
        // reported below
      }
      if (value !== undefined) return value;
      context.issues.push({ code: 'custom', message, input: text });
      return z.NEVER;
    }),
  );
}

const schema = z.object({
  [ENVIRONMENT_NAMES.findingsTopicArn]: z
    .string({ error: 'is required' })
    .check(z.regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, { error: 'must be an SNS topic ARN' })),
  [ENVIRONMENT_NAMES.tagKey]: z._default(z.string().check(z.minLength(1), z.maxLength(127)), DEFAULT_TAG_KEY),
  [ENVIRONMENT_NAMES.policy]: z._default(z.string(), '{}'),
  [ENVIRONMENT_NAMES.stateTableName]: z.optional(
    z.string().check(z.regex(/^[\w.-]{3,255}$/, { error: 'must be a DynamoDB table name' })),
  ),
  [ENVIRONMENT_NAMES.fingerprintKeySecretArn]: z.optional(
    z.string().check(z.regex(/^arn:aws[a-z-]*:secretsmanager:/, { error: 'must be a Secrets Manager secret ARN' })),
  ),
  [ENVIRONMENT_NAMES.evidenceSources]: z.optional(z.string()),
  [ENVIRONMENT_NAMES.mfaProviders]: z.optional(z.string()),
  [ENVIRONMENT_NAMES.memberAccounts]: z.optional(z.string()),
  [ENVIRONMENT_NAMES.knowersEnabled]: z.optional(z.enum(['true', 'false'], { error: 'must be true or false' })),
  [ENVIRONMENT_NAMES.identityStoreId]: z.optional(
    z.string().check(z.regex(/^d-[0-9a-f]{10}$/, { error: 'must be an identity store id (d-1234567890)' })),
  ),
  [ENVIRONMENT_NAMES.leaversSecretName]: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  [ENVIRONMENT_NAMES.escalationContacts]: z.optional(
    jsonVariable((pairs) => {
      if (typeof pairs !== 'object' || pairs === null || Array.isArray(pairs)) return undefined;
      const entries = Object.entries(pairs);
      return entries.every(([, to]) => typeof to === 'string') ? new Map(entries as [string, string][]) : undefined;
    }, 'must be a JSON object of owner ids to owner ids'),
  ),
  [ENVIRONMENT_NAMES.routedOwners]: z.optional(
    jsonVariable(
      (ids) => (Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? new Set(ids as string[]) : undefined),
      'must be a JSON list of owner ids',
    ),
  ),
});

export function readEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  now: Date = new Date(),
): FunctionEnvironment {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new EnvironmentError(`environment: ${describeIssues(parsed.error.issues, '(environment)').join('; ')}`);
  }
  const values = parsed.data;
  let policy: Policy;
  try {
    policy = parsePolicy(JSON.parse(values[ENVIRONMENT_NAMES.policy]), { mfaProviderIds: MFA_PROVIDER_IDS, now });
  } catch (error) {
    const problem = error instanceof Error && error.name === 'PolicyError' ? error.message : 'is not valid JSON';
    throw new EnvironmentError(`environment: ${ENVIRONMENT_NAMES.policy}: ${problem}`);
  }
  const stateTableName = values[ENVIRONMENT_NAMES.stateTableName];
  const fingerprintKeySecretArn = values[ENVIRONMENT_NAMES.fingerprintKeySecretArn];
  const mfaProviders = readMfaProviders(values[ENVIRONMENT_NAMES.mfaProviders]);
  const memberAccounts = readMemberAccounts(values[ENVIRONMENT_NAMES.memberAccounts]);
  return {
    findingsTopicArn: values[ENVIRONMENT_NAMES.findingsTopicArn],
    tagKey: values[ENVIRONMENT_NAMES.tagKey],
    policy,
    ...(stateTableName !== undefined && { stateTableName }),
    ...(fingerprintKeySecretArn !== undefined && { fingerprintKeySecretArn }),
    evidenceSources: readEvidenceSources(values[ENVIRONMENT_NAMES.evidenceSources]),
    ...(mfaProviders !== undefined && { mfaProviders }),
    ...(memberAccounts !== undefined && { memberAccounts }),
    ...(values[ENVIRONMENT_NAMES.routedOwners] !== undefined && {
      routedOwners: values[ENVIRONMENT_NAMES.routedOwners],
    }),
    escalationContacts: values[ENVIRONMENT_NAMES.escalationContacts] ?? new Map(),
    channelTargets: readChannelTargets(env),
    knowersEnabled: values[ENVIRONMENT_NAMES.knowersEnabled] === 'true',
    ...(values[ENVIRONMENT_NAMES.identityStoreId] !== undefined && {
      identityStoreId: values[ENVIRONMENT_NAMES.identityStoreId],
    }),
    ...(values[ENVIRONMENT_NAMES.leaversSecretName] !== undefined && {
      leaversSecretName: values[ENVIRONMENT_NAMES.leaversSecretName],
    }),
  };
}

function readEvidenceSources(text: string | undefined): EvidenceSourceSettings {
  return text === undefined
    ? {}
    : readKeyedSettings(ENVIRONMENT_NAMES.evidenceSources, text, parseEvidenceSourceSettings);
}

/** Settings from a variable's JSON, each problem named under the variable. */
function readKeyedSettings<T = KeyedSettings>(
  name: string,
  text: string,
  parse: (raw: unknown, prefix: string) => { ok: true; settings: T } | { ok: false; problems: string[] },
): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EnvironmentError(`environment: ${name}: is not valid JSON`);
  }
  const parsed = parse(json, name);
  if (!parsed.ok) throw new EnvironmentError(`environment: ${parsed.problems.join('; ')}`);
  return parsed.settings;
}

function readMfaProviders(text: string | undefined): MfaProviderSettings | undefined {
  if (text === undefined) return undefined;
  const name = ENVIRONMENT_NAMES.mfaProviders;
  const settings = readKeyedSettings(name, text, parseMfaProviderSettings);
  const [withFile] = credentialFileKeysOf(settings);
  if (withFile !== undefined) {
    throw new EnvironmentError(
      `environment: ${name}.${withFile}.credentialsFile: a function reads credentialsSecret (files are for the CLI)`,
    );
  }
  return settings;
}

function readMemberAccounts(text: string | undefined): MemberAccountsSettings | undefined {
  if (text === undefined) return undefined;
  // Required here, not imported: a function that reads one account does not build the accounts schema at cold start.
  const { parseMemberAccountsSettings } =
    require('../adapters/organizations/member-accounts-settings') as typeof import('../adapters/organizations/member-accounts-settings');
  return readKeyedSettings(ENVIRONMENT_NAMES.memberAccounts, text, parseMemberAccountsSettings);
}

function readChannelTargets(env: Readonly<Record<string, string | undefined>>): ReadonlyMap<string, unknown> {
  try {
    return channelTargetsOf(env);
  } catch (error) {
    if (error instanceof RangeError) throw new EnvironmentError(`environment: ${error.message}`);
    throw error;
  }
}
