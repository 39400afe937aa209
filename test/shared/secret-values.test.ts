import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SECRET_MAX_AGE_SECONDS, secretsProviderFor, secretValue } from '../../lambdas/shared/secret-values';
import { awsError } from '../support/aws-errors';

const secretsManager = mockClient(SecretsManagerClient);
const T0 = Date.parse('2026-06-01T06:00:00Z');

describe('Function: secretValue, through Powertools Parameters', () => {
  // Only the clock is faked (Powertools dates its cache with `new Date()`); timers and promises run as usual.
  const at = (ms: number) => jest.setSystemTime(ms);
  beforeEach(() => {
    secretsManager.reset();
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
      ],
    });
    at(T0);
  });
  afterEach(() => jest.useRealTimers());

  const reader = () => {
    const made: string[] = [];
    const read = secretValue(
      secretsProviderFor(new SecretsManagerClient({ region: 'eu-west-2' })),
      'hibp-key',
      (text) => {
        made.push(text);
        return { client: text };
      },
    );
    return { read, made };
  };

  it('reads once within the maximum age, and picks up a rotated secret after it without a cold start', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'key-1' })
      .resolves({ SecretString: 'key-2' });
    const { read, made } = reader();

    const first = await read();
    at(T0 + (SECRET_MAX_AGE_SECONDS - 1) * 1000);
    const warm = await read();
    at(T0 + (SECRET_MAX_AGE_SECONDS + 1) * 1000);
    const rotated = await read();

    expect(warm).toBe(first);
    expect(rotated).toEqual({ client: 'key-2' });
    expect(made).toEqual(['key-1', 'key-2']);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('keeps what it made while a re-read finds the secret unchanged', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'key-1' });
    const { read, made } = reader();

    const first = await read();
    at(T0 + (SECRET_MAX_AGE_SECONDS + 1) * 1000);

    expect(await read()).toBe(first);
    expect(made).toEqual(['key-1']);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it("fails with the SDK's own error and keeps no failure: the next use reads again", async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(awsError('ResourceNotFoundException', 'Secrets Manager cannot find the secret'))
      .resolves({ SecretString: 'key-1' });
    const { read } = reader();

    await expect(read()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(read()).resolves.toEqual({ client: 'key-1' });
  });

  it('refuses a secret that holds no string, until it is given one', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretBinary: new Uint8Array([1, 2]) })
      .resolves({ SecretString: 'key-1' });
    const { read } = reader();

    await expect(read()).rejects.toThrow('the secret hibp-key holds no string');
    at(T0 + (SECRET_MAX_AGE_SECONDS + 1) * 1000);
    await expect(read()).resolves.toEqual({ client: 'key-1' });
  });
});
