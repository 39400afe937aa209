import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { errorName } from '../../core/error-name';
import { type InventoryEntry, inMember } from '../../core/inventory';
import type { MembersSummary } from '../../core/report/report';
import type { StoreTerms } from '../../core/store-terms';
import { eachConcurrently } from '../../util/concurrency';
import { SecretsManagerInventory, type SecretsManagerInventoryOptions } from '../secrets-manager-inventory';
import { discoverMembers, type MemberAccount } from './member-accounts';
import type { MemberAccountsSettings } from './member-accounts-settings';

export interface MemberInventoryOptions {
  readonly settings: MemberAccountsSettings;
  /** How each member's secrets are read (the tag, whether values are read); the client is the member's. */
  readonly inventory: Omit<SecretsManagerInventoryOptions, 'client' | 'member'>;
  /** The account the monitor runs in: read with its own client, not through a role. */
  readonly ownAccount: () => Promise<string>;
  readonly ownClient: SecretsManagerClient;
  /** A Secrets Manager client with the member's read role's credentials (see `memberSessions`). */
  readonly memberClient: (member: string) => Promise<SecretsManagerClient>;
  /** Made only where the accounts are listed from Organizations (not for `accountIds`). */
  readonly organizations: () => OrganizationsClient;
}

/**
 * The monitored secrets of every member account, as one inventory: each member's logins headed by its account id
 * (two accounts' secrets of one name are two logins), at most `settings.concurrency` members read at once, each as one
 * account is read. A member whose role cannot be assumed, or whose secrets cannot be listed, is one entry saying why
 * (a `check-error` naming it) and the others are read; `members()` then says which were scanned, skipped and failed.
 */
export class MemberAccountsInventory {
  readonly terms: StoreTerms;
  private summary: MembersSummary | undefined;

  constructor(private readonly options: MemberInventoryOptions) {
    // The advice names the same tags in every member: the terms of any one inventory are those of all.
    this.terms = new SecretsManagerInventory({ ...options.inventory, client: options.ownClient }).terms;
  }

  /**
   * Every member's monitored secrets, or only those named in `secretIds`: by login id (`111111111111/name`) or ARN.
   * A member none of them names is not read.
   */
  async load(secretIds?: readonly string[]): Promise<InventoryEntry[]> {
    const { settings } = this.options;
    const discovery = await discoverMembers(settings, this.options.organizations);
    const own = await this.options.ownAccount();
    const others = discovery.members.filter((member) => member.id !== own);
    // Its own account's logins keep their secrets' names as ids (as before any member was read); a member's are headed
    // by the member's id. An id (not an ARN) headed by no other member's is one of its own.
    const claims = (member: string, id: string) =>
      inMember(id, member) ||
      (id.startsWith('arn:') && id.split(':')[4] === member) ||
      (member === own && !id.startsWith('arn:') && !others.some((each) => inMember(id, each.id)));
    const wanted = (member: string) =>
      secretIds
        ?.filter((id) => claims(member, id))
        .map((id) => (inMember(id, member) ? id.slice(member.length + 1) : id));
    const toRead = discovery.members.filter((member) => wanted(member.id)?.length !== 0);
    const loaded = new Map<string, InventoryEntry[]>();
    const failed: MembersSummary['failed'][number][] = [];
    await eachConcurrently(toRead, settings.concurrency, async (member) => {
      if (member.id === own) {
        // Read with its own role, as without members: a failure here fails the run, as it always has.
        const inventory = new SecretsManagerInventory({
          ...this.options.inventory,
          client: this.options.ownClient,
          keptIn: own,
        });
        loaded.set(own, await inventory.load(wanted(own)));
        return;
      }
      try {
        const client = await this.roleClient(member);
        const inventory = new SecretsManagerInventory({ ...this.options.inventory, client, member: member.id });
        loaded.set(member.id, await inventory.load(wanted(member.id)));
      } catch (error) {
        const reason = error instanceof MemberRoleError ? error.message : memberReadProblem(error);
        failed.push({ ...member, reason });
        loaded.set(member.id, [unreadableEntry(member, reason)]);
      }
    });
    const unmatched = (secretIds ?? []).filter((id) => !discovery.members.some((member) => claims(member.id, id)));
    const failedIds = new Set(failed.map((each) => each.id));
    this.summary = {
      scanned: toRead.flatMap((member) =>
        failedIds.has(member.id) ? [] : [{ ...member, logins: loaded.get(member.id)?.length ?? 0 }],
      ),
      skipped: discovery.skipped,
      failed: failed.sort((a, b) => (a.id < b.id ? -1 : 1)),
    };
    return [
      ...toRead.flatMap((member) => loaded.get(member.id) ?? []),
      ...unmatched.map((id) => ({
        ref: id,
        value: { id },
        problems: [
          'id: names no secret of a member account read here (a login id is the account id, a slash, and the secret name)',
        ],
      })),
    ];
  }

