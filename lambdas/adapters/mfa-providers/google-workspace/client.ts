import { JWT } from 'google-auth-library';
import { MfaLookupError, type MfaProviderAnswer, type MfaStatusSource } from '../../../core/evidence-sources';
import { describeIssues } from '../../../core/validation-problems';
import * as z from '../../../core/zod';
import { ConcurrencyLimiter } from '../../../util/concurrency';
import { boundedFetch } from '../../bounded-body';
import { DEFAULT_MAX_BODY_BYTES, type RetryOptions, retryingFetch, retryOptionsOf } from '../../retrying-fetch';
import { credentialsLoader } from '../credentials';
import type { MfaProviderClientFactory } from '../provider-module';
import { RefusalMemory } from '../refusal-memory';
import type { GoogleWorkspaceSettings } from './provider';

export const GOOGLE_DIRECTORY_URL = 'https://admin.googleapis.com';
/** Where google-auth-library sends its token requests; `tokenUrl` redirects them (a test server, a proxy). */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_DIRECTORY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';

/** The fields of a service account's JSON key that sign its token requests. */
export interface GoogleServiceAccountKey {
  readonly client_email: string;
  readonly private_key: string;
}

const keySchema = z.looseObject({
  type: z.optional(z.literal('service_account', { error: 'must be "service_account"' })),
  client_email: z.email({ error: 'must be the service account email' }),
  private_key: z
    .string({ error: 'is required' })
    .check(z.refine((value) => value.includes('-----BEGIN PRIVATE KEY-----'), { error: 'must be a PEM private key' })),
});

/** Reads a service account's JSON key, as Google Cloud downloads it; problems name the field, never a value. */
export function parseGoogleServiceAccountKey(text: string): GoogleServiceAccountKey {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MfaLookupError('the Google service-account key is not JSON');
  }
  const parsed = keySchema.safeParse(json);
  if (!parsed.success) {
    throw new MfaLookupError(`the Google service-account key: ${describeIssues(parsed.error.issues).join('; ')}`);
  }
  return { client_email: parsed.data.client_email, private_key: parsed.data.private_key };
}

export interface GoogleWorkspaceMfaProviderOptions extends RetryOptions {
  /** Read on the first lookup; a failure to read it fails each lookup, never the scan. */
  readonly credentials: () => Promise<GoogleServiceAccountKey>;
  /** The Workspace admin the service account acts as, through domain-wide delegation. */
  readonly adminEmail: string;
  readonly directoryUrl?: string;
  readonly tokenUrl?: string;
  /** Lookups in flight at once. Default 4. */
  readonly concurrency?: number;
}

const userSchema = z.looseObject({ isEnrolledIn2Sv: z.boolean(), isEnforcedIn2Sv: z.boolean() });

/**
 * Google Workspace's Admin SDK Directory API: `GET /admin/directory/v1/users/{userKey}` with the
 * `admin.directory.user.readonly` scope, asking only for `isEnrolledIn2Sv` and `isEnforcedIn2Sv`. Tokens come from
 * google-auth-library (a service account acting as a Workspace admin through domain-wide delegation) and are kept
 * until they expire; a refused key or delegation fails every later lookup at once.
 */
export class GoogleWorkspaceMfaProvider implements MfaStatusSource {
  readonly id = 'google-workspace' as const;
  private readonly directoryUrl: string;
  private readonly limiter: ConcurrencyLimiter;
  /** The token client, with the key it was made from: made again when the credentials reader returns another key. */
  private connected: { readonly key: GoogleServiceAccountKey; readonly client: JWT } | undefined;
  private readonly refusals: RefusalMemory;
  /** Token requests sent: a failure before any was sent is the key's (it could not sign), after one, the service's. */
  private tokenRequestsSent = 0;
  /** The status of the token service's last answer, which google-auth-library's own errors do not always carry. */
  private lastTokenStatus: number | undefined;

