import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FUNCTION_NAMES, FUNCTION_SPECS } from '../../lambdas/shared/function-specs';
import { readConfig } from '../../lib/config';
import { CredentialHygieneStack } from '../../lib/credential-hygiene-stack';

const CONFIG_INPUT = {
  owners: {
    'press-office': { emails: ['press-office@example.org'], phones: ['+447700900123'] },
    'digital-team': { emails: ['digital@example.org'] },
  },
  platformTeam: { emails: ['platform@example.org'] },
  pwnedPasswordsUrl: 'https://pwned-mirror.example.org',
};
const CONFIG = readConfig(CONFIG_INPUT);

/** Bundling is skipped here (one test below bundles for real); the template is the same apart from asset hashes. */
function synth(config = CONFIG, bundle = false) {
  // CloudFormation's own checks of each property (cdk.json sets the same flag): a warning fails the synth.
  const app = new App({
    context: {
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = new CredentialHygieneStack(app, 'CredentialHygiene', { config });
  return { stack, template: Template.fromStack(stack) };
}

function statementsOf(
  template: Template,
  rolePrefix: string,
): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const policy = Object.entries(policies).find(([id]) => id.startsWith(rolePrefix))?.[1];
  return policy?.Properties.PolicyDocument.Statement ?? [];
}
/** The three scheduled check functions (the subscription sync and its provider are functions too). */
function checkFunctionsOf(template: Template) {
  const families = new Set(FUNCTION_NAMES.map((name) => FUNCTION_SPECS[name].family as string));
  return Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) =>
    families.has(fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME),
  );
}
const actionsOf = (statements: { Action: string | string[] }[]) =>
  statements.flatMap((statement) => [statement.Action].flat());

