import { parseAccount } from '../../../core/account-parser';
import { type ImportedItem, ImportFormatError } from '../../../core/import/imported-item';
import { formatDay } from '../../../core/iso-date';
import { boundedList, exportJson } from '../export-text';
import { type ImporterModule, MAX_TEXT_EXPORT_BYTES } from '../importer-module';

/**
 * This project's own inventory file (JSON): each entry as `scan` reads it. Its id becomes the secret's name; its
 * platform, owner, recovery addresses and second-factor attestation become tags; its `passwordChangedAt` is the
 * password's date. An entry the scan would refuse is skipped with the scan's own problems (which never quote a value).
 */
export const inventoryImporter: ImporterModule = {
  id: 'inventory',
  description: "this project's inventory file (JSON)",
  maxBytes: MAX_TEXT_EXPORT_BYTES,
  parse(bytes) {
    let document: unknown;
    try {
      document = exportJson(bytes, 'inventory');
    } catch (error) {
      if (!(error instanceof ImportFormatError)) throw error;
      throw new ImportFormatError(`${error.message} (import reads a JSON inventory; write a YAML one as JSON first)`);
    }
    const entries = Array.isArray(document)
      ? document
      : Array.isArray((document as { accounts?: unknown } | null)?.accounts)
        ? (document as { accounts: unknown[] }).accounts
        : undefined;
    if (entries === undefined) {
      throw new ImportFormatError('the file holds no list of accounts (nor an object with an "accounts" list)');
    }
    // Dates are read as the scan reads them; "now" only bounds how far in the future a date may be.
    const now = new Date();
    return boundedList(entries, 'entries').map((raw, index): ImportedItem => {
      const position = `entry ${index + 1}`;
      const parsed = parseAccount(raw, now);
      if (!parsed.ok)
        return { position, urls: [], notALogin: `an entry the scan refuses: ${parsed.problems.join('; ')}` };
      const account = parsed.account;
      const labels = {
        ...(account.recoveryEmail !== undefined && { recoveryEmail: account.recoveryEmail }),
        ...(account.recoveryPhone !== undefined && { recoveryPhone: account.recoveryPhone }),
        ...(account.mfaProvider !== undefined && { mfaProvider: account.mfaProvider }),
        ...(account.mfa !== undefined && { mfa: account.mfa.status }),
        ...(account.mfa?.attestedAt !== undefined && { mfaAttestedAt: formatDay(account.mfa.attestedAt) }),
        ...(account.mfa?.methods !== undefined && { mfaMethods: account.mfa.methods.join(' ') }),
      };
      return {
        position,
        urls: [],
        own: {
          id: account.id,
          platform: account.platform,
          ...(account.owner !== undefined && { owner: account.owner }),
          ...(account.email !== undefined && { email: account.email }),
          labels,
        },
        ...(account.username !== undefined && { username: account.username }),
        ...(account.password !== undefined && { password: account.password }),
        ...(account.totp !== undefined && { totp: account.totp }),
        ...(account.passwordChangedAt !== undefined && { passwordChangedAt: account.passwordChangedAt }),
      };
    });
  },
};
