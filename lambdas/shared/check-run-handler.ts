import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { AWS_CLIENT_OPTIONS } from '../adapters/aws-client-options';
import type { AnyChannelModule, MemberAccess } from '../adapters/channels/channel-module';
import { buildChannels, channelMemberGrants, channelsOfTargets } from '../adapters/channels/registry';
import { directoryLeavers } from '../adapters/cloudtrail/directory-leavers';
import { DynamoDbSecretReads } from '../adapters/cloudtrail/dynamodb-secret-reads';
import { DynamoDbLifecycleStore } from '../adapters/dynamodb-lifecycle-store';
import type { buildEvidenceSources } from '../adapters/evidence-sources/clients';
import type { MemberAccountsSettings } from '../adapters/organizations/member-accounts-settings';
import type { MemberAccountsInventory } from '../adapters/organizations/member-inventory';
import { SecretsManagerInventory, type SecretsManagerInventoryOptions } from '../adapters/secrets-manager-inventory';
import { memberSessionPolicy } from '../adapters/secrets-manager-read-policy';
import { DEFAULT_TAG_KEY } from '../adapters/secrets-manager-tags';
import { SnsChannel, SnsFindingsPublisher } from '../adapters/sns/sns-findings-publisher';
import { withIdentityCheck, withKnowersCheck } from '../core/checks';
import { errorName } from '../core/error-name';
import type { MfaStatusSource } from '../core/evidence-sources';
import { PLATFORM_TEAM } from '../core/notification/owner-notices';
import { safeMessageOf } from '../core/safe-to-show-error';
import { type CheckRunDependencies, type CheckRunResponse, fitResponse, runChecks } from './check-run';
import {
  bundledSettings,
  ENVIRONMENT_NAMES,
  EnvironmentError,
  type FunctionEnvironment,
  readEnvironment,
} from './environment';
import type { FunctionSpec } from './function-specs';
import { MONITOR_PRINCIPALS } from './monitor-principals';
import { PowertoolsRunMetrics } from './powertools-run-metrics';
import { secretsProviderFor, secretValue } from './secret-values';
import { withSourceMappedStack } from './source-mapped-stack';

/** A function as its handler runs it: its spec (see function-specs), and the evidence sources it builds. */
export interface CheckFamilySpec
  extends Pick<
    FunctionSpec,
    'family' | 'checks' | 'readsValues' | 'passwords' | 'sourceKinds' | 'readsFindingsOf' | 'knowsReaders'
  > {
  /**
   * Makes the configured evidence sources of its `sourceKinds` (`buildEvidenceSources`, given by the handlers that ask
   * sources, so that the others bundle no source's client).
   */
  readonly buildSources?: typeof buildEvidenceSources;
  /**
   * The family's own evidence (beyond the configured sources of its `sourceKinds`), built once per container; `secrets`
   * reads their credentials (see secret-values).
   */
  readonly evidence?: (
    env: FunctionEnvironment,
    secrets: SecretsProvider,
  ) => {
    readonly mfaProviders?: readonly MfaStatusSource[];
  };
}

/**
 * A Lambda handler for one check family. Clients are built on the first invocation (not at import) and reused by
 * the warm container; the environment is validated then, and a misconfiguration fails the invoke with its name.
 */
export function checkRunHandler(
  spec: CheckFamilySpec,
): (event: unknown, context?: Context) => Promise<CheckRunResponse> {
  const logger = new Logger({ serviceName: spec.family });
  let dependencies: CheckRunDependencies | undefined;
  return async (event, context) => {
    // Every log line of the invocation carries its request id, function and cold start (Powertools' Lambda context).
    if (context !== undefined) logger.addContext(context);
    try {
      dependencies ??= wire(spec, readEnvironment({ ...bundledSettings(), ...process.env }), logger);
      // A synchronous invoke's response is limited to 6 MB; the CLI's report is not.
      return fitResponse(await runChecks(dependencies, event));
    } catch (error) {
      const errorMessage = safeMessageOf(error);
      logger.error('check run failed', {
        errorName: errorName(error),
        ...(errorMessage !== undefined && { errorMessage }),
      });
      throw withSourceMappedStack(error);
    }
  };
}

/**
 * The fingerprint key: read from its secret where fingerprints are remembered (they must match across runs),
 * otherwise a fresh random key per run, which is enough to compare passwords within one run.
 */