describe('Stack: CredentialHygieneStack', () => {
  const { stack, template } = synth();

  it('deploys three Node.js 22 arm64 functions, each on its schedule', () => {
    expect(checkFunctionsOf(template)).toHaveLength(3);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          // Source maps are read when an invocation fails, not parsed on every cold start (source-mapped-stack).
          NODE_OPTIONS: Match.absent(),
          MONITOR_TAG_KEY: 'credential-hygiene:platform',
        }),
      },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
    const schedules = Object.values(template.findResources('AWS::Events::Rule')).map(
      (rule) => rule.Properties.ScheduleExpression,
    );
    expect(schedules.sort()).toEqual(['rate(1 day)', 'rate(1 day)', 'rate(7 days)']);
    // The breach corpus mirror, bundled with the one function that asks it, and in no environment.
    expect(
      Object.entries(stack.functions).map(([name, fn]) => [name, fn.bundledSettings.EVIDENCE_SOURCES ?? null]),
    ).toEqual([
      ['passwordAge', null],
      ['breachExposure', JSON.stringify({ pwnedPasswordsUrl: 'https://pwned-mirror.example.org' })],
      ['mfaStatus', null],
    ]);
    expect(JSON.stringify(template.toJSON())).not.toContain('EVIDENCE_SOURCES');
  });

  it('tells the functions which owners have recipients, so a mistyped owner is a finding', () => {
    const withSilentOwner = readConfig({
      ...CONFIG_INPUT,
      owners: { ...CONFIG_INPUT.owners, 'legal-team': { emails: [], phones: [] } },
    });
    const { stack: withSilentOwnerStack, template: withSilentOwnerTemplate } = synth(withSilentOwner);
    const settings = Object.values(withSilentOwnerStack.functions).map((fn) => fn.bundledSettings.ROUTED_OWNERS);

    // Bundled with the code, not in the environment (Lambda caps that at 4 KB).
    expect(JSON.stringify(withSilentOwnerTemplate.toJSON())).not.toContain('ROUTED_OWNERS');
    expect(settings.map((each) => JSON.parse(each ?? '[]').sort())).toEqual([
      ['digital-team', 'press-office'],
      ['digital-team', 'press-office'],
      ['digital-team', 'press-office'],
    ]);
  });

  it('sets log retention on each function and a retry budget for asynchronous runs', () => {
    // The three check functions, the password-change function, the subscription sync and its provider.
    template.resourceCountIs('AWS::Logs::LogGroup', 6);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.allResourcesProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 1 });
  });

  it('the password-change function may change only monitored secrets: never create, delete or untag them', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('password-change') },
    });
    const [roleId] = Object.keys(roles);
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    );
    const statements = policies.flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[],
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).not.toEqual(expect.arrayContaining(['secretsmanager:CreateSecret']));
    expect(actions.filter((action) => /Delete|RestoreSecret|ListSecrets|BatchGet/.test(action))).toEqual([]);
    for (const statement of statements) {
      if ([statement.Action].flat().some((action) => action.startsWith('secretsmanager:'))) {
        expect(JSON.stringify(statement.Condition)).toContain('aws:ResourceTag/credential-hygiene:platform');
      }
    }
    const untag = statements.find((statement) => [statement.Action].flat().includes('secretsmanager:UntagResource'));
    expect(untag?.Condition).toMatchObject({
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['credential-hygiene:rotation-pending'] },
    });
  });

  it('encrypts the findings topic with a rotating KMS key and enforces TLS on it', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'credential-hygiene findings',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it("subscribes each owner's email to that owner's digests, SMS to critical and high only, through one resource", () => {
    template.hasResourceProperties('Custom::FindingsSubscriptions', {
      TopicArn: { Ref: Match.stringLikeRegexp('FindingsTopic') },
      Subscriptions: [
        { protocol: 'email', endpoint: 'press-office@example.org', filterPolicy: { owner: ['press-office'] } },
        {
          protocol: 'sms',
          endpoint: '+447700900123',
          filterPolicy: { owner: ['press-office'], severity: ['critical', 'high'] },
        },
        { protocol: 'email', endpoint: 'digital@example.org', filterPolicy: { owner: ['digital-team'] } },
        { protocol: 'email', endpoint: 'platform@example.org' },
      ],
    });
    // None of the findings topic's subscriptions is a resource of its own: the stack does not grow with the owners.
    const findingsTopicSubscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).filter(
      (subscription) => JSON.stringify(subscription.Properties.TopicArn).includes('FindingsTopic'),
    );
    expect(findingsTopicSubscriptions).toEqual([]);
  });

  it('lets the subscription sync change only the findings topic’s subscriptions, and write its own logs', () => {
    const statements = statementsOf(template, 'NotificationsSubscriptionSyncRoleDefaultPolicy');
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/SubscriptionSyncLogs/), 'Arn'] },
      }),
      expect.objectContaining({
        Action: [
          'sns:ListSubscriptionsByTopic',
          'sns:Subscribe',
          'sns:Unsubscribe',
          'sns:GetSubscriptionAttributes',
          'sns:SetSubscriptionAttributes',
        ],
        Resource: { Ref: expect.stringMatching(/FindingsTopic/) },
      }),
    ]);
  });

  it('gives the platform team every digest and the alarms, unfiltered', () => {
    const alarms = Object.values(
      template.findResources('AWS::SNS::Subscription', { Properties: { Endpoint: 'platform@example.org' } }),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties.FilterPolicy).toBeUndefined();
    template.hasResourceProperties('Custom::FindingsSubscriptions', {
      Subscriptions: Match.arrayWith([{ protocol: 'email', endpoint: 'platform@example.org' }]),
    });
  });

  it('alarms on errors, on a missing scheduled run (two intervals, at most 7 days) and on the dead-letter queue', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
      AlarmActions: [Match.anyValue()],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ScheduledRunSucceeded',
      Namespace: 'CredentialHygiene',
      Dimensions: [{ Name: 'service', Value: 'breach-exposure' }],
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Period: 3600,
      EvaluationPeriods: 48,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ScheduledRunSucceeded',
      Dimensions: [{ Name: 'service', Value: 'mfa-status' }],
      Period: 3600,
      EvaluationPeriods: 168,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
    });
  });

  it('lets the password-age function list and date secrets, and never read a value', () => {
    const actions = actionsOf(statementsOf(template, 'PasswordAgeRole'));

    expect(actions).toEqual(
      expect.arrayContaining(['secretsmanager:ListSecrets', 'secretsmanager:ListSecretVersionIds', 'sns:Publish']),
    );
    expect(actions).not.toContain('secretsmanager:GetSecretValue');
    expect(actions).not.toContain('secretsmanager:BatchGetSecretValue');
    expect(actions.filter((action) => action.startsWith('secretsmanager:'))).toHaveLength(2);
  });

  it.each(['BreachExposureRole', 'MfaStatusRole'])('%s reads only secrets carrying the monitoring tag', (role) => {
    const statements = statementsOf(template, role);
    const read = statements.find((statement) => statement.Action === 'secretsmanager:GetSecretValue');
    const decrypt = statements.find((statement) => statement.Action === 'kms:Decrypt');

    expect(read?.Condition).toEqual({ Null: { 'aws:ResourceTag/credential-hygiene:platform': 'false' } });
    expect(decrypt?.Resource).toBe('*');
    expect(decrypt?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    });
    expect(actionsOf(statements)).toContain('secretsmanager:BatchGetSecretValue');
    expect(actionsOf(statements)).not.toContain('secretsmanager:PutSecretValue');
  });

  it('uses the configured tag key in the ABAC condition', () => {
    const { template: custom } = synth(readConfig({ tagKey: 'shared-login:platform' }));
    const read = statementsOf(custom, 'MfaStatusRole').find(
      (statement) => statement.Action === 'secretsmanager:GetSecretValue',
    );

    expect(read?.Condition).toEqual({ Null: { 'aws:ResourceTag/shared-login:platform': 'false' } });
  });

  it('keeps lifecycle state in an on-demand, recoverable table encrypted with the stack key, and retains it', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      },
      DeletionPolicy: 'Retain',
    });
    for (const fn of checkFunctionsOf(template))
      expect(fn.Properties.Environment.Variables.STATE_TABLE_NAME).toBeDefined();
  });

  it.each([
    ['PasswordAgeRole', 'password-age', ['FINDING#password-age', 'PASSWORD'], ['FINDING#password-age']],
    [
      'BreachExposureRole',
      'breach-exposure',
      // It reads (never writes) mfa-status's findings: the takeover chains are judged by every link's MFA.
      ['FINDING#breach-exposure', 'PASSWORD', 'IDENTITY', 'FINDING#mfa-status'],
      ['FINDING#breach-exposure', 'PASSWORD', 'IDENTITY'],
    ],
    ['MfaStatusRole', 'mfa-status', ['FINDING#mfa-status'], ['FINDING#mfa-status']],
  ])(
    '%s writes only its own findings, and reads and writes password records as it needs',
    (role, scope, reads, writes) => {
      const statements = statementsOf(template, role);
      const leadingKeys = (action: string) =>
        (
          statements.find((statement) => [statement.Action].flat().includes(action))?.Condition as Record<
            string,
            Record<string, unknown>
          >
        )?.['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys'];

      expect(leadingKeys('dynamodb:Query')).toEqual(reads);
      expect(leadingKeys('dynamodb:BatchWriteItem')).toEqual(writes);
      expect(leadingKeys('dynamodb:PutItem')).toEqual([`LOCK#${scope}`]);
      expect(
        actionsOf(statements)
          .filter((action) => action.startsWith('dynamodb:'))
          .sort(),
      ).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    },
  );

  it('gives only the breach-exposure function the fingerprint key', () => {
    const readsKey = (role: string) =>
      statementsOf(template, role).some(
        (statement) =>
          [statement.Action].flat().includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(statement.Resource).includes('FingerprintKey'),
      );

    expect([readsKey('BreachExposureRole'), readsKey('PasswordAgeRole'), readsKey('MfaStatusRole')]).toEqual([
      true,
      false,
      false,
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ FINGERPRINT_KEY_SECRET_ARN: { Ref: Match.stringLikeRegexp('FingerprintKey') } }),
      },
    });
  });

  it('gives the breach function the HIBP settings and a read of that one secret, only when configured', () => {
    const { template: withHibp, stack: withHibpStack } = synth(
      readConfig({ hibp: { apiKeySecretName: 'credential-hygiene/hibp-api-key', requestsPerMinute: 50 } }),
    );

    expect(JSON.parse(withHibpStack.functions.breachExposure.bundledSettings.EVIDENCE_SOURCES ?? '{}')).toEqual({
      hibp: { apiKeySecretName: 'credential-hygiene/hibp-api-key', requestsPerMinute: 50 },
    });
    expect(withHibpStack.functions.mfaStatus.bundledSettings.EVIDENCE_SOURCES).toBeUndefined();
    const reads = statementsOf(withHibp, 'BreachExposureRole').filter((statement) =>
      JSON.stringify(statement.Resource).includes('credential-hygiene/hibp-api-key'),
    );
    expect(actionsOf(reads)).toContain('secretsmanager:GetSecretValue');
    expect(JSON.stringify(statementsOf(withHibp, 'MfaStatusRole'))).not.toContain('hibp-api-key');
    expect(JSON.stringify(withHibp.toJSON())).not.toContain('requestsPerMinute');
  });

  describe('with MFA providers configured', () => {
    const providers = {
      googleWorkspace: { credentialsSecret: 'credential-hygiene/google-workspace', adminEmail: 'it-admin@example.org' },
      microsoftEntra: {
        credentialsSecret: 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:credential-hygiene/entra-AbCdEf',
      },
      awsIam: {},
    };
    const { stack: withProvidersStack, template: withProviders } = synth(
      readConfig({ ...CONFIG_INPUT, mfaProviders: providers }),
    );

    it('gives the mfa-status function the provider settings, and no other function', () => {
      const withSettings = Object.entries(withProvidersStack.functions).filter(
        ([, fn]) => fn.bundledSettings.MFA_PROVIDERS !== undefined,
      );
      expect(withSettings.map(([name, fn]) => [name, fn.bundledSettings.MFA_PROVIDERS])).toEqual([
        ['mfaStatus', JSON.stringify(providers)],
      ]);
      expect(JSON.stringify(withProviders.toJSON())).not.toContain('MFA_PROVIDERS');
    });

    it("lets the mfa-status role read exactly the providers' secrets and list IAM users' MFA devices", () => {
      const statements = statementsOf(withProviders, 'MfaStatusRole');
      const secretReads = statements.filter((statement) =>
        /google-workspace|entra/.test(JSON.stringify(statement.Resource)),
      );
      expect(secretReads).toHaveLength(2);
      expect(actionsOf(secretReads).sort()).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:GetSecretValue',
      ]);
      const listDevices = statements.filter((statement) => actionsOf([statement]).includes('iam:ListMFADevices'));
      expect(listDevices).toEqual([
        {
          Action: 'iam:ListMFADevices',
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':user/*']],
          },
        },
      ]);
      for (const other of ['BreachExposureRole', 'PasswordAgeRole']) {
        const text = JSON.stringify(statementsOf(withProviders, other));
        expect(text).not.toMatch(/google-workspace|entra|ListMFADevices/);
      }
      expect(JSON.stringify(statementsOf(template, 'MfaStatusRole'))).not.toContain('ListMFADevices');
    });

    it('raises no unacknowledged cdk-nag finding with the providers', () => {
      const report = new AwsSolutionsChecks().validateScope(withProvidersStack);

      expect(report.violations.map((violation) => `${violation.ruleName}: ${violation.description}`)).toEqual([]);
    });
  });

  it('outputs each function name and the spot-check command', () => {
    const outputs = template.findOutputs('*');

    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'passwordAgeFunctionName',
        'breachExposureSpotCheck',
        'mfaStatusSpotCheck',
        'FindingsTopicArn',
      ]),
    );
    expect(JSON.stringify(outputs.breachExposureSpotCheck)).toContain(
      `--cli-binary-format raw-in-base64-out --payload '{\\"secretIds\\":[\\"press-office/x\\"],\\"dryRun\\":true}'`,
    );
  });

  it('draws the estate and the monitor on a dashboard named after the stack, and outputs its URL', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]?.Properties.DashboardName).toBe('CredentialHygiene');
    const body = JSON.stringify(stack.resolve(dashboards[0]?.Properties.DashboardBody));
    for (const title of [
      'Accounts at risk, by function',
      'Findings by severity',
      'Findings by check',
      'Evidence of a second factor (accounts): verified / vault / attested / none',
      'Identity coverage (% of emails checked for breaches)',
      'Successful scheduled runs (a gap is a missed run)',
      'Errors (failed runs)',
      'Duration (max)',
      'Dead-letter queue depth (failed asynchronous runs)',
    ]) {
      expect(body).toContain(title);
    }
    // The metrics the functions emit, by the names they emit them under.
    for (const metric of [
      'Accounts',
      'FindingsBySeverity',
      'FindingsByCheck',
      'AccountsByMfaEvidence',
      'IdentityCoverage',
      'ScheduledRunSucceeded',
    ]) {
      expect(body).toContain(metric);
    }
    expect(body).not.toContain('Security Hub');
    expect(JSON.stringify(template.findOutputs('DashboardUrl'))).toContain('#dashboards:name=CredentialHygiene');
  });

  it('imports into Security Hub only when enabled: BatchImportFindings on the default product only, and its widget', () => {
    const enabled = synth(readConfig({ ...CONFIG_INPUT, securityHub: { enabled: true } }));
    const productArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':securityhub:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':product/',
          { Ref: 'AWS::AccountId' },
          '/default',
        ],
      ],
    };

    for (const role of ['PasswordAgeRole', 'BreachExposureRole', 'MfaStatusRole']) {
      const statements = statementsOf(enabled.template, role).filter((statement) =>
        actionsOf([statement]).some((action) => action.startsWith('securityhub:')),
      );
      expect(statements).toEqual([
        expect.objectContaining({ Action: 'securityhub:BatchImportFindings', Resource: productArn }),
      ]);
      expect(actionsOf(statementsOf(template, role)).filter((action) => action.startsWith('securityhub:'))).toEqual([]);
    }
    for (const fn of checkFunctionsOf(enabled.template)) {
      expect(fn.Properties.Environment.Variables.SECURITY_HUB_PRODUCT_ARN).toEqual(productArn);
    }
    const body = JSON.stringify(
      enabled.stack.resolve(
        Object.values(enabled.template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
      ),
    );
    expect(body).toContain('Findings Security Hub did not take, by kind');
    expect(new AwsSolutionsChecks().validateScope(enabled.stack).violations).toEqual([]);
  });

  it('raises no unacknowledged cdk-nag AwsSolutions finding', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);

    expect(report.violations.map((violation) => `${violation.ruleName}: ${violation.description}`)).toEqual([]);
  });
});

