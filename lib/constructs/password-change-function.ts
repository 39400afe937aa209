import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { monitoredSecretCondition } from '../../lambdas/adapters/secrets-manager-read-policy';
import { BUNDLED_SETTINGS_GLOBAL, ENVIRONMENT_NAMES } from '../../lambdas/shared/environment';
import { functionBundling } from './function-bundling';
import { ALL_SECRETS, monitoredSecretChangeStatements } from './monitored-secret-changes';

export interface PasswordChangeFunctionProps {
  readonly tagKey: string;
  readonly policy: Readonly<Record<string, unknown>>;
  /** The findings topic (publishing to it is granted with its key). */
  readonly findingsTopic: ITopic;
  readonly logRetentionDays: number;
}

/**
 * `rotate` as a function, for a runbook: the only function of the stack that may write a secret, and only a monitored
 * one's pending version, labels and change records (never create, delete or untag its monitoring tag). Invoked by
 * people (it has no schedule and no trigger); it tells the owner through the findings topic.
 */
export class PasswordChangeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: PasswordChangeFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'credential-hygiene password-change: rotate start, confirm and abort on monitored secrets',
    });
    logGroup.grantWrite(this.role);
    const secrets = ALL_SECRETS;
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:DescribeSecret'],
        resources: [secrets],
        conditions: monitoredSecretCondition(props.tagKey),
      }),
    );
    for (const statement of monitoredSecretChangeStatements(props.tagKey, secrets, Aws.REGION)) {
      this.role.addToPolicy(statement);
    }
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(__dirname, '..', '..', 'lambdas', 'password-change', 'handler.ts'),
      handler: 'handler',
      description: "credential-hygiene: change a shared login's password with its owner (rotate start, confirm, abort)",
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(1),
      role: this.role,
      logGroup,
      // Each step is idempotent: an asynchronous invoke that failed may be tried once more.
      retryAttempts: 1,
      environment: {
        [ENVIRONMENT_NAMES.findingsTopicArn]: props.findingsTopic.topicArn,
        [ENVIRONMENT_NAMES.tagKey]: props.tagKey,
        POWERTOOLS_SERVICE_NAME: 'password-change',
      },
      bundling: functionBundling({
        [BUNDLED_SETTINGS_GLOBAL]: JSON.stringify(
          JSON.stringify({ [ENVIRONMENT_NAMES.policy]: JSON.stringify(props.policy) }),
        ),
      }),
    });
    props.findingsTopic.grantPublish(this.role);
  }
}
