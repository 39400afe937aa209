import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FUNCTION_NAMES, FUNCTION_SPECS } from '../../lambdas/shared/function-specs';
import { MEMBER_STACK_NAME } from '../../lambdas/shared/monitor-principals';
import { readConfig } from '../../lib/config';
import { CredentialHygieneStack } from '../../lib/credential-hygiene-stack';
import { MemberReadRoleStack } from '../../lib/member-read-role-stack';
import { resolvedIn } from '../support/template-values';

const MONITOR = '111111111111';
const MEMBER = '222222222222';
const ORG = 'o-a1b2c3d4e5';
const ACCOUNTS = { organizationId: ORG, monitorAccountId: MONITOR, organizationUnits: 'all' };
const TAG = 'credential-hygiene:platform';

function synth(accounts: Record<string, unknown> = ACCOUNTS, more: Record<string, unknown> = {}) {
  const app = new App({
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true, 'aws:cdk:bundling-stacks': [] },
  });
  const config = readConfig({ accounts, ...more });
  const monitor = new CredentialHygieneStack(app, 'CredentialHygiene', { config });
  const member = new MemberReadRoleStack(app, MEMBER_STACK_NAME, {
    tagKey: config.tagKey,
    accounts: config.accounts as NonNullable<typeof config.accounts>,
    channels: config.channels,
  });
  return { monitor, member, monitorTemplate: Template.fromStack(monitor), memberTemplate: Template.fromStack(member) };
}

/** The role a session is of: `arn:aws:sts::1:assumed-role/R/s` is `arn:aws:iam::1:role/R`. */
function roleArnOf(session: string): string {
  const [, account, role] = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(session) ?? [];
  return `arn:aws:iam::${account}:role/${role}`;
}

/** A template value as deployed in the member account (the role lives there). */
const resolved = (value: unknown) => resolvedIn(value, { account: MEMBER, region: 'eu-west-2' });

