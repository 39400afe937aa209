import { MfaLookupError, type MfaProviderAnswer, type MfaStatusSource } from '../../../core/evidence-sources';
import type { SecondFactor } from '../../../core/second-factor';
import { describeIssues } from '../../../core/validation-problems';
import * as z from '../../../core/zod';
import { ConcurrencyLimiter } from '../../../util/concurrency';
import { type RetryOptions, retryingFetch, retryOptionsOf } from '../../retrying-fetch';
import { credentialsLoader } from '../credentials';
import type { MfaProviderClientFactory } from '../provider-module';
import { RefusalMemory } from '../refusal-memory';
import type { MicrosoftEntraSettings } from './provider';

export const MICROSOFT_GRAPH_URL = 'https://graph.microsoft.com';
export const MICROSOFT_LOGIN_URL = 'https://login.microsoftonline.com';

/** An app registration with the `AuditLog.Read.All` application permission, as stored in its secret. */
export interface MicrosoftEntraCredentials {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

const credentialsSchema = z.strictObject({
  tenantId: z
    .string({ error: 'is required' })
    .check(z.regex(/^[\w.-]{1,100}$/, { error: 'must be a tenant id or domain' })),
  clientId: z.string({ error: 'is required' }).check(z.minLength(1, { error: 'must not be empty' })),
  clientSecret: z.string({ error: 'is required' }).check(z.minLength(1, { error: 'must not be empty' })),
});

/** Reads the credentials secret; problems name the field, never a value. */
export function parseMicrosoftEntraCredentials(text: string): MicrosoftEntraCredentials {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MfaLookupError('the Microsoft Entra ID credentials are not JSON');
  }
  const parsed = credentialsSchema.safeParse(json);
  if (!parsed.success) {
    throw new MfaLookupError(`the Microsoft Entra ID credentials: ${describeIssues(parsed.error.issues).join('; ')}`);
  }
  return parsed.data;
}

export interface MicrosoftGraphMfaProviderOptions extends RetryOptions {
  /** Read on the first lookup; a failure to read them fails each lookup, never the scan. */
  readonly credentials: () => Promise<MicrosoftEntraCredentials>;
  readonly graphUrl?: string;
  readonly loginUrl?: string;
  /** Lookups in flight at once. Default 4. */
  readonly concurrency?: number;
  readonly clock?: () => number;
}

const registrationSchema = z.looseObject({
  isMfaRegistered: z.boolean(),
  isMfaCapable: z.boolean(),
  methodsRegistered: z._default(z.array(z.string()).check(z.maxLength(64)), []),
});
/** Graph's method names are camelCase identifiers (`microsoftAuthenticatorPush`, `mobilePhone`); others are dropped. */
const METHOD_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
/**
 * Graph's `methodsRegistered` in the project's factor names. Phone methods (SMS or a call) are `sms`: a SIM swap takes
 * them all. A temporary access pass, security questions and app passwords are not second factors of a sign-in and are
 * left out; a method Graph adds later keeps its own name, which no rule counts as weak.
 */
const GRAPH_FACTORS: Readonly<Record<string, SecondFactor | null>> = {
  mobilePhone: 'sms',
  alternateMobilePhone: 'sms',
  officePhone: 'sms',
  email: 'email',
  microsoftAuthenticatorPush: 'app-push',
  microsoftAuthenticatorPasswordless: 'app-push',
  softwareOneTimePasscode: 'totp',
  hardwareOneTimePasscode: 'totp',
  fido2: 'security-key',
  windowsHelloForBusiness: 'passkey',
  passKeyDeviceBound: 'passkey',
  passKeyDeviceBoundAuthenticator: 'passkey',
  passKeyDeviceBoundWindowsHello: 'passkey',
  macOsSecureEnclaveKey: 'passkey',
  temporaryAccessPass: null,
  securityQuestion: null,
  appPassword: null,
};

function factorsOf(methodsRegistered: readonly string[]): string[] {
  const factors = methodsRegistered
    .filter((method) => METHOD_NAME.test(method))
    .flatMap((method) => {
      const factor = Object.hasOwn(GRAPH_FACTORS, method) ? GRAPH_FACTORS[method] : method;
      return factor === null || factor === undefined ? [] : [factor];
    });
  return [...new Set(factors)];
}
const tokenSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.coerce.number().check(z.positive()),
});
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Tokens are renewed this long before they expire. */
const TOKEN_MARGIN_MS = 5 * 60_000;

/**
 * Microsoft Entra ID's registration report, through Microsoft Graph:
 * `GET /v1.0/reports/authenticationMethods/userRegistrationDetails/{id}` for an object id, or the same collection
 * filtered by `userPrincipalName` for a sign-in address (so `AuditLog.Read.All` is the only permission needed). The
 * token comes from the client-credentials grant and is kept until five minutes before it expires; refused credentials
 * fail every later lookup at once. `isMfaRegistered` is the enrolment; registered methods the tenant's policy does not
 * allow (`isMfaCapable: false`) count as not enforced. Whether Conditional Access requires MFA, Graph's report does not
 * say.
 */
export class MicrosoftGraphMfaProvider implements MfaStatusSource {
  readonly id = 'microsoft-entra' as const;
  private readonly graphUrl: string;
  private readonly loginUrl: string;
  private readonly limiter: ConcurrencyLimiter;
  private readonly clock: () => number;
  private token: Promise<{ value: string; expiresAt: number }> | undefined;
  private readonly refusals: RefusalMemory;

