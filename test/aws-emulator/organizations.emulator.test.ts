import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CreateSecretCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type AwsSecurityFinding, paginateGetFindings, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App } from 'aws-cdk-lib';
import { synthesizeStack } from '../../bench/synthesized-bundles';
import { discoverMembers } from '../../lambdas/adapters/organizations/member-accounts';
import { parseMemberAccountsSettings } from '../../lambdas/adapters/organizations/member-accounts-settings';
import type { Report } from '../../lambdas/core/report/report';
import { MEMBER_STACK_NAME } from '../../lambdas/shared/monitor-principals';
import { readConfig } from '../../lib/config';
import { MemberReadRoleStack } from '../../lib/member-read-role-stack';
import { LocalHttpServer } from '../support/local-http-server';
import { randomPassword, rangeBody, sha1Hex } from '../support/passwords';
import { runCliProcess } from '../support/run-cli';
import { resolvedIn } from '../support/template-values';
import { ACCOUNT_ID, EmulatedStack, type Invocation, REGION } from './emulated-stack';
import { evaluate, type IamDecision, iamRequestsOf, keyPoliciesOf, rolePoliciesOf } from './iam-evaluation';
import { MotoServer } from './moto-server';

const DAY_MS = 86_400_000;
const TAG = 'credential-hygiene';
const ORG = 'o-exampleorg';
const ROLE = 'CredentialHygieneRead';
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
const EMULATOR_KEY = 'AKIAEMULATOR000000';
const CREDENTIALS = { accessKeyId: EMULATOR_KEY, secretAccessKey: 'emulator-secret-access-key' };
/** The mailbox's password is in the local breach corpus; the shared one is in two members' secrets. */
const BREACHED = randomPassword();
const SHARED = randomPassword();

const ACCOUNTS = { organizationId: ORG, monitorAccountId: ACCOUNT_ID, organizationUnits: 'all' as const };
const CONFIG = (pwnedPasswordsUrl: string) => ({
  pwnedPasswordsUrl,
  owners: {
    'press-office': { emails: ['press@northshire.example'] },
    recruitment: { emails: ['jobs@northshire.example'] },
  },
  platformTeam: { emails: ['platform@northshire.example'] },
  accounts: ACCOUNTS,
  securityHub: { enabled: true },
});

interface Member {
  readonly name: string;
  id: string;
  readonly role: boolean;
  readonly suspended?: boolean;
  readonly secrets: readonly {
    name: string;
    platform: string;
    owner: string;
    value: Record<string, unknown>;
    kms?: boolean;
  }[];
}

/**
 * An AWS Organizations estate on moto: a management account (the monitor's) with six members, one suspended and one
 * without the read role. The synthesized bundles of all three functions read them all in one run each: every login
 * named by its member, a password shared across two members one reuse group, a mailbox in one member the takeover
 * path of a login in another, the member without the role one check-error, the suspended one skipped. Every call is
 * held to the principal that made it: the function's role (and, for AssumeRole, the member role's trust), or the
 * member role narrowed by the function's session policy.
 */
