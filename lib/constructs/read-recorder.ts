import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENVIRONMENT_NAMES } from '../../lambdas/shared/environment';
import type { LifecycleTable } from './lifecycle-table';

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
 * (`GetSecretValue`, `BatchGetSecretValue`) invokes a small function that records them in the lifecycle table. It needs
 * a trail that logs management events (the account's default event history reaches EventBridge without one). Its role
 * may describe only monitored secrets and write only the reads' partitions; it never reads a secret's value.
 */
export class ReadRecorder extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ReadRecorderProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'credential-hygiene read recorder',
    });
    logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', 'lambdas', 'read-recorder', 'handler.ts'),
      handler: 'handler',
      description: 'credential-hygiene: records who read each monitored secret, from CloudTrail',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      role: this.role,
      logGroup,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: 2,
      environment: {
        [ENVIRONMENT_NAMES.stateTableName]: props.lifecycle.table.tableName,
        [ENVIRONMENT_NAMES.tagKey]: props.tagKey,
        [ENVIRONMENT_NAMES.readRetentionDays]: String(props.readRetentionDays),
        POWERTOOLS_SERVICE_NAME: 'read-recorder',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.CJS,
        externalModules: ['@aws-sdk/*'],
      },
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:DescribeSecret'],
        resources: [`arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:*`],
        conditions: { Null: { [`aws:ResourceTag/${props.tagKey}`]: 'false' } },
      }),
    );
    props.lifecycle.grantReadRecording(this.role);

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
}
