import type { Account } from './account';

/** Trusted facts from the inventory's own metadata (not from the entry's text); they win over parsed fields. */
export type AccountFacts = Pick<Account, 'passwordChangedAt' | 'rotation' | 'deletionScheduledAt' | 'keptIn'>;

/** One raw entry of an inventory: `value` is parsed by `parseAccount`; `ref` says where it came from. */
export interface InventoryEntry {
  /** `inventory[3]` for a file entry, the secret's name for a Secrets Manager entry. Never secret. */
  readonly ref: string;
  /** Where the login is kept, when that has an identity of its own: the secret's ARN. Never secret. */
  readonly resource?: string;
  /** The account's fields as given: an inventory entry, or a secret's tags and value composed by its adapter. */
  readonly value: unknown;
  readonly facts?: AccountFacts;
  /**
   * Why the secret value (password, TOTP seed) was not read: by design (a function that never reads values) or
   * because reading failed. The entry then holds no password, and checks that need one report a check-error.
   */
  readonly valueUnavailable?: string;
  /** Problems the adapter found before parsing (a value that is not JSON, a secret that was not found). */
  readonly problems?: readonly string[];
  /** Where each field came from, for problem messages: `{ platform: 'tag credential-hygiene:platform' }`. */
  readonly fieldSources?: Readonly<Record<string, string>>;
  /**
   * Set on an entry that stands for a whole member of the estate that could not be read (an AWS account whose read
   * role could not be assumed), with why: `value.id` is the member's id, and `facts.keptIn` too. Its logins are
   * unchecked: the entry is one `check-error` of kind `member`, and their open findings stay open (see `inMember`).
   */
  readonly unreadableMember?: string;
}

/** The member an unreadable-member entry stands for (its `keptIn`, else its ref) and why it could not be read. */
export function unreadableMemberOf(entry: InventoryEntry): { member: string; reason: string } | undefined {
  const reason = entry.unreadableMember;
  return reason === undefined ? undefined : { member: entry.facts?.keptIn ?? entry.ref, reason };
}

/** Whether a login (or a finding's login) is kept in a member, by the member's id at the head of the login's id. */
export function inMember(loginId: string, memberId: string): boolean {
  return loginId.startsWith(`${memberId}/`);
}

/** The member a login's id names at its head (see `memberLoginId`); for an estate without members, its first part. */
export function memberOfLogin(loginId: string): string {
  const end = loginId.indexOf('/');
  return end === -1 ? loginId : loginId.slice(0, end);
}

/** The id a login kept in a member goes by: the member's id, then the login's name in it. */
export function memberLoginId(memberId: string, name: string): string {
  return `${memberId}/${name}`;
}
