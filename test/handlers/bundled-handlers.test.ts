import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BundledFunction, synthesizeBundles } from '../../bench/synthesized-bundles';
import type { CheckRunResponse } from '../../lambdas/shared/check-run';
import { FakeAws } from '../support/fake-aws';
import { LocalHttpServer } from '../support/local-http-server';
import type { FakeSecret } from '../support/monitored-secrets';
import { randomPassword, rangeBody, sha1Hex } from '../support/passwords';
import { REPO_ROOT } from '../support/run-cli';

const ENTRA_SECRET = 'entra-client-secret-0123456789';
const RUNNER = `
const { handler } = require(process.argv[2]);
handler(JSON.parse(process.argv[3])).then(
  (result) => process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n'),
  (error) => {
    process.stdout.write('\\nFAILED ' + error.name + ': ' + error.message + '\\n');
    process.stdout.write('STACK ' + JSON.stringify(error.stack) + '\\n');
    process.exitCode = 1;
  },
);`;

describe('Bundled handlers: the esbuild output that would be deployed', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'credential-hygiene-synth-'));
  const runner = join(outdir, 'runner.js');
  const breached = randomPassword();
  const secrets: FakeSecret[] = [
    {
      name: 'press-office/x',
      tags: { 'credential-hygiene:platform': 'x.com', 'credential-hygiene:owner': 'press-office' },
      value: JSON.stringify({ username: 'NorthshirePolice', password: breached }),
      createdAt: new Date(Date.now() - 400 * 86_400_000),
    },
    {
      name: 'press-office/mailbox',
      tags: { 'credential-hygiene:platform': 'outlook.com', 'credential-hygiene:owner': 'press-office' },
      value: JSON.stringify({ email: 'press@contoso.example', password: randomPassword() }),
      createdAt: new Date(Date.now() - 30 * 86_400_000),
    },
    {
      name: 'credential-hygiene/entra',
      tags: {},
      value: JSON.stringify({ tenantId: 'contoso.example', clientId: 'app-1', clientSecret: ENTRA_SECRET }),
      createdAt: new Date(),
    },
  ];
  let functions: Record<string, BundledFunction>;
  let aws: FakeAws;
  let ranges: LocalHttpServer;

  beforeAll(async () => {
    functions = synthesizeBundles(outdir);
    writeFileSync(runner, RUNNER);
    aws = await FakeAws.start(secrets);
    const hash = sha1Hex(breached);
    ranges = await LocalHttpServer.start((request, response) => {
      response.end(rangeBody(request.url?.endsWith(hash.slice(0, 5)) ? [[hash.slice(5), 99]] : [], 5));
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([aws.stop(), ranges.stop()]);
    rmSync(outdir, { recursive: true, force: true });
  });

  function invoke(
    family: string,
    event: unknown,
    extraEnv: Record<string, string> = {},
  ): Promise<{ code: number; result?: CheckRunResponse; output: string }> {
    const fn = functions[family] as BundledFunction;
    const env = {
      PATH: process.env.PATH ?? '',
      // The Lambda runtime provides the AWS SDK, so the bundles leave it out; here it comes from node_modules.
      NODE_PATH: join(REPO_ROOT, 'node_modules'),
      ...fn.environment,
      ...aws.environment,
      FINDINGS_TOPIC_ARN: 'arn:aws:sns:eu-west-2:111122223333:findings',
      EVIDENCE_SOURCES: JSON.stringify({ pwnedPasswordsUrl: ranges.url }),
      // As a stack whose cdk.json gives press-office recipients.
      ROUTED_OWNERS: '["press-office"]',
      ...extraEnv,
    };
    return new Promise((resolve) => {
      execFile(process.execPath, [runner, fn.bundle, JSON.stringify(event)], { env }, (error, stdout, stderr) => {
        const line = stdout.split('\n').find((each) => each.startsWith('RESULT '));
        resolve({
          code: error ? 1 : 0,
          ...(line && { result: JSON.parse(line.slice('RESULT '.length)) }),
          output: `${stdout}${stderr}`,
        });
      });
    });
  }

  it('bundles each function, leaving the AWS SDK out and the strength dictionaries in the breach function only', () => {
    expect(Object.keys(functions).sort()).toEqual(['breach-exposure', 'mfa-status', 'password-age']);
    const code = (family: string) => readFileSync((functions[family] as BundledFunction).bundle, 'utf8');
    // zxcvbn's frequency lists are keyed by source; this key survives minification.
    const zxcvbnDictionaries = 'us_tv_and_film';

    for (const family of Object.keys(functions)) {
      expect(code(family)).toContain('require("@aws-sdk/client-secrets-manager")');
      expect(code(family)).not.toContain('AwsJson1_1Protocol');
    }
    expect(code('breach-exposure')).toContain(zxcvbnDictionaries);
    expect(code('password-age')).not.toContain(zxcvbnDictionaries);
    expect(code('mfa-status')).not.toContain(zxcvbnDictionaries);
    const googleAuth = 'admin.directory.user.readonly';
    expect(code('mfa-status')).toContain(googleAuth);
    expect(code('password-age')).not.toContain(googleAuth);
    expect(code('breach-exposure')).not.toContain(googleAuth);
    expect(statSync((functions['password-age'] as BundledFunction).bundle).size).toBeLessThan(
      statSync((functions['breach-exposure'] as BundledFunction).bundle).size / 2,
    );
  });

  it('password-age runs on a schedule against Secrets Manager and SNS, and publishes to the owner', async () => {
    const run = await invoke('password-age', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });

    expect(run.code).toBe(0);
    expect(run.result?.findings.map((found) => found.id)).toEqual(['press-office/x#password-age:too-old']);
    const publish = aws.calls.find((call) => call.operation === 'SNS.Publish');
    expect(publish?.input).toMatchObject({
      MessageStructure: 'json',
      'MessageAttributes.entry.1.Name': 'owner',
      'MessageAttributes.entry.1.Value.StringValue': 'press-office',
    });
    expect(aws.calls.map((call) => call.operation)).not.toContain('SecretsManager.BatchGetSecretValue');
  });

  it('publishes through SNS throttling and KMS throttling, retried by the bundled SDK client', async () => {
    const publishes = () => aws.calls.filter((call) => call.operation === 'SNS.Publish').length;
    const before = publishes();
    aws.faults.set('Publish', ['Throttled', 'KMSThrottling']);

    const run = await invoke('password-age', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });

    expect(run.code).toBe(0);
    expect(run.result?.delivery.messages).toBe(1);
    expect(publishes() - before).toBe(3);
  });

  it('breach-exposure reads the password and finds it in the range API, in a dry run', async () => {
    const run = await invoke('breach-exposure', { secretIds: ['press-office/x'], dryRun: true });

    expect(run.code).toBe(0);
    expect(run.result?.findings).toEqual([
      expect.objectContaining({ id: 'press-office/x#breached-password:breached', evidence: { breachCount: 99 } }),
    ]);
    expect(run.result?.delivery).toEqual({ dryRun: true, messages: 0, owners: 1 });
    expect(run.output).not.toContain(breached);
  });

  it('mfa-status asks Microsoft Graph, with the credentials from Secrets Manager, in a dry run', async () => {
    const graph = await LocalHttpServer.start((request, response) => {
      const body = request.url?.includes('/oauth2/')
        ? { access_token: 'graph-token', expires_in: 3599 }
        : { value: [{ isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [] }] };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    const providers = {
      microsoftEntra: { credentialsSecret: 'credential-hygiene/entra', graphUrl: graph.url, loginUrl: graph.url },
    };

    const run = await invoke(
      'mfa-status',
      { secretIds: ['press-office/mailbox'], dryRun: true },
      {
        MFA_PROVIDERS: JSON.stringify(providers),
      },
    );
    await graph.stop();

    expect(run.code).toBe(0);
    expect(run.result?.findings.map((found) => found.id)).toEqual(['press-office/mailbox#mfa:not-enrolled']);
    expect(run.result?.accounts[0]?.mfaEvidence).toBe('verified');
    expect(graph.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
    expect(run.output).not.toContain(ENTRA_SECRET);
  });

  it('mfa-status answers a bad payload with a clear error', async () => {
    const run = await invoke('mfa-status', { secretIds: 'press-office/x' });

    expect(run.code).toBe(1);
    expect(run.output).toContain(
      'FAILED InvalidInvocationError: invalid invocation payload: secretIds: must be a list',
    );
  });

  it('a failed invocation names the TypeScript source in its stack, mapped only when it fails', async () => {
    const run = await invoke('mfa-status', { secretIds: 'press-office/x' });
    const line = run.output.split('\n').find((each) => each.startsWith('STACK ')) ?? 'STACK ""';
    const frames = (JSON.parse(line.slice('STACK '.length)) as string).split('\n').slice(1);

    expect(frames[0]).toMatch(/^ {4}at .*\(?lambdas\/shared\/invocation\.ts:\d+:\d+\)?$/);
    expect(frames.join('\n')).toContain('lambdas/shared/check-run-handler.ts:');
    expect(frames.join('\n')).not.toContain('index.js:');
    // The map carries the mappings only: no source text is deployed beside the bundle.
    const map = JSON.parse(readFileSync(`${(functions['mfa-status'] as BundledFunction).bundle}.map`, 'utf8'));
    expect(map.sourcesContent).toBeUndefined();
  });
});
