/** The stack's name (`cdk deploy` creates `CredentialHygiene`): its roles' names begin with it. */
export const STACK_NAME = 'CredentialHygiene';

/** The member accounts' stack (their read role), synthesized beside it where cdk.json names `accounts`. */
export const MEMBER_STACK_NAME = `${STACK_NAME}MemberRead`;

/**
 * The monitor's own roles and their sessions, in any account and partition: its functions read every monitored secret,
 * and those reads are not people knowing a password. Globs as the policy's `knowers.ignorePrincipals` are.
 */
export const MONITOR_PRINCIPALS: readonly string[] = [
  `arn:*:iam::*:role/${STACK_NAME}-*`,
  `arn:*:sts::*:assumed-role/${STACK_NAME}-*`,
];

/**
 * A check function's role name where member accounts are read: the member accounts' read roles trust the monitor
 * account's roles of these names (`CredentialHygiene-password-age-eu-west-2`), and no other. By region, as roles are
 * global and a stack of this name may be deployed in two regions.
 */
export function checkFunctionRoleName(family: string, region: string): string {
  return `${STACK_NAME}-${family}-${region}`;
}

/** The role ARNs a member's read role trusts, in any region of the monitor account: `aws:PrincipalArn` patterns. */
export function checkFunctionRoleArnPatterns(
  families: readonly string[],
  monitorAccountId: string,
  partition: string,
): string[] {
  return families.map(
    (family) => `arn:${partition}:iam::${monitorAccountId}:role/${checkFunctionRoleName(family, '*')}`,
  );
}