  constructor(private readonly options: MicrosoftGraphMfaProviderOptions) {
    this.graphUrl = (options.graphUrl ?? MICROSOFT_GRAPH_URL).replace(/\/+$/, '');
    this.loginUrl = (options.loginUrl ?? MICROSOFT_LOGIN_URL).replace(/\/+$/, '');
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 4);
    this.clock = options.clock ?? Date.now;
    this.refusals = new RefusalMemory(undefined, this.clock);
  }

  statusOf(user: string): Promise<MfaProviderAnswer> {
    return this.limiter.run(async () => {
      this.refusals.check();
      const token = await this.accessToken();
      const base = `${this.graphUrl}/v1.0/reports/authenticationMethods/userRegistrationDetails`;
      const url = GUID.test(user)
        ? `${base}/${user}`
        : `${base}?$filter=${encodeURIComponent(`userPrincipalName eq '${user.replaceAll("'", "''")}'`)}`;
      const answer = await retryingFetch({
        url,
        init: { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
        service: 'Microsoft Graph',
        fail: (reason) => new MfaLookupError(reason),
        ...retryOptionsOf(this.options),
      });
      if (answer.status === 404) throw new MfaLookupError('Microsoft Entra ID has no such user (404)');
      if (answer.status === 401) {
        this.token = undefined;
        throw new MfaLookupError('Microsoft Graph refused the access token (401)');
      }
      if (answer.status === 403) {
        throw this.refusals.remember(
          'Microsoft Graph refused the request (403): the app needs the AuditLog.Read.All application permission, with admin consent',
        );
      }
      if (answer.status !== 200) throw new MfaLookupError(`Microsoft Graph answered HTTP ${answer.status}`);
      const details = GUID.test(user) ? readJson(answer.text) : firstOf(readJson(answer.text));
      const parsed = registrationSchema.safeParse(details);
      if (!parsed.success) {
        throw new MfaLookupError('Microsoft Graph answered with a body that is not a userRegistrationDetails object');
      }
      const { isMfaRegistered, isMfaCapable, methodsRegistered } = parsed.data;
      return {
        enrolled: isMfaRegistered,
        methods: factorsOf(methodsRegistered),
        ...(isMfaRegistered &&
          !isMfaCapable && {
            enforced: false,
            notEnforcedBecause: "its registered methods are not allowed by the tenant's authentication methods policy",
          }),
      };
    });
  }

  private accessToken(): Promise<string> {
    const current = this.token;
    if (current) {
      return current.then((token) =>
        token.expiresAt - TOKEN_MARGIN_MS > this.clock() ? token.value : this.renewToken(current),
      );
    }
    return this.renewToken(undefined);
  }

  /** One renewal at a time: lookups that find the same expired token share the new one. */
  private async renewToken(expired: typeof this.token): Promise<string> {
    if (this.token === expired) {
      const pending = this.requestToken();
      this.token = pending;
      pending.catch(() => {
        if (this.token === pending) this.token = undefined;
      });
    }
    return (await (this.token as NonNullable<typeof this.token>)).value;
  }

  private async requestToken(): Promise<{ value: string; expiresAt: number }> {
    let credentials: MicrosoftEntraCredentials;
    try {
      credentials = await this.options.credentials();
    } catch (error) {
      if (error instanceof MfaLookupError) throw this.refusals.remember(error.message);
      throw new MfaLookupError('the Microsoft Entra ID credentials could not be read');
    }
    const answer = await retryingFetch({
      url: `${this.loginUrl}/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          scope: `${new URL(this.graphUrl).origin}/.default`,
        }),
      },
      service: 'Microsoft Entra ID',
      fail: (reason) => new MfaLookupError(reason),
      ...retryOptionsOf(this.options),
    });
    if (answer.status !== 200) {
      const code = oauthErrorCode(answer.text);
      throw this.refusals.remember(
        `Microsoft Entra ID refused the client credentials (HTTP ${answer.status}${code ? `, ${code}` : ''})`,
      );
    }
    const parsed = tokenSchema.safeParse(readJson(answer.text));
    if (!parsed.success) throw new MfaLookupError('Microsoft Entra ID answered with a body that is not a token');
    return { value: parsed.data.access_token, expiresAt: this.clock() + parsed.data.expires_in * 1000 };
  }
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The one entry of a filtered collection; an empty one means no such user. */
function firstOf(collection: unknown): unknown {
  const value = (collection as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(value)) return undefined;
  if (value.length === 0) throw new MfaLookupError('Microsoft Entra ID has no such user (no registration details)');
  return value[0];
}

/** The OAuth error code (`invalid_client`), which is safe to show; never its description, which can echo input. */
function oauthErrorCode(text: string): string | undefined {
  const code = (readJson(text) as { error?: unknown } | undefined)?.error;
  return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? code : undefined;
}

/** The Microsoft Entra ID client its settings describe. */
export const microsoftEntraClient: MfaProviderClientFactory<MicrosoftEntraSettings> = (settings, wiring) =>
  new MicrosoftGraphMfaProvider({
    credentials: credentialsLoader(
      wiring,
      settings,
      'the Microsoft Entra ID credentials',
      parseMicrosoftEntraCredentials,
    ),
    ...(settings.graphUrl !== undefined && { graphUrl: settings.graphUrl }),
    ...(settings.loginUrl !== undefined && { loginUrl: settings.loginUrl }),
  });
