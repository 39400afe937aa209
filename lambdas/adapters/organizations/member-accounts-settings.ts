import { describeIssues } from '../../core/validation-problems';
import * as z from '../../core/zod';

/** The read role's name in each member account, unless `accounts.roleName` says otherwise. */
export const DEFAULT_MEMBER_ROLE_NAME = 'CredentialHygieneRead';

/**
 * The least memory a check function gets, where it reads member accounts and its own default is less: an estate of
 * 100 accounts of 500 secrets is 50,000 logins (`npm run bench` reads them in about 250 MB, before the checks).
 */
export const MEMBER_ACCOUNTS_MEMORY_MB = 1024;

/** Member accounts read at once, unless `accounts.concurrency` says otherwise; each reads its secrets as one account does. */
export const DEFAULT_MEMBER_CONCURRENCY = 4;

const ACCOUNT_ID = z.string({ error: 'must be a 12-digit AWS account id' }).check(
  z.regex(/^\d{12}$/, {
    error: 'must be a 12-digit AWS account id',
  }),
);
const OU_OR_ROOT = z.string({ error: 'must be an organizational unit id (ou-…) or a root id (r-…)' }).check(
  z.regex(/^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/, {
    error: 'must be an organizational unit id (ou-ab12-cd34ef56) or a root id (r-ab12)',
  }),
);

/** An IAM role's name, as IAM allows it. */
export const roleNameSchema = z
  .string({ error: 'must be an IAM role name' })
  .check(z.regex(/^[\w+=,.@-]{1,64}$/, { error: 'must be an IAM role name (1-64 of letters, digits and +=,.@_-)' }));

/**
 * Which AWS accounts the monitor reads (cdk.json `accounts`, the CLI's `--accounts FILE`): those under the listed
 * organizational units (`"all"`: every account of the organisation), or the listed `accountIds`, less `exclude`; each
 * through `roleName`. `organizationId` and `monitorAccountId` are what the member stack's trust is written with.
 */
export const memberAccountsSettingsSchema = z
  .strictObject(
    {
      organizationId: z.optional(
        z
          .string({ error: 'must be an organization id' })
          .check(z.regex(/^o-[a-z0-9]{10,32}$/, { error: 'must be an organization id such as o-a1b2c3d4e5' })),
      ),
      monitorAccountId: z.optional(ACCOUNT_ID),
      organizationUnits: z.optional(
        z.union(
          [z.literal('all'), z.array(OU_OR_ROOT).check(z.minLength(1, { error: 'must list at least one unit' }))],
          {
            error: 'must be "all" or a list of organizational unit ids',
          },
        ),
      ),
      accountIds: z.optional(
        z
          .array(ACCOUNT_ID, { error: 'must be a list of account ids' })
          .check(z.minLength(1, { error: 'must list at least one account' }), z.maxLength(10_000)),
      ),
      exclude: z._default(z.array(ACCOUNT_ID, { error: 'must be a list of account ids' }), []),
      roleName: z._default(roleNameSchema, DEFAULT_MEMBER_ROLE_NAME),
      concurrency: z._default(
        z.number({ error: 'must be a number' }).check(z.int({ error: 'must be a whole number' }), z.gte(1), z.lte(32)),
        DEFAULT_MEMBER_CONCURRENCY,
      ),
    },
    { error: 'must be an object (organizationUnits or accountIds, and exclude, roleName, concurrency)' },
  )
  .check(
    z.refine((settings) => (settings.organizationUnits === undefined) !== (settings.accountIds === undefined), {
      error: 'must name either organizationUnits ("all" or a list) or accountIds, not both',
    }),
  );

export type MemberAccountsSettings = z.output<typeof memberAccountsSettingsSchema>;

/** The settings, or each problem named under `prefix` (`credential-hygiene.accounts`, `--accounts file.json`). */
export function parseMemberAccountsSettings(
  raw: unknown,
  prefix: string,
): { ok: true; settings: MemberAccountsSettings } | { ok: false; problems: string[] } {
  const parsed = memberAccountsSettingsSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, settings: parsed.data }
    : { ok: false, problems: describeIssues(parsed.error.issues, prefix) };
}
