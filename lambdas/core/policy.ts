import { CHECK_SETTINGS, coveredSeverities, SEVERITY_OVERRIDE_KEYS } from './check-registry';
import { settingsOf } from './check-settings';
import { asciiDomain } from './email-address';
import { daysAhead, UNACCEPTABLE_CHECKS } from './exceptions';
import { name } from './input-text';
import { parseIsoDate } from './iso-date';
import { mfaProviderIdSchema, oncePerProviderList } from './mfa-provider-descriptor';
import { MFA_METHODS } from './platform-catalog';
import { httpsUrl } from './platform-links/https-url';
import { days } from './policy-fields';
import { DEFAULT_POLICY, EXCEPTION_MAX_DAYS_CEILING, type Policy } from './policy-model';
import { SafeToShowError } from './safe-to-show-error';
import { SEVERITIES, type Severity } from './severity';
import { describeIssues, printableKey } from './validation-problems';
import * as z from './zod';

export { DEFAULT_POLICY, EXCEPTION_MAX_DAYS_CEILING, type Policy };

export class PolicyError extends SafeToShowError {
  override readonly name = 'PolicyError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

/**
 * Free text a person must write (a reason, a name): not blank, one paragraph at most, and, as in the inventory, no
 * control character and nothing that hides or reorders text: it is printed in every report and message.
 */
const requiredText = (error: string) =>
  z.pipe(z.pipe(z.string({ error }), name(500)), z.string().check(z.trim(), z.minLength(1, { error })));

/** `{ "critical": 1, "high": 7, … }`: a number of days for some of the severities. */
const daysBySeverity = z.optional(
  z.strictObject(
    Object.fromEntries(SEVERITIES.map((severity) => [severity, z.optional(days)])) as Record<
      Severity,
      z.ZodMiniOptional<typeof days>
    >,
    { error: 'must be an object of severities to days' },
  ),
);

/** A link the policy gives owners to fix a login at: https only, never one an attacker on the path could rewrite. */
const httpsLink = z
  .string({ error: 'must be an https URL' })
  .check(z.refine(httpsUrl, { error: 'must be an https URL' }));

function policySchemaFor(mfaProviderIds: readonly string[] | undefined) {
  return z.strictObject(
    {
      // Each check's own thresholds, under its key: declared by the check (see check-settings).
      ...Object.fromEntries(CHECK_SETTINGS.map((settings) => [settings.key, z.optional(settings.schema)])),
      reminderDays: daysBySeverity,
      escalation: daysBySeverity,
      platforms: z.optional(
        z.array(
          z.strictObject(
            {
              domain: z.string().check(
                z.regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
                  error: 'must be a lower-case domain such as newswire.example',
                }),
              ),
              name: z.pipe(
                name(100, "the platform's name"),
                z.string().check(z.minLength(1, { error: "must be the platform's name" })),
              ),
              aliases: z._default(z.array(z.pipe(name(253), z.string().check(z.minLength(1)))), []),
              mfa: z.array(z.enum(MFA_METHODS, { error: `must be among ${MFA_METHODS.join(', ')}` }), {
                error: 'must list the second factors it offers ([] for none)',
              }),
              mfaProvider: z.optional(mfaProviderIdSchema(mfaProviderIds)),
              mailbox: z.optional(z.boolean({ error: 'must be true or false' })),
              highImpact: z.optional(z.boolean({ error: 'must be true or false' })),
              source: z.optional(z.url({ error: 'must be a URL' })),
              passkeySource: z.optional(z.url({ error: 'must be a URL' })),
              links: z.optional(
                z.strictObject(
                  { changePassword: z.optional(httpsLink), secondFactor: z.optional(httpsLink) },
                  { error: 'must be an object with changePassword and secondFactor URLs' },
                ),
              ),
            },
            { error: 'must be an object with domain, name and mfa' },
          ),
          { error: 'must be a list of platforms' },
        ),
      ),
      organisationDomains: z.optional(
        z
          .array(
            z
              .string({ error: 'must be a domain such as northshire-police.example' })
              .check(
                z.refine(
                  (domain) =>
                    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(asciiDomain(domain)),
                  { error: 'must be a domain such as northshire-police.example' },
                ),
              ),
            { error: "must be a list of the organisation's email domains" },
          )
          .check(z.maxLength(100)),
      ),
      exceptions: z.optional(
        z.array(
          z.strictObject(
            {
              account: z.pipe(
                name(512, 'an account id or a glob over them (press-office/*)'),
                z
                  .string()
                  .check(z.minLength(1, { error: 'must be an account id or a glob over them (press-office/*)' })),
              ),
              check: z.string({ error: 'must be a check id or check:kind' }).check(
                z.refine((check) => coveredSeverities(check, {}) !== undefined, {
                  error: 'is not a check id or check:kind (see the README for the list)',
                }),
                z.refine((check) => !UNACCEPTABLE_CHECKS.has(check.split(':', 1)[0] as string), {
                  error: 'cannot be accepted: it says an account could not be checked, not a risk to accept',
                }),
              ),
              reason: requiredText('must say why the risk is accepted'),
              acceptedBy: requiredText('must name who accepted the risk'),
              expires: z.string({ error: 'must be the last day it holds, as YYYY-MM-DD' }).check(
                z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be the last day it holds, as YYYY-MM-DD' }),
                z.refine((day) => parseIsoDate(day) !== undefined, { error: 'is not a date in the calendar' }),
              ),
            },
            { error: 'must be an object with account, check, reason, acceptedBy and expires' },
          ),
          { error: 'must be a list of exceptions' },
        ),
      ),
      exceptionMaxDays: z.optional(
        z.strictObject(
          Object.fromEntries(
            SEVERITIES.map((severity) => [
              severity,
              z.optional(
                days.check(
                  z.lte(EXCEPTION_MAX_DAYS_CEILING[severity], {
                    error: `must be at most ${EXCEPTION_MAX_DAYS_CEILING[severity]} days: a ${severity} finding is never accepted for longer (the cap may be lowered, not raised past that)`,
                  }),
                ),
              ),
            ]),
          ) as Record<Severity, z.ZodMiniOptional<typeof days>>,
          { error: 'must be an object of severities to days' },
        ),
      ),
      severityOverrides: z.optional(
        z.record(
          z.string().check(
            z.refine((key) => SEVERITY_OVERRIDE_KEYS.has(key), {
              error: 'is not a check id or check:kind (see the README for the list)',
            }),
          ),
          z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }),
        ),
      ),
    },
    { error: 'must be a JSON object' },
  );
}

