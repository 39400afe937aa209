import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeStack } from '../../bench/synthesized-bundles';
import { customNotificationSchema } from '../support/chat-notification-schema';
import { LocalHttpServer } from '../support/local-http-server';
import { randomPassword, rangeBody, sha1Hex } from '../support/passwords';
import { type DeliveredMessage, EmulatedStack, type Invocation } from './emulated-stack';
import { MotoServer } from './moto-server';
import { chatQueue, decisionsOf } from './stack-checks';

const DAY_MS = 86_400_000;
/** Two breached passwords (apart, so no reuse finding joins them): the range server holds both. */
const BREACHED = [randomPassword(), randomPassword()];
/** Accepted for 20 days from today (critical may be accepted for at most 30). */
const ACCEPTED_UNTIL = new Date(Date.now() + 20 * DAY_MS).toISOString().slice(0, 10);
const TAG = 'credential-hygiene';
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
/** A 400-day-old password is password-age:too-old, high: escalated after 7 days open. */
const CONFIG = (pwnedPasswordsUrl: string) => ({
  pwnedPasswordsUrl,
  owners: {
    'press-office': { emails: ['press@northshire.example'], phones: ['+447700900123'], escalateTo: 'head-of-comms' },
    'head-of-comms': { emails: ['comms-head@northshire.example'], phones: ['+447700900456'] },
    recruitment: { emails: ['recruitment@northshire.example'] },
  },
  platformTeam: { emails: ['platform@northshire.example'] },
  policy: {
    escalation: { critical: 7, high: 7 },
    exceptions: [
      {
        account: 'recruitment/old-careers-site',
        check: 'breached-password',
        reason: 'the careers site closes this month',
        acceptedBy: 'Head of Recruitment',
        expires: ACCEPTED_UNTIL,
      },
    ],
  },
  chat: {
    teams: [
      {
        teamId: '7f8e6a52-5d3c-4b1e-9a7f-2c4d6e8f0a1b',
        tenantId: '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
        channelId: '19:abc@thread.tacv2',
        owners: ['head-of-comms'],
      },
    ],
  },
});
const PRESS = 'email:press@northshire.example';
const HEAD = 'email:comms-head@northshire.example';
const HEAD_SMS = 'sms:+447700900456';
const RECRUITMENT = 'email:recruitment@northshire.example';
const PLATFORM = 'email:platform@northshire.example';

/**
 * Escalation on AWS, across days, with the password-age bundle's clock moved forward (shifted-clock.cjs): a high
 * finding left open is told to its owner on day 0, to the owner's contact (email and SMS) once on day 8, not again on
 * day 9; an owner who names no contact is escalated to the platform team. Every call is held to the function's role.
 */
