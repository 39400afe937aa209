import { EMAIL, MAX_PASSWORD_LENGTH } from '../account-parser';
import type { PlatformCatalog } from '../platform-catalog';
import type { ImportedItem } from './imported-item';

/** What `import` does with each item; the order is the plan's summary order. */
export const IMPORT_ACTIONS = ['create', 'update', 'unchanged', 'skip', 'conflict'] as const;
export type ImportAction = (typeof IMPORT_ACTIONS)[number];

export interface ImportSettings {
  /** Every login's owner; else, with `ownerFromFolder`, its folder's name. */
  readonly owner?: string;
  readonly ownerFromFolder?: boolean;
  /** Put before every secret's name (`shared-logins/`). */
  readonly namePrefix?: string;
  /** Extra labels for every login (the CLI's `--tag KEY=VALUE`). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Import logins on platforms neither the catalog nor the policy knows, under their address's host. */
  readonly includeUnknown?: boolean;
  /** The bundled platforms with the policy's: what makes an address a known platform. */
  readonly catalog: PlatformCatalog;
}

/** The fields of a secret's value the scanner reads, as the importer writes them. Secret material. */
export interface LoginValue {
  readonly username?: string;
  readonly email?: string;
  readonly password: string;
  readonly totp?: string;
}

/** Labels are what the store keeps beside the value (tags in Secrets Manager): never secret. */
export type LoginLabels = Readonly<Record<string, string>>;

/** A login as the export says it should be stored. */
export interface DesiredLogin {
  readonly name: string;
  readonly position: string;
  /** `platform`, `owner`, what an inventory entry says (`recoveryEmail`, `mfa`…), and `tag:KEY` for each extra tag. */
  readonly labels: LoginLabels;
  readonly value: LoginValue;
  readonly passwordChangedAt?: Date;
}

/** What the store holds under a name. */
export interface StoredLogin {
  /** Carries the monitoring label: written by this project or tagged for it. Anything else is never touched. */
  readonly managed: boolean;
  /** Why a managed secret cannot be written now (scheduled for deletion, say): the login is then a `conflict`. */
  readonly blocked?: string;
  readonly labels: LoginLabels;
  /** The current value's fields; undefined when it is not a JSON object (a plain password is `{ password }`). */
  readonly value?: Readonly<Record<string, unknown>>;
  /**
   * When the current password was set, as the store says: the date recorded for its version, `unknown` where the
   * record says so, else the version's creation date; undefined when the store cannot say.
   */
  readonly passwordChangedAt?: Date | 'unknown';
}

/** One row of the plan, as printed: names of what changes, never a value. */
export interface PlanRow {
  readonly position: string;
  readonly name?: string;
  readonly action: ImportAction;
  readonly reason?: string;
  readonly changes?: readonly string[];
}

/** A write the plan calls for: a new secret, or a change to a managed one. */
export type PlannedWrite =
  | { readonly kind: 'create'; readonly login: DesiredLogin; readonly value: Readonly<Record<string, unknown>> }
  | {
      readonly kind: 'update';
      readonly login: DesiredLogin;
      /** The new value (the stored one with the export's fields over it), when a new version is written. */
      readonly value?: Readonly<Record<string, unknown>>;
      /** The labels to set (only those that differ). */
      readonly labels: LoginLabels;
      /** The change date to record: for the new version when `value` is set, else for the current one. */
      readonly passwordChangedAt?: Date | 'unknown';
    };

export interface ImportPlan {
  readonly rows: readonly PlanRow[];
  readonly writes: readonly PlannedWrite[];
}

/** Secrets Manager's characters for a secret's name (and a safe set for any store). */
const NAME_CHARACTERS = /^[A-Za-z0-9/_+=.@-]+$/;
const MAX_NAME_LENGTH = 512;
/** What a tag's value may hold: letters, digits, spaces and `_ . : / = + - @`, at most 256. */
const LABEL_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const VALUE_FIELDS = ['username', 'email', 'password', 'totp'] as const;

/** A piece of a name: lower case, anything a name cannot hold made `-`. */
function slug(text: string): string {
  const cleaned = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_+=.@-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-{2,}/g, '-');
  return cleaned === '' ? 'x' : cleaned.slice(0, 120);
}