/** The policy schema for a list of known provider ids, made once per list. */
const policySchemas = oncePerProviderList(policySchemaFor);

/**
 * Reads a policy document (the parsed JSON of a `--policy` file) over the defaults. Throws a PolicyError that
 * lists every problem, each naming its key. `mfaProviderIds`: the identity providers this build knows (their adapters
 * declare them), which a platform's `mfaProvider` must name; without them, any well-formed id. `now`: the day the
 * policy is read, which exceptions' caps (`exceptionMaxDays`) count from; a policy with exceptions needs it.
 */
export function parsePolicy(raw: unknown, options: { mfaProviderIds?: readonly string[]; now?: Date } = {}): Policy {
  const parsed = policySchemas(options.mfaProviderIds).safeParse(raw);
  if (!parsed.success) {
    throw new PolicyError(
      describeIssues(parsed.error.issues, '(policy)').map((problem) => namingTheEntry(problem, raw)),
    );
  }
  const given = parsed.data;
  const policy: Policy = {
    // The thresholds a policy gives, over their defaults; a check whose thresholds it does not give has its defaults.
    checkSettings: Object.fromEntries(
      CHECK_SETTINGS.flatMap((settings) => {
        const own = (given as Record<string, object | undefined>)[settings.key];
        return own === undefined ? [] : [[settings.key, { ...settings.defaults, ...own }]];
      }),
    ),
    reminderDays: { ...DEFAULT_POLICY.reminderDays, ...given.reminderDays },
    escalation: { ...given.escalation },
    severityOverrides: { ...given.severityOverrides },
    platforms: given.platforms ?? [],
    organisationDomains: (given.organisationDomains ?? []).map(asciiDomain),
    exceptions: given.exceptions ?? [],
    exceptionMaxDays: { ...DEFAULT_POLICY.exceptionMaxDays, ...given.exceptionMaxDays },
  };
  const beyondCaps = exceptionsBeyondTheirCaps(policy, options.now);
  if (beyondCaps.length > 0) throw new PolicyError(beyondCaps);
  const settingsProblems = CHECK_SETTINGS.flatMap((settings) =>
    (settings.problemsOf?.(settingsOf(policy, settings)) ?? []).map((problem) => `${settings.key}.${problem}`),
  );
  if (settingsProblems.length > 0) throw new PolicyError(settingsProblems);
  return policy;
}

/**
 * Each exception no finding it covers could be accepted by, as a problem naming the entry: one that expires further
 * ahead than the cap of the least severity its findings can have, or one over every account that could accept a
 * critical finding. Counted in whole days from `now`'s UTC day to the expiry day. Within the cap of one severity but
 * not another (a 300-day acceptance of `password-age:too-old`, medium or high), it is valid: each run accepts only the
 * findings whose severity then allows it (see ExceptionMatcher).
 */
function exceptionsBeyondTheirCaps(policy: Policy, now: Date | undefined): string[] {
  if (policy.exceptions.length === 0) return [];
  if (now === undefined) throw new TypeError('parsePolicy needs `now` to check the caps of the exceptions');
  return policy.exceptions.flatMap((exception, index) => {
    const severities = coveredSeverities(exception.check, policy.severityOverrides) as readonly Severity[];
    if (severities.includes('critical') && coversEveryAccount(exception.account)) {
      return [
        `exceptions[${index}] (${printableKey(exception.account)}, ${exception.check}): account: an exception for every account may not accept a critical finding; name the accounts it is for`,
      ];
    }
    const least = severities[0] as Severity;
    const cap = policy.exceptionMaxDays[least];
    const ahead = daysAhead(exception.expires, now);
    if (ahead <= cap) return [];
    return [
      `exceptions[${index}] (${printableKey(exception.account)}, ${exception.check}): expires: ${exception.expires} is ${ahead} days ahead; a ${least} finding may be accepted for at most ${cap} days (exceptionMaxDays.${least})`,
    ];
  });
}

/** A glob with no character of its own (`*`, `?*`): it matches every account, whatever the estate holds. */
function coversEveryAccount(glob: string): boolean {
  return /^[*?]+$/.test(glob) && glob.includes('*');
}

/** `exceptions[2].reason: …` becomes `exceptions[2] (press-office/x, mfa).reason: …`: the entry, as its author knows it. */
function namingTheEntry(problem: string, raw: unknown): string {
  const match = /^exceptions\[(\d+)\]/.exec(problem);
  if (match === null) return problem;
  const entry = (raw as { exceptions?: unknown[] }).exceptions?.[Number(match[1])] as
    | Record<string, unknown>
    | undefined;
  const label = [entry?.account, entry?.check].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  if (label.length === 0) return problem;
  return `${match[0]} (${label.map(printableKey).join(', ')})${problem.slice(match[0].length)}`;
}
