import { z } from 'zod';
import { isLoopbackHost } from '../adapters/loopback';
import { describeIssues } from '../core/validation-problems';

/**
 * Where a provider's credentials are: a Secrets Manager secret (a function, or the CLI with AWS credentials) or a
 * local file (the CLI only). Exactly one.
 */
const credentialsSource = {
  credentialsSecret: z
    .string()
    .regex(/^[\w/+=.@:-]{1,2048}$/, { error: 'must be a Secrets Manager secret name or ARN' })
    .optional(),
  credentialsFile: z.string().min(1, { error: 'must be a path' }).optional(),
};
const oneCredentialsSource = (settings: { credentialsSecret?: string; credentialsFile?: string }) =>
  (settings.credentialsSecret === undefined) !== (settings.credentialsFile === undefined);
const ONE_SOURCE = { error: 'needs exactly one of credentialsSecret and credentialsFile', path: ['credentialsSecret'] };

/** https, or plain http to a loopback address (a local test server); never credentials in the URL. */
const url = z.url({ protocol: /^https?$/, error: 'must be an https:// URL' }).refine(
  (value) => {
    const parsed = new URL(value);
    const loopback = isLoopbackHost(parsed.hostname);
    return (parsed.protocol === 'https:' || loopback) && !parsed.username && !parsed.password;
  },
  { error: 'must be an https:// URL (plain http only on loopback), without credentials' },
);

/** The identity providers asked about MFA: the same shape in `cdk.json`, the function's environment and the CLI. */
export const mfaProviderSettingsSchema = z.strictObject(
  {
    googleWorkspace: z
      .strictObject({
        ...credentialsSource,
        adminEmail: z.email({ error: 'must be the email of the Workspace admin the service account acts as' }),
        directoryUrl: url.optional(),
        tokenUrl: url.optional(),
      })
      .refine(oneCredentialsSource, ONE_SOURCE)
      .optional(),
    microsoftEntra: z
      .strictObject({ ...credentialsSource, graphUrl: url.optional(), loginUrl: url.optional() })
      .refine(oneCredentialsSource, ONE_SOURCE)
      .optional(),
    awsIam: z
      .strictObject({
        endpoint: url.optional(),
        region: z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region' })
          .optional(),
      })
      .optional(),
  },
  { error: 'must be an object with googleWorkspace, microsoftEntra and awsIam' },
);

export type MfaProviderSettings = z.infer<typeof mfaProviderSettingsSchema>;

/** Settings from JSON, or the problems with them, each naming its key under `prefix`. */
export function parseMfaProviderSettings(
  raw: unknown,
  prefix: string,
): { ok: true; settings: MfaProviderSettings } | { ok: false; problems: string[] } {
  const parsed = mfaProviderSettingsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const problems = describeIssues(parsed.error.issues, '(root)').map((problem) =>
    problem.startsWith('(root)') ? `${prefix}${problem.slice('(root)'.length)}` : `${prefix}.${problem}`,
  );
  return { ok: false, problems };
}

/** Every Secrets Manager secret the settings read: what the function's role is granted. */
export function credentialSecretsOf(settings: MfaProviderSettings): string[] {
  return [settings.googleWorkspace?.credentialsSecret, settings.microsoftEntra?.credentialsSecret].filter(
    (secret): secret is string => secret !== undefined,
  );
}
