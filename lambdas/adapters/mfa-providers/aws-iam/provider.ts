import type { Account } from '../../../core/account';
import * as z from '../../../core/zod';
import type { MfaProviderModule } from '../provider-module';
import { serviceUrl } from '../settings-parts';

const settingsSchema = z.strictObject({
  endpoint: z.optional(serviceUrl),
  region: z.optional(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region' }))),
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
