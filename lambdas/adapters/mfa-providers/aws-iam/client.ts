import { IAMClient, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { errorName } from '../../../core/error-name';
import { MfaLookupError, type MfaProviderAnswer, type MfaStatusSource } from '../../../core/evidence-sources';
import type { SecondFactor } from '../../../core/second-factor';
import { ConcurrencyLimiter } from '../../../util/concurrency';
import { AWS_CLIENT_OPTIONS } from '../../aws-client-options';
import type { MfaProviderClientFactory } from '../provider-module';
import { RefusalMemory } from '../refusal-memory';
import type { AwsIamSettings } from './provider';

export interface AwsIamMfaProviderOptions {
  /** Its retries (throttling, 5xx) are the SDK's own: give it `maxAttempts`. */
  readonly client: IAMClient;
  /** Lookups in flight at once. Default 4. */
  readonly concurrency?: number;
}

/**
 * AWS IAM users (shared console logins): `ListMFADevices` for the user name. One device or more is enrolled. IAM has
 * no per-user switch that enforces MFA (that is a policy condition, `aws:MultiFactorAuthPresent`), so enforcement is
 * not reported. The device kinds are read from their serial numbers: a security key (`:u2f/`), or TOTP (a virtual
 * device, `:mfa/`, or a hardware token's serial).
 */
export class AwsIamMfaProvider implements MfaStatusSource {
  readonly id = 'aws-iam' as const;
  private readonly limiter: ConcurrencyLimiter;
  private readonly refusals: RefusalMemory;

  constructor(private readonly options: AwsIamMfaProviderOptions) {
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 4);
    this.refusals = new RefusalMemory();
  }

  statusOf(userName: string): Promise<MfaProviderAnswer> {
    return this.limiter.run(async () => {
      this.refusals.check();
      try {
        const { MFADevices = [] } = await this.options.client.send(new ListMFADevicesCommand({ UserName: userName }));
        return {
          enrolled: MFADevices.length > 0,
          methods: [...new Set(MFADevices.map((device) => deviceKind(device.SerialNumber ?? '')))],
        };
      } catch (error) {
        const name = errorName(error);
        if (name === 'NoSuchEntityException' || name === 'NoSuchEntity') {
          throw new MfaLookupError('AWS IAM has no such user (NoSuchEntity)');
        }
        if (name === 'AccessDenied' || name === 'AccessDeniedException') {
          throw this.refusals.remember(`AWS IAM refused ListMFADevices (${name}): the role needs iam:ListMFADevices`);
        }
        throw new MfaLookupError(`AWS IAM did not answer ListMFADevices (${name})`);
      }
    });
  }
}

/** A device's kind, in the project's factor names: a FIDO security key or passkey, or else a TOTP device. */
function deviceKind(serialNumber: string): SecondFactor {
  if (serialNumber.includes(':u2f/')) return 'security-key';
  // A virtual device (`:mfa/`, an authenticator app) and a hardware token (its serial) both generate TOTP codes.
  return 'totp';
}

/** The IAM client its settings describe; IAM is global in the `aws` partition, so any region reaches it. */
export const awsIamClient: MfaProviderClientFactory<AwsIamSettings> = (settings, wiring) =>
  new AwsIamMfaProvider({
    client: new IAMClient({
      ...AWS_CLIENT_OPTIONS,
      region: settings.region ?? wiring.defaultRegion ?? 'us-east-1',
      ...(settings.endpoint !== undefined && { endpoint: settings.endpoint }),
    }),
  });
