import { AWS_CLIENT_OPTIONS } from '../../lambdas/adapters/aws-client-options';
import { readInventoryFile } from '../../lambdas/adapters/inventory-file';
import { errorName } from '../../lambdas/core/error-name';
import type { InventoryEntry } from '../../lambdas/core/inventory';
import type { StoreTerms } from '../../lambdas/core/store-terms';
import { UsageError } from './usage-error';

export const INVENTORY_SOURCES = ['file', 'aws'] as const;
export type InventorySource = (typeof INVENTORY_SOURCES)[number];

/** The inventory named on the command line: a local file, or the monitored secrets of the AWS account in use. */
export async function loadInventory(
  options: {
    readonly source: InventorySource;
    readonly inventory?: string;
    readonly tagKey: string;
  },
  warn: (line: string) => void,
): Promise<{ readonly entries: InventoryEntry[]; readonly terms?: StoreTerms }> {
  if (options.source === 'file') {
    if (options.inventory === undefined) throw new UsageError('--inventory FILE is required (or use --source aws)');
    return { entries: await readInventoryFile(options.inventory) };
  }
  if (options.inventory !== undefined)
    throw new UsageError('--inventory is for --source file; --source aws reads Secrets Manager');
  // Loaded only here, so that scanning a file does not pay for the AWS SDK.
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const { SecretsManagerInventory } = await import('../../lambdas/adapters/secrets-manager-inventory');
  const inventory = new SecretsManagerInventory({
    client: new SecretsManagerClient(AWS_CLIENT_OPTIONS),
    tagKey: options.tagKey,
    readValues: true,
    onSecretError: (secret, reason) => warn(`credential-hygiene: warning: ${secret}: ${reason}`),
  });
  try {
    return { entries: await inventory.load(), terms: inventory.terms };
  } catch (error) {
    throw new UsageError(`cannot list secrets in AWS Secrets Manager: ${awsSetupProblem(error)}`);
  }
}

/** Why listing failed, in terms of what to fix; never the SDK's message, which may quote request details. */
export function awsSetupProblem(error: unknown): string {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : '';
  if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
    return 'no AWS credentials found (set AWS_PROFILE, or run aws sso login / aws configure)';
  }
  if (/region is missing/i.test(message)) return 'no AWS region (set AWS_REGION or a region in your profile)';
  if (name === 'AccessDeniedException') return 'access denied (the identity needs secretsmanager:ListSecrets)';
  return `${name} (check network access to Secrets Manager and your AWS configuration)`;
}
