import type { Account } from '../account';
import type { RecoveryPaths } from '../check';
import { byCodeUnits } from '../text-order';
import type { CollectionContext, EvidenceCollector } from './collector';

/** How many logins deep a chain is followed: a takeover four resets away is still one, and the graph stays small. */
export const MAX_CHAIN_DEPTH = 4;

/**
 * An address as a mailbox delivers it: case-insensitive, and a plus tag (`press+x@…`) reaches the same mailbox as
 * the address without it.
 */
export function mailboxAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 1) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}@${lower.slice(at + 1)}`;
}

/**
 * The estate's access graph (Hammann et al., "User Account Access Graphs", CCS 2019): login M can take over login L
 * when M is the mailbox of an address L sends its resets to (L's recovery email, its own email, or a username that
 * is an address). A login on a
 * platform that hosts mailboxes (the catalog's `mailbox`) is the mailbox of its username or email address.
 */
export function recoveryGraph(
  accounts: readonly Account[],
  isMailbox: (account: Account) => boolean,
): { readonly resetBy: ReadonlyMap<string, readonly string[]>; readonly mailboxes: ReadonlySet<string> } {
  const mailboxesOf = new Map<string, string[]>();
  for (const account of accounts) {
    if (!isMailbox(account)) continue;
    for (const address of new Set(
      [account.username, account.email]
        .filter((each) => each?.includes('@'))
        .map((each) => mailboxAddress(each as string)),
    )) {
      const holders = mailboxesOf.get(address);
      if (holders) holders.push(account.id);
      else mailboxesOf.set(address, [account.id]);
    }
  }
  const resetBy = new Map<string, string[]>();
  for (const account of accounts) {
    // Where its resets go: its recovery email, its email, and a username that is an address (the login's identity).
    const addresses = new Set(
      [account.recoveryEmail, account.email, account.username]
        .filter((each): each is string => each?.includes('@') === true)
        .map((each) => mailboxAddress(each)),
    );
    const by = [...addresses]
      .flatMap((address) => mailboxesOf.get(address) ?? [])
      // A mailbox that recovers to itself adds no way in.
      .filter((id) => id !== account.id);
    if (by.length > 0) resetBy.set(account.id, [...new Set(by)].sort(byCodeUnits));
  }
  return { resetBy, mailboxes: new Set(mailboxesOf.keys()) };
}

/** The logins that share each recovery phone with others, by login. */
function samePhones(accounts: readonly Account[]): Map<string, string[]> {
  const byPhone = new Map<string, string[]>();
  for (const account of accounts) {
    if (account.recoveryPhone === undefined) continue;
    const ids = byPhone.get(account.recoveryPhone);
    if (ids) ids.push(account.id);
    else byPhone.set(account.recoveryPhone, [account.id]);
  }
  const same = new Map<string, string[]>();
  for (const ids of byPhone.values()) {
    if (ids.length < 2) continue;
    for (const id of ids) same.set(id, ids.filter((other) => other !== id).sort(byCodeUnits));
  }
  return same;
}

/**
 * Every chain of logins that can reach each login, nearest link first (`[mailbox]`, `[mailbox, its recovery]`…), up
 * to `MAX_CHAIN_DEPTH` and never through a login twice (a cycle ends its chain), with the logins each one exposes.
 */
export function recoveryPaths(resetBy: ReadonlyMap<string, readonly string[]>): {
  readonly pathsTo: ReadonlyMap<string, readonly (readonly string[])[]>;
  readonly exposes: ReadonlyMap<string, readonly string[]>;
} {
  const pathsTo = new Map<string, string[][]>();
  const exposes = new Map<string, Set<string>>();
  for (const target of resetBy.keys()) {
    const paths: string[][] = [];
    const walk = (at: string, path: string[]) => {
      for (const by of resetBy.get(at) ?? []) {
        if (by === target || path.includes(by)) continue;
        const longer = [...path, by];
        paths.push(longer);
        const reached = exposes.get(by);
        if (reached) reached.add(target);
        else exposes.set(by, new Set([target]));
        if (longer.length < MAX_CHAIN_DEPTH) walk(by, longer);
      }
    };
    walk(target, []);
    if (paths.length > 0) pathsTo.set(target, paths);
  }
  return {
    pathsTo,
    exposes: new Map([...exposes].map(([id, targets]) => [id, [...targets].sort(byCodeUnits)])),
  };
}

/** The chains that reach each login, for the recovery check, and what each login exposes, for the report. */
export function recoveryCollector(): EvidenceCollector<'recovery'> {
  return {
    need: 'recovery-graph',
    provides: 'recovery',
    collect: async ({ accounts, platforms }: CollectionContext) => {
      const { resetBy, mailboxes } = recoveryGraph(
        accounts,
        (account) => platforms.find(account.platform)?.mailbox === true,
      );
      const { pathsTo, exposes } = recoveryPaths(resetBy);
      const shared = samePhones(accounts);
      const byAccount = new Map<string, RecoveryPaths>(
        accounts.map((account) => {
          const samePhone = shared.get(account.id);
          return [
            account.id,
            {
              chains: pathsTo.get(account.id) ?? [],
              ...(account.recoveryEmail !== undefined && {
                recoveryEmailMonitored: mailboxes.has(mailboxAddress(account.recoveryEmail)),
              }),
              ...(samePhone !== undefined && { samePhone }),
            },
          ];
        }),
      );
      return { byAccount, result: { exposes } };
    },
  };
}
