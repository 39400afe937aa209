import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type CfnRule, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsCustomResource, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { monitoredSecretCondition } from '../../lambdas/adapters/secrets-manager-read-policy';
import { ENVIRONMENT_NAMES } from '../../lambdas/shared/environment';
import { functionBundling } from './function-bundling';
import type { LifecycleTable } from './lifecycle-table';
import { ALL_SECRETS } from './monitored-secret-changes';

export interface ReadRecorderProps {
  readonly lifecycle: LifecycleTable;
  /** The tag that marks a secret as monitored: the recorder may describe only secrets that carry it. */
  readonly tagKey: string;
  readonly readRetentionDays: number;
  readonly alarmTopic: ITopic;
  readonly deadLetterQueue: IQueue;
  readonly logRetentionDays: number;
}

/**
 * Who read each monitored secret: an EventBridge rule on CloudTrail's management events for Secrets Manager's reads
 * (`GetSecretValue`, `BatchGetSecretValue`) invokes a small function that records them in the lifecycle table. EventBridge
 * receives CloudTrail's API events only where a trail logs management events (read events included), and matches
 * read-only ones only for a rule enabled with all CloudTrail management events, as this one is. Its role may describe
 * only monitored secrets and write only the reads' partitions; it never reads a secret's value.
 */
export class ReadRecorder extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly rule: Rule;
  /** Fills the reads from CloudTrail's last 90 days: once at first deployment, and when invoked. */
  readonly backfill: NodejsFunction;
  readonly backfillRole: Role;

  constructor(scope: Construct, id: string, props: ReadRecorderProps) {
    super(scope, id);
    const recorder = this.recordingFunction('', 'read-recorder', Duration.seconds(30), props);
    this.function = recorder.fn;
    this.role = recorder.role;
    const backfill = this.recordingFunction('Backfill', 'read-backfill', Duration.minutes(15), props);
    this.backfill = backfill.fn;
    this.backfillRole = backfill.role;
    // LookupEvents supports no resource-level permission: it reads the account's management event history.
    this.backfillRole.addToPolicy(new PolicyStatement({ actions: ['cloudtrail:LookupEvents'], resources: ['*'] }));
    // Once, when the stack is first deployed: an asynchronous invoke, so the deployment does not wait for it. The
    // custom resource's function gets a role of its own (no managed policy): its logs, and this one invoke.
    const triggerLogs = new LogGroup(this, 'InitialBackfillLogs', {
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const triggerRole = new Role(this, 'InitialBackfillRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'credential-hygiene: starts the first backfill of reads when the stack is first deployed',
    });
    triggerLogs.grantWrite(triggerRole);
    triggerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.backfill.functionArn] }),
    );
    new AwsCustomResource(this, 'InitialBackfill', {
      onCreate: {
        service: 'Lambda',
        action: 'invoke',
        parameters: {
          FunctionName: this.backfill.functionName,
          InvocationType: 'Event',
          Payload: JSON.stringify({ days: 90 }),
        },
        physicalResourceId: PhysicalResourceId.of('credential-hygiene-initial-backfill'),
      },
      role: triggerRole,
      logGroup: triggerLogs,
      installLatestAwsSdk: false,
    });

    this.rule = new Rule(this, 'Reads', {
      description: "credential-hygiene: CloudTrail's records of reads of secrets, to the read recorder",
      eventPattern: {
        source: ['aws.secretsmanager'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['secretsmanager.amazonaws.com'],
          eventName: ['GetSecretValue', 'BatchGetSecretValue'],
        },
      },
      targets: [new LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    // GetSecretValue is a read-only management event: EventBridge matches those only for a rule in this state.
    (this.rule.node.defaultChild as CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
    new Alarm(this, 'ErrorsAlarm', {
      alarmDescription:
        'credential-hygiene read recorder: reads of secrets could not be recorded (see its logs); who knows a password may be undercounted',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(props.alarmTopic));
  }

  /** A function that records reads (the recorder, the backfill): its log group, its role and its grants. */
  private recordingFunction(
    id: string,
    service: 'read-recorder' | 'read-backfill',
    timeout: Duration,
    props: ReadRecorderProps,
  ): { fn: NodejsFunction; role: Role } {
    const logGroup = new LogGroup(this, `${id}Logs`, {
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `credential-hygiene ${service}`,
    });
    logGroup.grantWrite(role);
    const fn = new NodejsFunction(this, `${id}Function`, {
      entry: join(__dirname, '..', '..', 'lambdas', service, 'handler.ts'),
      handler: 'handler',
      description:
        service === 'read-recorder'
          ? 'credential-hygiene: records who read each monitored secret, from CloudTrail'
          : "credential-hygiene: fills who read each monitored secret from CloudTrail's last 90 days",
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout,
      role,
      logGroup,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: service === 'read-recorder' ? 2 : 0,
      environment: {
        [ENVIRONMENT_NAMES.stateTableName]: props.lifecycle.table.tableName,
        [ENVIRONMENT_NAMES.tagKey]: props.tagKey,
        [ENVIRONMENT_NAMES.readRetentionDays]: String(props.readRetentionDays),
        POWERTOOLS_SERVICE_NAME: service,
      },
      bundling: functionBundling(),
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:DescribeSecret'],
        resources: [ALL_SECRETS],
        conditions: monitoredSecretCondition(props.tagKey),
      }),
    );
    props.lifecycle.grantReadRecording(role);
    return { fn, role };
  }
}
