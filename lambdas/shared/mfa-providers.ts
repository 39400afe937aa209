import { IAMClient } from '@aws-sdk/client-iam';
import { AwsIamMfaProvider } from '../adapters/aws-iam-mfa-provider';
import { GoogleWorkspaceMfaProvider, parseGoogleServiceAccountKey } from '../adapters/google-workspace-mfa-provider';
import { MicrosoftGraphMfaProvider, parseMicrosoftEntraCredentials } from '../adapters/microsoft-graph-mfa-provider';
import { errorName } from '../core/error-name';
import { MfaLookupError, type MfaStatusSource } from '../core/evidence-sources';
import { AWS_CLIENT_OPTIONS } from './aws-client-options';
import type { MfaProviderSettings } from './mfa-provider-settings';

/** Where one provider's credentials are, as the settings say. */
export interface CredentialsRef {
  readonly credentialsSecret?: string;
  readonly credentialsFile?: string;
}

export interface MfaProviderWiring {
  /** Reads the credentials' text: from Secrets Manager in a function, from a file or a secret in the CLI. */
  readonly readCredentials: (ref: CredentialsRef) => Promise<string>;
  /** IAM's region where the settings give none (IAM is global in the `aws` partition). */
  readonly defaultRegion?: string;
}

/**
 * The MFA providers the settings configure. Credentials are read when a provider needs them (its first lookup, a new
 * token), so a provider that cannot read them fails its lookups (each a check-error) and never the scan, and a
 * rotated credential is used once its reader returns it. What they hold is never logged.
 */
export function mfaProvidersFrom(settings: MfaProviderSettings, wiring: MfaProviderWiring): MfaStatusSource[] {
  const providers: MfaStatusSource[] = [];
  const { googleWorkspace, microsoftEntra, awsIam } = settings;
  if (googleWorkspace) {
    providers.push(
      new GoogleWorkspaceMfaProvider({
        credentials: credentialsLoader(
          wiring,
          googleWorkspace,
          'the Google service-account key',
          parseGoogleServiceAccountKey,
        ),
        adminEmail: googleWorkspace.adminEmail,
        ...(googleWorkspace.directoryUrl !== undefined && { directoryUrl: googleWorkspace.directoryUrl }),
        ...(googleWorkspace.tokenUrl !== undefined && { tokenUrl: googleWorkspace.tokenUrl }),
      }),
    );
  }
  if (microsoftEntra) {
    providers.push(
      new MicrosoftGraphMfaProvider({
        credentials: credentialsLoader(
          wiring,
          microsoftEntra,
          'the Microsoft Entra ID credentials',
          parseMicrosoftEntraCredentials,
        ),
        ...(microsoftEntra.graphUrl !== undefined && { graphUrl: microsoftEntra.graphUrl }),
        ...(microsoftEntra.loginUrl !== undefined && { loginUrl: microsoftEntra.loginUrl }),
      }),
    );
  }
  if (awsIam) {
    const region = awsIam.region ?? wiring.defaultRegion ?? 'us-east-1';
    providers.push(
      new AwsIamMfaProvider({
        client: new IAMClient({
          ...AWS_CLIENT_OPTIONS,
          region,
          ...(awsIam.endpoint !== undefined && { endpoint: awsIam.endpoint }),
        }),
      }),
    );
  }
  return providers;
}

function credentialsLoader<T>(
  wiring: MfaProviderWiring,
  ref: CredentialsRef,
  what: string,
  parse: (text: string) => T,
): () => Promise<T> {
  const where =
    ref.credentialsSecret !== undefined ? `secret ${ref.credentialsSecret}` : `file ${ref.credentialsFile ?? '?'}`;
  return async () => {
    let text: string;
    try {
      text = await wiring.readCredentials(ref);
    } catch (error) {
      const code = (error as { code?: unknown } | undefined)?.code;
      const why = typeof code === 'string' ? code : errorName(error);
      throw new MfaLookupError(`${what} could not be read from ${where} (${why})`);
    }
    return parse(text);
  };
}