describe('Member accounts: the read role each member holds (a plain template for a StackSet)', () => {
  const { member, memberTemplate, monitorTemplate } = synth();
  const [role] = Object.values(memberTemplate.findResources('AWS::IAM::Role'));
  const trust = resolved(role?.Properties.AssumeRolePolicyDocument);
  const readPolicy = resolved(role?.Properties.Policies[0].PolicyDocument);

  it('needs no CDK bootstrap: no bootstrap version parameter or rule, no asset, no metadata resource', () => {
    const json = memberTemplate.toJSON();
    expect(json.Parameters ?? {}).toEqual({});
    expect(json.Rules ?? {}).toEqual({});
    expect(Object.keys(json.Resources)).toEqual([expect.stringMatching(/^ReadRole/)]);
    expect(role?.Properties.RoleName).toBe('CredentialHygieneRead');
  });

  it('raises no unacknowledged cdk-nag finding', () => {
    expect(new AwsSolutionsChecks().validateScope(member).violations).toEqual([]);
  });

  async function assume(principal: string, principalOrgId: string | undefined) {
    const outcome = await runSimulation(
      {
        request: {
          principal,
          action: 'sts:AssumeRole',
          resource: { resource: `arn:aws:iam::${MEMBER}:role/CredentialHygieneRead`, accountId: MEMBER },
          contextVariables: {
            // What IAM sets for a role session: the role's ARN (the simulator takes it as given).
            'aws:PrincipalArn': roleArnOf(principal),
            ...(principalOrgId !== undefined && { 'aws:PrincipalOrgID': principalOrgId }),
          },
        },
        // The caller's own policy allows it: only the trust decides.
        identityPolicies: [
          {
            name: 'caller',
            policy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
            },
          },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: trust,
      },
      {},
    );
    if (outcome.resultType === 'error') throw new Error(`the simulation failed: ${outcome.errors.message}`);
    return outcome.overallResult;
  }

  it("trusts the monitor account's check function roles, from inside the organisation, and nothing else", async () => {
    for (const name of FUNCTION_NAMES) {
      const family = FUNCTION_SPECS[name].family;
      expect(await assume(`arn:aws:sts::${MONITOR}:assumed-role/CredentialHygiene-${family}-eu-west-2/run`, ORG)).toBe(
        'Allowed',
      );
    }
    // The same role, but not in the organisation (the organisation id differs, or is not known).
    expect(
      await assume(
        `arn:aws:sts::${MONITOR}:assumed-role/CredentialHygiene-breach-exposure-eu-west-2/run`,
        'o-zzzzzzzzzz',
      ),
    ).not.toBe('Allowed');
    expect(
      await assume(`arn:aws:sts::${MONITOR}:assumed-role/CredentialHygiene-breach-exposure-eu-west-2/run`, undefined),
    ).not.toBe('Allowed');
    // Another role of the monitor account (the password-change function, a person), and a role of another account.
    expect(
      await assume(`arn:aws:sts::${MONITOR}:assumed-role/CredentialHygiene-PasswordChangeRole1-ABC/run`, ORG),
    ).not.toBe('Allowed');
    expect(await assume(`arn:aws:sts::${MONITOR}:assumed-role/Admin/alice`, ORG)).not.toBe('Allowed');
    expect(
      await assume(`arn:aws:sts::333333333333:assumed-role/CredentialHygiene-breach-exposure-eu-west-2/run`, ORG),
    ).not.toBe('Allowed');
  });

  async function allowed(action: string, resource: string, context: Record<string, string | string[]>) {
    const outcome = await runSimulation(
      {
        request: {
          principal: `arn:aws:sts::${MEMBER}:assumed-role/CredentialHygieneRead/credential-hygiene-breach-exposure`,
          action,
          resource: { resource, accountId: MEMBER },
          contextVariables: context,
        },
        identityPolicies: [{ name: 'read', policy: readPolicy }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        // A key's default policy: the account's IAM policies decide.
        ...(action.startsWith('kms:') && {
          resourcePolicy: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MEMBER}:root` }, Action: 'kms:*', Resource: '*' },
            ],
          },
        }),
      },
      {},
    );
    if (outcome.resultType === 'error') throw new Error(`the simulation failed: ${outcome.errors.message}`);
    return outcome.overallResult;
  }

  it('reads only monitored secrets, and decrypts only through Secrets Manager; it changes nothing', async () => {
    const secret = `arn:aws:secretsmanager:eu-west-2:${MEMBER}:secret:press/x-AbCdEf`;
    expect(await allowed('secretsmanager:ListSecrets', '*', {})).toBe('Allowed');
    expect(await allowed('secretsmanager:GetSecretValue', secret, { [`aws:ResourceTag/${TAG}`]: 'x.com' })).toBe(
      'Allowed',
    );
    expect(await allowed('secretsmanager:ListSecretVersionIds', secret, { [`aws:ResourceTag/${TAG}`]: 'x.com' })).toBe(
      'Allowed',
    );
    expect(await allowed('secretsmanager:GetSecretValue', secret, { 'aws:ResourceTag/team': 'payroll' })).not.toBe(
      'Allowed',
    );
    expect(await allowed('secretsmanager:PutSecretValue', secret, { [`aws:ResourceTag/${TAG}`]: 'x.com' })).not.toBe(
      'Allowed',
    );
    const key = `arn:aws:kms:eu-west-2:${MEMBER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(await allowed('kms:Decrypt', key, { 'kms:ViaService': 'secretsmanager.eu-west-2.amazonaws.com' })).toBe(
      'Allowed',
    );
    expect(await allowed('kms:Decrypt', key, { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' })).not.toBe('Allowed');
  });

  it("names the monitor's check function roles, and lets them assume only the read role, in the organisation", () => {
    for (const name of FUNCTION_NAMES) {
      monitorTemplate.hasResourceProperties('AWS::IAM::Role', {
        RoleName: { 'Fn::Join': ['', [`CredentialHygiene-${FUNCTION_SPECS[name].family}-`, { Ref: 'AWS::Region' }]] },
      });
    }
    monitorTemplate.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/CredentialHygieneRead']] },
            Condition: { StringEquals: { 'aws:ResourceOrgID': ORG } },
          }),
        ]),
      },
    });
    expect(JSON.stringify(monitorTemplate.toJSON())).toContain('organizations:ListAccounts');
  });

  it("with Security Hub on, lets the monitor import the member's findings under its own default product only", () => {
    const { member: withHub, memberTemplate: hubTemplate } = synth(ACCOUNTS, { securityHub: { enabled: true } });
    const [hubRole] = Object.values(hubTemplate.findResources('AWS::IAM::Role'));
    const statements = (
      resolved(hubRole?.Properties.Policies[0].PolicyDocument) as {
        Statement: { Action: unknown; Resource: unknown }[];
      }
    ).Statement;
    expect(statements.filter((each) => JSON.stringify(each.Action).includes('securityhub'))).toEqual([
      expect.objectContaining({
        Action: 'securityhub:BatchImportFindings',
        Resource: `arn:aws:securityhub:*:${MEMBER}:product/${MEMBER}/default`,
      }),
    ]);
    expect(JSON.stringify(readPolicy)).not.toContain('securityhub');
    expect(new AwsSolutionsChecks().validateScope(withHub).violations).toEqual([]);
  });

  it('warns at synth that the knowers check does not run while member accounts are read', () => {
    const { monitor } = synth(ACCOUNTS, { knowers: { enabled: true } });
    Annotations.fromStack(monitor).hasWarning('*', Match.stringLikeRegexp('knowers check does not run'));
    expect(Annotations.fromStack(synth().monitor).findWarning('*', Match.stringLikeRegexp('knowers'))).toEqual([]);
  });

  it('gives no Organizations permission where the accounts are listed by id', () => {
    const { monitorTemplate: listed } = synth({ organizationId: ORG, monitorAccountId: MONITOR, accountIds: [MEMBER] });
    expect(JSON.stringify(listed.toJSON())).not.toContain('organizations:');
    expect(JSON.stringify(listed.toJSON())).toContain('sts:AssumeRole');
  });

  it('raises no unacknowledged cdk-nag finding on the monitor stack with member accounts', () => {
    const { monitor } = synth();
    expect(new AwsSolutionsChecks().validateScope(monitor).violations.map((each) => each.ruleName)).toEqual([]);
  });

  it("gives each check function at least 1024 MB and Lambda's 15 minutes by default: an organisation's estate is many accounts'", () => {
    const config = readConfig({ accounts: ACCOUNTS, functions: { mfaStatus: { memoryMb: 512, timeoutMinutes: 10 } } });
    expect(config.functions.passwordAge).toMatchObject({ memoryMb: 1024, timeoutMinutes: 15 });
    expect(config.functions.breachExposure).toMatchObject({ memoryMb: 1024, timeoutMinutes: 15 });
    // What cdk.json sets is kept.
    expect(config.functions.mfaStatus).toMatchObject({ memoryMb: 512, timeoutMinutes: 10 });
    expect(readConfig({}).functions.passwordAge).toMatchObject({ memoryMb: 256, timeoutMinutes: 5 });
  });

  it('refuses an accounts setting the trust cannot be written with, naming each key', () => {
    expect(() => readConfig({ accounts: { organizationUnits: 'all' } })).toThrow(
      /accounts\.organizationId: is required[\s\S]*accounts\.monitorAccountId: is required/,
    );
    expect(() => readConfig({ accounts: { ...ACCOUNTS, accountIds: [MEMBER] } })).toThrow(
      /must name either organizationUnits \("all" or a list\) or accountIds, not both/,
    );
    expect(() => readConfig({ accounts: { ...ACCOUNTS, organizationUnits: ['ou-nope'] } })).toThrow(
      /organizationUnits: must be "all" or a list of organizational unit ids|organizational unit id/,
    );
  });
});
