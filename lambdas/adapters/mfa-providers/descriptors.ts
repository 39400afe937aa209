import type { MfaProviderDescriptor } from '../../core/mfa-provider-descriptor';
import { awsIam } from './aws-iam/provider';
import { googleWorkspace } from './google-workspace/provider';
import { microsoftEntra } from './microsoft-entra/provider';
import type { MfaProviderModule } from './provider-module';

/**
 * The identity providers this build can ask about MFA: one line each. Their clients are listed in `clients.ts`, kept
 * apart so that a function that only parses accounts does not load Google's or AWS's libraries.
 */
export const MFA_PROVIDERS: readonly MfaProviderModule[] = [googleWorkspace, microsoftEntra, awsIam];

/** The providers as the core knows them. */
export const MFA_PROVIDER_DESCRIPTORS: readonly MfaProviderDescriptor[] = MFA_PROVIDERS;

export const MFA_PROVIDER_IDS: readonly string[] = MFA_PROVIDERS.map((provider) => provider.id);
