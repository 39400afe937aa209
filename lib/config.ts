import { type ChannelSettings, channelSettingsShape } from '../lambdas/adapters/channels/registry';
import { DEFAULT_READ_RETENTION_DAYS } from '../lambdas/adapters/cloudtrail/dynamodb-secret-reads';
import {
  type EvidenceSourceSettings,
  evidenceSourceSettingsOf,
  evidenceSourceSettingsShape,
} from '../lambdas/adapters/evidence-sources/registry';
import { MFA_PROVIDER_IDS } from '../lambdas/adapters/mfa-providers/descriptors';
import {
  credentialFileKeysOf,
  type MfaProviderSettings,
  mfaProviderSettingsSchema,
} from '../lambdas/adapters/mfa-providers/settings';
import {
  MEMBER_ACCOUNTS_MEMORY_MB,
  type MemberAccountsSettings,
  memberAccountsSettingsSchema,
} from '../lambdas/adapters/organizations/member-accounts-settings';
import { DEFAULT_TAG_KEY } from '../lambdas/adapters/secrets-manager-tags';
import { PolicyError, parsePolicy } from '../lambdas/core/policy';
import { SafeToShowError } from '../lambdas/core/safe-to-show-error';
import { describeIssues } from '../lambdas/core/validation-problems';
import * as z from '../lambdas/core/zod';
import { FUNCTION_NAMES, FUNCTION_SPECS, type FunctionName } from '../lambdas/shared/function-specs';
import { ownersSchema, type Recipients, recipientsSchema } from '../lambdas/shared/owner-recipients';

export type { Recipients };

/** The context key in cdk.json (or `-c credential-hygiene='{…}'`) that holds this configuration. */
export const CONFIG_CONTEXT_KEY = 'credential-hygiene';

/** The functions' keys in cdk.json's `functions`, from their specs. */
export const CHECK_FUNCTIONS = FUNCTION_NAMES;
export type CheckFunctionName = FunctionName;

export interface FunctionConfig {
  /** An EventBridge schedule: `rate(1 day)` or `cron(0 6 * * ? *)`. */
  readonly schedule: string;
  /** How often the schedule fires, in hours: from a `rate()`, or given as `everyHours` for a `cron()`. */
  readonly intervalHours: number;
  readonly memoryMb: number;
  readonly timeoutMinutes: number;
}

export interface MonitorConfig {
  readonly tagKey: string;
  /** The evidence sources configured (a breach corpus mirror, an identity source), by their settings keys. */
  readonly evidenceSources: EvidenceSourceSettings;
  /** Passed to the functions as their policy; validated here so that a bad one fails synth. */
  readonly policy: Readonly<Record<string, unknown>>;
  readonly functions: Readonly<Record<CheckFunctionName, FunctionConfig>>;
  /** Owner id (the `credential-hygiene:owner` tag value) to who hears about that owner's findings. */
  readonly owners: Readonly<Record<string, Recipients>>;
  /** Receives every digest (unowned ones included) and the monitor's own alarms. */
  readonly platformTeam: Recipients;
  readonly logRetentionDays: number;
  /** Identity providers the mfa-status function asks (Google Workspace, Microsoft Entra ID, AWS IAM). */
  readonly mfaProviders?: MfaProviderSettings;
  /** The optional channels' settings (each off by default), by their settings keys: see adapters/channels. */
  readonly channels: ChannelSettings;
  /** Who knows each password: the reads of the secrets recorded from CloudTrail (off by default). */
  readonly knowers: {
    readonly enabled: boolean;
    readonly readRetentionDays: number;
    /** IAM Identity Center's identity store, asked who among the readers has been deleted. */
    readonly identityStoreId?: string;
    /** A secret holding the leavers list (CSV or JSON, as `--leavers` reads a file). */
    readonly leaversSecret?: string;
  };
  /** The people who run `import --apply` and `rotate`: their managed policy covers secrets of this name prefix. */
  readonly personAccess: { readonly secretNamePrefix?: string };
  /**
   * The AWS accounts of the organisation to read through their read role (see the member stack); absent, the monitor
   * reads its own account only.
   */
  readonly accounts?: MemberAccountsSettings & { readonly organizationId: string; readonly monitorAccountId: string };
}

/** The configuration cannot be used; the message lists every problem, each naming its key. */
export class ConfigError extends SafeToShowError {
  override readonly name = 'ConfigError';
}