/** The host of an address as an export gives it (`https://x.com/login`, `x.com`, `androidapp://…` has none). */
function hostOf(address: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `https://${address}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    const host = url.hostname.toLowerCase().replace(/^www\./, '');
    return host.includes('.') && !/^[\d.]+$/.test(host) && !host.startsWith('[') ? host : undefined;
  } catch {
    return undefined;
  }
}

type Platformed = { readonly platform: string } | { readonly skip: string };

function platformOf(item: ImportedItem, settings: ImportSettings): Platformed {
  const hosts = item.urls.flatMap((address) => {
    const host = hostOf(address.trim());
    return host === undefined ? [] : [host];
  });
  for (const host of hosts) {
    const known = settings.catalog.find(host);
    if (known !== undefined) return { platform: known.domain };
  }
  const first = hosts[0];
  if (first === undefined) return { skip: 'no web address, so no platform to check it against' };
  if (settings.includeUnknown) return { platform: first };
  return {
    skip: `${first} is a platform neither the catalog nor the policy's platforms know (add it to the policy's platforms, or import it with --include-unknown)`,
  };
}

function ownerOf(item: ImportedItem, settings: ImportSettings): { owner?: string } | { skip: string } {
  const owner = item.own?.owner ?? settings.owner ?? (settings.ownerFromFolder ? item.folder : undefined);
  if (owner === undefined || owner.trim() === '') return {};
  if (!LABEL_VALUE.test(owner)) {
    return {
      skip: `its owner (${settings.ownerFromFolder && item.own === undefined ? 'the folder name' : 'as given'}) has characters a tag cannot hold (letters, digits, spaces and _ . : / = + - @ only): rename it or pass --owner`,
    };
  }
  return { owner: owner.trim() };
}

/** The logins an export's items become, and a `skip` row for each item that cannot become one. */
export function desiredLogins(
  items: readonly ImportedItem[],
  settings: ImportSettings,
): { readonly logins: DesiredLogin[]; readonly skipped: PlanRow[] } {
  const logins: DesiredLogin[] = [];
  const skipped: PlanRow[] = [];
  const byName = new Map<string, string>();
  const prefix = settings.namePrefix ?? '';
  const extraLabels = Object.fromEntries(
    Object.entries(settings.tags ?? {}).map(([key, value]) => [`tag:${key}`, value]),
  );
  for (const item of items) {
    const skip = (reason: string) => skipped.push({ position: item.position, action: 'skip', reason });
    if (item.notALogin !== undefined) {
      skip(`not a login (${item.notALogin})`);
      continue;
    }
    if (item.password === undefined || item.password === '') {
      skip('no password');
      continue;
    }
    if (item.password.length > MAX_PASSWORD_LENGTH) {
      skip(`its password is longer than the ${MAX_PASSWORD_LENGTH} characters a login is checked for`);
      continue;
    }
    const platformed: Platformed = item.own
      ? { platform: item.own.platform.toLowerCase() }
      : platformOf(item, settings);
    if ('skip' in platformed) {
      skip(platformed.skip);
      continue;
    }
    const owned = ownerOf(item, settings);
    if ('skip' in owned) {
      skip(owned.skip);
      continue;
    }
    const username = item.username?.trim() || undefined;
    const email = item.own?.email ?? (username !== undefined && EMAIL.test(username) ? username : undefined);
    const name = item.own
      ? `${prefix}${item.own.id}`
      : `${prefix}${slug(owned.owner ?? 'unowned')}/${platformed.platform}/${slug(username ?? item.title ?? item.position)}`;
    if (!NAME_CHARACTERS.test(name) || name.length > MAX_NAME_LENGTH) {
      skip(
        `its name would not be a valid secret name (at most ${MAX_NAME_LENGTH} of letters, digits and / _ + = . @ -)`,
      );
      continue;
    }
    const earlier = byName.get(name);
    if (earlier !== undefined) {
      skip(`a duplicate of ${earlier}: the same platform, owner and username`);
      continue;
    }
    byName.set(name, item.position);
    logins.push({
      name,
      position: item.position,
      labels: {
        platform: platformed.platform,
        ...(owned.owner !== undefined && { owner: owned.owner }),
        ...item.own?.labels,
        ...extraLabels,
      },
      value: {
        ...(username !== undefined && { username }),
        ...(email !== undefined && { email }),
        password: item.password,
        ...(item.totp?.trim() && { totp: item.totp.trim() }),
      },
      ...(item.passwordChangedAt !== undefined && { passwordChangedAt: item.passwordChangedAt }),
    });
  }
  return { logins, skipped };
}

const sameDate = (a: Date | 'unknown' | undefined, b: Date | 'unknown' | undefined) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

/**
 * What importing `logins` does to a store holding `stored` (by name): each login's row and the writes. A login whose
 * value and labels the store already has is `unchanged` and written nothing; one under a name the store holds without
 * the monitoring label is a `conflict` and never touched.
 */
export function planImport(
  logins: readonly DesiredLogin[],
  stored: ReadonlyMap<string, StoredLogin>,
  skipped: readonly PlanRow[] = [],
): ImportPlan {
  const rows: PlanRow[] = [];
  const writes: PlannedWrite[] = [];
  for (const login of logins) {
    const current = stored.get(login.name);
    const row = { position: login.position, name: login.name };
    if (current === undefined) {
      rows.push({ ...row, action: 'create' });
      writes.push({ kind: 'create', login, value: { ...login.value } });
      continue;
    }
    if (current.blocked !== undefined) {
      rows.push({ ...row, action: 'conflict', reason: current.blocked });
      continue;
    }
    if (!current.managed) {
      rows.push({
        ...row,
        action: 'conflict',
        reason: 'a secret of this name exists and is not managed by credential-hygiene (it has no monitoring tag)',
      });
      continue;
    }
    const before = current.value ?? {};
    const valueChanges = VALUE_FIELDS.filter(
      (field) => login.value[field] !== undefined && before[field] !== login.value[field],
    );
    const labels = Object.fromEntries(
      Object.entries(login.labels).filter(([key, value]) => current.labels[key] !== value),
    );
    const newVersion = valueChanges.length > 0 || current.value === undefined;
    const passwordChanged = current.value === undefined || valueChanges.includes('password');
    // A new version of an unchanged password (a new username, say) keeps the password's date, not the version's.
    const passwordChangedAt: Date | 'unknown' | undefined = passwordChanged
      ? (login.passwordChangedAt ?? 'unknown')
      : newVersion
        ? (login.passwordChangedAt ?? current.passwordChangedAt ?? 'unknown')
        : login.passwordChangedAt !== undefined && !sameDate(current.passwordChangedAt, login.passwordChangedAt)
          ? login.passwordChangedAt
          : undefined;
    const changes = [
      ...(current.value === undefined ? ['value'] : valueChanges),
      ...Object.keys(labels).map((key) => (key.startsWith('tag:') ? `tag ${key.slice(4)}` : key)),
      ...(passwordChangedAt !== undefined && !sameDate(current.passwordChangedAt, passwordChangedAt)
        ? ['passwordChangedAt']
        : []),
    ];
    if (changes.length === 0) {
      rows.push({ ...row, action: 'unchanged' });
      continue;
    }
    rows.push({ ...row, action: 'update', changes });
    writes.push({
      kind: 'update',
      login,
      ...(newVersion && { value: { ...before, ...login.value } }),
      labels,
      ...(passwordChangedAt !== undefined && { passwordChangedAt }),
    });
  }
  return { rows: [...rows, ...skipped].sort(byPosition), writes };
}

/** Rows in the export's order: `item 2` before `item 10`. */
function byPosition(a: PlanRow, b: PlanRow): number {
  return a.position.localeCompare(b.position, 'en', { numeric: true });
}

/** How many rows of each action: the plan's summary. */
export function planSummary(rows: readonly PlanRow[]): Record<ImportAction, number> {
  const summary = Object.fromEntries(IMPORT_ACTIONS.map((action) => [action, 0])) as Record<ImportAction, number>;
  for (const row of rows) summary[row.action] += 1;
  return summary;
}
