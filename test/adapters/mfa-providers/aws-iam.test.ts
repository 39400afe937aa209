import type { ServerResponse } from 'node:http';
import { IAMClient, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AwsIamMfaProvider } from '../../../lambdas/adapters/mfa-providers/aws-iam/client';
import { MfaLookupError } from '../../../lambdas/core/evidence-sources';
import { awsError } from '../../support/aws-errors';
import { LocalHttpServer } from '../../support/local-http-server';

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined).catch((error: unknown) => error);

describe('Class: AwsIamMfaProvider', () => {
  describe('through the SDK mock', () => {
    const iam = mockClient(IAMClient);
    beforeEach(() => iam.reset());
    // The mock stands in for every IAMClient until restored; the local endpoint tests below need the real one.
    afterAll(() => iam.restore());
    const provider = () => new AwsIamMfaProvider({ client: new IAMClient({ region: 'eu-west-2' }) });

    it('asks ListMFADevices for the user name and names each kind of device', async () => {
      iam.on(ListMFADevicesCommand).resolves({
        MFADevices: [
          {
            UserName: 'press-console',
            SerialNumber: 'arn:aws:iam::111122223333:mfa/press-phone',
            EnableDate: new Date(),
          },
          {
            UserName: 'press-console',
            SerialNumber: 'arn:aws:iam::111122223333:u2f/user/press-console/yubikey-AB',
            EnableDate: new Date(),
          },
          { UserName: 'press-console', SerialNumber: 'GAHT12345678', EnableDate: new Date() },
        ],
      });

      expect(await provider().statusOf('press-console')).toEqual({
        enrolled: true,
        methods: ['totp', 'security-key'],
      });
      expect(iam).toHaveReceivedCommandWith(ListMFADevicesCommand, { UserName: 'press-console' });
    });

    it('reads no devices as not enrolled', async () => {
      iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });

      expect(await provider().statusOf('press-console')).toEqual({ enrolled: false, methods: [] });
    });

    it('fails every later lookup at once when access is denied', async () => {
      iam
        .on(ListMFADevicesCommand)
        .rejects(awsError('AccessDenied', 'User: arn:aws:sts::1:assumed-role/x is not authorized'));
      const lookups = provider();

      const first = await failureOf(lookups.statusOf('a'));
      await failureOf(lookups.statusOf('b'));

      expect(first).toEqual(
        new MfaLookupError('AWS IAM refused ListMFADevices (AccessDenied): the role needs iam:ListMFADevices'),
      );
      expect(iam).toHaveReceivedCommandTimes(ListMFADevicesCommand, 1);
    });

    it('names an unexpected failure by its name, never its message', async () => {
      iam.on(ListMFADevicesCommand).rejects(awsError('ServiceFailure', 'internal detail'));

      expect(await failureOf(provider().statusOf('a'))).toEqual(
        new MfaLookupError('AWS IAM did not answer ListMFADevices (ServiceFailure)'),
      );
    });
  });

  describe('against a local IAM endpoint (Query protocol)', () => {
    let server: LocalHttpServer | undefined;
    afterEach(async () => {
      await server?.stop();
      server = undefined;
    });
    const xml = (response: ServerResponse, status: number, body: string) =>
      void response.writeHead(status, { 'content-type': 'text/xml' }).end(body);
    const error = (code: string) =>
      `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>detail</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;
    const devices = (serials: string[]) =>
      `<ListMFADevicesResponse xmlns="${XMLNS}"><ListMFADevicesResult><IsTruncated>false</IsTruncated><MFADevices>${serials
        .map(
          (serial) =>
            `<member><UserName>press-console</UserName><SerialNumber>${serial}</SerialNumber><EnableDate>2026-01-05T10:00:00Z</EnableDate></member>`,
        )
        .join(
          '',
        )}</MFADevices></ListMFADevicesResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></ListMFADevicesResponse>`;
    const provider = () =>
      new AwsIamMfaProvider({
        client: new IAMClient({
          region: 'us-east-1',
          endpoint: server?.url,
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
          maxAttempts: 3,
        }),
      });

    it('reads the devices of a user', async () => {
      server = await LocalHttpServer.start((_request, response) =>
        xml(response, 200, devices(['arn:aws:iam::111122223333:mfa/press-phone'])),
      );

      expect(await provider().statusOf('press-console')).toEqual({ enrolled: true, methods: ['totp'] });
    });

    it('fails, never passes, for a user IAM does not know (404 NoSuchEntity)', async () => {
      server = await LocalHttpServer.start((_request, response) => xml(response, 404, error('NoSuchEntity')));

      expect(await failureOf(provider().statusOf('gone'))).toEqual(
        new MfaLookupError('AWS IAM has no such user (NoSuchEntity)'),
      );
    });

    it('fails when credentials are refused (403)', async () => {
      server = await LocalHttpServer.start((_request, response) => xml(response, 403, error('AccessDenied')));

      expect(String(await failureOf(provider().statusOf('a')))).toContain('refused ListMFADevices (AccessDenied)');
    });

    it("retries throttling and 5xx with the SDK's own retries, then answers", async () => {
      const answers = [
        (response: ServerResponse) => xml(response, 400, error('Throttling')),
        (response: ServerResponse) => xml(response, 500, error('ServiceFailure')),
      ];
      server = await LocalHttpServer.start((_request, response, index) =>
        (answers[index] ?? ((each: ServerResponse) => xml(each, 200, devices([]))))(response),
      );

      expect(await provider().statusOf('a')).toEqual({ enrolled: false, methods: [] });
      expect(server.requests).toHaveLength(3);
    });
  });
});
