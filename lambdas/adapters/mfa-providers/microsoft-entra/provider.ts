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
  .strictObject({ ...credentialsSource, graphUrl: z.optional(serviceUrl), loginUrl: z.optional(serviceUrl) })
  .check(z.refine(oneCredentialsSource, ONE_CREDENTIALS_SOURCE));

export type MicrosoftEntraSettings = z.infer<typeof settingsSchema>;

/** Microsoft Entra ID: registered methods from Microsoft Graph, as an app with the client-credentials grant. */
export const microsoftEntra: MfaProviderModule<MicrosoftEntraSettings> = directoryProvider({
  id: 'microsoft-entra',
  name: 'Microsoft Entra ID',
  settingsKey: 'microsoftEntra',
  settingsSchema,
});
