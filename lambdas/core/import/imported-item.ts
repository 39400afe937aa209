import { SafeToShowError } from '../safe-to-show-error';

/**
 * One item of an export, as every importer gives it: the fields a login needs, mapped from the vendor's own, and
 * nothing else of its schema. `password` and `totp` are secret material: they go into the secret value and nowhere
 * else (never a plan row, a message or an error).
 */
export interface ImportedItem {
  /** Where it is in the file, for messages: `item 3`, `row 7`. Never one of its values. */
  readonly position: string;
  /** Why it cannot become a login although it is well formed (`a secure note`, `in the trash`); else undefined. */
  readonly notALogin?: string;
  /** Its title in the export, used to name it only when it has no username. */
  readonly title?: string;
  /** The folder, collection, vault or group it is filed under (the first, where there are several). */
  readonly folder?: string;
  readonly username?: string;
  readonly password?: string;
  /** An `otpauth://` URI or a base32 seed. */
  readonly totp?: string;
  /** The addresses it is used at, as given (the first that names a known platform decides it). */
  readonly urls: readonly string[];
  /**
   * When the current password was set, as the export's own history shows it; `undefined` when it does not. Never the
   * export's date nor that of a later edit that did not change the password.
   */
  readonly passwordChangedAt?: Date;
  /**
   * An entry of this project's inventory keeps what it says: its id becomes the secret's name, and its platform,
   * owner and addresses are taken as given.
   */
  readonly own?: {
    readonly id: string;
    readonly platform: string;
    readonly owner?: string;
    readonly email?: string;
    /** What else it says of the login that the store keeps as labels: `recoveryEmail`, `mfa`, `mfaAttestedAt`… */
    readonly labels?: Readonly<Record<string, string>>;
  };
}

/** A file that is not the format it was said to be: one line, naming where, never a value. */
export class ImportFormatError extends SafeToShowError {
  override readonly name = 'ImportFormatError';
}