describe('Escalation on an AWS emulator (moto): once, on day 8, to the contact the owner names', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'credential-hygiene-escalation-'));
  let moto: MotoServer;
  let stack: EmulatedStack;

  let teams: { receive(): Promise<string[]> };

  let ranges: LocalHttpServer;

  beforeAll(async () => {
    moto = await MotoServer.start();
    const hashes = BREACHED.map(sha1Hex);
    ranges = await LocalHttpServer.start((request, response) => {
      const held = hashes.filter((hash) => request.url?.endsWith(hash.slice(0, 5)));
      response.end(
        rangeBody(
          held.map((hash) => [hash.slice(5), 9_000] as [string, number]),
          20,
        ),
      );
    });
    stack = await EmulatedStack.deploy(moto, synthesizeStack(join(workDir, 'cdk.out'), CONFIG(ranges.url)), workDir);
    teams = await chatQueue(moto, 'teams-1');
    const created = new Date(Date.now() - 400 * DAY_MS);
    for (const [name, owner, platform] of [
      ['press-office/x', 'press-office', 'x.com'],
      ['recruitment/linkedin', 'recruitment', 'linkedin.com'],
    ] as const) {
      await stack.putSecret({
        name,
        value: JSON.stringify({ username: name, password: randomPassword() }),
        tags: { [`${TAG}:platform`]: platform, [`${TAG}:owner`]: owner },
        createdAt: created,
      });
    }
    // Changed ten days ago, but breached: critical for breach-exposure, nothing for password-age.
    for (const [index, [name, owner]] of [
      ['press-office/mailbox', 'press-office'],
      ['recruitment/old-careers-site', 'recruitment'],
    ].entries()) {
      await stack.putSecret({
        name: name as string,
        value: JSON.stringify({ username: name, password: BREACHED[index] }),
        tags: { [`${TAG}:platform`]: 'outlook.com', [`${TAG}:owner`]: owner as string },
        createdAt: new Date(Date.now() - 10 * DAY_MS),
      });
    }
  });
  afterAll(async () => {
    await Promise.all([moto.stop(), ranges?.stop()]);
    rmSync(workDir, { recursive: true, force: true });
  });

  let lastRun: Invocation | undefined;
  async function runOnDay(day: number, family = 'password-age'): Promise<Record<string, DeliveredMessage[]>> {
    const run: Invocation = await stack.invoke(family, SCHEDULED, {
      NODE_OPTIONS: `--require ${join(__dirname, 'shifted-clock.cjs')}`,
      CREDENTIAL_HYGIENE_TEST_CLOCK_SHIFT_MS: String(day * DAY_MS),
    });
    if (run.code !== 0) throw new Error(`${family} failed on day ${day}: ${run.failure}\n${run.output.slice(-2000)}`);
    lastRun = run;
    const decisions = await decisionsOf(stack, run);
    expect(decisions.filter((decision) => decision.decision !== 'Allowed')).toEqual([]);
    const all: Record<string, DeliveredMessage[]> = {};
    for (const subscription of stack.subscriptions) all[subscription] = await stack.drain(subscription);
    all.chat = (await teams.receive()).map((body) => {
      const notification = customNotificationSchema.parse(JSON.parse(body));
      return { subject: notification.content.title, message: body, attributes: {} };
    });
    return all;
  }
  const subjects = (messages: readonly DeliveredMessage[] | undefined) => (messages ?? []).map((each) => each.subject);
  const escalationsIn = (messages: readonly DeliveredMessage[] | undefined) =>
    (messages ?? []).filter((each) => each.message.includes('Escalated to you'));

  it('day 0: each owner hears of their own finding; nothing is escalated', async () => {
    const day0 = await runOnDay(0);
    expect(subjects(day0[PRESS])).toEqual([expect.stringContaining('1 finding for press-office, worst high')]);
    expect(day0[HEAD]).toEqual([]);
    expect(escalationsIn(day0[PLATFORM])).toEqual([]);
  });

  it('day 7: still within the policy’s days: nothing is escalated', async () => {
    const day7 = await runOnDay(7);
    expect(day7[HEAD]).toEqual([]);
    expect(escalationsIn(day7[PLATFORM])).toEqual([]);
  });

  it('day 8: the contact is told by email and SMS, the owner that it was; an owner with no contact goes to the platform team', async () => {
    const day8 = await runOnDay(8);
    expect(subjects(day8[HEAD])).toEqual(['credential-hygiene: 1 escalated to you for head-of-comms']);
    expect(day8[HEAD]?.[0]?.message).toContain('- HIGH: press-office/x (x.com), owned by press-office, open 8 days');
    // The phone's subscription lets it through (its filter takes high); what a phone is sent is the digest's sms text.
    expect(subjects(day8[HEAD_SMS])).toEqual(['credential-hygiene: 1 escalated to you for head-of-comms']);
    expect(day8[HEAD]?.[0]?.message).toContain("named as their owners' escalation contact");
    expect(day8[PRESS]?.some((each) => each.message.includes('told to head-of-comms'))).toBe(true);
    // The platform team's address hears of everything; the escalation addressed to it is the one of the owner with
    // no contact.
    const toPlatform = escalationsIn(day8[PLATFORM]);
    expect(toPlatform.map((each) => each.attributes.owner).sort()).toEqual(['head-of-comms', 'platform-team']);
    expect(toPlatform.find((each) => each.attributes.owner === 'platform-team')?.message).toContain(
      'recruitment/linkedin (linkedin.com), owned by recruitment, open 8 days',
    );
    expect(day8[RECRUITMENT]?.some((each) => each.message.includes('told to platform-team'))).toBe(true);
    // The contact's Teams channel hears of it too, in the custom-notification schema.
    expect(subjects(day8.chat)).toEqual(['Escalated to head-of-comms: 1 finding left open']);
  });

  it('day 9: told once: nothing is escalated again', async () => {
    const day9 = await runOnDay(9);
    expect(day9[HEAD]).toEqual([]);
    expect(day9.chat).toEqual([]);
    expect(day9[HEAD_SMS]).toEqual([]);
    expect(escalationsIn(day9[PLATFORM])).toEqual([]);
  });

  it('a critical finding (breach-exposure): its owner told on day 0, the contact once on day 8, not on 7 or 9; an accepted one never', async () => {
    const escalatedTo = (day: Record<string, DeliveredMessage[]>) =>
      (day[HEAD] ?? []).filter((each) => each.message.includes('Escalated to you')).map((each) => each.message);
    const day0 = await runOnDay(0, 'breach-exposure');
    expect(day0[PRESS]?.some((each) => each.message.includes('press-office/mailbox'))).toBe(true);
    expect(escalatedTo(day0)).toEqual([]);
    // The accepted one is found, and accepted: it is open all along.
    expect(
      lastRun?.result?.findings.find((found) => found.id === 'recruitment/old-careers-site#breached-password:breached'),
    ).toMatchObject({ severity: 'critical', accepted: { acceptedBy: 'Head of Recruitment' } });
    expect(escalatedTo(await runOnDay(7, 'breach-exposure'))).toEqual([]);
    const day8 = await runOnDay(8, 'breach-exposure');
    expect(escalatedTo(day8)).toEqual([
      expect.stringContaining('- CRITICAL: press-office/mailbox (outlook.com), owned by press-office, open 8 days'),
    ]);
    expect(subjects(day8[HEAD_SMS])).toHaveLength(1);
    // The accepted one is told to no one, and never escalated, to the platform team or anyone.
    const everything = JSON.stringify(day8);
    expect(everything).not.toContain('recruitment/old-careers-site (outlook.com), owned by');
    expect(escalatedTo(await runOnDay(9, 'breach-exposure'))).toEqual([]);
  });
});
