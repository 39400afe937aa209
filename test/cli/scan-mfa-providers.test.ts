import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Report } from '../../lambdas/core/report/report';
import { LocalHttpServer } from '../support/local-http-server';
import { runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

const ENTRA_SECRET = 'entra-client-secret-0123456789';
const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const GOOGLE_KEY = {
  type: 'service_account',
  client_email: 'monitor@press-monitor.iam.gserviceaccount.com',
  private_key: generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
};
const INVENTORY = [
  { id: 'press/gmail', platform: 'gmail.com', owner: 'press', email: 'press@northshire.example', password: 'a' },
  { id: 'press/outlook', platform: 'outlook.com', owner: 'press', email: 'desk@contoso.example', password: 'b' },
  { id: 'press/console', platform: 'aws.amazon.com', owner: 'press', username: 'press-console', password: 'c' },
  {
    id: 'press/x',
    platform: 'x.com',
    owner: 'press',
    password: 'd',
    mfa: { status: 'enabled', attestedAt: '2026-11-01' },
  },
];

describe('CLI: the mfa check with identity providers (--mfa-providers)', () => {
  const dir = useTempDir();
  let server: LocalHttpServer;
  const json = (response: ServerResponse, body: unknown, status = 200) =>
    void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  beforeAll(async () => {
    server = await LocalHttpServer.start((request, response) => {
      const url = request.url ?? '';
      if (url === '/google/token') return json(response, { access_token: 'ya29.token', expires_in: 3599 });
      if (url.startsWith('/admin/directory/')) return json(response, { isEnrolledIn2Sv: true, isEnforcedIn2Sv: false });
      if (url.endsWith('/oauth2/v2.0/token')) return json(response, { access_token: 'graph-token', expires_in: 3599 });
      if (url.startsWith('/v1.0/')) {
        return json(response, { value: [{ isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [] }] });
      }
      response
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<ListMFADevicesResponse xmlns="${XMLNS}"><ListMFADevicesResult><IsTruncated>false</IsTruncated><MFADevices><member><UserName>press-console</UserName><SerialNumber>arn:aws:iam::111122223333:u2f/user/press-console/key-1</SerialNumber><EnableDate>2026-01-05T10:00:00Z</EnableDate></member></MFADevices></ListMFADevicesResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></ListMFADevicesResponse>`,
        );
    });
  });
  afterAll(() => server.stop());

  const writeSetup = (providers: object) => {
    writeFileSync(join(dir(), 'inventory.json'), JSON.stringify(INVENTORY));
    writeFileSync(join(dir(), 'google-key.json'), JSON.stringify(GOOGLE_KEY), { mode: 0o600 });
    writeFileSync(
      join(dir(), 'entra.json'),
      JSON.stringify({ tenantId: 'contoso.example', clientId: 'app-1', clientSecret: ENTRA_SECRET }),
      { mode: 0o600 },
    );
    writeFileSync(join(dir(), 'providers.json'), JSON.stringify(providers));
  };
  const allProviders = () => ({
    googleWorkspace: {
      credentialsFile: 'google-key.json',
      adminEmail: 'it-admin@northshire.example',
      directoryUrl: server.url,
      tokenUrl: `${server.url}/google/token`,
    },
    microsoftEntra: { credentialsFile: 'entra.json', graphUrl: server.url, loginUrl: server.url },
    awsIam: { endpoint: server.url },
  });
  const scan = (extra: readonly string[] = []) =>
    runCli(
      [
        'scan',
        '--inventory',
        join(dir(), 'inventory.json'),
        '--mfa-providers',
        join(dir(), 'providers.json'),
        '--checks',
        'mfa',
        '--now',
        '2026-11-24',
        '--format',
        'json',
        ...extra,
      ],
      undefined,
      { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_REGION: 'eu-west-2' },
    );

  it('runs only the mfa check, asking each platform its provider, and reports how the evidence was had', async () => {
    writeSetup(allProviders());

    const run = await scan();

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.map((found) => [found.id, found.severity])).toEqual([
      ['press/outlook#mfa:not-enrolled', 'critical'],
      ['press/gmail#mfa:not-enforced', 'low'],
    ]);
    expect(report.accounts.map((account) => [account.id, account.mfaEvidence, Object.keys(account.checks)])).toEqual([
      ['press/gmail', 'verified', ['mfa']],
      ['press/outlook', 'verified', ['mfa']],
      ['press/console', 'verified', ['mfa']],
      ['press/x', 'attested', ['mfa']],
    ]);
    expect(report.summary.byMfaEvidence).toEqual({ verified: 3, attested: 1 });
    expect(`${run.stdout}${run.stderr}`).not.toMatch(new RegExp(`${ENTRA_SECRET}|PRIVATE KEY|ya29|graph-token`));
  });

  it('reports a provider that cannot be reached as check-errors for its accounts, and exits normally', async () => {
    writeSetup({ ...allProviders(), microsoftEntra: { credentialsFile: 'missing.json', graphUrl: server.url } });

    const run = await scan();

    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.find((found) => found.accountId === 'press/outlook')?.evidence.reason).toBe(
      `Microsoft Entra ID could not say whether MFA is on: the Microsoft Entra ID credentials could not be read from file missing.json (ENOENT)`,
    );
    expect(report.accounts.find((account) => account.id === 'press/outlook')?.status).toBe('incomplete');
  });

  it.each([
    [{ awsIam: { endpoint: 'http://iam.example.org' } }, /awsIam\.endpoint: must be an https:\/\/ URL/],
    [{ googleWorkspace: { credentialsFile: 'k.json' } }, /googleWorkspace\.adminEmail: must be the email/],
    [{ okta: {} }, /okta: is not a known field/],
  ])('refuses bad settings %j, naming the key, before scanning', async (providers, message) => {
    writeSetup(providers);

    const run = await scan();

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('names the checks it can run when --checks names another', async () => {
    writeSetup(allProviders());

    const run = await scan(['--checks', 'mfa,2fa']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--checks 2fa: not a check here; choose from breached-password, weak-password');
  });
});
