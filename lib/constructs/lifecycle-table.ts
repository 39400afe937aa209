import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { READS_PREFIX } from '../../lambdas/adapters/cloudtrail/dynamodb-secret-reads';
import { partitionKeys } from '../../lambdas/adapters/dynamodb-lifecycle-store';
import type { PasswordRecordAccess } from '../../lambdas/shared/function-specs';

export interface LifecycleTableProps {
  readonly encryptionKey: IKey;
}

/**
 * The findings' memory between runs: on demand, with point-in-time recovery, encrypted with the stack's key, and
 * kept when the stack is deleted. Grants are per function family: a function reads and writes only its own findings and lock
 * (an IAM condition on the partition key), and touches password records only as its role says.
 */
export class LifecycleTable extends Construct {
  readonly table: Table;
  private readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: LifecycleTableProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets `grantee` keep the state of `family` (one function's findings and lock), use password records, and read (only
   * read) the findings of the families in `readsFindingsOf`.
   */
  grantFamily(
    grantee: IGrantable,
    family: string,
    passwords: PasswordRecordAccess,
    readsFindingsOf: readonly string[] = [],
  ): void {
    const onPartitions = (keys: string[]) => ({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': keys },
    });
    const recorded = passwords === 'record' ? [partitionKeys.passwords, partitionKeys.identities] : [];
    const readable = [
      partitionKeys.findings(family),
      ...(passwords === 'read' ? [partitionKeys.passwords] : recorded),
      ...readsFindingsOf.map((other) => partitionKeys.findings(other)),
    ];
    const writable = [partitionKeys.findings(family), ...recorded];
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [this.table.tableArn],
        conditions: onPartitions(readable),
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchWriteItem'],
        resources: [this.table.tableArn],
        conditions: onPartitions(writable),
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
        conditions: onPartitions([partitionKeys.lock(family)]),
      }),
    );
    this.encryptionKey.grant(grantee, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey');
  }

  /** Lets `grantee` write the reads of secrets (the read recorder): their partitions, and no other. */
  grantReadRecording(grantee: IGrantable): void {
    this.grantOnReads(grantee, ['dynamodb:BatchWriteItem']);
  }

  /** Lets `grantee` query the recorded reads of secrets (a function that runs the knowers check). */
  grantReadQueries(grantee: IGrantable): void {
    this.grantOnReads(grantee, ['dynamodb:Query']);
  }

  private grantOnReads(grantee: IGrantable, actions: string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions,
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${READS_PREFIX}*`] } },
      }),
    );
    this.encryptionKey.grant(grantee, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey');
  }
}
