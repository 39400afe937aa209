import { AWS_CLIENT_OPTIONS } from '../../lambdas/adapters/aws-client-options';
import { readInventoryFile } from '../../lambdas/adapters/inventory-file';
import {
  type MemberAccountsSettings,
  parseMemberAccountsSettings,
  roleNameSchema,
} from '../../lambdas/adapters/organizations/member-accounts-settings';
import { errorName } from '../../lambdas/core/error-name';
import type { InventoryEntry } from '../../lambdas/core/inventory';
import type { MembersSummary } from '../../lambdas/core/report/report';
import type { StoreTerms } from '../../lambdas/core/store-terms';
import { readSettingsFile } from './settings-file';
import { UsageError } from './usage-error';

export const INVENTORY_SOURCES = ['file', 'aws'] as const;
export type InventorySource = (typeof INVENTORY_SOURCES)[number];

/**
 * The inventory named on the command line: a local file, or the monitored secrets of the AWS account in use, or (with
 * `--accounts`) of the organisation's accounts, each through its read role.
 */
export async function loadInventory(
  options: {
    readonly source: InventorySource;
    readonly inventory?: string;
    readonly tagKey: string;
    /** `all`, or a file holding the same object as cdk.json's `accounts`. */
    readonly accounts?: string;
    readonly roleName?: string;
  },
  warn: (line: string) => void,
): Promise<{ readonly entries: InventoryEntry[]; readonly terms?: StoreTerms; readonly members?: MembersSummary }> {
  if (options.source === 'file') {
    if (options.inventory === undefined) throw new UsageError('--inventory FILE is required (or use --source aws)');
    if (options.accounts !== undefined || options.roleName !== undefined)
      throw new UsageError('--accounts and --role-name are for --source aws');
    return { entries: await readInventoryFile(options.inventory) };
  }
  if (options.inventory !== undefined)
    throw new UsageError('--inventory is for --source file; --source aws reads Secrets Manager');
  if (options.roleName !== undefined && options.accounts === undefined)
    throw new UsageError('--role-name is for --accounts: the role read in each member account');
  // Loaded only here, so that scanning a file does not pay for the AWS SDK.
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const { SecretsManagerInventory } = await import('../../lambdas/adapters/secrets-manager-inventory');
  const inventoryOptions = {
    tagKey: options.tagKey,
    readValues: true,
    onSecretError: (secret: string, reason: string) => warn(`credential-hygiene: warning: ${secret}: ${reason}`),
  };
  const client = new SecretsManagerClient(AWS_CLIENT_OPTIONS);
  if (options.accounts !== undefined) {
    const settings = await accountsSettings(options.accounts, options.roleName);
    const inventory = await memberAccountsInventory(settings, client, inventoryOptions);
    try {
      const entries = await inventory.load();
      const members = inventory.members();
      return { entries, terms: inventory.terms, ...(members !== undefined && { members }) };
    } catch (error) {
      throw new UsageError(`cannot list the organisation's accounts: ${awsSetupProblem(error)}`);
    }
  }
  const inventory = new SecretsManagerInventory({ client, ...inventoryOptions });
  try {
    return { entries: await inventory.load(), terms: inventory.terms };
  } catch (error) {
    throw new UsageError(`cannot list secrets in AWS Secrets Manager: ${awsSetupProblem(error)}`);
  }
}

/** `--accounts all`, or the file's object (cdk.json's `accounts`), with `--role-name` over its `roleName`. */
async function accountsSettings(given: string, roleName: string | undefined): Promise<MemberAccountsSettings> {
  const role = roleName === undefined ? undefined : roleNameSchema.safeParse(roleName);
  if (role?.success === false) {
    throw new UsageError(`--role-name ${roleName}: ${role.error.issues[0]?.message ?? 'must be an IAM role name'}`);
  }
  const raw = given === 'all' ? { organizationUnits: 'all' } : await readSettingsFile(given, 'accounts');
  const withRole =
    roleName === undefined || typeof raw !== 'object' || raw === null ? raw : { ...raw, roleName: roleName };
  const where = given === 'all' ? '--accounts' : `--accounts ${given}`;
  const parsed = parseMemberAccountsSettings(withRole, where);
  if (!parsed.ok) {
    throw new UsageError(
      parsed.problems.map((problem) => (problem.startsWith(where) ? problem : `${where}: ${problem}`)).join('; '),
    );
  }
  return parsed.settings;
}

/** The organisation's accounts as one inventory: this identity's own account read directly, the others by role. */
async function memberAccountsInventory(
  settings: MemberAccountsSettings,
  ownClient: import('@aws-sdk/client-secrets-manager').SecretsManagerClient,
  inventory: {
    readonly tagKey: string;
    readonly readValues: boolean;
    readonly onSecretError: (s: string, r: string) => void;
  },
) {
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const { OrganizationsClient } = await import('@aws-sdk/client-organizations');
  const { MemberAccountsInventory, memberSessions, partitionOf } = await import(
    '../../lambdas/adapters/organizations/member-inventory'
  );
  const { memberSessionPolicy } = await import('../../lambdas/adapters/secrets-manager-read-policy');
  const sts = new STSClient(AWS_CLIENT_OPTIONS);
  const partition = partitionOf(await ownClient.config.region());
  let own: Promise<string> | undefined;
  const sessions = memberSessions({
    sts,
    partition,
    roleName: settings.roleName,
    sessionName: 'credential-hygiene-cli',
    sessionPolicy: memberSessionPolicy(inventory.tagKey, inventory.readValues, partition),
  });
  return new MemberAccountsInventory({
    settings,
    inventory,
    ownClient,
    // The account of the credentials in use: read directly, as the member stack is not needed there.
    ownAccount: () => {
      own ??= sts.send(new GetCallerIdentityCommand({})).then((answer) => answer.Account ?? '');
      return own;
    },
    memberClient: async (member) =>
      new SecretsManagerClient({ ...AWS_CLIENT_OPTIONS, credentials: await sessions(member) }),
    organizations: () => new OrganizationsClient(AWS_CLIENT_OPTIONS),
  });
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
  if (name === 'AWSOrganizationsNotInUseException') return 'this account is not in an organisation';
  if (name === 'AccessDeniedForDependencyException' || name === 'AccessDenied')
    return 'access denied (run it from the management account or a delegated administrator, with organizations:ListAccounts)';
  return `${name} (check network access to Secrets Manager and your AWS configuration)`;
}
