import { Aws, CfnOutput, DefaultStackSynthesizer, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { channelMemberGrants, channelsOn } from '../lambdas/adapters/channels/registry';
import { type IamStatement, secretReadStatements } from '../lambdas/adapters/secrets-manager-read-policy';
import { FUNCTION_NAMES, FUNCTION_SPECS } from '../lambdas/shared/function-specs';
import { checkFunctionRoleArnPatterns } from '../lambdas/shared/monitor-principals';
import type { MonitorConfig } from './config';

export interface MemberReadRoleStackProps extends StackProps {
  readonly tagKey: string;
  readonly accounts: NonNullable<MonitorConfig['accounts']>;
  /** The channels' settings: a channel on that delivers a member's findings there is allowed that (Security Hub). */
  readonly channels?: MonitorConfig['channels'];
}

/**
 * The read role each member account holds for the monitor: a plain template (no assets, no bootstrap version check),
 * so that a service-managed StackSet deploys it to every account of the organisation. It lets the monitor account's
 * check functions, and no other principal, list the monitored secrets, read their metadata and values, and decrypt them
 * through Secrets Manager: the union of what the three functions need; each narrows it to its own by a session policy.
 */
export class MemberReadRoleStack extends Stack {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: MemberReadRoleStackProps) {
    super(scope, id, {
      ...props,
      // A StackSet instance cannot read the CDK bootstrap's version parameter: none is asked for.
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      analyticsReporting: false,
    });
    const { accounts } = props;
    const families = FUNCTION_NAMES.map((name) => FUNCTION_SPECS[name].family);
    // What a channel on delivers of a member's findings in the member's account (Security Hub's import).
    const delivery = channelMemberGrants(channelsOn(props.channels ?? {}), {
      partition: Aws.PARTITION,
      account: Aws.ACCOUNT_ID,
    });
    this.role = new Role(this, 'ReadRole', {
      roleName: accounts.roleName,
      description: 'credential-hygiene: lets the monitor account read the monitored shared-login secrets here',
      assumedBy: new AccountPrincipal(accounts.monitorAccountId).withConditions({
        ArnLike: {
          'aws:PrincipalArn': checkFunctionRoleArnPatterns(families, accounts.monitorAccountId, Aws.PARTITION),
        },
        StringEquals: { 'aws:PrincipalOrgID': accounts.organizationId },
      }),
      inlinePolicies: {
        ReadMonitoredSecrets: new PolicyDocument({
          statements: [
            ...memberReadStatements(props.tagKey),
            ...delivery.map((statement) => PolicyStatement.fromJson(statement)),
          ],
        }),
      },
    });
    if (delivery.length > 0) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:securityhub:*:<AWS::AccountId>:product/<AWS::AccountId>/default]',
        reason:
          "securityhub:BatchImportFindings on this account's own default product only, in any region: the monitor imports this account's findings where its own Security Hub runs.",
      });
    }
    new CfnOutput(this, 'ReadRoleArn', { value: this.role.roleArn });
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'secretsmanager:ListSecrets and BatchGetSecretValue support no resource-level permissions; kms:Decrypt on * is limited by kms:ViaService to Secrets Manager, because the secrets may use any customer key.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:*:<AWS::AccountId>:secret:*]',
        reason:
          "Reads are limited to secrets carrying the monitoring tag by an ABAC condition (aws:ResourceTag/<tag> must exist); secret names are not known at deploy time, and the role is global while the monitor reads its own region's secrets.",
      },
    );
  }
}

/** What any of the check functions may do in a member account: each function's statements, once each. */
function memberReadStatements(tagKey: string): PolicyStatement[] {
  const where = { secrets: `arn:${Aws.PARTITION}:secretsmanager:*:${Aws.ACCOUNT_ID}:secret:*`, region: '*' };
  const bySid = new Map<string, IamStatement>();
  for (const readsValues of [false, true]) {
    for (const statement of secretReadStatements(tagKey, readsValues, where)) bySid.set(statement.Sid, statement);
  }
  return [...bySid.values()].map((statement) => PolicyStatement.fromJson(statement));
}
