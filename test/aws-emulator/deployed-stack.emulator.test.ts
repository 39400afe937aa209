import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserCommand, DeleteUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { type AwsSecurityFinding, paginateGetFindings, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { synthesizeStack } from '../../bench/synthesized-bundles';
import { identityCenterRead, monitorRead } from '../support/generated-reads';
import { LocalHttpServer } from '../support/local-http-server';
import { type HistoryEvent, startLookupEventsStub } from '../support/lookup-events-stub';
import { randomPassword, rangeBody, sha1Hex } from '../support/passwords';
import { type DeliveredMessage, EmulatedStack, type Invocation, REGION, SUBSCRIPTION_SYNC } from './emulated-stack';
import {
  evaluate,
  type IamDecision,
  type IamRequest,
  iamRequestsOf,
  keyPoliciesOf,
  type RequestFacts,
  rolePoliciesOf,
} from './iam-evaluation';
import { MotoServer } from './moto-server';

const DAY_MS = 86_400_000;
const CREDENTIALS = { accessKeyId: 'AKIAEMULATOR000000', secretAccessKey: 'emulator-secret-access-key' };
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
const FAMILIES = ['password-age', 'breach-exposure', 'mfa-status'] as const;
/** The functions that record who read each secret, from EventBridge and from CloudTrail's history (`knowers.enabled`). */
const READ_RECORDER = 'read-recorder';
const READ_BACKFILL = 'read-backfill';
/** The function a runbook changes a password with (rotate start, confirm, abort). */
const PASSWORD_CHANGE = 'password-change';
const TAG = 'credential-hygiene';

const HIBP_KEY_SECRET = 'credential-hygiene/hibp-api-key';
/** The leavers list the platform team keeps in a secret (knowers.leaversSecret). */
const LEAVERS_SECRET = 'credential-hygiene/leavers';
/** The console login's missing MFA (critical: accepted for at most 30 days) is accepted for 20 days from today. */
const ACCEPTED_ID = 'press-office/aws-console#mfa:not-enrolled';
const ACCEPTED_UNTIL = new Date(Date.now() + 20 * DAY_MS).toISOString().slice(0, 10);
const HIBP_KEY = 'hibp-key-0123456789abcdef0123456789';

/**
 * cdk.json as a platform team writes it: two owners with addresses, the platform team, breached identities through
 * HIBP (its key in a secret the breach-exposure role may read), MFA verified by AWS IAM (`iam:ListMFADevices`), a
 * policy that accepts one finding for a while, and the findings imported into Security Hub.
 */
const CONFIG = {
  owners: {
    'press-office': { emails: ['press-office@northshire.example'], phones: ['+447700900123'] },
    'digital-team': { emails: ['digital@northshire.example'] },
  },
  platformTeam: { emails: ['platform@northshire.example'] },
  hibp: { apiKeySecretName: HIBP_KEY_SECRET, requestsPerMinute: 6000, lookupsPerRun: 50 },
  mfaProviders: { awsIam: {} },
  securityHub: { enabled: true },
  knowers: { enabled: true, leaversSecret: LEAVERS_SECRET },
  policy: {
    exceptions: [
      {
        account: 'press-office/aws-console',
        check: 'mfa:not-enrolled',
        reason: 'console login retired at the end of the month',
        acceptedBy: 'Head of Platform',
        expires: ACCEPTED_UNTIL,
      },
    ],
  },
};
const PRESS_EMAIL = 'email:press-office@northshire.example';
const PRESS_SMS = 'sms:+447700900123';
const DIGITAL_EMAIL = 'email:digital@northshire.example';
const PLATFORM_EMAIL = 'email:platform@northshire.example';

/**
 * The deployed stack, end to end, against moto: the bundles `cdk synth` produced, invoked with the environment the
 * template gives each function, over several runs, asserting what each owner's subscriptions received; and every AWS
 * call each function made, evaluated against its own synthesized role by an IAM policy simulator.
 */
describe('The synthesized stack on an AWS emulator (moto), with every call evaluated against its role', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'credential-hygiene-emulator-'));
  const shared = randomPassword();
  const decisions: IamDecision[] = [];
  let moto: MotoServer;
  let stack: EmulatedStack;
  let ranges: LocalHttpServer;
  let hibp: LocalHttpServer;
  let keyPolicies: Map<string, unknown>;

  beforeAll(async () => {
    moto = await MotoServer.start();
    const breached = sha1Hex(shared);
    ranges = await LocalHttpServer.start((request, response) => {
      response.end(rangeBody(request.url?.endsWith(breached.slice(0, 5)) ? [[breached.slice(5), 4_012]] : [], 20));
    });
    // Have I Been Pwned knows none of the addresses.
    hibp = await LocalHttpServer.start((_request, response) => void response.writeHead(404).end());
    // The evidence sources' settings go through cdk.json into the bundles, as a deployment's do: only the URLs are local.
    const config = {
      ...CONFIG,
      pwnedPasswordsUrl: ranges.url,
      hibp: { ...CONFIG.hibp, apiUrl: hibp.url },
    };
    stack = await EmulatedStack.deploy(moto, synthesizeStack(join(workDir, 'cdk.out'), config), workDir);
    keyPolicies = keyPoliciesOf(stack);
    // The subscription sync ran at deploy time: its calls are held to its role as the functions' are.
    for (const run of stack.deployInvocations) await authorise(run);
    // Secrets the stack names but does not create: the HIBP key, and an IAM user for a shared console login.
    await stack.secretsManager.send(new CreateSecretCommand({ Name: HIBP_KEY_SECRET, SecretString: HIBP_KEY }));
    // Carol left five days ago, by the leavers list.
    const carolLeft = new Date(Date.now() - 5 * DAY_MS).toISOString().slice(0, 10);
    await stack.secretsManager.send(
      new CreateSecretCommand({
        Name: LEAVERS_SECRET,
        SecretString: `username,leftOn\ncarol@northshire.example,${carolLeft}\n`,
      }),
    );
    await new IAMClient({ endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS }).send(
      new CreateUserCommand({ UserName: 'press-console' }),
    );
    // A customer key of the secret owner's own, which Secrets Manager decrypts with on the function's behalf.
    const kms = new KMSClient({ endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS });
    const mailboxKey = await kms.send(new CreateKeyCommand({ Description: 'press office secrets' }));
    const mailboxKeyArn = mailboxKey.KeyMetadata?.Arn as string;
    // KMS allows nothing its key policy does not: this one is the default, which lets IAM policies decide.
    const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: mailboxKeyArn, PolicyName: 'default' }));
    keyPolicies.set(mailboxKeyArn, JSON.parse(Policy as string));
    const now = Date.now();
    await stack.putSecret({
      name: 'press-office/x',
      value: JSON.stringify({ username: 'NorthshirePolice', password: shared }),
      tags: { [`${TAG}:platform`]: 'x.com', [`${TAG}:owner`]: 'press-office', [`${TAG}:mfa`]: 'disabled' },
      createdAt: new Date(now - 400 * DAY_MS),
    });
    await stack.putSecret({
      name: 'press-office/mailbox',
      value: JSON.stringify({ email: 'press@northshire.example', password: shared }),
      tags: {
        [`${TAG}:platform`]: 'outlook.com',
        [`${TAG}:owner`]: 'press-office',
        [`${TAG}:mfa`]: 'enabled',
        [`${TAG}:mfa-attested-at`]: new Date(now - 10 * DAY_MS).toISOString().slice(0, 10),
      },
      createdAt: new Date(now - 30 * DAY_MS),
      kmsKeyId: mailboxKeyArn,
    });
    await stack.putSecret({
      name: 'digital-team/instagram',
      value: JSON.stringify({ username: 'northshire.police', password: randomPassword() }),
      tags: {
        [`${TAG}:platform`]: 'instagram.com',
        [`${TAG}:owner`]: 'digital-team',
        [`${TAG}:mfa`]: 'enabled',
        [`${TAG}:mfa-attested-at`]: new Date(now - 10 * DAY_MS).toISOString().slice(0, 10),
      },
      createdAt: new Date(now - 10 * DAY_MS),
    });
    // A shared AWS console login: its IAM user has no MFA device, which the mfa-status function asks IAM about.
    await stack.putSecret({
      name: 'press-office/aws-console',
      value: JSON.stringify({ username: 'press-console', password: randomPassword() }),
      tags: { [`${TAG}:platform`]: 'aws.amazon.com', [`${TAG}:owner`]: 'press-office' },
      createdAt: new Date(now - 10 * DAY_MS),
    });
    // The owner tag has a typo: no subscription routes `press_office`.
    await stack.putSecret({
      name: 'press-office/press-releases',
      value: JSON.stringify({ username: 'press@northshire.example', password: randomPassword() }),
      tags: {
        [`${TAG}:platform`]: 'newswire.example',
        [`${TAG}:owner`]: 'press_office',
        [`${TAG}:mfa`]: 'unsupported',
      },
      createdAt: new Date(now - 20 * DAY_MS),
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([moto?.stop(), ranges?.stop(), hibp?.stop()]);
    rmSync(workDir, { recursive: true, force: true });
  });

  async function facts(): Promise<RequestFacts> {
    const keyArns = new Map<string, string>();
    for (const arn of keyPolicies.keys()) {
      keyArns.set(arn, arn);
      keyArns.set(arn.split('/').pop() as string, arn);
    }
    const secrets = await stack.secretFacts();
    for (const secret of secrets.values()) {
      if (secret.kmsKeyId !== undefined) keyArns.set(secret.kmsKeyId, secret.kmsKeyId);
    }
    const keyOfTopic = new Map<string, string>();
    const keyOfTable = new Map<string, string>();
    for (const [id, resource] of Object.entries(stack.template.Resources)) {
      const properties = resource.Properties ?? {};
      if (resource.Type === 'AWS::SNS::Topic' && properties.KmsMasterKeyId !== undefined) {
        keyOfTopic.set(stack.arnOf(id), stack.resolve(properties.KmsMasterKeyId) as string);
      }
      if (resource.Type === 'AWS::DynamoDB::Table') {
        const sse = properties.SSESpecification as { KMSMasterKeyId?: unknown } | undefined;
        const name = stack.resolve({ Ref: id }) as string;
        if (sse?.KMSMasterKeyId !== undefined) keyOfTable.set(name, stack.resolve(sse.KMSMasterKeyId) as string);
      }
    }
    return { secrets, keyOfTopic, keyOfTable, keyArns };
  }

  /** Evaluates every call of an invocation against the function's role; a denied call fails the suite at the end. */
  /** Evaluates a run's calls against its role; `kept`: they are among the calls that must all be allowed. */
  async function authorise(run: Invocation, kept = true): Promise<IamDecision[]> {
    const fn = stack.synthesized.functions[run.family];
    if (!fn) throw new Error(`no function ${run.family}`);
    const known = await facts();
    const requests: IamRequest[] = run.requests.flatMap((request) => iamRequestsOf(request, known));
    const evaluated = await evaluate(
      run.family,
      requests,
      rolePoliciesOf(stack, fn.roleLogicalId),
      keyPolicies,
      `CredentialHygiene-${fn.roleLogicalId}`,
    );
    if (kept) decisions.push(...evaluated);
    return evaluated;
  }

  /** Invokes a function; `laterByDays` runs it as if that many days had passed (its clock shifted, see shifted-clock). */
  async function invoke(family: string, event: unknown, laterByDays = 0): Promise<Invocation> {
    const run = await stack.invoke(family, event, {
      ...(laterByDays !== 0 && {
        NODE_OPTIONS: `--require ${join(__dirname, 'shifted-clock.cjs')}`,
        CREDENTIAL_HYGIENE_TEST_CLOCK_SHIFT_MS: String(laterByDays * DAY_MS),
      }),
    });
    await authorise(run);
    if (run.code !== 0) throw new Error(`${family} failed: ${run.failure}\n${run.output.slice(-3000)}`);
    return run;
  }

  async function received(): Promise<Record<string, DeliveredMessage[]>> {
    const all: Record<string, DeliveredMessage[]> = {};
    for (const subscription of stack.subscriptions) all[subscription] = await stack.drain(subscription);
    return all;
  }

  const findingIds = (run: Invocation) => (run.result?.findings ?? []).map((found) => found.id);

  /** Security Hub's findings, by Id, as a security team would list them. */
  async function securityHubFindings(): Promise<Map<string, AwsSecurityFinding>> {
    const client = new SecurityHubClient({ endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS });
    const all: AwsSecurityFinding[] = [];
    for await (const page of paginateGetFindings({ client }, {})) all.push(...(page.Findings ?? []));
    return new Map(all.map((finding) => [finding.Id as string, finding]));
  }

  it('first scheduled round: each owner hears of their own findings, SMS only for critical and high', async () => {
    const runs = [];
    for (const family of FAMILIES) runs.push(await invoke(family, SCHEDULED));
    const [age, breach, mfa] = runs as [Invocation, Invocation, Invocation];

    expect(findingIds(age)).toEqual(
      expect.arrayContaining(['press-office/x#password-age:too-old', 'press-office/press-releases#ownership:unrouted']),
    );
    expect(findingIds(breach)).toEqual(
      expect.arrayContaining([
        'press-office/x#breached-password:breached',
        'press-office/mailbox#breached-password:breached',
        'press-office/x#reused-password:reused',
        'press-office/mailbox#reused-password:reused',
      ]),
    );
    expect(findingIds(mfa)).toEqual(
      expect.arrayContaining(['press-office/x#mfa:disabled', 'press-office/aws-console#mfa:not-enrolled']),
    );
    // The takeover chain is judged on AWS too, by breach-exposure: the press-release login (its username is the
    // shared address) falls with the shared mailbox, whose password is breached.
    expect(
      breach.result?.findings.find((found) => found.id === 'press-office/press-releases#recovery:exposed-chain')
        ?.evidence,
    ).toMatchObject({
      chains: [{ logins: ['press-office/press-releases', 'press-office/mailbox'] }],
      fixFirst: 'press-office/mailbox',
    });
    expect(breach.result?.accounts.find((account) => account.id === 'press-office/mailbox')?.exposes).toEqual([
      'press-office/press-releases',
    ]);
    expect(mfa.result?.accounts.find((account) => account.id === 'press-office/aws-console')?.mfaEvidence).toBe(
      'verified',
    );
    // Accepted by the policy in cdk.json: reported as such, and told to no one.
    expect(mfa.result?.findings.find((found) => found.id === ACCEPTED_ID)?.accepted).toMatchObject({
      acceptedBy: 'Head of Platform',
      expires: ACCEPTED_UNTIL,
    });
    expect(mfa.result?.lifecycle.accepted).toEqual([ACCEPTED_ID]);
    // Every address was asked about, with the key read from its secret.
    expect(breach.result?.identityCoverage).toMatchObject({ notYetChecked: 0 });
    expect(hibp.requests.length).toBeGreaterThan(0);
    expect(hibp.requests.every((request) => request.headers['hibp-api-key'] === HIBP_KEY)).toBe(true);

    const inbox = await received();
    const press = inbox[PRESS_EMAIL] ?? [];
    expect(press.map((message) => message.attributes.run).sort()).toEqual(FAMILIES.slice().sort());
    expect(press.every((message) => message.attributes.owner === 'press-office')).toBe(true);
    expect(press.find((message) => message.attributes.run === 'breach-exposure')?.message).toContain('press-office/x');
    // SMS: only digests whose worst finding is critical or high.
    expect(
      (inbox[PRESS_SMS] ?? []).every((message) => ['critical', 'high'].includes(message.attributes.severity ?? '')),
    ).toBe(true);
    expect((inbox[PRESS_SMS] ?? []).length).toBeGreaterThan(0);
    // digital-team's one login is in order: nothing for it.
    expect(inbox[DIGITAL_EMAIL]).toEqual([]);
    // The mistyped owner reaches nobody but the platform team, which hears of it as a finding.
    const platform = inbox[PLATFORM_EMAIL] ?? [];
    expect(platform.map((message) => message.attributes.owner)).toEqual(expect.arrayContaining(['press_office']));
    expect(platform.find((message) => message.attributes.owner === 'press_office')?.message).toMatch(
      /press_office.*no one|no recipients/is,
    );
    expect(
      Object.values(inbox)
        .flat()
        .some((message) => message.message.includes('press-office/aws-console')),
    ).toBe(false);
    // Every function's findings are in Security Hub, active, under the account's default product; the accepted one
    // says so; and none holds the shared password or its hash.
    const hub = await securityHubFindings();
    for (const run of runs) {
      for (const found of run.result?.findings ?? []) {
        const imported = hub.get(`credential-hygiene/${run.family}/${found.id}`);
        expect(imported).toMatchObject({
          ProductArn: `arn:aws:securityhub:${REGION}:123456789012:product/123456789012/default`,
          RecordState: 'ACTIVE',
          Compliance: { Status: found.check === 'check-error' ? 'WARNING' : 'FAILED' },
        });
      }
    }
    expect(
      hub.get(`credential-hygiene/mfa-status/${ACCEPTED_ID}`)?.ProductFields?.['credential-hygiene/accepted'],
    ).toBe(`until ${ACCEPTED_UNTIL}, by Head of Platform: console login retired at the end of the month`);
    expect(hub.get('credential-hygiene/breach-exposure/press-office/x#breached-password:breached')?.Resources).toEqual([
      expect.objectContaining({
        Type: 'AwsSecretsManagerSecret',
        Id: expect.stringContaining(':secret:press-office/x'),
      }),
    ]);
    expect(JSON.stringify([...hub.values()])).not.toContain(shared);
    expect(JSON.stringify([...hub.values()])).not.toContain(sha1Hex(shared).slice(5, 17));
    // Nothing secret in anything delivered.
    for (const message of Object.values(inbox).flat()) {
      expect(`${message.subject}${message.message}`).not.toContain(shared);
      expect(`${message.subject}${message.message}`).not.toContain(sha1Hex(shared).slice(5, 17));
    }
  }, 120_000);

  it('second scheduled round: nothing has changed, so nothing is sent', async () => {
    const before = await securityHubFindings();
    for (const family of FAMILIES) {
      const run = await invoke(family, SCHEDULED);
      expect(run.result?.delivery.messages).toBe(0);
      expect(run.result?.lifecycle.new).toEqual([]);
      expect(run.result?.lifecycle.resolved).toEqual([]);
    }
    for (const messages of Object.values(await received())) expect(messages).toEqual([]);
    // Security Hub: the same findings, updated in place (no duplicates), each with this run's UpdatedAt.
    const after = await securityHubFindings();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [id, finding] of after) {
      expect(Date.parse(finding.UpdatedAt as string)).toBeGreaterThan(Date.parse(before.get(id)?.UpdatedAt as string));
      expect(finding.CreatedAt).toBe(before.get(id)?.CreatedAt);
    }
  }, 120_000);

  it('a spot check of one of two accounts sharing a password resolves nothing about the reuse', async () => {
    const run = await invoke('breach-exposure', { secretIds: ['press-office/x'] });

    expect(run.result?.lifecycle.resolved).toEqual([]);
    expect(run.result?.delivery.messages).toBe(0);
    // Its report does not call the reuse fixed, nor the account's password unshared: it could not see the mailbox.
    expect(run.result?.accounts.find((account) => account.id === 'press-office/x')?.checks['reused-password']).toBe(
      'pending',
    );
    for (const messages of Object.values(await received())) expect(messages).toEqual([]);
    // And the next scheduled run raises nothing "new".
    const scheduled = await invoke('breach-exposure', SCHEDULED);
    expect(scheduled.result?.lifecycle.new).toEqual([]);
  }, 120_000);

  it('a non-dry spot check of mfa-status runs under its role and sends nothing new', async () => {
    const run = await invoke('mfa-status', { secretIds: ['press-office/x', 'digital-team/instagram'] });
    expect(run.result?.lifecycle.new).toEqual([]);
    expect(run.result?.delivery.messages).toBe(0);
  }, 120_000);

  it('an edit that keeps the password keeps its age, whichever function runs first', async () => {
    await stack.putSecret({
      name: 'press-office/x',
      value: JSON.stringify({
        username: 'NorthshirePolice',
        password: shared,
        totp: 'otpauth://totp/X:NorthshirePolice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=X',
      }),
      createdAt: new Date(),
    });
    // password-age before breach-exposure has fingerprinted the new version: the remembered age stands.
    const before = await invoke('password-age', SCHEDULED);
    expect(findingIds(before)).toContain('press-office/x#password-age:too-old');
    expect(before.result?.lifecycle.resolved).toEqual([]);
    const breach = await invoke('breach-exposure', SCHEDULED);
    expect(breach.result?.lifecycle.new).toEqual([]);
    expect(breach.result?.lifecycle.resolved).toEqual([]);
    const after = await invoke('password-age', SCHEDULED);
    expect(findingIds(after)).toContain('press-office/x#password-age:too-old');
    expect(after.result?.lifecycle.new).toEqual([]);
    for (const messages of Object.values(await received())) expect(messages).toEqual([]);
  }, 120_000);

  it('a real password change is fixed once breach-exposure has seen it, and its owner is told once', async () => {
    await stack.putSecret({
      name: 'press-office/x',
      value: JSON.stringify({ username: 'NorthshirePolice', password: randomPassword() }),
      createdAt: new Date(),
    });
    const breach = await invoke('breach-exposure', SCHEDULED);
    expect([...(breach.result?.lifecycle.resolved ?? [])].sort()).toEqual(
      [
        'press-office/mailbox#reused-password:reused',
        'press-office/x#breached-password:breached',
        'press-office/x#reused-password:reused',
      ].sort(),
    );
    const age = await invoke('password-age', SCHEDULED);
    expect(age.result?.lifecycle.resolved).toEqual(['press-office/x#password-age:too-old']);
    // Security Hub: each resolved finding archived and passed, under the Id it was imported with.
    const hub = await securityHubFindings();
    for (const [family, ids] of [
      ['breach-exposure', breach.result?.lifecycle.resolved ?? []],
      ['password-age', age.result?.lifecycle.resolved ?? []],
    ] as const) {
      for (const id of ids) {
        expect(hub.get(`credential-hygiene/${family}/${id}`)).toMatchObject({
          RecordState: 'ARCHIVED',
          Compliance: { Status: 'PASSED' },
        });
      }
    }
    expect(hub.get('credential-hygiene/mfa-status/press-office/x#mfa:disabled')?.RecordState).toBe('ACTIVE');

    const inbox = await received();
    const press = inbox[PRESS_EMAIL] ?? [];
    expect(press).toHaveLength(2);
    expect(press.map((message) => message.message).join('\n')).toMatch(/fixed/i);
    expect(inbox[DIGITAL_EMAIL]).toEqual([]);

    for (const family of FAMILIES) {
      const again = await invoke(family, SCHEDULED);
      expect(again.result?.delivery.messages).toBe(0);
    }
  }, 180_000);

  it('an accepted finding: its owner is told once that the acceptance ends soon, and once that it has ended', async () => {
    const mentions = (inbox: Record<string, DeliveredMessage[]>, text: string) =>
      (inbox[PRESS_EMAIL] ?? []).filter((message) => message.message.includes(text));

    // Twelve days before the end (the acceptance runs 20 days from today): within the 14-day notice.
    const ending = await invoke('mfa-status', SCHEDULED, 8);
    expect(ending.result?.lifecycle.accepted).toEqual([ACCEPTED_ID]);
    expect(ending.result?.lifecycle.new).toEqual([]);
    const endingInbox = await received();
    const [endingNotice, ...moreEnding] = mentions(endingInbox, 'press-office/aws-console');
    expect(moreEnding).toEqual([]);
    expect(endingNotice?.message).toContain(`accepted by Head of Platform until ${ACCEPTED_UNTIL}`);
    expect(endingNotice?.message).toContain('acceptance ends within 14 days');
    const endingAgain = await invoke('mfa-status', SCHEDULED, 8);
    expect(endingAgain.result?.lifecycle.accepted).toEqual([ACCEPTED_ID]);
    expect(mentions(await received(), 'press-office/aws-console')).toEqual([]);

    // The day after it expires: open again, its owner told once, in those words; then not again.
    const after = await invoke('mfa-status', SCHEDULED, 21);
    expect(after.result?.lifecycle.reopened).toEqual([ACCEPTED_ID]);
    expect(after.result?.findings.find((found) => found.id === ACCEPTED_ID)?.accepted).toBeUndefined();
    expect(after.result?.exceptions).toEqual([expect.objectContaining({ status: 'expired' })]);
    const afterInbox = await received();
    const [reopened, ...moreReopened] = mentions(afterInbox, 'press-office/aws-console');
    expect(moreReopened).toEqual([]);
    expect(reopened?.message).toContain(
      `The acceptance of this finding by Head of Platform ("console login retired at the end of the month") expired on ${ACCEPTED_UNTIL}`,
    );
    const again = await invoke('mfa-status', SCHEDULED, 21);
    expect(again.result?.lifecycle.reopened).toEqual([]);
    expect(mentions(await received(), 'press-office/aws-console')).toEqual([]);
  }, 180_000);

  it("who read a password: the recorder keeps a person's read of a monitored secret once, and password-age counts them", async () => {
    const delivered = (detail: Record<string, unknown>, eventID: string) => ({
      version: '0',
      id: `eventbridge-${eventID}`,
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.secretsmanager',
      detail: { ...detail, eventID },
    });
    const recorded = async (event: unknown) =>
      ((await invoke(READ_RECORDER, event)).result as unknown as { recorded: number }).recorded;
    // press-office/x's password was changed today (above): a read of it yesterday was of the old one.
    const read = identityCenterRead('alice@northshire.example', 'press-office/x', new Date());
    const before = identityCenterRead('bob@northshire.example', 'press-office/x', new Date(Date.now() - DAY_MS));

    expect(await recorded(delivered(before, 'event-0'))).toBe(1);
    expect(await recorded(delivered(read, 'event-1'))).toBe(1);
    // EventBridge delivers at least once: the same event again is kept once.
    expect(await recorded(delivered(read, 'event-1'))).toBe(1);
    // The monitor's own read of the secret is no person's.
    expect(await recorded(delivered(monitorRead('press-office/x', new Date()), 'event-2'))).toBe(0);

    const age = await invoke('password-age', { dryRun: true });
    const x = age.result?.accounts.find((account) => account.id === 'press-office/x');
    expect(x?.checks.knowers).toBe('passed');
    expect(x?.knowers).toEqual({ since: expect.any(String), people: 1, left: [] });

    // An IAM user reads it today and is then deleted: they left knowing the current password.
    const iam = new IAMClient({ endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS });
    await iam.send(new CreateUserCommand({ UserName: 'temp-press' }));
    const byIamUser = {
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      eventTime: new Date().toISOString(),
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/temp-press', userName: 'temp-press' },
      requestParameters: { secretId: 'press-office/x' },
    };
    expect(await recorded(delivered(byIamUser, 'event-3'))).toBe(1);
    await iam.send(new DeleteUserCommand({ UserName: 'temp-press' }));

    const after = await invoke('password-age', { dryRun: true });
    const leaver = after.result?.findings.find((found) => found.id === 'press-office/x#knowers:leaver-knows');
    expect(leaver).toMatchObject({ severity: 'critical', evidence: { leavers: ['temp-press'] } });
    expect(after.result?.accounts.find((account) => account.id === 'press-office/x')?.knowers?.people).toBe(2);
  }, 120_000);

  it("the backfill fills reads from CloudTrail's history (LookupEvents, served locally as documented), each kept once", async () => {
    const DAY = DAY_MS;
    const history: HistoryEvent[] = [
      {
        eventId: 'history-1',
        record: identityCenterRead('carol@northshire.example', 'press-office/mailbox', new Date(Date.now() - 10 * DAY)),
      },
      {
        eventId: 'history-2',
        record: identityCenterRead('carol@northshire.example', 'press-office/mailbox', new Date(Date.now() - 2 * DAY)),
      },
      // Seen by the recorder already: the backfill keeps it once.
      { eventId: 'event-1', record: identityCenterRead('alice@northshire.example', 'press-office/x', new Date()) },
      { eventId: 'history-3', record: monitorRead('press-office/mailbox', new Date(Date.now() - DAY)) },
    ];
    const { server } = await startLookupEventsStub(history);
    try {
      const run = await stack.invoke(READ_BACKFILL, { days: 30 }, { AWS_ENDPOINT_URL_CLOUDTRAIL: server.url });
      // The stub's requests are the function's calls too: held to its role with moto's.
      await authorise({
        ...run,
        requests: [
          ...run.requests,
          ...server.requests.map((request) => ({
            method: request.method,
            url: request.url,
            headers: request.headers as Record<string, string>,
            body: '',
          })),
        ],
      });
      if (run.code !== 0) throw new Error(`read-backfill failed: ${run.failure}\n${run.output.slice(-3000)}`);
      expect(run.result as unknown).toMatchObject({ pages: 1, events: 4, recorded: 3 });
    } finally {
      await server.stop();
    }
    const age = await invoke('password-age', { dryRun: true });
    const mailbox = age.result?.accounts.find((account) => account.id === 'press-office/mailbox');
    expect(mailbox?.knowers?.people).toBe(1);
    // The leavers list (read from its secret by the bundle) says carol left five days ago; she read it two days ago.
    expect(mailbox?.knowers?.left.map((person) => person.name)).toEqual(['carol@northshire.example']);
    expect(age.result?.findings.map((found) => found.id)).toEqual(
      expect.arrayContaining([
        'press-office/mailbox#knowers:leaver-knows',
        'press-office/mailbox#knowers:read-after-leaving',
      ]),
    );
  }, 120_000);

  it("a runbook's password change: the password-change function starts and confirms it, and the owner is told by email, never the password", async () => {
    await received();
    const start = await invoke(PASSWORD_CHANGE, { step: 'start', secretId: 'press-office/mailbox' });
    expect(start.result).toMatchObject({ outcome: 'started', owner: 'press-office', notified: true });
    const pending = await stack.secretsManager.send(
      new GetSecretValueCommand({ SecretId: 'press-office/mailbox', VersionStage: 'AWSPENDING' }),
    );
    const password = JSON.parse(pending.SecretString ?? '{}').password as string;
    expect(password.length).toBeGreaterThanOrEqual(8);
    const told = await received();
    expect(told[PRESS_EMAIL]).toEqual([
      expect.objectContaining({
        subject: 'Password change for press-office/mailbox: started',
        message: expect.stringContaining('--secret-id press-office/mailbox --version-stage AWSPENDING'),
        attributes: expect.objectContaining({ owner: 'press-office', severity: 'info' }),
      }),
    ]);
    expect(told[PRESS_SMS]).toEqual([]);
    expect(JSON.stringify(told)).not.toContain(password);
    expect(start.output).not.toContain(password);

    const confirm = await invoke(PASSWORD_CHANGE, { step: 'confirm', secretId: 'press-office/mailbox' });
    expect(confirm.result).toMatchObject({ outcome: 'confirmed' });
    const current = await stack.secretsManager.send(new GetSecretValueCommand({ SecretId: 'press-office/mailbox' }));
    expect(JSON.parse(current.SecretString ?? '{}').password).toBe(password);
    const age = await invoke('password-age', { dryRun: true, secretIds: ['press-office/mailbox'] });
    expect(findingIds(age).filter((id) => id.includes('password-age'))).toEqual([]);

    // A secret that is not monitored: its role may not even describe it (moto answers; AWS would refuse).
    const refused = await stack.invoke(PASSWORD_CHANGE, { step: 'start', secretId: HIBP_KEY_SECRET });
    expect(refused.code).toBe(1);
    expect(refused.failure).toContain(`${HIBP_KEY_SECRET}: not a monitored login`);
    expect((await authorise(refused, false)).map((decision) => [decision.action, decision.decision])).toEqual([
      ['secretsmanager:DescribeSecret', 'ImplicitlyDenied'],
    ]);
  }, 120_000);

  it('every call each function made is allowed by its own synthesized role', () => {
    const families = new Set(decisions.map((decision) => decision.family));
    expect([...families].sort()).toEqual(
      [...FAMILIES, SUBSCRIPTION_SYNC, READ_RECORDER, READ_BACKFILL, PASSWORD_CHANGE].sort(),
    );
    const actions = new Set(decisions.map((decision) => `${decision.family} ${decision.action}`));
    // The calls the model depends on were made and evaluated, including those AWS makes on the caller's behalf.
    for (const expected of [
      'password-age secretsmanager:ListSecretVersionIds',
      'password-age dynamodb:Query',
      'breach-exposure secretsmanager:BatchGetSecretValue',
      'breach-exposure secretsmanager:GetSecretValue',
      'breach-exposure kms:Decrypt',
      'breach-exposure dynamodb:BatchWriteItem',
      'breach-exposure dynamodb:Query',
      'mfa-status secretsmanager:GetSecretValue',
      'mfa-status iam:ListMFADevices',
      'mfa-status dynamodb:PutItem',
      'mfa-status sns:Publish',
      'mfa-status kms:GenerateDataKey',
      'password-age securityhub:BatchImportFindings',
      'breach-exposure securityhub:BatchImportFindings',
      'mfa-status securityhub:BatchImportFindings',
      'subscription-sync sns:ListSubscriptionsByTopic',
      'subscription-sync sns:Subscribe',
      'read-recorder secretsmanager:DescribeSecret',
      'read-recorder dynamodb:BatchWriteItem',
      'read-recorder kms:Decrypt',
      'password-age iam:GetUser',
      'read-backfill cloudtrail:LookupEvents',
      'read-backfill dynamodb:BatchWriteItem',
      'password-change secretsmanager:PutSecretValue',
      'password-change secretsmanager:UpdateSecretVersionStage',
      'password-change secretsmanager:UntagResource',
      'password-change sns:Publish',
    ]) {
      expect(actions).toContain(expected);
    }
    const denied = decisions.filter((decision) => decision.decision !== 'Allowed');
    expect(
      denied.map(
        (each) =>
          `${each.family}: ${each.action} on ${each.resource} ${JSON.stringify(each.context)} (${each.because})`,
      ),
    ).toEqual([]);
  });

  it('the evaluation denies what a role must not do (so the suite can fail)', async () => {
    const known = await facts();
    const secret = known.secrets.get('press-office/x');
    const table = [...known.keyOfTable.keys()][0] as string;
    const tableArn = `arn:aws:dynamodb:${REGION}:123456789012:table/${table}`;
    const roleOf = (family: string) => {
      const fn = stack.synthesized.functions[family];
      if (!fn) throw new Error(family);
      return { policies: rolePoliciesOf(stack, fn.roleLogicalId), name: `CredentialHygiene-${fn.roleLogicalId}` };
    };
    const cases: [string, IamRequest][] = [
      // The defect this suite found: mfa-status reloading the shared password records inside its lock.
      [
        'mfa-status',
        {
          action: 'dynamodb:Query',
          resource: tableArn,
          context: { 'dynamodb:LeadingKeys': ['PASSWORD'] },
          because: 'test',
        },
      ],
      [
        'password-age',
        {
          action: 'secretsmanager:GetSecretValue',
          resource: secret?.arn as string,
          context: { [`aws:ResourceTag/${TAG}:platform`]: 'x.com' },
          because: 'test',
        },
      ],
      [
        'breach-exposure',
        {
          action: 'secretsmanager:GetSecretValue',
          resource: secret?.arn as string,
          context: {},
          because: 'an untagged secret',
        },
      ],
      // breach-exposure reads mfa-status's findings (the takeover chains), and never writes them.
      [
        'breach-exposure',
        {
          action: 'dynamodb:BatchWriteItem',
          resource: tableArn,
          context: { 'dynamodb:LeadingKeys': ['FINDING#mfa-status'] },
          because: 'test',
        },
      ],
      [
        'mfa-status',
        {
          action: 'dynamodb:Query',
          resource: tableArn,
          context: { 'dynamodb:LeadingKeys': ['FINDING#breach-exposure'] },
          because: 'test',
        },
      ],
    ];
    // The recorder describes only monitored secrets, writes only the reads, and never reads a value.
    cases.push(
      [
        READ_RECORDER,
        {
          action: 'secretsmanager:DescribeSecret',
          resource: secret?.arn as string,
          context: {},
          because: 'an untagged secret',
        },
      ],
      [
        READ_RECORDER,
        {
          action: 'secretsmanager:GetSecretValue',
          resource: secret?.arn as string,
          context: { [`aws:ResourceTag/${TAG}:platform`]: 'x.com' },
          because: 'test',
        },
      ],
      [
        READ_RECORDER,
        {
          action: 'dynamodb:BatchWriteItem',
          resource: tableArn,
          context: { 'dynamodb:LeadingKeys': ['FINDING#password-age'] },
          because: 'test',
        },
      ],
      [
        'breach-exposure',
        {
          action: 'dynamodb:Query',
          resource: tableArn,
          context: { 'dynamodb:LeadingKeys': ['READ#press-office/x'] },
          because: "knowers is password-age's",
        },
      ],
    );
    cases.push([
      'password-age',
      {
        action: 'securityhub:BatchImportFindings',
        resource: `arn:aws:securityhub:${REGION}:999999999999:product/999999999999/default`,
        context: {},
        because: "a product that is not the account's own",
      },
    ]);
    for (const [family, request] of cases) {
      const role = roleOf(family);
      const [decision] = await evaluate(family, [request], role.policies, keyPolicies, role.name);
      expect(decision?.decision).toBe('ImplicitlyDenied');
    }
  });
});
