import { Stack } from 'aws-cdk-lib';

/**
 * The deployable monitor. For now it holds nothing: the scheduled Lambdas, the findings topic and their IAM come
 * with the AWS issue. It is environment-agnostic, so synth needs no AWS account or lookups.
 */
export class CredentialHygieneStack extends Stack {}