describe('Many AWS accounts on an AWS emulator (moto): one run over an organisation', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'credential-hygiene-organizations-'));
  let moto: MotoServer;
  let stack: EmulatedStack;
  let ranges: LocalHttpServer;
  let memberTemplate: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const client = () => ({ endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS });
  const members: Member[] = [
    {
      name: 'press',
      id: '',
      role: true,
      secrets: [
        {
          name: 'press-office/mailbox',
          platform: 'outlook.com',
          owner: 'press-office',
          value: { username: 'press@northshire.example', email: 'press@northshire.example', password: BREACHED },
        },
      ],
    },
    {
      name: 'social',
      id: '',
      role: true,
      secrets: [
        {
          name: 'press-office/x',
          platform: 'x.com',
          owner: 'press-office',
          value: { username: 'NorthshirePress', email: 'press@northshire.example', password: SHARED },
        },
      ],
    },
    {
      name: 'recruitment',
      id: '',
      role: true,
      secrets: [
        { name: 'recruitment/linkedin', platform: 'linkedin.com', owner: 'recruitment', value: { password: SHARED } },
      ],
    },
    {
      name: 'neighbourhood',
      id: '',
      role: true,
      secrets: [
        {
          name: 'neighbourhood/facebook',
          platform: 'facebook.com',
          owner: 'press-office',
          value: { password: randomPassword() },
          kms: true,
        },
      ],
    },
    {
      name: 'old-team',
      id: '',
      role: true,
      suspended: true,
      secrets: [{ name: 'old/x', platform: 'x.com', owner: 'press-office', value: { password: randomPassword() } }],
    },
    {
      name: 'no-role',
      id: '',
      role: false,
      secrets: [{ name: 'hidden/x', platform: 'x.com', owner: 'press-office', value: { password: randomPassword() } }],
    },
  ];
  const member = (name: string) => members.find((each) => each.name === name) as Member;

  /** Clients in a member account, through the role Organizations makes in each account it creates. */
  async function inMember(id: string) {
    const assumed = await new STSClient(client()).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'setup',
      }),
    );
    const credentials = {
      accessKeyId: assumed.Credentials?.AccessKeyId as string,
      secretAccessKey: assumed.Credentials?.SecretAccessKey as string,
      sessionToken: assumed.Credentials?.SessionToken as string,
    };
    const options = { endpoint: moto.endpoint, region: REGION, credentials };
    return {
      iam: new IAMClient(options),
      secrets: new SecretsManagerClient(options),
      kms: new KMSClient(options),
      securityHub: new SecurityHubClient(options),
    };
  }

  const readRole = () => Object.values(memberTemplate.Resources).find((each) => each.Type === 'AWS::IAM::Role');

  /** The member stack's role, as the StackSet would make it in the account (its template resolved there). */
  async function deployReadRole(id: string) {
    const { iam } = await inMember(id);
    const properties = resolveIn(readRole()?.Properties, id) as {
      AssumeRolePolicyDocument: unknown;
      Policies: { PolicyName: string; PolicyDocument: unknown }[];
    };
    await iam.send(
      new CreateRoleCommand({
        RoleName: ROLE,
        AssumeRolePolicyDocument: JSON.stringify(properties.AssumeRolePolicyDocument),
      }),
    );
    for (const policy of properties.Policies) {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: ROLE,
          PolicyName: policy.PolicyName,
          PolicyDocument: JSON.stringify(policy.PolicyDocument),
        }),
      );
    }
  }

  async function removeReadRole(id: string) {
    const { iam } = await inMember(id);
    for (const policy of (resolveIn(readRole()?.Properties, id) as { Policies: { PolicyName: string }[] }).Policies) {
      await iam.send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: policy.PolicyName }));
    }
    await iam.send(new DeleteRoleCommand({ RoleName: ROLE }));
  }

  beforeAll(async () => {
    moto = await MotoServer.start();
    const breached = sha1Hex(BREACHED);
    ranges = await LocalHttpServer.start((request, response) => {
      const held = request.url?.endsWith(breached.slice(0, 5))
        ? [[breached.slice(5), 120_000] as [string, number]]
        : [];
      response.end(rangeBody(held, 20));
    });
    stack = await EmulatedStack.deploy(moto, synthesizeStack(join(workDir, 'cdk.out'), CONFIG(ranges.url)), workDir);
    const config = readConfig(CONFIG(ranges.url));
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new MemberReadRoleStack(app, MEMBER_STACK_NAME, {
      tagKey: config.tagKey,
      accounts: config.accounts as NonNullable<typeof config.accounts>,
      channels: config.channels,
    });
    memberTemplate = app.synth().getStackByName(MEMBER_STACK_NAME).template;

    // A login of the monitor's own account: read with its own role, and named as before any member was read.
    await stack.putSecret({
      name: 'platform/aws-console',
      value: JSON.stringify({ username: 'platform', password: randomPassword() }),
      tags: { [`${TAG}:platform`]: 'aws.amazon.com', [`${TAG}:owner`]: 'press-office' },
      createdAt: new Date(Date.now() - 30 * DAY_MS),
    });
    const organizations = new OrganizationsClient(client());
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const root = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id as string;
    const unit = await organizations.send(
      new CreateOrganizationalUnitCommand({ ParentId: root, Name: 'communications' }),
    );
    for (const each of members) {
      const created = await organizations.send(
        new CreateAccountCommand({ AccountName: each.name, Email: `${each.name}@northshire.example` }),
      );
      each.id = created.CreateAccountStatus?.AccountId as string;
      if (each.name === 'press' || each.name === 'social') {
        await organizations.send(
          new MoveAccountCommand({
            AccountId: each.id,
            SourceParentId: root,
            DestinationParentId: unit.OrganizationalUnit?.Id,
          }),
        );
      }
      const { secrets, kms } = await inMember(each.id);
      for (const secret of each.secrets) {
        const key = secret.kms ? (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn : undefined;
        await secrets.send(
          new CreateSecretCommand({
            Name: secret.name,
            SecretString: JSON.stringify(secret.value),
            ...(key !== undefined && { KmsKeyId: key }),
            Tags: [
              { Key: `${TAG}:platform`, Value: secret.platform },
              { Key: `${TAG}:owner`, Value: secret.owner },
            ],
          }),
        );
        await moto.setVersionCreated(secret.name, new Date(Date.now() - 30 * DAY_MS), 'AWSCURRENT', each.id);
      }
      if (each.role) await deployReadRole(each.id);
      if (each.suspended) await organizations.send(new CloseAccountCommand({ AccountId: each.id }));
    }
  });
  afterAll(async () => {
    await Promise.all([moto?.stop(), ranges?.stop()]);
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Every call of a run, held to the principal that made it. */
  async function decisionsOf(run: Invocation): Promise<IamDecision[]> {
    const fn = stack.synthesized.functions[run.family];
    if (!fn) throw new Error(`no function ${run.family}`);
    const secrets = new Map(await stack.secretFacts());
    // The members' keys' policies, as KMS holds them: a key's policy must allow too.
    const memberKeyPolicies = new Map<string, unknown>();
    for (const each of members.filter((candidate) => candidate.role)) {
      const { secrets: inAccount, kms } = await inMember(each.id);
      for (const secret of (await inAccount.send(new ListSecretsCommand({}))).SecretList ?? []) {
        if (secret.KmsKeyId !== undefined) {
          const policy = await kms.send(new GetKeyPolicyCommand({ KeyId: secret.KmsKeyId, PolicyName: 'default' }));
          memberKeyPolicies.set(secret.KmsKeyId, JSON.parse(policy.Policy as string));
        }
        const fact = {
          arn: secret.ARN as string,
          name: secret.Name as string,
          tags: Object.fromEntries((secret.Tags ?? []).map((tag) => [tag.Key as string, tag.Value as string])),
          ...(secret.KmsKeyId !== undefined && { kmsKeyId: secret.KmsKeyId }),
        };
        secrets.set(fact.arn, fact);
      }
    }
    const facts = {
      secrets,
      keyOfTopic: new Map(),
      keyOfTable: new Map(),
      keyArns: new Map(),
      organization: { id: ORG, accounts: new Set(members.map((each) => each.id)) },
    };
    const monitorPolicies = rolePoliciesOf(stack, fn.roleLogicalId);
    const roleName = String(stack.resolve(stack.template.Resources[fn.roleLogicalId]?.Properties?.RoleName));
    const decisions: IamDecision[] = [];
    const sessionPolicies = new Map<string, unknown>();
    const byKey = new Map<string, typeof run.requests>();
    for (const request of run.requests) {
      const key = /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '';
      byKey.set(key, [...(byKey.get(key) ?? []), request]);
      const body = new URLSearchParams(request.body);
      if (body.get('Action') === 'AssumeRole') {
        const target = String(body.get('RoleArn')).split(':')[4] as string;
        sessionPolicies.set(target, JSON.parse(String(body.get('Policy'))));
        // Cross-account: the caller's own policy and the role's trust must both allow it.
        const trust = resolveIn(readRole()?.Properties.AssumeRolePolicyDocument, target);
        const outcome = await runSimulation(
          {
            request: {
              principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleName}/${run.family}`,
              action: 'sts:AssumeRole',
              resource: { resource: String(body.get('RoleArn')), accountId: target },
              contextVariables: {
                'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT_ID}:role/${roleName}`,
                'aws:PrincipalOrgID': ORG,
                'aws:ResourceOrgID': ORG,
              },
            },
            identityPolicies: monitorPolicies,
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: trust,
          },
          {},
        );
        decisions.push({
          action: 'sts:AssumeRole',
          resource: String(body.get('RoleArn')),
          context: {},
          because: 'the member role trust',
          family: run.family,
          decision: outcome.resultType === 'error' ? outcome.errors.message : outcome.overallResult,
        });
      }
    }
    for (const [key, requests] of byKey) {
      const requestsOf = requests.flatMap((request) => iamRequestsOf(request, facts));
      if (key === EMULATOR_KEY) {
        decisions.push(...(await evaluate(run.family, requestsOf, monitorPolicies, keyPoliciesOf(stack), roleName)));
        continue;
      }
      // A member role's session: which account, from moto, which knows its keys.
      const who = await new STSClient({
        endpoint: moto.endpoint,
        region: REGION,
        credentials: { accessKeyId: key, secretAccessKey: 'unchecked' },
      }).send(new GetCallerIdentityCommand({}));
      const account = who.Account as string;
      expect(who.Arn).toBe(`arn:aws:sts::${account}:assumed-role/${ROLE}/credential-hygiene-${run.family}`);
      const rolePolicies = (
        resolveIn(readRole()?.Properties, account) as { Policies: { PolicyName: string; PolicyDocument: unknown }[] }
      ).Policies.map((policy) => ({ name: policy.PolicyName, policy: policy.PolicyDocument }));
      decisions.push(
        ...(await evaluate(run.family, requestsOf, rolePolicies, memberKeyPolicies, ROLE, {
          accountId: account,
          sessionName: `credential-hygiene-${run.family}`,
          sessionPolicy: sessionPolicies.get(account),
        })),
      );
    }
    return decisions;
  }

  async function run(family: string): Promise<Invocation> {
    const invocation = await stack.invoke(family, SCHEDULED);
    if (invocation.code !== 0)
      throw new Error(`${family} failed: ${invocation.failure}\n${invocation.output.slice(-3000)}`);
    const denied = (await decisionsOf(invocation)).filter((decision) => decision.decision !== 'Allowed');
    expect(denied).toEqual([]);
    return invocation;
  }

  it('discovers the members under a unit, walking child units, and from the whole organisation, skipping the suspended', async () => {
    const organizations = new OrganizationsClient(client());
    const root = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id as string;
    const settings = (raw: unknown) => {
      const parsed = parseMemberAccountsSettings(raw, 'accounts');
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      return parsed.settings;
    };
    const all = await discoverMembers(settings({ organizationUnits: 'all' }), () => organizations);
    expect(all.members.map((each) => each.id)).toEqual(
      [ACCOUNT_ID, ...members.filter((each) => !each.suspended).map((each) => each.id)].sort(),
    );
    expect(all.skipped).toEqual([{ id: member('old-team').id, name: 'old-team', why: 'suspended' }]);
    // From the root: every account, the two in the unit under it too.
    const fromRoot = await discoverMembers(
      settings({ organizationUnits: [root], exclude: [member('recruitment').id] }),
      () => organizations,
    );
    expect(fromRoot.members.map((each) => each.id)).toContain(member('press').id);
    expect(fromRoot.skipped.map((each) => each.why).sort()).toEqual(['excluded (accounts.exclude)', 'suspended']);
  });

  it('breach-exposure reads every member in one run: each finding names its member, reuse and a takeover path cross members', async () => {
    const { result } = await run('breach-exposure');
    if (!result) throw new Error('no result');
    const press = member('press').id;
    const social = member('social').id;
    const recruitment = member('recruitment').id;
    expect(result.members?.scanned.map((each) => each.id)).toEqual(
      [ACCOUNT_ID, press, social, recruitment, member('neighbourhood').id].sort(),
    );
    expect(result.members?.skipped).toEqual([{ id: member('old-team').id, name: 'old-team', why: 'suspended' }]);
    expect(result.members?.failed).toEqual([
      {
        id: member('no-role').id,
        name: 'no-role',
        reason: expect.stringMatching(/CredentialHygieneRead could not be assumed \(AccessDenied\)/),
      },
    ]);
    // Every member's login named by its member, and kept in it; the monitor's own keep their names.
    for (const account of result.accounts) {
      if (account.keptIn === ACCOUNT_ID) expect(account.id).toBe('platform/aws-console');
      // (A member that could not be read is a line of its own, by its id.)
      else expect(account.id === account.keptIn || account.id.startsWith(`${account.keptIn}/`)).toBe(true);
    }
    expect(result.accounts.find((account) => account.id === 'platform/aws-console')?.keptIn).toBe(ACCOUNT_ID);
    expect(result.findings.map((found) => found.id)).toContain(
      `${press}/press-office/mailbox#breached-password:breached`,
    );
    expect(Object.values(result.reuseGroups ?? {}).map((group) => [...group].sort())).toEqual([
      [`${social}/press-office/x`, `${recruitment}/recruitment/linkedin`].sort(),
    ]);
    const takeover = result.findings.find((found) => found.id.startsWith(`${social}/press-office/x#recovery:`));
    expect(JSON.stringify(takeover?.evidence)).toContain(`${press}/press-office/mailbox`);
    // The member without the role: one high check-error naming it; the suspended one not read at all.
    expect(result.findings.filter((found) => found.check === 'check-error')).toEqual([
      expect.objectContaining({ id: `${member('no-role').id}#check-error:member`, severity: 'high' }),
    ]);
    // Security Hub: each member's findings in its own account's hub, under its own AwsAccountId and default product
    // (AWS takes a finding only from the account it names; moto does not check, so the test does).
    for (const each of [press, social, recruitment]) {
      const { securityHub } = await inMember(each);
      const imported: AwsSecurityFinding[] = [];
      for await (const page of paginateGetFindings({ client: securityHub }, {}))
        imported.push(...(page.Findings ?? []));
      expect(imported.length).toBeGreaterThan(0);
      for (const finding of imported) {
        expect(finding.AwsAccountId).toBe(each);
        expect(finding.ProductArn).toBe(`arn:aws:securityhub:${REGION}:${each}:product/${each}/default`);
        expect(finding.ProductFields?.['credential-hygiene/account']?.startsWith(`${each}/`)).toBe(true);
      }
    }
    const monitorHub: AwsSecurityFinding[] = [];
    for await (const page of paginateGetFindings({ client: new SecurityHubClient(client()) }, {})) {
      monitorHub.push(...(page.Findings ?? []));
    }
    for (const finding of monitorHub) expect(finding.AwsAccountId).toBe(ACCOUNT_ID);
    // The member that could not be read is the monitor's own finding (no session there could import it).
    expect(monitorHub.map((finding) => finding.ProductFields?.['credential-hygiene/account'])).toContain(
      member('no-role').id,
    );
    // Each owner's mail names the login with its member; the unreadable member reaches the platform team.
    const pressMail = (await stack.drain('email:press@northshire.example')).map((each) => each.message).join('\n');
    expect(pressMail).toContain(`${press}/press-office/mailbox`);
    const platformMail = (await stack.drain('email:platform@northshire.example'))
      .map((each) => each.message)
      .join('\n');
    expect(platformMail).toContain(`${member('no-role').id}`);
    expect(JSON.stringify(result)).not.toContain('old/x');
    expect(JSON.stringify(result)).not.toContain('hidden/x');
    expect(JSON.stringify(result)).not.toContain(SHARED);
  });

  it('password-age and mfa-status read the members too; password-age never reads a value, its session cannot', async () => {
    const age = await run('password-age');
    expect(age.result?.members?.scanned).toHaveLength(5);
    expect(age.requests.some((request) => /GetSecretValue/.test(request.headers['x-amz-target'] ?? ''))).toBe(false);
    const policy = age.requests
      .map((request) => new URLSearchParams(request.body))
      .find((body) => body.get('Action') === 'AssumeRole')
      ?.get('Policy');
    expect(policy).not.toContain('GetSecretValue');
    const mfa = await run('mfa-status');
    expect(
      mfa.result?.findings.some((found) => found.id === `${member('social').id}/press-office/x#mfa:no-evidence`),
    ).toBe(true);
  });

  it('the CLI reads the same organisation as a person would: scan --source aws --accounts all', async () => {
    const scan = await runCliProcess(
      ['scan', '--source', 'aws', '--accounts', 'all', '--checks', 'reused-password,password-age', '--format', 'json'],
      undefined,
      moto.cliEnvironment,
    );
    expect(scan.stderr).not.toMatch(/internal error/);
    const report = JSON.parse(scan.stdout) as Report;
    expect(report.members?.failed.map((each) => each.id)).toEqual([member('no-role').id]);
    expect(report.members?.skipped.map((each) => each.why)).toEqual(['suspended']);
    expect(report.findings.map((found) => found.id)).toContain(
      `${member('social').id}/press-office/x#reused-password:reused`,
    );
    const table = await runCliProcess(
      ['scan', '--source', 'aws', '--accounts', 'all', '--checks', 'password-age'],
      undefined,
      moto.cliEnvironment,
    );
    expect(table.stdout).toContain('Member accounts:');
    expect(table.stdout).toContain(`Skipped: ${member('old-team').id} (old-team): suspended`);
    expect(table.stdout).toMatch(
      new RegExp(
        `Could not be read: ${member('no-role').id} \\(no-role\\): the role CredentialHygieneRead could not be assumed`,
      ),
    );
  });

  it('a member whose role is removed: its logins are held open, not fixed; the member added back is read again', async () => {
    const social = member('social').id;
    await removeReadRole(social);
    const held = await run('breach-exposure');
    expect(held.result?.lifecycle.resolved).toEqual([]);
    expect(held.result?.lifecycle.unconfirmed).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${social}/press-office/x#`))]),
    );
    expect(held.result?.findings.map((found) => found.id)).toContain(`${social}#check-error:member`);
    await deployReadRole(social);
    await deployReadRole(member('no-role').id);
    const back = await run('breach-exposure');
    expect(back.result?.members?.failed).toEqual([]);
    expect([...(back.result?.lifecycle.resolved ?? [])].sort()).toEqual(
      [`${member('no-role').id}#check-error:member`, `${social}#check-error:member`].sort(),
    );
    expect(back.result?.accounts.map((account) => account.id)).toContain(`${member('no-role').id}/hidden/x`);
  });
});

/** A member template's value resolved in an account. */
const resolveIn = (value: unknown, account: string) => resolvedIn(value, { account, region: REGION });
