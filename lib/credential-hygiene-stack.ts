import { join } from 'node:path';
import { Annotations, Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { DeployedIn } from '../lambdas/adapters/channels/channel-module';
import { channelsOn } from '../lambdas/adapters/channels/registry';
import { evidenceCredentialSecretsOf, settingsForKinds } from '../lambdas/adapters/evidence-sources/registry';
import {
  credentialSecretsOf,
  type MfaProviderSettings,
  providerGrantsOf,
} from '../lambdas/adapters/mfa-providers/settings';
import { ENVIRONMENT_NAMES } from '../lambdas/shared/environment';
import { FUNCTION_NAMES, FUNCTION_SPECS, type FunctionSpec } from '../lambdas/shared/function-specs';
import { checkFunctionRoleName } from '../lambdas/shared/monitor-principals';
import { escalationContactsOf, routedOwnerIds } from '../lambdas/shared/owner-recipients';
import type { CheckFunctionName, MonitorConfig } from './config';
import { CHANNEL_RESOURCES } from './constructs/channel-resources';
import { FindingsNotifications } from './constructs/findings-notifications';
import { LifecycleTable } from './constructs/lifecycle-table';
import { MonitoringDashboard } from './constructs/monitoring-dashboard';
import { PasswordChangeFunction } from './constructs/password-change-function';
import { PersonAccessPolicy } from './constructs/person-access-policy';
import { ReadRecorder } from './constructs/read-recorder';
import { ScheduledCheckFunction } from './constructs/scheduled-check-function';

/** What a function that knows readers is told of them (see lambdas/shared/environment). */
function knowersEnvironment(knowers: MonitorConfig['knowers']): Record<string, string> {
  return {
    [ENVIRONMENT_NAMES.knowersEnabled]: 'true',
    ...(knowers.identityStoreId !== undefined && { [ENVIRONMENT_NAMES.identityStoreId]: knowers.identityStoreId }),
    ...(knowers.leaversSecret !== undefined && { [ENVIRONMENT_NAMES.leaversSecretName]: knowers.leaversSecret }),
  };
}

export interface CredentialHygieneStackProps extends StackProps {
  readonly config: MonitorConfig;
}

const LAMBDAS = join(__dirname, '..', 'lambdas');

/**
 * The deployable monitor: three scheduled check functions over the tagged secrets, findings to owners by email and
 * SMS, and alarms to the platform team when the monitor itself fails. Environment-agnostic: synth needs no account.
 */
export class CredentialHygieneStack extends Stack {
  readonly functions: Readonly<Record<CheckFunctionName, ScheduledCheckFunction>>;
  /** With `knowers.enabled`: the function that records who read each monitored secret. */
  readonly readRecorder?: ReadRecorder;

  constructor(scope: Construct, id: string, props: CredentialHygieneStackProps) {
    super(scope, id, props);
    const { config } = props;
    const recipients = [...Object.values(config.owners), config.platformTeam].flatMap((each) => [
      ...each.emails,
      ...each.phones,
    ]);
    if (recipients.length === 0) {
      Annotations.of(this).addWarningV2(
        'credential-hygiene:no-recipients',
        'No owners or platformTeam addresses are configured (cdk.json context "credential-hygiene"): findings will be published to a topic nobody is subscribed to.',
      );
    }
    const notifications = new FindingsNotifications(this, 'Notifications', {
      owners: config.owners,
      platformTeam: config.platformTeam,
    });
    const deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: notifications.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the check functions; its depth is alarmed.',
    });
    new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'credential-hygiene: a scheduled run failed after its retries; its event is in the dead-letter queue',
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(notifications.operationsTopic));

    const lifecycle = new LifecycleTable(this, 'Lifecycle', { encryptionKey: notifications.key });
    const fingerprintKey = new Secret(this, 'FingerprintKey', {
      description:
        'credential-hygiene: HMAC key for password fingerprints, so an unchanged password keeps its age across runs',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(fingerprintKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating this key would change every password fingerprint and reset every remembered password age; it is read only by the breach-exposure function and never leaves the account.',
    });

    if (config.knowers.enabled && config.accounts !== undefined) {
      Annotations.of(this).addWarningV2(
        'credential-hygiene:knowers-with-accounts',
        "knowers.enabled with accounts: the reads are recorded in this account only and member logins are not named by their secrets' names alone, so the knowers check does not run while member accounts are read (the recorder still records this account's reads).",
      );
    }
    if (config.knowers.enabled) {
      this.readRecorder = new ReadRecorder(this, 'ReadRecorder', {
        lifecycle,
        tagKey: config.tagKey,
        readRetentionDays: config.knowers.readRetentionDays,
        alarmTopic: notifications.operationsTopic,
        deadLetterQueue,
        logRetentionDays: config.logRetentionDays,
      });
      new CfnOutput(this, 'ReadBackfill', {
        description:
          "Fill who read each monitored secret from CloudTrail's last 90 days (run once at first deployment); it logs where it stopped if it ran out of time",
        value: `aws lambda invoke --function-name ${this.readRecorder.backfill.functionName} --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{"days":90}' /dev/null`,
      });
    }

    const channels = channelsOn(config.channels);
    // What each channel that is on needs created for it (its own topics, say), as its line in CHANNEL_RESOURCES says.
    for (const channel of channels) {
      CHANNEL_RESOURCES[channel.id]?.(this, config.channels[channel.settingsKey], { key: notifications.key });
    }
    const deployedIn: DeployedIn = {
      account: this.account,
      region: this.region,
      stackName: this.stackName,
      formatArn: (parts) => this.formatArn(parts),
    };
    const functions = {} as Record<CheckFunctionName, ScheduledCheckFunction>;
    for (const name of FUNCTION_NAMES) {
      const spec: FunctionSpec = FUNCTION_SPECS[name];
      const { family, passwords } = spec;
      // Only the sources of the kinds it asks, and only those configured: the rest are on by default or off.
      const evidenceSources = settingsForKinds(config.evidenceSources, spec.sourceKinds ?? []);
      const mfaProviders = spec.asksMfaProviders ? config.mfaProviders : undefined;
      const checkFunction = new ScheduledCheckFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}`, {
        family,
        // Named where member accounts' read roles trust it by name.
        ...(config.accounts !== undefined && { roleName: checkFunctionRoleName(family, Aws.REGION) }),
        entry: join(LAMBDAS, family, 'handler.ts'),
        config: config.functions[name],
        tagKey: config.tagKey,
        policy: config.policy,
        readsSecretValues: spec.readsValues,
        findingsTopic: notifications.findingsTopic,
        alarmTopic: notifications.operationsTopic,
        deadLetterQueue,
        logRetentionDays: config.logRetentionDays,
        environment: {
          [ENVIRONMENT_NAMES.stateTableName]: lifecycle.table.tableName,
          ...(passwords === 'record' && { [ENVIRONMENT_NAMES.fingerprintKeySecretArn]: fingerprintKey.secretArn }),
          ...Object.fromEntries(
            channels.flatMap((channel) =>
              Object.entries(channel.environmentOf(config.channels[channel.settingsKey], deployedIn)),
            ),
          ),
          ...(spec.knowsReaders === true && config.knowers.enabled && knowersEnvironment(config.knowers)),
        },
        bundledSettings: {
          [ENVIRONMENT_NAMES.routedOwners]: JSON.stringify(routedOwnerIds(config.owners)),
          ...(escalationContactsOf(config.owners).size > 0 && {
            [ENVIRONMENT_NAMES.escalationContacts]: JSON.stringify(
              Object.fromEntries(escalationContactsOf(config.owners)),
            ),
          }),
          ...(mfaProviders !== undefined && { [ENVIRONMENT_NAMES.mfaProviders]: JSON.stringify(mfaProviders) }),
          ...(Object.keys(evidenceSources).length > 0 && {
            [ENVIRONMENT_NAMES.evidenceSources]: JSON.stringify(evidenceSources),
          }),
          ...(config.accounts !== undefined && {
            [ENVIRONMENT_NAMES.memberAccounts]: JSON.stringify(config.accounts),
          }),
        },
      });
      if (config.accounts !== undefined) this.grantMemberReads(checkFunction.role, config.accounts);
      lifecycle.grantFamily(checkFunction.role, family, passwords, spec.readsFindingsOf ?? []);
      if (spec.knowsReaders === true && config.knowers.enabled) {
        lifecycle.grantReadQueries(checkFunction.role);
        this.grantLeaverLookups(checkFunction.role, config.knowers);
      }
      if (passwords === 'record') fingerprintKey.grantRead(checkFunction.role);
      for (const [index, secretName] of evidenceCredentialSecretsOf(
        evidenceSources,
        spec.sourceKinds ?? [],
      ).entries()) {
        Secret.fromSecretNameV2(this, `EvidenceSourceCredentials${index}`, secretName).grantRead(checkFunction.role);
      }
      if (mfaProviders !== undefined) this.grantMfaProviderReads(checkFunction.role, mfaProviders);
      for (const channel of channels) {
        for (const grant of channel.grantsFor(config.channels[channel.settingsKey], deployedIn)) {
          checkFunction.role.addToPrincipalPolicy(
            new PolicyStatement({ actions: [...grant.actions], resources: [...grant.resources] }),
          );
        }
      }
      functions[name] = checkFunction;
      new CfnOutput(this, `${name}FunctionName`, { value: checkFunction.function.functionName });
      new CfnOutput(this, `${name}SpotCheck`, {
        description: `Check one secret now with the ${family} function and print the report; publishes nothing`,
        // With member accounts a login's id begins with its account's.
        value: `aws lambda invoke --function-name ${checkFunction.function.functionName} --cli-binary-format raw-in-base64-out --payload '{"secretIds":["${config.accounts === undefined ? '' : '111122223333/'}press-office/x"],"dryRun":true}' /dev/stdout`,
      });
    }
    this.functions = functions;
    new CfnOutput(this, 'FindingsTopicArn', { value: notifications.findingsTopic.topicArn });
    const personAccess = new PersonAccessPolicy(this, 'PersonAccess', {
      tagKey: config.tagKey,
      ...(config.personAccess.secretNamePrefix !== undefined && {
        secretNamePrefix: config.personAccess.secretNamePrefix,
      }),
    });
    const passwordChange = new PasswordChangeFunction(this, 'PasswordChange', {
      tagKey: config.tagKey,
      policy: config.policy,
      findingsTopic: notifications.findingsTopic,
      logRetentionDays: config.logRetentionDays,
    });
    new CfnOutput(this, 'PasswordChangeCommand', {
      description:
        "Start (then confirm, or abort) a change of a shared login's password with its owner, from a runbook",
      value: `aws lambda invoke --function-name ${passwordChange.function.functionName} --cli-binary-format raw-in-base64-out --payload '{"step":"start","secretId":"press-office/x"}' /dev/stdout`,
    });
    new CfnOutput(this, 'PersonAccessPolicy', {
      description:
        'Attach to the people (or the Identity Center permission set) who run credential-hygiene import --apply and rotate',
      value: personAccess.policy.managedPolicyArn,
    });
    new MonitoringDashboard(this, 'Monitoring', {
      functions: FUNCTION_NAMES.map((name) => ({ family: FUNCTION_SPECS[name].family, construct: functions[name] })),
      deadLetterQueue,
      channels,
      members: config.accounts !== undefined,
      ...(config.knowers.enabled && {
        knowersFamilies: FUNCTION_NAMES.map((name): FunctionSpec => FUNCTION_SPECS[name])
          .filter((spec) => spec.knowsReaders === true)
          .map((spec) => spec.family),
      }),
    });
    this.acknowledgeReviewedFindings();
  }

  /**
   * What reading the member accounts takes: assume their read role, in accounts of this organisation only; and, where
   * the accounts are listed from Organizations, list them (read-only; Organizations has no resource scoping for these).
   */
  private grantMemberReads(role: IRole, accounts: NonNullable<MonitorConfig['accounts']>): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AssumeMemberReadRoles',
        actions: ['sts:AssumeRole'],
        resources: [`arn:${Aws.PARTITION}:iam::*:role/${accounts.roleName}`],
        conditions: { StringEquals: { 'aws:ResourceOrgID': accounts.organizationId } },
      }),
    );
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${accounts.roleName}]`,
      reason:
        "sts:AssumeRole on the member accounts' read role (accounts.roleName), in accounts of the organisation only (aws:ResourceOrgID): which accounts are read is known only at run time, from Organizations.",
    });
    if (accounts.organizationUnits !== undefined) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'ListMemberAccounts',
          actions: [
            'organizations:ListAccounts',
            'organizations:ListAccountsForParent',
            'organizations:ListOrganizationalUnitsForParent',
          ],
          resources: ['*'],
        }),
      );
    }
  }

  /** The mfa-status role reads the providers' credential secrets and is granted what each provider's lookups need. */
  /**
   * What finding the leavers among the readers takes: IAM's users (a deleted one has left), the identity store's where
   * one is named, and the leavers secret where one is named. Lookups only: nothing is changed.
   */
  private grantLeaverLookups(role: IRole, knowers: MonitorConfig['knowers']): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:GetUser'],
        resources: [this.formatArn({ service: 'iam', region: '', resource: 'user', resourceName: '*' })],
      }),
    );
    if (knowers.identityStoreId !== undefined) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['identitystore:DescribeUser', 'identitystore:GetUserId'],
          resources: [
            this.formatArn({
              service: 'identitystore',
              region: '',
              resource: 'identitystore',
              resourceName: knowers.identityStoreId,
            }),
            this.formatArn({ service: 'identitystore', region: '', account: '', resource: 'user', resourceName: '*' }),
          ],
        }),
      );
    }
    if (knowers.leaversSecret !== undefined) {
      Secret.fromSecretNameV2(this, 'LeaversList', knowers.leaversSecret).grantRead(role);
    }
  }

  private grantMfaProviderReads(role: IRole, providers: MfaProviderSettings): void {
    for (const [index, secret] of credentialSecretsOf(providers).entries()) {
      const reference = secret.startsWith('arn:')
        ? Secret.fromSecretCompleteArn(this, `MfaProviderCredentials${index}`, secret)
        : Secret.fromSecretNameV2(this, `MfaProviderCredentials${index}`, secret);
      reference.grantRead(role);
    }
    for (const grant of providerGrantsOf(providers)) {
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: [...grant.actions], resources: [this.formatArn(grant.resource)] }),
      );
    }
  }

  /** cdk-nag findings this design accepts, each with the reason a reviewer can check. */
  private acknowledgeReviewedFindings(): void {
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'secretsmanager:ListSecrets and BatchGetSecretValue support no resource-level permissions, nor do cloudtrail:LookupEvents (the read backfill, with knowers.enabled) and organizations:ListAccounts, ListAccountsForParent and ListOrganizationalUnitsForParent (with accounts, read-only); kms:Decrypt on * is limited by kms:ViaService to Secrets Manager in this region, because the secrets may use any customer key.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:*]`,
        reason:
          'Reads are limited to secrets carrying the monitoring tag by an ABAC condition (aws:ResourceTag/<tag> must exist); secret names are not known at deploy time.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          "Granted on this stack's own key only, by topic.grantPublish and queue.grantSendMessages, so the functions can publish to the encrypted topic and dead-letter queue.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:user/*]',
        reason:
          'iam:ListMFADevices (read-only) on any IAM user in this account: which users are shared console logins is known only from the monitored secrets, at run time. Granted only when the awsIam MFA provider is configured. iam:GetUser (read-only), with knowers.enabled: which users read a monitored secret is known only from its recorded reads, at run time.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:identitystore:::user/*]',
        reason:
          "identitystore:DescribeUser (read-only) on the users of the one identity store named in knowers.identityStoreId (the statement's other resource): who read a monitored secret is known only from its recorded reads, at run time, and IAM scopes a user only by its id.",
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'The functions run on Node.js 22, the runtime this project pins and tests its bundles against.',
      },
    );
  }
}