  members(): MembersSummary | undefined {
    return this.summary;
  }

  private async roleClient(member: MemberAccount): Promise<SecretsManagerClient> {
    try {
      return await this.options.memberClient(member.id);
    } catch (error) {
      throw new MemberRoleError(
        `the role ${this.options.settings.roleName} could not be assumed (${errorName(error)}): deploy the member stack there, or check its trust`,
      );
    }
  }
}

/** The role could not be assumed: said in a line that names the role and the error, never a credential. */
class MemberRoleError extends Error {
  override readonly name = 'MemberRoleError';
}

function memberReadProblem(error: unknown): string {
  const name = errorName(error);
  return name === 'AccessDeniedException'
    ? `its secrets could not be listed (AccessDeniedException): the read role there needs secretsmanager:ListSecrets`
    : `its secrets could not be read (${name})`;
}

function unreadableEntry(member: MemberAccount, reason: string): InventoryEntry {
  return {
    ref: `AWS account ${member.id}${member.name === undefined ? '' : ` (${member.name})`}`,
    value: { id: member.id },
    facts: { keptIn: member.id },
    unreadableMember: reason,
  };
}

/** A member read role session's credentials, as the SDK's clients take them. */
export interface MemberCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/** A session is used again only while it has this long left: a run takes at most 15 minutes. */
const SESSION_REUSE_MS = 20 * 60_000;

/**
 * Each member's read role session, assumed through STS: the role's ARN in the partition, a session named for the
 * function (CloudTrail shows which one read), and the function's session policy (it narrows the role to what this
 * function needs: no value reads for one that reads none). One session per member serves every client of a run (its
 * secrets, its Security Hub); a warm function assumes again when a session has less than 20 minutes left.
 */
export function memberSessions(options: {
  readonly sts: STSClient;
  readonly partition: string;
  readonly roleName: string;
  readonly sessionName: string;
  readonly sessionPolicy?: string;
  readonly now?: () => number;
}): (member: string) => Promise<MemberCredentials> {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Promise<MemberCredentials>>();
  const assume = async (member: string): Promise<MemberCredentials> => {
    const answer = await options.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:${options.partition}:iam::${member}:role/${options.roleName}`,
        RoleSessionName: options.sessionName,
        DurationSeconds: 3600,
        ...(options.sessionPolicy !== undefined && { Policy: options.sessionPolicy }),
      }),
    );
    const credentials = answer.Credentials;
    if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) {
      throw Object.assign(new Error('no credentials'), { name: 'NoCredentials' });
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken ?? '',
      ...(credentials.Expiration !== undefined && { expiration: credentials.Expiration }),
    };
  };
  return async (member) => {
    const kept = sessions.get(member);
    if (kept !== undefined) {
      const credentials = await kept.catch(() => undefined);
      const left = credentials?.expiration === undefined ? 0 : credentials.expiration.getTime() - now();
      if (credentials !== undefined && left > SESSION_REUSE_MS) return credentials;
    }
    const session = assume(member);
    sessions.set(member, session);
    // A refused session is not kept: the next run asks again.
    session.catch(() => sessions.delete(member));
    return session;
  };
}

/** The partition a region is in (`cn-north-1`: aws-cn), for the ARNs of roles in other accounts. */
export function partitionOf(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