function fingerprintKeyLoader(
  spec: CheckFamilySpec,
  env: FunctionEnvironment,
  secrets: SecretsProvider,
): () => Promise<Uint8Array> {
  if (spec.passwords !== 'record' || env.stateTableName === undefined) return async () => randomBytes(32);
  const secretId = env.fingerprintKeySecretArn;
  if (secretId === undefined) {
    throw new EnvironmentError(
      `environment: ${ENVIRONMENT_NAMES.fingerprintKeySecretArn}: is required by ${spec.family}`,
    );
  }
  return secretValue(secrets, secretId, (secret) => {
    if (secret.length < 32) throw new EnvironmentError('the fingerprint key secret must hold at least 32 characters');
    return Buffer.from(secret, 'utf8');
  });
}

function wire(spec: CheckFamilySpec, env: FunctionEnvironment, logger: Logger): CheckRunDependencies {
  const secretsManager = new SecretsManagerClient(AWS_CLIENT_OPTIONS);
  const inventoryOptions = {
    tagKey: env.tagKey,
    readValues: spec.readsValues,
    onSecretError: (secret: string, reason: string) => logger.warn('secret could not be read', { secret, reason }),
  };
  const members =
    env.memberAccounts === undefined
      ? undefined
      : memberAccess(spec, env.memberAccounts, secretsManager, inventoryOptions, channelsOfTargets(env.channelTargets));
  const inventory = members?.inventory ?? new SecretsManagerInventory({ client: secretsManager, ...inventoryOptions });
  const publisher = new SnsFindingsPublisher({
    client: new SNSClient(AWS_CLIENT_OPTIONS),
    topicArn: env.findingsTopicArn,
  });
  const secrets = secretsProviderFor(secretsManager);
  const sources =
    spec.buildSources?.(env.evidenceSources, spec.sourceKinds ?? [], {
      secret: (secretName, use) => secretValue(secrets, secretName, use),
    }) ?? {};
  const identities = sources.identity;
  const dynamo =
    env.stateTableName === undefined ? undefined : DynamoDBDocumentClient.from(new DynamoDBClient(AWS_CLIENT_OPTIONS));
  // Where the reads are recorded, the function that knows readers runs the knowers check on them: in the monitor's
  // account only (member accounts' reads are not recorded here, and their logins are not named by secret alone).
  const readSource =
    spec.knowsReaders === true &&
    env.knowersEnabled &&
    env.memberAccounts === undefined &&
    dynamo !== undefined &&
    env.stateTableName !== undefined
      ? new DynamoDbSecretReads({
          client: dynamo,
          tableName: env.stateTableName,
          monitorPrincipals: MONITOR_PRINCIPALS,
          leavers: readerLeavers(env, secrets),
        })
      : undefined;
  const metrics = PowertoolsRunMetrics.forFamily(spec.family);
  return {
    family: spec.family,
    checks: withKnowersCheck(withIdentityCheck(spec.checks, identities !== undefined), readSource !== undefined),
    ...(readSource && { readSource }),
    ...(identities && { identitySource: identities.source, identityBudget: identities.budget }),
    inventory,
    // The owners first, by SNS; then each optional channel configured, whose problems are logged and counted without
    // failing the run.
    channels: [
      new SnsChannel(publisher),
      ...buildChannels(
        env.channelTargets,
        (channel) => ({
          problem: (problem) => {
            logger.error(`${channel.name} delivery failed`, { ...problem });
            metrics.recordChannelProblem(channel.problemsMetric.name, problem.kind, problem.findings);
          },
        }),
        members?.access,
      ),
    ],
    policy: env.policy,
    ...(env.routedOwners && { routedOwners: env.routedOwners }),
    escalation: { contacts: env.escalationContacts, fallback: PLATFORM_TEAM },
    ...(sources.breachSource && { breachSource: sources.breachSource }),
    ...(sources.strengthEstimator && { strengthEstimator: sources.strengthEstimator }),
    ...spec.evidence?.(env, secrets),
    clock: () => new Date(),
    fingerprintKey: fingerprintKeyLoader(spec, env, secrets),
    ...(env.stateTableName !== undefined && {
      lifecycle: {
        store: new DynamoDbLifecycleStore({
          client: dynamo ?? DynamoDBDocumentClient.from(new DynamoDBClient(AWS_CLIENT_OPTIONS)),
          tableName: env.stateTableName,
        }),
        passwords: spec.passwords,
        ...(spec.readsFindingsOf && { readsFindingsOf: spec.readsFindingsOf }),
      },
    }),
    log: {
      info: (message, extra = {}) => logger.info(message, extra),
      warn: (message, extra = {}) => logger.warn(message, extra),
    },
    metrics,
  };
}

