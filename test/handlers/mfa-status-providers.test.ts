import { generateKeyPairSync } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { IAMClient, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { mfaStatusSpec } from '../../lambdas/mfa-status/handler';
import { checkRunHandler } from '../../lambdas/shared/check-run-handler';
import { awsError } from '../support/aws-errors';
import { LocalHttpServer } from '../support/local-http-server';
import { type FakeSecret, serveSecrets } from '../support/monitored-secrets';
import { randomPassword } from '../support/passwords';

const secretsManager = mockClient(SecretsManagerClient);
const iam = mockClient(IAMClient);
mockClient(SNSClient);

const GOOGLE_KEY = {
  type: 'service_account',
  client_email: 'monitor@press-monitor.iam.gserviceaccount.com',
  private_key: generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
};
const ENTRA = { tenantId: 'contoso.example', clientId: 'app-1234', clientSecret: 'entra-client-secret-0123456789' };
const GOOGLE_TOKEN = 'ya29.google-token-abcdefghijklmnop';
const GRAPH_TOKEN = 'graph-token-abcdefghijklmnop';
const tags = (platform: string, extra: Record<string, string> = {}) => ({
  'credential-hygiene:platform': platform,
  'credential-hygiene:owner': 'press-office',
  ...extra,
});
const SECRETS: FakeSecret[] = [
  {
    name: 'press-office/gmail',
    tags: tags('gmail.com'),
    value: JSON.stringify({ email: 'press@northshire.example', password: randomPassword() }),
    createdAt: new Date('2026-01-01'),
  },
  {
    name: 'press-office/outlook',
    tags: tags('outlook.com'),
    value: JSON.stringify({ email: 'press@contoso.example', password: randomPassword() }),
    createdAt: new Date('2026-01-01'),
  },
  {
    name: 'press-office/aws-console',
    tags: tags('aws.amazon.com'),
    value: JSON.stringify({ username: 'press-console', password: randomPassword() }),
    createdAt: new Date('2026-01-01'),
  },
  {
    name: 'press-office/newswire',
    tags: tags('newswire.example', { 'credential-hygiene:mfa-provider': 'microsoft-entra' }),
    value: JSON.stringify({ username: 'press-desk', password: randomPassword() }),
    createdAt: new Date('2026-01-01'),
  },
];

describe('Handler: mfa-status with identity providers', () => {
  let server: LocalHttpServer;
  let stdout: string[];
  let restore: () => void;
  const json = (response: ServerResponse, body: unknown) =>
    void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  beforeAll(async () => {
    server = await LocalHttpServer.start((request, response) => {
      const url = request.url ?? '';
      if (url === '/google/token') return json(response, { access_token: GOOGLE_TOKEN, expires_in: 3599 });
      if (url.startsWith('/admin/directory/'))
        return json(response, { isEnrolledIn2Sv: false, isEnforcedIn2Sv: false });
      if (url.endsWith('/oauth2/v2.0/token')) return json(response, { access_token: GRAPH_TOKEN, expires_in: 3599 });
      json(response, {
        value: [{ id: 'u-1', isMfaRegistered: true, isMfaCapable: true, methodsRegistered: ['fido2'] }],
      });
    });
    process.env.FINDINGS_TOPIC_ARN = 'arn:aws:sns:eu-west-2:111122223333:credential-hygiene-findings';
    process.env.AWS_REGION = 'eu-west-2';
    process.env.MFA_PROVIDERS = JSON.stringify({
      googleWorkspace: {
        credentialsSecret: 'credential-hygiene/google',
        adminEmail: 'it-admin@northshire.example',
        directoryUrl: server.url,
        tokenUrl: `${server.url}/google/token`,
      },
      microsoftEntra: { credentialsSecret: 'credential-hygiene/entra', graphUrl: server.url, loginUrl: server.url },
      awsIam: {},
    });
  });
  afterAll(async () => {
    delete process.env.MFA_PROVIDERS;
    await server.stop();
  });
  beforeEach(() => {
    secretsManager.reset();
    iam.reset();
    serveSecrets(secretsManager, SECRETS);
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'credential-hygiene/google' })
      .resolves({ SecretString: JSON.stringify(GOOGLE_KEY) })
      .on(GetSecretValueCommand, { SecretId: 'credential-hygiene/entra' })
      .resolves({ SecretString: JSON.stringify(ENTRA) });
    iam.on(ListMFADevicesCommand).resolves({
      MFADevices: [{ UserName: 'press-console', SerialNumber: 'arn:aws:iam::1:mfa/phone', EnableDate: new Date() }],
    });
    stdout = [];
    const spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        stdout.push(String(chunk));
        return true;
      }),
    );
    restore = () => {
      for (const spy of spies) spy.mockRestore();
    };
  });
  afterEach(() => restore());

  it("asks each account's provider, with credentials read once from their secrets, and reports verified evidence", async () => {
    const report = await checkRunHandler(mfaStatusSpec)({ dryRun: true });

    expect(report.findings.map((found) => [found.id, found.severity])).toEqual([
      ['press-office/gmail#mfa:not-enrolled', 'critical'],
      ['press-office/newswire#check-error:mfa', 'medium'],
    ]);
    expect(report.findings[1]?.evidence.reason).toBe(
      "Microsoft Entra ID could not say whether MFA is on: Microsoft Entra ID needs the account's email (or a username that is an address) to look it up",
    );
    expect(report.accounts.map((account) => [account.id, account.mfaEvidence])).toEqual([
      ['press-office/gmail', 'verified'],
      ['press-office/outlook', 'verified'],
      ['press-office/aws-console', 'verified'],
      ['press-office/newswire', undefined],
    ]);
    expect(report.summary.byMfaEvidence).toEqual({ verified: 3 });
    expect(iam).toHaveReceivedCommandWith(ListMFADevicesCommand, { UserName: 'press-console' });
    for (const secret of ['credential-hygiene/google', 'credential-hygiene/entra']) {
      expect(secretsManager.commandCalls(GetSecretValueCommand, { SecretId: secret })).toHaveLength(1);
    }
    const everything = `${stdout.join('')}${JSON.stringify(report)}`;
    for (const secret of [ENTRA.clientSecret, GOOGLE_TOKEN, GRAPH_TOKEN, 'PRIVATE KEY']) {
      expect(everything).not.toContain(secret);
    }
  });

  it("reports check-errors for one provider's accounts when its secret cannot be read, and checks the rest", async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'credential-hygiene/entra' })
      .rejects(awsError('ResourceNotFoundException', `Secrets Manager can't find ${ENTRA.clientSecret}`));

    const report = await checkRunHandler(mfaStatusSpec)({ dryRun: true });

    const errors = report.findings.filter((found) => found.check === 'check-error');
    expect(errors.map((found) => [found.accountId, found.evidence.reason])).toEqual([
      [
        'press-office/newswire',
        "Microsoft Entra ID could not say whether MFA is on: Microsoft Entra ID needs the account's email (or a username that is an address) to look it up",
      ],
      [
        'press-office/outlook',
        'Microsoft Entra ID could not say whether MFA is on: the Microsoft Entra ID credentials could not be read from secret credential-hygiene/entra (ResourceNotFoundException)',
      ],
    ]);
    expect(report.accounts.find((account) => account.id === 'press-office/gmail')?.mfaEvidence).toBe('verified');
    expect(`${stdout.join('')}${JSON.stringify(report)}`).not.toContain(ENTRA.clientSecret);
  });
});
