import * as z from '../../../core/zod';
import type { MfaProviderModule } from '../provider-module';
import {
  credentialsSource,
  directoryProvider,
  ONE_CREDENTIALS_SOURCE,
  oneCredentialsSource,
  serviceUrl,
} from '../settings-parts';

const settingsSchema = z
  .strictObject({
    ...credentialsSource,
    adminEmail: z.email({ error: 'must be the email of the Workspace admin the service account acts as' }),
    directoryUrl: z.optional(serviceUrl),
    tokenUrl: z.optional(serviceUrl),
  })
  .check(z.refine(oneCredentialsSource, ONE_CREDENTIALS_SOURCE));

export type GoogleWorkspaceSettings = z.infer<typeof settingsSchema>;

/** Google Workspace: 2-Step Verification from the Admin SDK, as a service account with domain-wide delegation. */
export const googleWorkspace: MfaProviderModule<GoogleWorkspaceSettings> = directoryProvider({
  id: 'google-workspace',
  name: 'Google Workspace',
  settingsKey: 'googleWorkspace',
  settingsSchema,
});
