import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLED_SETTINGS_GLOBAL, ENVIRONMENT_NAMES } from '../../lambdas/shared/environment';
import { METRICS_NAMESPACE, SCHEDULED_RUN_SUCCEEDED } from '../../lambdas/shared/powertools-run-metrics';
import type { FunctionConfig } from '../config';
import { functionBundling } from './function-bundling';
import { ALL_SECRETS, monitoredCondition } from './monitored-secret-changes';

export interface ScheduledCheckFunctionProps {
  /** `password-age`, `breach-exposure` or `mfa-status`: names the function's service in logs and metrics. */
  readonly family: string;
  /** The handler's source file. */
  readonly entry: string;
  readonly config: FunctionConfig;
  /** The tag that marks a secret as monitored; reads are allowed only on secrets that carry it. */
  readonly tagKey: string;
  readonly policy: Readonly<Record<string, unknown>>;
  /** Whether the function reads secret values (passwords, seeds). @default false */
  readonly readsSecretValues?: boolean;
  readonly findingsTopic: ITopic;
  readonly alarmTopic: ITopic;
  readonly deadLetterQueue: IQueue;
  readonly logRetentionDays: number;
  /** Extra environment, e.g. the breach API URL. @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Settings that grow with the configuration (the owners, the MFA providers; the policy is always one): bundled with
   * the code, not set in the environment, which Lambda caps at 4 KB. @default none
   */
  readonly bundledSettings?: Readonly<Record<string, string>>;
}

/** CloudWatch limits an alarm's look-back to 7 days. */
const MAX_WATCHDOG_HOURS = 7 * 24;

/**
 * One scheduled check function: the bundled handler with its own role and log group, an EventBridge schedule, a
 * dead-letter queue for failed asynchronous runs, an alarm on errors and a watchdog alarm that fires when no
 * scheduled run has succeeded for two intervals. Its grants are the least its checks need: a function that does
 * not read secret values gets no GetSecretValue at all.
 */
export class ScheduledCheckFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  /** What is bundled with its code for the handler to read as its environment (see `BUNDLED_SETTING_NAMES`). */
  readonly bundledSettings: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ScheduledCheckFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `credential-hygiene ${props.family} function`,
    });
    logGroup.grantWrite(this.role);
    this.bundledSettings = { [ENVIRONMENT_NAMES.policy]: JSON.stringify(props.policy), ...props.bundledSettings };

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: `credential-hygiene: ${props.family} checks of the shared logins in Secrets Manager`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.config.memoryMb,
      timeout: Duration.minutes(props.config.timeoutMinutes),
      role: this.role,
      logGroup,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: 1,
      environment: {
        [ENVIRONMENT_NAMES.findingsTopicArn]: props.findingsTopic.topicArn,
        [ENVIRONMENT_NAMES.tagKey]: props.tagKey,
        POWERTOOLS_SERVICE_NAME: props.family,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      // Known at synth, carried in the code: the handler reads them as it reads its environment (bundledSettings).
      bundling: functionBundling({ [BUNDLED_SETTINGS_GLOBAL]: JSON.stringify(JSON.stringify(this.bundledSettings)) }),
    });

    this.grantSecretsAccess(props.tagKey, props.readsSecretValues ?? false);
    props.findingsTopic.grantPublish(this.role);

    new Rule(this, 'Schedule', {
      description: `credential-hygiene: runs the ${props.family} checks`,
      schedule: Schedule.expression(props.config.schedule),
      targets: [new LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
    this.addAlarms(props);
  }

  private grantSecretsAccess(tagKey: string, readsSecretValues: boolean): void {
    const taggedSecrets = ALL_SECRETS;
    const onlyMonitored = monitoredCondition(tagKey);
    this.role.addToPolicy(new PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }));
    if (!readsSecretValues) {
      this.role.addToPolicy(
        new PolicyStatement({
          actions: ['secretsmanager:ListSecretVersionIds'],
          resources: [taggedSecrets],
          conditions: onlyMonitored,
        }),
      );
      return;
    }
    this.role.addToPolicy(new PolicyStatement({ actions: ['secretsmanager:BatchGetSecretValue'], resources: ['*'] }));
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [taggedSecrets],
        conditions: onlyMonitored,
      }),
    );
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }

  private addAlarms(props: ScheduledCheckFunctionProps): void {
    const action = new SnsAction(props.alarmTopic);
    new Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `credential-hygiene ${props.family}: a run failed (see its logs); findings may not have been delivered`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);

    const windowHours = Math.min(2 * props.config.intervalHours, MAX_WATCHDOG_HOURS);
    const periodMinutes = Math.max(5, Math.min(60, Math.floor((props.config.intervalHours * 60) / 2)));
    new Alarm(this, 'WatchdogAlarm', {
      alarmDescription: `credential-hygiene ${props.family}: no scheduled run has succeeded in ${windowHours} hours; the shared logins are not being checked`,
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: SCHEDULED_RUN_SUCCEEDED,
        dimensionsMap: { service: props.family },
        statistic: 'Sum',
        period: Duration.minutes(periodMinutes),
      }),
      threshold: 1,
      evaluationPeriods: Math.ceil((windowHours * 60) / periodMinutes),
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    }).addAlarmAction(action);
  }
}
