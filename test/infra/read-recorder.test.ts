import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from '../../lib/config';
import { CredentialHygieneStack } from '../../lib/credential-hygiene-stack';

function synth(input: Record<string, unknown>) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CredentialHygieneStack(app, 'CredentialHygiene', { config: readConfig(input) });
  return { stack, template: Template.fromStack(stack) };
}

/** Every statement of the policies attached to the role whose logical id begins with `prefix`. */
function statementsOf(template: Template, prefix: string) {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(prefix))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
}
const actionsOf = (statements: Record<string, unknown>[]) => statements.flatMap((each) => [each.Action].flat());

describe('Stack: who read each secret (knowers.enabled)', () => {
  const off = synth({});
  const { stack, template } = synth({ knowers: { enabled: true, readRetentionDays: 400 } });

  it('is off by default: no recorder, no rule on reads, and the knowers check does not run', () => {
    expect(off.stack.readRecorder).toBeUndefined();
    expect(JSON.stringify(off.template.toJSON())).not.toMatch(/GetSecretValue"\]|KNOWERS_ENABLED|READ#/);
  });

  it("sends CloudTrail's records of Secrets Manager reads to the recorder, and nothing else", () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      // Read-only management events (GetSecretValue is one) reach only a rule in this state.
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: {
        source: ['aws.secretsmanager'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['secretsmanager.amazonaws.com'], eventName: ['GetSecretValue', 'BatchGetSecretValue'] },
      },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ READ_RETENTION_DAYS: '400', POWERTOOLS_SERVICE_NAME: 'read-recorder' }),
      },
    });
  });

  it('lets the recorder describe only monitored secrets and write only the reads, never read a value', () => {
    const statements = statementsOf(template, 'ReadRecorderRole');
    const actions = actionsOf(statements);

    expect(actions).not.toContain('secretsmanager:GetSecretValue');
    expect(actions).not.toContain('dynamodb:Query');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'secretsmanager:DescribeSecret',
        Condition: { Null: { 'aws:ResourceTag/credential-hygiene:platform': 'false' } },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'dynamodb:BatchWriteItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['READ#*'] } },
      }),
    );
  });

  it("fills the reads from CloudTrail's history once at first deployment, by an asynchronous invoke, and when asked", () => {
    const backfill = statementsOf(template, 'ReadRecorderBackfillRole');
    expect(actionsOf(backfill)).toEqual(
      expect.arrayContaining(['cloudtrail:LookupEvents', 'secretsmanager:DescribeSecret', 'dynamodb:BatchWriteItem']),
    );
    expect(actionsOf(backfill)).not.toContain('secretsmanager:GetSecretValue');
    const trigger = Object.values(template.findResources('Custom::AWS'))[0]?.Properties;
    expect(JSON.stringify(trigger?.Create)).toContain('\\"InvocationType\\":\\"Event\\"');
    expect(JSON.stringify(trigger?.Create)).toContain('{\\\\\\"days\\\\\\":90}');
    expect(JSON.stringify(trigger?.Update ?? null)).toBe('null');
    template.hasOutput('ReadBackfill', { Value: Match.objectLike({}) });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'read-backfill' }) },
    });
  });

  it('lets password-age query the reads and run the knowers check; the other functions neither', () => {
    const query = (prefix: string) =>
      statementsOf(template, prefix).some(
        (statement) =>
          statement.Action === 'dynamodb:Query' &&
          JSON.stringify(statement.Condition) ===
            JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['READ#*'] } }),
      );
    const knowersEnabled = Object.values(template.findResources('AWS::Lambda::Function'))
      .filter((fn) => fn.Properties.Environment?.Variables?.KNOWERS_ENABLED === 'true')
      .map((fn) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME);

    expect(knowersEnabled).toEqual(['password-age']);
    expect([query('PasswordAgeRole'), query('BreachExposureRole'), query('MfaStatusRole')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('lets password-age look up leavers: IAM users always, the identity store and the leavers secret where named', () => {
    const named = synth({
      knowers: { enabled: true, identityStoreId: 'd-1234567890', leaversSecret: 'credential-hygiene/leavers' },
    });
    const actions = (t: Template) => actionsOf(statementsOf(t, 'PasswordAgeRole'));
    const variables = Object.values(named.template.findResources('AWS::Lambda::Function')).find(
      (fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'password-age',
    )?.Properties.Environment.Variables;

    expect(actions(template)).toContain('iam:GetUser');
    expect(actions(template)).not.toContain('identitystore:DescribeUser');
    expect(actions(named.template)).toEqual(
      expect.arrayContaining(['identitystore:DescribeUser', 'identitystore:GetUserId']),
    );
    expect(variables).toMatchObject({
      IDENTITY_STORE_ID: 'd-1234567890',
      LEAVERS_SECRET_NAME: 'credential-hygiene/leavers',
    });
    expect(JSON.stringify(statementsOf(named.template, 'PasswordAgeRole'))).toContain(
      'secret:credential-hygiene/leavers-??????',
    );
    expect(actionsOf(statementsOf(named.template, 'BreachExposureRole'))).not.toContain('iam:GetUser');
    expect(new AwsSolutionsChecks().validateScope(named.stack).violations).toEqual([]);
  });

  it('graphs the logins a leaver knows on the dashboard, only where the check runs', () => {
    const body = (t: Template) => JSON.stringify(Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0]);

    expect(body(template)).toContain('Logins whose password someone who has left knows');
    expect(body(template)).toContain('AccountsWithLeaver');
    expect(body(off.template)).not.toContain('AccountsWithLeaver');
  });

  it('raises no unacknowledged cdk-nag AwsSolutions finding', () => {
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });

  it.each([
    [{ knowers: { enabled: 'yes' } }, 'credential-hygiene.knowers.enabled: must be true or false'],
    [
      { knowers: { enabled: true, readRetentionDays: 7 } },
      'credential-hygiene.knowers.readRetentionDays: must be at least 30 days',
    ],
  ])('refuses %j', (input, message) => {
    expect(() => readConfig(input)).toThrow(message);
  });
});