  constructor(private readonly options: GoogleWorkspaceMfaProviderOptions) {
    this.directoryUrl = (options.directoryUrl ?? GOOGLE_DIRECTORY_URL).replace(/\/+$/, '');
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 4);
    this.refusals = new RefusalMemory();
  }

  statusOf(user: string): Promise<MfaProviderAnswer> {
    return this.limiter.run(async () => {
      this.refusals.check();
      const token = await this.accessToken();
      const answer = await retryingFetch({
        url: `${this.directoryUrl}/admin/directory/v1/users/${encodeURIComponent(user)}?fields=isEnrolledIn2Sv,isEnforcedIn2Sv`,
        init: { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
        service: 'the Google Admin SDK',
        fail: (reason) => new MfaLookupError(reason),
        ...retryOptionsOf(this.options),
      });
      if (answer.status === 404) throw new MfaLookupError('Google Workspace has no such user (404)');
      if (answer.status === 401) {
        this.connected = undefined;
        throw new MfaLookupError('the Google Admin SDK refused the access token (401)');
      }
      if (answer.status === 403) {
        throw new MfaLookupError(
          'the Google Admin SDK refused the request (403): the user is outside the domains the admin manages, or the admin may not read users',
        );
      }
      if (answer.status !== 200) throw new MfaLookupError(`the Google Admin SDK answered HTTP ${answer.status}`);
      let user2sv: z.infer<typeof userSchema>;
      try {
        user2sv = userSchema.parse(JSON.parse(answer.text));
      } catch {
        throw new MfaLookupError('the Google Admin SDK answered with a body that is not a user with its 2SV fields');
      }
      return { enrolled: user2sv.isEnrolledIn2Sv, enforced: user2sv.isEnforcedIn2Sv };
    });
  }

  private async accessToken(): Promise<string> {
    const client = await this.tokenClient();
    try {
      const { token } = await client.getAccessToken();
      if (!token) throw new MfaLookupError("Google's token service answered without a token");
      return token;
    } catch (error) {
      if (error instanceof MfaLookupError) throw error;
      throw this.tokenFailure(error);
    }
  }

  /** The token client for the current key: the key is asked for each time (its reader caches it); a new key, a new client. */
  private async tokenClient(): Promise<JWT> {
    let key: GoogleServiceAccountKey;
    try {
      key = await this.options.credentials();
    } catch (error) {
      if (error instanceof MfaLookupError) throw this.refusals.remember(error.message);
      throw new MfaLookupError('the Google service-account key could not be read');
    }
    const same =
      this.connected?.key.client_email === key.client_email && this.connected.key.private_key === key.private_key;
    if (!same || this.connected === undefined) this.connected = { key, client: this.connect(key) };
    return this.connected.client;
  }

  private connect(key: GoogleServiceAccountKey): JWT {
    const client = new JWT({
      email: key.client_email,
      key: key.private_key,
      scopes: [GOOGLE_DIRECTORY_SCOPE],
      subject: this.options.adminEmail,
      // Node's own fetch (rather than gaxios importing node-fetch at run time), bounded like every other request.
      transporterOptions: {
        fetchImplementation: boundedFetch(
          {
            timeoutMs: this.options.timeoutMs ?? 10_000,
            maxBodyBytes: this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
          },
          {
            onRequest: () => {
              this.tokenRequestsSent += 1;
              this.lastTokenStatus = undefined;
            },
            onResponse: (status) => {
              this.lastTokenStatus = status;
            },
          },
        ),
      },
    });
    const tokenUrl = this.options.tokenUrl;
    if (tokenUrl !== undefined && tokenUrl !== GOOGLE_TOKEN_URL) {
      client.transporter.interceptors.request.add({
        resolved: async (config) => {
          if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUrl);
          return config;
        },
      });
    }
    return client;
  }

  /**
   * Why no token: Google refused it (a 4xx: the key is revoked, or delegation does not grant the scope), its token
   * service did not answer, or the key could not sign. Only the OAuth error code is kept, never Google's message.
   */
  private tokenFailure(error: unknown): MfaLookupError {
    const response = (error as { response?: { status?: number; data?: { error?: unknown } } }).response;
    const status = response?.status ?? this.lastTokenStatus;
    if (status === undefined) {
      // gaxios's errors carry the request's config; an error without one, before any request, came from signing.
      const sent = this.tokenRequestsSent > 0 || (typeof error === 'object' && error !== null && 'config' in error);
      return sent
        ? new MfaLookupError("Google's token service did not answer (connection failed, timed out or a body too large)")
        : this.refusals.remember('the Google service-account key could not sign a token request');
    }
    if (status >= 500 || status === 429) return new MfaLookupError(`Google's token service answered HTTP ${status}`);
    // A 2xx or 3xx without a token is the service's fault, not the key's: not remembered, asked again next time.
    if (status < 400) {
      return new MfaLookupError(`Google's token service answered HTTP ${status} with a body that is not a token`);
    }
    const code =
      typeof response?.data?.error === 'string' && /^[a-z_]{1,64}$/.test(response.data.error)
        ? `, ${response.data.error}`
        : '';
    return this.refusals.remember(
      `Google refused the service account's token request (HTTP ${status}${code}): domain-wide delegation must grant it ${GOOGLE_DIRECTORY_SCOPE} for the admin it acts as`,
    );
  }
}

/** The Google Workspace client its settings describe. */
export const googleWorkspaceClient: MfaProviderClientFactory<GoogleWorkspaceSettings> = (settings, wiring) =>
  new GoogleWorkspaceMfaProvider({
    credentials: credentialsLoader(wiring, settings, 'the Google service-account key', parseGoogleServiceAccountKey),
    adminEmail: settings.adminEmail,
    ...(settings.directoryUrl !== undefined && { directoryUrl: settings.directoryUrl }),
    ...(settings.tokenUrl !== undefined && { tokenUrl: settings.tokenUrl }),
  });
