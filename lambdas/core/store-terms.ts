/**
 * How the store that holds the logins is changed, in its own words. A finding's advice names these, so that the
 * core names no store, tag or command: the Secrets Manager adapter says "the `credential-hygiene:owner` tag" where
 * the inventory file says "the `owner` field".
 */
export interface StoreTerms {
  /** Where a field of a login is set, as its owner would look for it. */
  field(name: 'owner'): string;
  /** How a stored login's scheduled deletion is cancelled. */
  readonly cancelDeletion: string;
  /** How a stored login's rotation is run now. */
  readonly rotateNow: string;
  /** How a password change its owner started is confirmed once the platform has the new password. */
  readonly confirmChange: string;
  /** How such a change is abandoned, leaving the current password as it is. */
  readonly abortChange: string;
}

/** The inventory file's terms: the fields of its entries. */
export const INVENTORY_FILE_TERMS: StoreTerms = {
  field: (name) => `the ${name} field of its inventory entry`,
  cancelDeletion: 'cancel the deletion',
  rotateNow: 'rotate it now',
  confirmChange: 'confirm the change (credential-hygiene rotate confirm with its id)',
  abortChange: 'abort it (credential-hygiene rotate abort with its id)',
};
