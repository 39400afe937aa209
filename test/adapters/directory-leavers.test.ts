import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeUserCommand, GetUserIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { mockClient } from 'aws-sdk-client-mock';
import { directoryLeavers } from '../../lambdas/adapters/cloudtrail/directory-leavers';
import type { Reader, SecretRead } from '../../lambdas/core/secret-reads';
import { awsError } from '../support/aws-errors';

const read = (reader: Reader, at: string): SecretRead => ({ secret: 's', reader, at: new Date(at) });
const ic = (name: string, userId?: string): Reader => ({
  name,
  kind: 'identity-center-user',
  arns: [],
  ...(userId !== undefined && { userId }),
});
const iamUser = (name: string): Reader => ({ name, kind: 'iam-user', arns: [] });
const STORE = 'd-1234567890';

describe('Function: directoryLeavers', () => {
  const iam = mockClient(IAMClient);
  const store = mockClient(IdentitystoreClient);
  beforeEach(() => {
    iam.reset();
    store.reset();
  });
  const leaversOf = (list?: Map<string, Date>) =>
    directoryLeavers({
      iam: async () => iam as unknown as IAMClient,
      identityStore: { client: async () => store as unknown as IdentitystoreClient, identityStoreId: STORE },
      ...(list !== undefined && { list: async () => list }),
    });

  it('takes the deleted or disabled users of Identity Center and the deleted of IAM as leavers on the day of their last read, asking each once', async () => {
    store.on(DescribeUserCommand, { UserId: 'gone-1' }).rejects(awsError('ResourceNotFoundException'));
    store
      .on(DescribeUserCommand, { UserId: 'here-1' })
      .resolves({ IdentityStoreId: STORE, UserId: 'here-1', UserStatus: 'ENABLED' });
    store
      .on(DescribeUserCommand, { UserId: 'off-1' })
      .resolves({ IdentityStoreId: STORE, UserId: 'off-1', UserStatus: 'DISABLED' });
    store.on(GetUserIdCommand).rejects(awsError('ResourceNotFoundException'));
    store
      .on(GetUserIdCommand, {
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'fay' } },
      })
      .resolves({ IdentityStoreId: STORE, UserId: 'off-1' });
    iam.on(GetUserCommand, { UserName: 'bob' }).rejects(awsError('NoSuchEntityException'));
    iam.on(GetUserCommand, { UserName: 'carol' }).resolves({ User: undefined });

    const leavers = await leaversOf()([
      read(ic('alice', 'gone-1'), '2026-05-01T10:00:00Z'),
      read(ic('alice', 'gone-1'), '2026-05-03T10:00:00Z'),
      read(ic('dave', 'here-1'), '2026-05-03T10:00:00Z'),
      read(ic('erin'), '2026-05-04T10:00:00Z'),
      read(ic('fay'), '2026-05-05T10:00:00Z'),
      read(iamUser('bob'), '2026-05-02T10:00:00Z'),
      read(iamUser('carol'), '2026-05-02T10:00:00Z'),
      read(iamUser('root'), '2026-05-02T10:00:00Z'),
      read({ name: 'ci/build', kind: 'role-session', arns: [] }, '2026-05-02T10:00:00Z'),
    ]);

    expect([...leavers].map(([name, day]) => [name, day.toISOString().slice(0, 10)]).sort()).toEqual([
      ['alice', '2026-05-03'],
      ['bob', '2026-05-02'],
      ['erin', '2026-05-04'],
      ['fay', '2026-05-05'],
    ]);
    // fay was found by name and described: she is disabled.
    expect(store.commandCalls(DescribeUserCommand)).toHaveLength(3);
    expect(store.commandCalls(GetUserIdCommand)[0]?.args[0].input).toMatchObject({
      IdentityStoreId: STORE,
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'erin' } },
    });
    expect(
      iam
        .commandCalls(GetUserCommand)
        .map((call) => call.args[0].input.UserName)
        .sort(),
    ).toEqual(['bob', 'carol']);
  });

  it("keeps the list's day for a person on it, and asks the directories nothing about them", async () => {
    const list = new Map([['alice', new Date('2026-04-30T00:00:00Z')]]);

    const leavers = await leaversOf(list)([read(ic('Alice', 'gone-1'), '2026-05-01T10:00:00Z')]);

    expect(leavers.get('alice')?.toISOString()).toBe('2026-04-30T00:00:00.000Z');
    expect(store.calls()).toHaveLength(0);
  });

  it('fails when a directory cannot answer (the knowers check then could not run)', async () => {
    iam.on(GetUserCommand).rejects(awsError('ThrottlingException'));

    await expect(leaversOf()([read(iamUser('bob'), '2026-05-02T10:00:00Z')])).rejects.toThrow();
  });
});
