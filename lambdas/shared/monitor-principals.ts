/** The stack's name (`cdk deploy` creates `CredentialHygiene`): its roles' names begin with it. */
export const STACK_NAME = 'CredentialHygiene';

/**
 * The monitor's own roles and their sessions, in any account and partition: its functions read every monitored secret,
 * and those reads are not people knowing a password. Globs as the policy's `knowers.ignorePrincipals` are.
 */
export const MONITOR_PRINCIPALS: readonly string[] = [
  `arn:*:iam::*:role/${STACK_NAME}-*`,
  `arn:*:sts::*:assumed-role/${STACK_NAME}-*`,
];
