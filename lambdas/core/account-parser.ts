import { type Account, MFA_STATUSES } from './account';
import { CONTROL_CHARACTERS, expected, INVISIBLE_OR_REORDERING, name, text } from './input-text';
import { parseIsoDate } from './iso-date';
import { mfaProviderIdSchema, oncePerProviderList } from './mfa-provider-descriptor';
import { SECOND_FACTORS } from './second-factor';
import { describeIssues, printableKey } from './validation-problems';
import * as z from './zod';

export const MAX_PASSWORD_LENGTH = 1024;
const FUTURE_TOLERANCE_MS = 86_400_000;

export type AccountParseResult =
  | { readonly ok: true; readonly account: Account }
  | { readonly ok: false; readonly problems: readonly string[] };

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** Linear: no part can match where another could, so a long input without `@` fails at once (the old one was quadratic). */
export const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
/** `+` and up to 15 digits, the first not 0 (ITU-T E.164); spaces, dashes and brackets are taken out first. */
const E164 = /^\+[1-9]\d{6,14}$/;
/** What the engine calls an entry whose id cannot be read: an id of this form would be two accounts with one id. */
const PLACEHOLDER_ID = /^inventory\[\d+\]$/;
/** Before this, a change or attestation date is a typo (`0025-03-14`), not a date. */
const EARLIEST_DATE = Date.UTC(1970, 0, 1);

/** Optional fields: absent, null and blank all mean "not given". */
function optional<T extends z.ZodMiniType>(schema: T): z.ZodMiniPipe<z.ZodMiniTransform, z.ZodMiniOptional<T>> {
  const blankAsAbsent = z.transform<unknown, unknown>((value) => (value === null || value === '' ? undefined : value));
  // What the full form's z.preprocess does: a transform piped into the schema, whatever input type it declares.
  return z.pipe(blankAsAbsent, z.optional(schema) as z.ZodMiniType) as z.ZodMiniPipe<
    z.ZodMiniTransform,
    z.ZodMiniOptional<T>
  >;
}

/** A date, read once: the schema's output is the Date, so a scan of thousands of entries parses each date once. */
const isoDate = z.pipe(
  z
    .string({ error: expected('an ISO 8601 date such as 2025-01-31') })
    .check(z.maxLength(64, { error: 'must be an ISO 8601 date such as 2025-01-31', abort: true })),
  z.transform((value, context) => {
    const date = parseIsoDate(value);
    if (date === undefined) {
      context.issues.push({
        code: 'custom',
        message: 'must be an ISO 8601 date such as 2025-01-31 or 2025-01-31T09:30:00Z',
        input: value,
      });
      return z.NEVER;
    }
    if (date.getTime() < EARLIEST_DATE) {
      context.issues.push({ code: 'custom', message: 'is before 1970-01-01 (a mistyped year?)', input: value });
      return z.NEVER;
    }
    return date;
  }),
);