/**
 * The monitored secrets of the organisation's accounts, each member's read through its read role, narrowed by a session
 * policy to what this function needs (no value reads for one that reads none; the member grants of its channels); and
 * the same sessions for the channels that deliver a member's findings in its account. The STS and Organizations SDKs
 * are loaded here, where member accounts are configured, not at every function's cold start.
 */
function memberAccess(
  spec: CheckFamilySpec,
  settings: MemberAccountsSettings,
  ownClient: SecretsManagerClient,
  inventory: Omit<SecretsManagerInventoryOptions, 'client' | 'member'>,
  channels: readonly AnyChannelModule[],
): { readonly inventory: MemberAccountsInventory; readonly access: MemberAccess } {
  const {
    MemberAccountsInventory: Inventory,
    memberSessions,
    partitionOf,
  } = require('../adapters/organizations/member-inventory') as typeof import('../adapters/organizations/member-inventory');
  const stsSdk = sdk<typeof import('@aws-sdk/client-sts')>('@aws-sdk/client-sts');
  const sts = new stsSdk.STSClient(AWS_CLIENT_OPTIONS);
  const partition = partitionOf(process.env.AWS_REGION);
  const monitorAccountId = settings.monitorAccountId;
  const ownAccount = once(async () =>
    monitorAccountId !== undefined
      ? monitorAccountId
      : ((await sts.send(new stsSdk.GetCallerIdentityCommand({}))).Account ?? ''),
  );
  const sessions = memberSessions({
    sts,
    partition,
    roleName: settings.roleName,
    sessionName: `credential-hygiene-${spec.family}`,
    sessionPolicy: memberSessionPolicy(
      inventory.tagKey ?? DEFAULT_TAG_KEY,
      spec.readsValues,
      partition,
      channelMemberGrants(channels, { partition, account: '*' }),
    ),
  });
  return {
    inventory: new Inventory({
      settings,
      inventory,
      ownClient,
      ownAccount,
      memberClient: async (member) =>
        new SecretsManagerClient({ ...AWS_CLIENT_OPTIONS, credentials: await sessions(member) }),
      organizations: () =>
        new (sdk<typeof import('@aws-sdk/client-organizations')>('@aws-sdk/client-organizations').OrganizationsClient)(
          AWS_CLIENT_OPTIONS,
        ),
    }),
    access: { ownAccount, credentialsOf: sessions },
  };
}

/**
 * Who among the readers has left: the leavers secret's list, IAM's deleted users and, with an identity store, Identity
 * Center's deleted users. The SDKs of IAM and the identity store are loaded when first asked, not at cold start.
 */
function readerLeavers(env: FunctionEnvironment, secrets: SecretsProvider) {
  const { identityStoreId, leaversSecretName } = env;
  return directoryLeavers({
    iam: once(
      async () => new (sdk<typeof import('@aws-sdk/client-iam')>('@aws-sdk/client-iam').IAMClient)(AWS_CLIENT_OPTIONS),
    ),
    ...(identityStoreId !== undefined && {
      identityStore: {
        client: once(
          async () =>
            new (sdk<typeof import('@aws-sdk/client-identitystore')>(
              '@aws-sdk/client-identitystore',
            ).IdentitystoreClient)(AWS_CLIENT_OPTIONS),
        ),
        identityStoreId,
      },
    }),
    ...(leaversSecretName !== undefined && {
      // Required (a literal path, which the bundler follows) when first read: its CSV parser is not worth loading at
      // every cold start of a function.
      list: secretValue(secrets, leaversSecretName, (text) => {
        const { parseLeavers } =
          require('../adapters/cloudtrail/leavers-file') as typeof import('../adapters/cloudtrail/leavers-file');
        return parseLeavers(text, `secret ${leaversSecretName}`);
      }),
    }),
  });
}

/**
 * An SDK module loaded when first needed, not at cold start. `require`, not `import()`: the bundle is CommonJS, and a
 * dynamic import resolves as ES modules do, without the runtime's module path where Lambda keeps the SDK.
 */
export function sdk<T>(name: string): T {
  return require(name) as T;
}

/** A factory called at most once: the value it made the first time, after. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}
