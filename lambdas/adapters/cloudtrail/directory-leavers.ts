import type { IAMClient } from '@aws-sdk/client-iam';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { errorName } from '../../core/error-name';
import type { Leavers, Reader, SecretRead } from '../../core/secret-reads';

/** The errors that say a directory no longer has the person. */
const GONE = new Set(['ResourceNotFoundException', 'NoSuchEntityException', 'NoSuchEntity']);

const DAY_MS = 86_400_000;

export interface DirectoryLeaversOptions {
  /**
   * IAM Identity Center's identity store (`d-…`): its users who read a secret and are no longer in it have left. The
   * clients (and their SDKs, by `require`: see check-run-handler's `sdk`) are made when first needed, so that a
   * function that finds no reader to ask never loads them.
   */
  readonly identityStore?: {
    readonly client: () => Promise<Pick<IdentitystoreClient, 'send'>>;
    readonly identityStoreId: string;
  };
  /** IAM: its users who read a secret and no longer exist have left. */
  readonly iam?: () => Promise<Pick<IAMClient, 'send'>>;
  /** A leavers list (a secret's text, as `--leavers` reads a file): its days win over what a directory can tell. */
  readonly list?: () => Promise<Leavers>;
}

/**
 * Who among the readers of the secrets has left: those on the leavers list, with the day it gives, and those the
 * directories no longer have: an Identity Center user deleted from the identity store or disabled there (asked by the
 * user id the event gave, else found by user name), an IAM user deleted from IAM. A directory does not say when someone left: such a
 * leaver counts as having left on the day of their last read, so that their reads make them one who knows the
 * password and none is taken for a read after leaving. Each person is asked once per run; a directory that cannot
 * answer (throttled, refused) fails the lookup, and the knowers check could not run, never passed.
 */
export function directoryLeavers(options: DirectoryLeaversOptions): (reads: readonly SecretRead[]) => Promise<Leavers> {
  return async (reads) => {
    const leavers = new Map(await (options.list?.() ?? Promise.resolve(new Map<string, Date>())));
    const lastRead = new Map<string, { reader: Reader; at: Date }>();
    for (const read of reads) {
      const key = read.reader.name.toLowerCase();
      const known = lastRead.get(key);
      if (known === undefined || known.at < read.at) lastRead.set(key, { reader: read.reader, at: read.at });
    }
    for (const [key, { reader, at }] of lastRead) {
      if (leavers.has(key) || !(await isGone(reader, options))) continue;
      leavers.set(key, new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS));
    }
    return leavers;
  };
}

async function isGone(reader: Reader, options: DirectoryLeaversOptions): Promise<boolean> {
  try {
    if (reader.kind === 'identity-center-user' && options.identityStore !== undefined) {
      const { identityStoreId } = options.identityStore;
      const client = await options.identityStore.client();
      const { DescribeUserCommand, GetUserIdCommand } =
        require('@aws-sdk/client-identitystore') as typeof import('@aws-sdk/client-identitystore');
      const userId =
        reader.userId ??
        (
          await client.send(
            new GetUserIdCommand({
              IdentityStoreId: identityStoreId,
              AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: reader.name } },
            }),
          )
        ).UserId;
      // A disabled user can no longer sign in: they have left the shared login's circle as surely as a deleted one.
      const user = await client.send(new DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: userId }));
      return user.UserStatus === 'DISABLED';
    }
    if (reader.kind === 'iam-user' && reader.name !== 'root' && options.iam !== undefined) {
      const { GetUserCommand } = require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam');
      await (await options.iam()).send(new GetUserCommand({ UserName: reader.name }));
      return false;
    }
    return false;
  } catch (error) {
    if (GONE.has(errorName(error))) return true;
    throw error;
  }
}
