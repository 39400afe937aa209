import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { Command } from 'commander';
import { parseMemberAccountsSettings } from '../lambdas/adapters/organizations/member-accounts-settings';
import { MemberAccountsInventory, memberSessions } from '../lambdas/adapters/organizations/member-inventory';

/**
 * The cross-account read at its design size, in a process of its own: an organisation of M member accounts with S
 * monitored secrets each, served by a local endpoint that speaks the documented Organizations, STS and Secrets Manager
 * protocols with a fixed latency on every answer, read by the member inventory as breach-exposure reads it (values
 * too). Prints one JSON object: wall time, requests, the network bound and the peak RSS.
 */
export interface MemberBenchFigures {
  readonly members: number;
  readonly secretsPerMember: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly logins: number;
  readonly requests: number;
  readonly wallMs: number;
  /** Each member's requests are sequential (assume, list pages, value batches); `concurrency` members at once. */
  readonly networkBoundMs: number;
  readonly peakRssMb: number;
}

const LIST_PAGE = 100;
const BATCH = 20;
const ACCOUNTS_PAGE = 20;
const TAG = 'credential-hygiene:platform';

/** The endpoint, in a process of its own (`--serve`): its CPU is not the reader's. Prints `LISTENING <url>`. */
async function serve(options: { members: number; secrets: number; latency: number }) {
  const members = Array.from({ length: options.members }, (_, index) => memberId(index));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      setTimeout(() => answer(request, Buffer.concat(chunks).toString('utf8'), response), options.latency);
    });
  });
  const answer = (request: IncomingMessage, body: string, response: ServerResponse) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const key = /Credential=([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
    const json = (value: unknown) => {
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      response.end(JSON.stringify(value));
    };
    if (target.endsWith('.ListAccounts')) {
      const start = Number(JSON.parse(body || '{}').NextToken ?? 0);
      const page = members.slice(start, start + ACCOUNTS_PAGE);
      return json({
        Accounts: page.map((id) => ({ Id: id, Name: `team-${id}`, Status: 'ACTIVE', State: 'ACTIVE' })),
        ...(start + ACCOUNTS_PAGE < members.length && { NextToken: String(start + ACCOUNTS_PAGE) }),
      });
    }
    if (body.includes('Action=AssumeRole')) {
      const account = /iam%3A%3A(\d{12})%3A/.exec(body)?.[1] ?? '';
      response.setHeader('content-type', 'text/xml');
      return response.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA${account}</AccessKeyId><SecretAccessKey>bench</SecretAccessKey><SessionToken>bench</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/CredentialHygieneRead/bench</Arn><AssumedRoleId>AROABENCH:bench</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    }
    const account = key.replace(/^ASIA/, '');
    const arn = (index: number) => `arn:aws:secretsmanager:eu-west-2:${account}:secret:team/login-${index}-AbCdEf`;
    if (target.endsWith('.ListSecrets')) {
      const start = Number(JSON.parse(body).NextToken ?? 0);
      const end = Math.min(start + LIST_PAGE, options.secrets);
      const list = [];
      for (let index = start; index < end; index++) {
        list.push({
          ARN: arn(index),
          Name: `team/login-${index}`,
          Tags: [
            { Key: TAG, Value: 'x.com' },
            { Key: 'credential-hygiene:owner', Value: 'team' },
          ],
          SecretVersionsToStages: { [`v-${index}`]: ['AWSCURRENT'] },
          LastChangedDate: 1_750_000_000,
          CreatedDate: 1_700_000_000,
        });
      }
      return json({ SecretList: list, ...(end < options.secrets && { NextToken: String(end) }) });
    }
    if (target.endsWith('.BatchGetSecretValue')) {
      const ids = JSON.parse(body).SecretIdList as string[];
      return json({
        SecretValues: ids.map((id, index) => ({
          ARN: id,
          Name: id.split(':secret:')[1],
          VersionId: `v-${index}`,
          SecretString: JSON.stringify({
            username: `user-${index}`,
            password: `bench-${account}-${id.length}-${index}-pw!`,
          }),
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1_750_000_000,
        })),
        Errors: [],
      });
    }
    response.statusCode = 400;
    json({ __type: 'UnknownOperationException', message: target || 'unknown' });
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`LISTENING http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
}

const memberId = (index: number) => String(200000000000 + index);

/** The reader: the member inventory as breach-exposure reads it, against the endpoint it starts. */
async function main(options: { members: number; secrets: number; latency: number; concurrency: number }) {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      __filename,
      '--serve',
      '--members',
      String(options.members),
      '--secrets',
      String(options.secrets),
      '--latency',
      String(options.latency),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /LISTENING (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`the endpoint exited (${code})`)));
  });
  // Every request the SDK sends, counted on its way out.
  let requests = 0;
  const base = { endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' } };
  const count = <T extends { middlewareStack: { add: (...args: never[]) => void } }>(client: T): T => {
    (client.middlewareStack.add as (middleware: unknown, options: unknown) => void)(
      (next: (args: unknown) => Promise<unknown>) => (args: unknown) => {
        requests += 1;
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    return client;
  };
  const parsed = parseMemberAccountsSettings(
    { organizationUnits: 'all', concurrency: options.concurrency },
    'accounts',
  );
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const sessions = memberSessions({
    sts: count(new STSClient(base)),
    partition: 'aws',
    roleName: parsed.settings.roleName,
    sessionName: 'credential-hygiene-bench',
  });
  const inventory = new MemberAccountsInventory({
    settings: parsed.settings,
    inventory: { readValues: true },
    ownAccount: async () => '111111111111',
    ownClient: count(new SecretsManagerClient(base)),
    memberClient: async (member) => count(new SecretsManagerClient({ ...base, credentials: await sessions(member) })),
    organizations: () => count(new OrganizationsClient(base)),
  });
  const started = performance.now();
  const entries = await inventory.load();
  const wallMs = performance.now() - started;
  child.kill('SIGTERM');
  const perMember = 1 + Math.ceil(options.secrets / LIST_PAGE) + Math.ceil(options.secrets / BATCH);
  const figures: MemberBenchFigures = {
    members: options.members,
    secretsPerMember: options.secrets,
    latencyMs: options.latency,
    concurrency: options.concurrency,
    logins: entries.length,
    requests,
    wallMs: Math.round(wallMs),
    networkBoundMs:
      Math.ceil(options.members / ACCOUNTS_PAGE) * options.latency +
      Math.ceil(options.members / options.concurrency) * perMember * options.latency,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

const program = new Command('member-accounts')
  .option('--members <m>', 'member accounts', Number, 100)
  .option('--secrets <s>', 'monitored secrets in each', Number, 500)
  .option('--latency <ms>', 'latency added to every answer', Number, 25)
  .option('--concurrency <c>', 'member accounts read at once', Number, 4)
  .option('--serve', 'be the endpoint (the reader starts one)')
  .action((options) => (options.serve ? serve(options) : main(options)));
if (require.main === module) void program.parseAsync(process.argv);
