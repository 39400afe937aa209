import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { z } from 'zod';
import {
  type FindingState,
  type IdentityRecord,
  LifecycleLockError,
  type LifecycleState,
  type LifecycleStore,
  type LoadOptions,
  type PasswordRecord,
} from '../core/lifecycle/lifecycle-state';
import { sleep } from '../util/sleep';
import { decodeUtf8Strictly, InputFileError, readInputBytes } from './json-file';

/** A lock file that names no process is a write that failed, once it is this old. */
const ORPHANED_LOCK_MS = 5_000;

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const iso = z.string();
/** What a state file must hold for it to be used: every place an object belongs holds one, with its keys' types. */
const stateFileSchema = z.object({
  version: z.literal(1),
  scopes: z.record(
    z.string(),
    z.object({
      findings: z.record(
        z.string(),
        z.object({
          id: z.string(),
          accountId: z.string(),
          check: z.string(),
          owner: z.string().nullable(),
          title: z.string(),
          severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
          status: z.enum(['open', 'resolved']),
          firstSeen: iso,
          lastSeen: iso,
          lastNotified: iso.optional(),
          resolvedAt: iso.optional(),
        }),
      ),
    }),
  ),
  passwords: z.record(
    z.string(),
    z.object({
      accountId: z.string(),
      fingerprint: z.string(),
      passwordSince: iso.optional(),
      statedChangedAt: iso.optional(),
      strength: z.object({ score: z.number().int().min(0).max(4), warning: z.string().optional() }).optional(),
      strengthInputs: z.string().optional(),
      breach: z.object({ count: z.number().int().min(0), etag: z.string() }).optional(),
    }),
  ),
  identities: z
    .record(
      z.string(),
      z.object({
        fingerprint: z.string(),
        lastChecked: iso,
        breaches: z.array(
          z.object({
            name: z.string(),
            addedDate: iso,
            dataClasses: z.array(z.string()),
            isFabricated: z.boolean(),
            isSpamList: z.boolean(),
            isRetired: z.boolean(),
          }),
        ),
      }),
    )
    .optional(),
});

interface StateFile {
  readonly version: 1;
  readonly scopes: Record<string, { readonly findings: Record<string, FindingState> }>;
  readonly passwords: Record<string, PasswordRecord>;
  readonly identities?: Record<string, IdentityRecord>;
}

export interface FileLifecycleStoreOptions {
  /** How long to wait for another run's lock. Default 30 s. */
  readonly lockTimeoutMs?: number;
  /** A lock file older than this is left over from a crashed run and is taken over. Default 10 minutes. */
  readonly staleLockMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Lifecycle state in one local JSON file (the CLI's `--state FILE`). Writes go to a temporary file that is then
 * renamed over the old one, so a crash mid-write leaves the previous state whole; a lock file beside it keeps two
 * runs from reconciling at once. The file holds finding ids, titles, dates and keyed fingerprints: no secrets.
 */
export class FileLifecycleStore implements LifecycleStore {
  private readonly lockPath: string;
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly path: string,
    options: FileLifecycleStoreOptions = {},
  ) {
    this.lockPath = `${path}.lock`;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
    this.staleLockMs = options.staleLockMs ?? 600_000;
    this.sleep = options.sleep ?? sleep;
  }

  async load(scope: string, options: LoadOptions = {}): Promise<LifecycleState> {
    const file = await this.read();
    return {
      findings: Object.values(file.scopes[scope]?.findings ?? {}),
      passwords: options.withPasswords === false ? [] : Object.values(file.passwords),
      identities: options.withIdentities ? Object.values(file.identities ?? {}) : [],
    };
  }

  async save(scope: string, changes: LifecycleState): Promise<void> {
    const file = await this.read();
    const findings = { ...file.scopes[scope]?.findings };
    for (const state of changes.findings) findings[state.id] = state;
    const passwords = { ...file.passwords };
    for (const record of changes.passwords) passwords[record.accountId] = record;
    const identities = { ...file.identities };
    for (const record of changes.identities ?? []) identities[record.fingerprint] = record;
    const next: StateFile = { version: 1, scopes: { ...file.scopes, [scope]: { findings } }, passwords, identities };
    const temporary = `${this.path}.${randomUUID()}.tmp`;
    try {
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(next, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new InputFileError(`cannot write state file ${this.path}: ${code}`);
    }
  }

  async withLock<T>(_scope: string, work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.lockTimeoutMs;
    for (;;) {
      try {
        await this.takeLock();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new InputFileError(`cannot lock state file ${this.path}: ${(error as NodeJS.ErrnoException).code}`);
        }
        if (await this.lockIsAbandoned()) {
          await rm(this.lockPath, { force: true });
          continue;
        }
        if (Date.now() >= deadline) {
          throw new LifecycleLockError(`state file ${this.path} is locked by another run (${this.lockPath})`);
        }
        await this.sleep(100);
      }
    }
    try {
      return await work();
    } finally {
      await rm(this.lockPath, { force: true });
    }
  }

  /**
   * Creates the lock file, holding this process's id and host. If writing it fails (a full disk), the empty file is
   * removed again, so that it cannot block later runs.
   */
  private async takeLock(): Promise<void> {
    const handle = await open(this.lockPath, 'wx', 0o600);
    try {
      await handle.writeFile(`${process.pid} ${hostname()}\n`, 'utf8');
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => {});
      await rm(this.lockPath, { force: true });
      throw Object.assign(new Error('the lock file could not be written'), {
        code: (error as NodeJS.ErrnoException).code ?? 'EIO',
      });
    }
  }

  /**
   * A lock left behind: its process (on this host) is no longer running (a run killed with kill -9), it names no process
   * and is not new (a write that failed), or it is older than `staleLockMs` (a run on another host that never ended).
   */
  private async lockIsAbandoned(): Promise<boolean> {
    const [text, stats] = await Promise.all([
      readFile(this.lockPath, 'utf8').catch(() => undefined),
      stat(this.lockPath).catch(() => undefined),
    ]);
    if (text === undefined || stats === undefined) return false;
    const age = Date.now() - stats.mtimeMs;
    const [pid, host] = text.trim().split(/\s+/);
    const holder = Number(pid);
    if (!Number.isSafeInteger(holder) || holder <= 0) return age > ORPHANED_LOCK_MS;
    if (host === hostname() && !processIsRunning(holder)) return true;
    return age > this.staleLockMs;
  }

  private async read(): Promise<StateFile> {
    let bytes: Buffer;
    try {
      bytes = await readInputBytes(this.path, 'state file');
    } catch (error) {
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'ENOENT') return { version: 1, scopes: {}, passwords: {} };
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
    return parsed as StateFile;
  }
}