const accountFields = {
  id: name(200).check(
    z.refine((value) => value.trim().length > 0, { error: 'must not be blank', abort: true }),
    z.refine((value) => !PLACEHOLDER_ID.test(value), {
      error: 'is of the form inventory[N], which names entries whose id cannot be read',
    }),
  ),
  platform: z
    .pipe(
      z.string({ error: expected('a domain such as x.com') }),
      z.transform((value) => value.trim().toLowerCase()),
    )
    .check(z.refine((value) => DOMAIN.test(value), { error: 'must be a domain such as x.com' })),
  owner: optional(name(200)),
  username: optional(name(320)),
  email: optional(name(320).check(z.refine((value) => EMAIL.test(value), { error: 'must be an email address' }))),
  recoveryEmail: optional(
    name(320).check(z.refine((value) => EMAIL.test(value), { error: 'must be an email address' })),
  ),
  recoveryPhone: optional(
    z
      .pipe(
        z.string({ error: expected('an E.164 phone number such as +447700900123') }),
        z.transform((value) => value.replace(/[\s()-]/g, '')),
      )
      .check(z.refine((value) => E164.test(value), { error: 'must be an E.164 phone number such as +447700900123' })),
  ),
  password: z.string({ error: expected('a string') }).check(
    z.minLength(1, { error: 'must not be empty' }),
    z.maxLength(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` }),
    z.refine((value) => value.isWellFormed(), { error: 'is not valid Unicode' }),
    z.refine((value) => !CONTROL_CHARACTERS.test(value), {
      error: 'contains control characters (a pasted newline or tab?)',
    }),
  ),
  passwordChangedAt: optional(isoDate),
  totp: optional(text(2048)),
  mfa: optional(
    z.strictObject(
      {
        status: z.enum(MFA_STATUSES, { error: `must be one of ${MFA_STATUSES.join(', ')}` }),
        attestedAt: optional(isoDate),
        methods: optional(
          z
            .array(z.enum(SECOND_FACTORS, { error: `must be among ${SECOND_FACTORS.join(', ')}` }), {
              error: expected(`a list such as ["sms", "totp"] (${SECOND_FACTORS.join(', ')})`),
            })
            .check(z.maxLength(SECOND_FACTORS.length * 4)),
        ),
      },
      { error: expected('an object such as {"status": "enabled", "attestedAt": "2025-01-31"}') },
    ),
  ),
};

function schemasFor(known: readonly string[] | undefined) {
  const withPassword = z.strictObject(
    { ...accountFields, mfaProvider: optional(mfaProviderIdSchema(known, ['none'])) },
    { error: 'must be a JSON object' },
  );
  /** For an entry whose secret value was not read: the password is then absent, and must be. */
  const withoutPassword = z.extend(withPassword, {
    password: z.optional(z.undefined({ error: 'must not be given when the secret value is not read' })),
  });
  return { withPassword, withoutPassword };
}

/** The account schemas for a list of known provider ids, made once per list. */
const schemas = oncePerProviderList(schemasFor);

/**
 * Validates one inventory entry or secret value. Problems name the field and what is wrong with it, never its
 * value. Dates more than a day after `now` are rejected: a change date in the future would hide a stale password.
 * With `passwordRequired: false` (a secret whose value was not read) the entry carries no password.
 */
export function parseAccount(
  raw: unknown,
  now: Date,
  options: { passwordRequired?: boolean; mfaProviderIds?: readonly string[] } = {},
): AccountParseResult {
  const { withPassword, withoutPassword } = schemas(options.mfaProviderIds);
  const schema = options.passwordRequired === false ? withoutPassword : withPassword;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error.issues) };
  const entry = parsed.data;
  const passwordChangedAt = entry.passwordChangedAt;
  const attestedAt = entry.mfa?.attestedAt;
  const problems = [
    ...futureDateProblem('passwordChangedAt', passwordChangedAt, now),
    ...futureDateProblem('mfa.attestedAt', attestedAt, now),
  ];
  if (problems.length > 0) return { ok: false, problems };
  const account: Account = {
    id: entry.id,
    platform: entry.platform,
    ...(entry.password !== undefined && { password: entry.password }),
    ...(entry.owner !== undefined && { owner: entry.owner }),
    ...(entry.username !== undefined && { username: entry.username }),
    ...(entry.email !== undefined && { email: entry.email }),
    ...(entry.recoveryEmail !== undefined && { recoveryEmail: entry.recoveryEmail }),
    ...(entry.recoveryPhone !== undefined && { recoveryPhone: entry.recoveryPhone }),
    ...(passwordChangedAt !== undefined && { passwordChangedAt }),
    ...(entry.totp !== undefined && { totp: entry.totp }),
    ...(entry.mfa !== undefined && {
      mfa: {
        status: entry.mfa.status,
        ...(attestedAt !== undefined && { attestedAt }),
        ...(entry.mfa.methods !== undefined && { methods: [...new Set(entry.mfa.methods)] }),
      },
    }),
    ...(entry.mfaProvider !== undefined && { mfaProvider: entry.mfaProvider }),
  };
  return { ok: true, account };
}

function futureDateProblem(field: string, date: Date | undefined, now: Date): string[] {
  if (date === undefined || date.getTime() <= now.getTime() + FUTURE_TOLERANCE_MS) return [];
  return [`${field}: is in the future`];
}

/**
 * The id, platform and owner an unparseable entry can still be reported under, when they are plain safe strings (and
 * the platform a well-formed domain). Nothing else of the entry is read.
 */
export function identifyingFields(raw: unknown): { id?: string; platform?: string; owner?: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const record = raw as Record<string, unknown>;
  const safe = (key: string) => {
    const value = Object.hasOwn(record, key) ? record[key] : undefined;
    return typeof value === 'string' &&
      value.trim() !== '' &&
      value.length <= 200 &&
      value.isWellFormed() &&
      !INVISIBLE_OR_REORDERING.test(value)
      ? printableKey(value)
      : undefined;
  };
  const readable = safe('id');
  const id = readable !== undefined && !PLACEHOLDER_ID.test(readable) ? readable : undefined;
  const platform = safe('platform')?.toLowerCase();
  const owner = safe('owner');
  return {
    ...(id !== undefined && { id }),
    ...(platform !== undefined && DOMAIN.test(platform) && { platform }),
    ...(owner !== undefined && { owner }),
  };
}