/** Lambda's longest timeout. */
const MAX_TIMEOUT_MINUTES = 15;

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((\S+ ){5}\S+\)$/;
const UNIT_HOURS: Record<string, number> = { minute: 1 / 60, minutes: 1 / 60, hour: 1, hours: 1, day: 24, days: 24 };

const functionConfig = z.strictObject(
  {
    schedule: z.optional(
      z.string({ error: 'must be a schedule expression' }).check(
        z.refine((value) => RATE.test(value) || CRON.test(value), {
          error: 'must be rate(N minutes|hours|days) or cron(six fields)',
        }),
      ),
    ),
    everyHours: z.optional(z.number({ error: 'must be a number of hours' }).check(z.positive(), z.lte(24 * 366))),
    memoryMb: z.optional(z.number({ error: 'must be a number' }).check(z.int(), z.gte(128), z.lte(10240))),
    timeoutMinutes: z.optional(
      z.number({ error: 'must be a number' }).check(z.int(), z.gte(1), z.lte(MAX_TIMEOUT_MINUTES)),
    ),
  },
  { error: 'must be an object' },
);

const schema = z.strictObject(
  {
    tagKey: z._default(
      z.string({ error: 'must be a tag key' }).check(
        z.regex(/^[\p{L}\p{N}\s_.:/=+\-@]{1,127}$/u, { error: 'must be a valid tag key (1-127 characters)' }),
        z.refine((value) => !value.startsWith('aws:'), { error: 'must not start with aws:' }),
      ),
      DEFAULT_TAG_KEY,
    ),
    // Each evidence source's settings, under its own key: declared by its module (adapters/evidence-sources/).
    ...evidenceSourceSettingsShape,
    policy: z._default(z.record(z.string(), z.unknown(), { error: 'must be an object (see the README)' }), {}),
    functions: z._default(
      z.strictObject(
        Object.fromEntries(CHECK_FUNCTIONS.map((name) => [name, z.optional(functionConfig)])) as Record<
          CheckFunctionName,
          z.ZodMiniOptional<typeof functionConfig>
        >,
        { error: 'must be an object' },
      ),
      {},
    ),
    owners: z._default(ownersSchema, {}),
    platformTeam: z._default(recipientsSchema, { emails: [], phones: [] }),
    mfaProviders: z.optional(mfaProviderSettingsSchema),
    // Each optional channel's settings, under its own key: declared by its module (adapters/channels/).
    ...channelSettingsShape,
    knowers: z._default(
      z.strictObject(
        {
          enabled: z._default(z.boolean({ error: 'must be true or false' }), false),
          readRetentionDays: z._default(
            z
              .number({ error: 'must be a number of days' })
              .check(
                z.int({ error: 'must be a whole number of days' }),
                z.gte(30, { error: 'must be at least 30 days' }),
                z.lte(3650, { error: 'must be at most 3650 days' }),
              ),
            DEFAULT_READ_RETENTION_DAYS,
          ),
          identityStoreId: z.optional(
            z
              .string({ error: 'must be an identity store id' })
              .check(z.regex(/^d-[0-9a-f]{10}$/, { error: 'must be an identity store id such as d-1234567890' })),
          ),
          leaversSecret: z.optional(
            z
              .string({ error: 'must be a secret name' })
              .check(z.regex(/^[\w/+=.@-]{1,512}$/, { error: 'must be a Secrets Manager secret name' })),
          ),
        },
        { error: 'must be an object with enabled (and readRetentionDays, identityStoreId, leaversSecret)' },
      ),
      { enabled: false, readRetentionDays: DEFAULT_READ_RETENTION_DAYS },
    ),
    accounts: z.optional(memberAccountsSettingsSchema),
    personAccess: z._default(
      z.strictObject(
        {
          secretNamePrefix: z.optional(
            z
              .string({ error: 'must be a secret name prefix' })
              .check(
                z.regex(/^[\w/+=.@-]{1,256}$/, { error: 'must be the start of a secret name, such as shared-logins/' }),
              ),
          ),
        },
        { error: 'must be an object with secretNamePrefix' },
      ),
      {},
    ),
    logRetentionDays: z._default(
      z.number({ error: 'must be a number of days' }).check(
        z.refine((value) => LOG_RETENTION_DAYS.includes(value), {
          error: `must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
        }),
      ),
      90,
    ),
  },
  { error: 'must be an object' },
);

/** Reads and validates the configuration from its context value (an object, or a JSON string from `-c`). */
/** The stack's configuration from `cdk.json`'s context; `now`: the day policy exceptions' caps count from. */
export function readConfig(context: unknown, now: Date = new Date()): MonitorConfig {
  let raw = context ?? {};
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      throw new ConfigError(`${CONFIG_CONTEXT_KEY}: the -c value is not valid JSON`);
    }
  }
  const parsed = schema.safeParse(raw);
  const policyProblems = policyProblemsOf((raw as { policy?: unknown }).policy, now);
  if (!parsed.success) {
    throw new ConfigError(
      problemsMessage([...describeIssues(parsed.error.issues, CONFIG_CONTEXT_KEY), ...policyProblems]),
    );
  }
  const given = parsed.data;
  const problems: string[] = [...policyProblems];
  const functions = Object.fromEntries(
    CHECK_FUNCTIONS.map((name) => {
      const fn = given.functions[name] ?? {};
      const { defaults } = FUNCTION_SPECS[name];
      const schedule = fn.schedule ?? defaults.schedule;
      const rate = RATE.exec(schedule);
      const intervalHours =
        fn.everyHours ?? (rate ? Number(rate[1]) * (UNIT_HOURS[rate[2] as string] ?? 24) : undefined);
      if (intervalHours === undefined) {
        problems.push(`functions.${name}.everyHours: is required with a cron() schedule (how often it fires)`);
      }
      // Reading an organisation's accounts is an estate many times one account's: more memory and time by default.
      const members = given.accounts !== undefined;
      const config: FunctionConfig = {
        schedule,
        intervalHours: intervalHours ?? 24,
        memoryMb: fn.memoryMb ?? (members ? Math.max(defaults.memoryMb, MEMBER_ACCOUNTS_MEMORY_MB) : defaults.memoryMb),
        timeoutMinutes: fn.timeoutMinutes ?? (members ? MAX_TIMEOUT_MINUTES : defaults.timeoutMinutes),
      };
      return [name, config];
    }),
  ) as Record<CheckFunctionName, FunctionConfig>;
  const accounts = given.accounts;
  if (accounts !== undefined) {
    // The member stack's trust is written with them: a role trusting no organisation, or any account, is refused.
    if (accounts.organizationId === undefined)
      problems.push('accounts.organizationId: is required (the member roles trust the organisation by it)');
    if (accounts.monitorAccountId === undefined)
      problems.push("accounts.monitorAccountId: is required (the member roles trust this account's functions)");
  }
  for (const key of credentialFileKeysOf(given.mfaProviders ?? {})) {
    problems.push(`mfaProviders.${key}.credentialsFile: the functions read credentialsSecret (files are for the CLI)`);
  }
  if (problems.length > 0)
    throw new ConfigError(problemsMessage(problems.map((line) => `${CONFIG_CONTEXT_KEY}.${line}`)));
  return {
    tagKey: given.tagKey,
    evidenceSources: evidenceSourceSettingsOf(given),
    policy: given.policy,
    functions,
    owners: given.owners,
    platformTeam: given.platformTeam,
    logRetentionDays: given.logRetentionDays,
    knowers: given.knowers,
    personAccess: given.personAccess,
    ...(accounts?.organizationId !== undefined &&
      accounts.monitorAccountId !== undefined && {
        accounts: { ...accounts, organizationId: accounts.organizationId, monitorAccountId: accounts.monitorAccountId },
      }),
    ...(given.mfaProviders !== undefined && { mfaProviders: given.mfaProviders }),
    channels: Object.fromEntries(
      Object.keys(channelSettingsShape).map((key) => [key, (given as Record<string, unknown>)[key]]),
    ),
  };
}

function policyProblemsOf(policy: unknown, now: Date): string[] {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return [];
  try {
    // Synth checks the exceptions' caps from today: a deploy cannot accept a risk for longer than the policy allows.
    parsePolicy(policy, { mfaProviderIds: MFA_PROVIDER_IDS, now });
    return [];
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return error.problems.map((problem) => `policy.${problem}`);
  }
}

function problemsMessage(problems: readonly string[]): string {
  const lines = problems.map((problem) =>
    problem.startsWith(`${CONFIG_CONTEXT_KEY}.`) || problem.startsWith(`${CONFIG_CONTEXT_KEY}:`)
      ? problem
      : `${CONFIG_CONTEXT_KEY}.${problem}`,
  );
  return `invalid configuration (cdk.json context "${CONFIG_CONTEXT_KEY}"):\n  ${lines.join('\n  ')}`;
}