describe('Stack: an estate that outgrows one stack’s limits', () => {
  /** Lambda's limit on a function's environment, all variables together; CloudFormation's on a stack's resources. */
  const LAMBDA_ENVIRONMENT_BYTES = 4 * 1024;
  const CLOUDFORMATION_RESOURCES = 500;
  const inTwentyDays = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const large = readConfig({
    owners: Object.fromEntries(
      Array.from({ length: 300 }, (_, index) => [
        `neighbourhood-team-${String(index).padStart(3, '0')}`,
        {
          emails: [`neighbourhood-team-${index}@northshire-police.example`],
          phones: [`+4477009${String(index).padStart(5, '0')}`],
        },
      ]),
    ),
    platformTeam: { emails: ['platform@example.org'], phones: ['+447700900999'] },
    policy: {
      exceptions: Array.from({ length: 200 }, (_, index) => ({
        account: `neighbourhood-team-${String(index).padStart(3, '0')}/*`,
        check: 'mfa:unavailable',
        reason: 'The neighbourhood alerts service offers no second factor; the vendor is replacing it this spring.',
        acceptedBy: 'Head of Digital Communications, Northshire Police',
        expires: inTwentyDays,
      })),
    },
    mfaProviders: { awsIam: {} },
  });
  const { stack, template } = synth(large);

  it('300 owners with an email and a phone each and 200 exceptions: under 500 resources, the same count as 2 owners', () => {
    const count = Object.keys(template.toJSON().Resources).length;
    const small = Object.keys(synth().template.toJSON().Resources).length;

    expect(count).toBeLessThan(CLOUDFORMATION_RESOURCES);
    // The platform team's phone adds one alarm subscription; the owners add nothing.
    expect(count).toBe(small + 1);
    template.hasResourceProperties('Custom::FindingsSubscriptions', {
      Subscriptions: Match.arrayWith([
        {
          protocol: 'sms',
          endpoint: '+447700900299',
          filterPolicy: { owner: ['neighbourhood-team-299'], severity: ['critical', 'high'] },
        },
      ]),
    });
    expect(template.findResources('Custom::FindingsSubscriptions')).not.toEqual({});
    expect(JSON.stringify(template.toJSON()).length).toBeLessThan(1024 * 1024);
  });

  it('keeps every function’s environment under Lambda’s 4 KB, carrying the owners, the policy and the providers in the code', () => {
    // An unresolved value (a Ref, a GetAtt) counted as the longest ARN it could be.
    const sizeOf = (variables: Record<string, unknown>) =>
      Object.entries(variables).reduce(
        (bytes, [name, value]) => bytes + name.length + (typeof value === 'string' ? Buffer.byteLength(value) : 256),
        0,
      );
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));

    for (const fn of functions)
      expect(sizeOf(fn.Properties.Environment?.Variables ?? {})).toBeLessThan(LAMBDA_ENVIRONMENT_BYTES);
    const settings = stack.functions.mfaStatus.bundledSettings;
    expect(JSON.parse(settings.ROUTED_OWNERS ?? '[]')).toHaveLength(300);
    expect(JSON.parse(settings.CHECK_POLICY ?? '{}').exceptions).toHaveLength(200);
    expect(JSON.parse(settings.MFA_PROVIDERS ?? '{}')).toEqual({ awsIam: {} });
    expect(Buffer.byteLength(JSON.stringify(settings))).toBeGreaterThan(LAMBDA_ENVIRONMENT_BYTES * 10);
  });

  it('raises no unacknowledged cdk-nag finding at that size', () => {
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });
});

