import { constants } from 'node:fs';
import { lstat, open, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { lock } from 'proper-lockfile';
import { EVIDENCE_LEVELS } from '../core/evidence-strength';
import {
  type FindingState,
  type IdentityRecord,
  LifecycleLockError,
  type LifecycleState,
  type LifecycleStore,
  type LoadOptions,
  type PasswordRecord,
  RESOLVED_RETENTION_DAYS,
  UNUSED_RECORD_RETENTION_DAYS,
} from '../core/lifecycle/lifecycle-state';
import { SEVERITIES } from '../core/severity';
import * as z from '../core/zod';
import { decodeUtf8Strictly, InputFileError, readInputBytes } from './json-file';
import { writeWhole } from './output-file';
import { storedIdentityRecordSchema } from './stored-identity-record';

const iso = z.string();
/** What a state file must hold for it to be used: every place an object belongs holds one, with its keys' types. */
const stateFileSchema = z.object({
  version: z.literal(1),
  scopes: z.record(
    z.string(),
    z.object({
      lastRun: z.optional(iso),
      findings: z.record(
        z.string(),
        z.object({
          id: z.string(),
          accountId: z.string(),
          check: z.string(),
          owner: z.nullable(z.string()),
          title: z.string(),
          severity: z.enum(SEVERITIES),
          status: z.enum(['open', 'resolved']),
          firstSeen: iso,
          lastSeen: iso,
          lastNotified: z.optional(iso),
          openSince: z.optional(iso),
          escalatedAt: z.optional(iso),
          resolvedAt: z.optional(iso),
          accepted: z.optional(z.object({ reason: z.string(), acceptedBy: z.string(), expires: z.string() })),
          endingToldFor: z.optional(z.string()),
          owedTo: z.optional(z.array(z.string())),
          evidenceLevel: z.optional(z.enum(EVIDENCE_LEVELS)),
        }),
      ),
    }),
  ),
  passwords: z.record(
    z.string(),
    z.object({
      accountId: z.string(),
      fingerprint: z.string(),
      passwordSince: z.optional(iso),
      statedChangedAt: z.optional(iso),
      strength: z.optional(
        z.object({ score: z.number().check(z.int(), z.gte(0), z.lte(4)), warning: z.optional(z.string()) }),
      ),
      strengthInputs: z.optional(z.string()),
      breach: z.optional(z.object({ count: z.number().check(z.int(), z.gte(0)), etag: z.string() })),
      seenAt: z.optional(iso),
    }),
  ),
  identities: z.optional(z.record(z.string(), storedIdentityRecordSchema)),
});

interface StateFile {
  readonly version: 1;
  /**
   * Each function family's findings, by family, and when it last ran; the file's key predates the name and is kept so
   * old files load.
   */
  readonly scopes: Record<string, { readonly lastRun?: string; readonly findings: Record<string, FindingState> }>;
  /** By account id; `seenAt`: the last run that read the account's password, so a retired login's record is let go. */
  readonly passwords: Record<string, PasswordRecord & { readonly seenAt?: string }>;
  readonly identities?: Record<string, IdentityRecord>;
}

/**
 * The state file as maps: ids come from outside, and an account called `__proto__` must be a key like any other, never
 * the prototype of the object that holds the records.
 */
interface StateMaps {
  readonly scopes: Map<string, { readonly lastRun?: string; readonly findings: Map<string, FindingState> }>;
  readonly passwords: Map<string, PasswordRecord & { readonly seenAt?: string }>;
  readonly identities: Map<string, IdentityRecord>;
}

const DAY_MS = 86_400_000;

export interface FileLifecycleStoreOptions {
  /** How long to wait for another run's lock. Default 30 s. */
  readonly lockTimeoutMs?: number;
  /** A lock not refreshed for this long is left over from a run that died, and is taken over. Default 30 s. */
  readonly staleLockMs?: number;
}

/**
 * Lifecycle state in one local JSON file (the CLI's `--state FILE`). Writes go to a temporary file that is then
 * renamed over the old one, so a crash mid-write leaves the previous state whole; a lock file beside it keeps two
 * runs from reconciling at once. The file holds finding ids, titles, dates and keyed fingerprints: no secrets.
 */
export class FileLifecycleStore implements LifecycleStore {
  private readonly lockPath: string;
  private readonly holderPath: string;
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;

  constructor(
    private readonly path: string,
    options: FileLifecycleStoreOptions = {},
  ) {
    this.lockPath = `${path}.lock`;
    this.holderPath = `${path}.lock-holder`;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
    this.staleLockMs = options.staleLockMs ?? 30_000;
  }

  async load(family: string, options: LoadOptions = {}): Promise<LifecycleState> {
    const file = await this.read();
    const scope = file.scopes.get(family);
    const lastRun = scope?.lastRun ?? latestOf(scope?.findings.values());
    return {
      findings: [...(scope?.findings.values() ?? [])],
      passwords:
        options.withPasswords === false
          ? []
          : [...file.passwords.values()].map(({ seenAt: _seenAt, ...record }) => record),
      identities: options.withIdentities ? [...file.identities.values()] : [],
      ...(lastRun !== undefined && { lastRun }),
    };
  }

  /**
   * Writes the changes, and lets go of what no rule can use again (as of the run's `lastRun`): findings resolved for
   * longer than `RESOLVED_RETENTION_DAYS` (what the table keeps too), and
   * password fingerprints and identity records no run has used for `UNUSED_RECORD_RETENTION_DAYS`. A closing a channel
   * is still owed goes then too, as it does from the table: Security Hub itself drops a finding not updated for 90 days.
   */
  async save(family: string, changes: LifecycleState): Promise<void> {
    const file = await this.read();
    const previous = file.scopes.get(family);
    const findings = new Map(previous?.findings);
    for (const state of changes.findings) findings.set(state.id, state);
    const passwords = new Map(file.passwords);
    for (const record of changes.passwords) {
      passwords.set(record.accountId, { ...record, ...(changes.lastRun !== undefined && { seenAt: changes.lastRun }) });
    }
    const identities = new Map(file.identities);
    for (const record of changes.identities ?? []) identities.set(record.fingerprint, record);
    const lastRun = changes.lastRun ?? previous?.lastRun;
    if (changes.lastRun !== undefined) {
      const now = Date.parse(changes.lastRun);
      const resolvedBefore = now - RESOLVED_RETENTION_DAYS * DAY_MS;
      const unusedBefore = now - UNUSED_RECORD_RETENTION_DAYS * DAY_MS;
      for (const [id, state] of findings) {
        if (state.status === 'resolved' && Date.parse(state.resolvedAt ?? '') < resolvedBefore) findings.delete(id);
      }
      for (const [id, record] of passwords) {
        // A record from before `seenAt` was kept counts as seen now: it has its year from here.
        if (record.seenAt === undefined) passwords.set(id, { ...record, seenAt: changes.lastRun });
        else if (Date.parse(record.seenAt) < unusedBefore) passwords.delete(id);
      }
      for (const [fingerprint, record] of identities) {
        if (Date.parse(record.lastChecked) < unusedBefore) identities.delete(fingerprint);
      }
    }
    const scopes = new Map(file.scopes);
    scopes.set(family, { ...(lastRun !== undefined && { lastRun }), findings });
    const next: StateFile = {
      version: 1,
      scopes: Object.fromEntries(
        [...scopes].map(([name, scope]) => [
          name,
          {
            ...(scope.lastRun !== undefined && { lastRun: scope.lastRun }),
            findings: Object.fromEntries(scope.findings),
          },
        ]),
      ),
      passwords: Object.fromEntries(passwords),
      identities: Object.fromEntries(identities),
    };
    await writeWhole({ path: this.path, kind: 'file' }, `${JSON.stringify(next, null, 2)}\n`, 'state file', 0o600);
  }

  /**
   * Holds `state.json.lock` (a directory, made atomically) through proper-lockfile, which refreshes its time while the
   * run works: a lock not refreshed for `staleLockMs` belongs to a run that died (killed, or its machine lost) and is
   * taken over. The holder's process and host are written beside it (`.lock-holder`: the library removes a stale lock
   * directory only when it is empty), so that a run kept waiting can say who holds it. A lock *file* at that path is
   * what versions before proper-lockfile left: it is taken over once its process is gone.
   */
  async withLock<T>(_scope: string, work: () => Promise<T>): Promise<T> {
    await this.clearEarlierLockFile();
    let compromised: Error | undefined;
    let release: () => Promise<void>;
    const waitMs = 250;
    try {
      release = await lock(this.path, {
        realpath: false,
        lockfilePath: this.lockPath,
        stale: this.staleLockMs,
        update: Math.max(1_000, Math.floor(this.staleLockMs / 3)),
        retries: { retries: Math.ceil(this.lockTimeoutMs / waitMs), factor: 1, minTimeout: waitMs, maxTimeout: waitMs },
        onCompromised: (error) => {
          compromised = error;
        },
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
        const holder = await readHolder(this.holderPath);
        const who = holder ? ` (process ${holder.pid} on ${holder.host})` : '';
        throw new LifecycleLockError(`state file ${this.path} is locked by another run${who} (${this.lockPath})`);
      }
      throw new InputFileError(`cannot lock state file ${this.path}: ${(error as NodeJS.ErrnoException).code}`);
    }
    await this.writeHolder();
    try {
      const result = await work();
      if (compromised) {
        throw new LifecycleLockError(`the lock on state file ${this.path} was lost while this run held it; run again`);
      }
      return result;
    } finally {
      await rm(this.holderPath, { force: true }).catch(() => {});
      await release().catch(() => {});
    }
  }

  /**
   * Writes who holds the lock, as a new file: whatever is at that path (a link planted there, to have a victim's file
   * truncated) is removed, not followed, and the file is created exclusively and never through a link.
   */
  private async writeHolder(): Promise<void> {
    try {
      await rm(this.holderPath, { force: true });
      const handle = await open(
        this.holderPath,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      try {
        await handle.writeFile(`${process.pid} ${hostname()}\n`, 'utf8');
      } finally {
        await handle.close();
      }
    } catch {
      // Only a waiting run's message needs it.
    }
  }

  /**
   * The lock file of versions before proper-lockfile (a file holding `pid host`, where the library makes a directory)
   * would fail every run: it is removed when its process is gone (on this host; on another host, once it is older than
   * a stale lock), and otherwise named as the holder.
   */
  private async clearEarlierLockFile(): Promise<void> {
    const stats = await lstat(this.lockPath).catch(() => undefined);
    if (stats === undefined || stats.isDirectory()) return;
    if (stats.isFile()) {
      const holder = await readHolder(this.lockPath);
      const gone =
        holder !== undefined && holder.host === hostname()
          ? !isProcessAlive(holder.pid)
          : Date.now() - stats.mtimeMs > this.staleLockMs;
      if (!gone) {
        const who = holder ? ` (process ${holder.pid} on ${holder.host})` : '';
        throw new LifecycleLockError(
          `state file ${this.path} is locked by a run of an earlier version${who} (${this.lockPath})`,
        );
      }
    }
    // A file of the earlier format whose run is gone, or something else that is no lock (a link): not followed.
    await rm(this.lockPath, { force: true });
  }

  private async read(): Promise<StateMaps> {
    let bytes: Buffer;
    try {
      bytes = await readInputBytes(this.path, 'state file');
    } catch (error) {
      if (error instanceof InputFileError && error.code === 'ENOENT') {
        return { scopes: new Map(), passwords: new Map(), identities: new Map() };
      }
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(decodeUtf8Strictly(bytes, this.path, 'state file'));
    } catch (error) {
      if (error instanceof InputFileError) throw error;
      throw new InputFileError(`state file ${this.path} is not valid JSON (move it aside to start afresh)`);
    }
    const checked = stateFileSchema.safeParse(parsed);
    if (!checked.success) {
      const where = checked.error.issues[0]?.path.map(String).join('.') || '(the file)';
      throw new InputFileError(
        `state file ${this.path} is not a credential-hygiene state file (version 1): ${where} is not what it should be (move it aside to start afresh)`,
      );
    }
    // The records as written (the schema only vouches for them; JSON.parse made every id an own key, `__proto__` too),
    // but the identity records as read into their current form.
    const file = parsed as StateFile;
    return {
      scopes: new Map(
        Object.entries(file.scopes).map(([name, scope]) => [
          name,
          {
            ...(scope.lastRun !== undefined && { lastRun: scope.lastRun }),
            findings: new Map(Object.entries(scope.findings)),
          },
        ]),
      ),
      passwords: new Map(Object.entries(file.passwords)),
      identities: new Map(Object.entries(checked.data.identities ?? {})),
    };
  }
}

/** The latest `lastSeen` among a family's findings: when it last ran, for a state file from before `lastRun` was kept. */
function latestOf(findings: Iterable<FindingState> | undefined): string | undefined {
  let latest: string | undefined;
  for (const state of findings ?? []) {
    if (latest === undefined || Date.parse(state.lastSeen) > Date.parse(latest)) latest = state.lastSeen;
  }
  return latest;
}

/** `pid host`, as the holder file (and the earlier lock file) holds it; undefined when it is not that. */
async function readHolder(path: string): Promise<{ readonly pid: number; readonly host: string } | undefined> {
  const text = await readInputBytes(path, 'lock holder', 4096).then(
    (bytes) => bytes.toString('utf8').trim(),
    () => '',
  );
  const match = /^(\d+) (\S+)$/.exec(text);
  return match ? { pid: Number(match[1]), host: match[2] as string } : undefined;
}

/** Whether a process of this host is running: signal 0 tests for it without sending anything. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
