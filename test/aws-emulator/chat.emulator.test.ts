import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeStack } from '../../bench/synthesized-bundles';
import { customNotificationSchema } from '../support/chat-notification-schema';
import { randomPassword } from '../support/passwords';
import { EmulatedStack } from './emulated-stack';
import { MotoServer } from './moto-server';
import { chatQueue, chatTopicArn, decisionsOf } from './stack-checks';

const DAY_MS = 86_400_000;
const TAG = 'credential-hygiene';
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
const CONFIG = {
  owners: {
    'press-office': { emails: ['press@northshire.example'] },
    'digital-team': { emails: ['digital@northshire.example'] },
  },
  platformTeam: { emails: ['platform@northshire.example'] },
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
};

/**
 * The chat channel on moto: an SQS queue subscribed to each chat configuration's topic stands for AWS Chatbot (which
 * moto does not have); the password-age bundle publishes each owner's notice to the topics of the configurations that
 * list that owner, every message in Chatbot's custom-notification schema, with no secret, under the function's role.
 */
describe('Chat on an AWS emulator (moto): each owner to the channels that list them, in the documented schema', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'credential-hygiene-chat-'));
  const passwords = [randomPassword(), randomPassword()];
  let moto: MotoServer;
  let stack: EmulatedStack;
  const queues = new Map<string, { receive(): Promise<string[]> }>();

  beforeAll(async () => {
    moto = await MotoServer.start();
    stack = await EmulatedStack.deploy(moto, synthesizeStack(join(workDir, 'cdk.out'), CONFIG), workDir);
    for (const name of ['slack-1', 'teams-1']) queues.set(name, await chatQueue(moto, name));
    const created = new Date(Date.now() - 400 * DAY_MS);
    for (const [index, [name, owner]] of [
      ['press-office/x', 'press-office'],
      ['digital-team/<!channel>@here', 'digital-team'],
    ].entries()) {
      await stack.putSecret({
        name: name as string,
        value: JSON.stringify({ username: 'shared', password: passwords[index] }),
        tags: { [`${TAG}:platform`]: 'x.com', [`${TAG}:owner`]: owner as string },
        createdAt: created,
      });
    }
  });
  afterAll(async () => {
    await moto.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  const received = (name: string) => queues.get(name)?.receive() ?? Promise.resolve([]);

  it('routes each owner to the configurations that list them; every message validates and holds no secret', async () => {
    const run = await stack.invoke('password-age', SCHEDULED);
    if (run.code !== 0) throw new Error(`password-age failed: ${run.failure}\n${run.output.slice(-2000)}`);
    const slack = await received('slack-1');
    const teams = await received('teams-1');
    const ownerOf = (body: string) => customNotificationSchema.parse(JSON.parse(body)).metadata.additionalContext.owner;
    expect(slack.map(ownerOf)).toEqual(['press-office']);
    expect(teams.map(ownerOf).sort()).toEqual(['digital-team', 'press-office']);
    for (const body of [...slack, ...teams]) {
      for (const password of passwords) expect(body).not.toContain(password);
      expect(body).not.toMatch(/<!channel>|@here/);
    }

    const decisions = await decisionsOf(stack, run);
    expect(decisions.filter((decision) => decision.decision !== 'Allowed')).toEqual([]);
    expect(
      decisions.filter((decision) => decision.action === 'sns:Publish').map((decision) => decision.resource),
    ).toEqual(expect.arrayContaining([chatTopicArn('slack-1'), chatTopicArn('teams-1')]));
  });
});