describe('Stack: chat channels (AWS Chatbot: Slack and Microsoft Teams)', () => {
  const TEAM = '7f8e6a52-5d3c-4b1e-9a7f-2c4d6e8f0a1b';
  const { stack, template } = synth(
    readConfig({
      ...CONFIG_INPUT,
      chat: {
        slack: [{ workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23', owners: ['press-office'] }],
        teams: [
          {
            teamId: '7f8e6a52-5d3c-4b1e-9a7f-2c4d6e8f0a1b',
            tenantId: '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
            channelId: '19:abc@thread.tacv2',
            owners: '*',
          },
        ],
      },
    }),
  );

  it('has both channel configurations, each with its own encrypted topic and a read-only guardrail', () => {
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 1);
    template.resourceCountIs('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'CredentialHygiene-chat-slack-1',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'CredentialHygiene-chat-teams-1' });
    for (const type of [
      'AWS::Chatbot::SlackChannelConfiguration',
      'AWS::Chatbot::MicrosoftTeamsChannelConfiguration',
    ]) {
      const [configuration] = Object.values(template.findResources(type));
      expect(JSON.stringify(configuration?.Properties.GuardrailPolicies)).toContain('CloudWatchReadOnlyAccess');
      expect(JSON.stringify(configuration?.Properties.GuardrailPolicies)).not.toContain('AdministratorAccess');
    }
  });

  it("lets AWS Chatbot use the topics' key, and each check function publish to the chat topics only", () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'chatbot.amazonaws.com' },
            Action: Match.arrayWith(['kms:Decrypt']),
          }),
        ]),
      },
    });
    for (const fn of checkFunctionsOf(template)) {
      const targets = JSON.parse(JSON.stringify(fn.Properties.Environment.Variables.CHAT_TARGETS));
      expect(JSON.stringify(targets)).toContain('CredentialHygiene-chat-slack-1');
      expect(JSON.stringify(targets)).toContain('CredentialHygiene-chat-teams-1');
    }
    const publishes = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).filter(
        (statement) =>
          [statement.Action].flat().includes('sns:Publish') && JSON.stringify(statement.Resource).includes('chat-'),
      ),
    );
    expect(publishes.length).toBe(FUNCTION_NAMES.length);
  });

  it("gives AWS Chatbot the Teams channel id in its link's form, which CloudFormation's pattern requires", () => {
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      TeamsChannelId: '19%3Aabc%40thread.tacv2',
    });
    expect(
      readConfig({
        ...CONFIG_INPUT,
        chat: { teams: [{ teamId: TEAM, tenantId: TEAM, channelId: '19%3aabc%40thread.tacv2', owners: '*' }] },
      }).channels,
    ).toMatchObject({ chat: { teams: [{ channelId: '19%3Aabc%40thread.tacv2' }] } });
    expect(() =>
      readConfig({
        ...CONFIG_INPUT,
        chat: { teams: [{ teamId: TEAM, tenantId: TEAM, channelId: 'general', owners: '*' }] },
      }),
    ).toThrow(/chat\.teams\[0\]\.channelId: must be a Teams channel id as in the channel's link/);
  });

  it('raises no unacknowledged cdk-nag finding with the chat channels', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);

    expect(report.violations.map((violation) => `${violation.ruleName}: ${violation.description}`)).toEqual([]);
  });
});
