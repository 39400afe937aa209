import * as z from 'zod';
import type { Account } from '../../../core/account';
import type { MfaProviderModule } from '../provider-module';
import { serviceUrl } from '../settings-parts';

const settingsSchema = z.strictObject({
  endpoint: serviceUrl.optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region' })
    .optional(),
});

export type AwsIamSettings = z.infer<typeof settingsSchema>;

/** AWS IAM: a console login's MFA devices, asked with the function's own role (no credentials of its own). */
export const awsIam: MfaProviderModule<AwsIamSettings> = {
  id: 'aws-iam',
  name: 'AWS IAM',
  userField: 'username (the IAM user name)',
  userOf: (account: Account) => account.username,
  settingsKey: 'awsIam',
  settingsSchema,
  credentialsOf: () => undefined,
  // Read-only, on any user: which users are shared console logins is known only from the monitored secrets.
  grantsFor: () => [
    { actions: ['iam:ListMFADevices'], resource: { service: 'iam', region: '', resource: 'user', resourceName: '*' } },
  ],
};
