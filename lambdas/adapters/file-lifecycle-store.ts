import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { lock } from 'proper-lockfile';
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
import { SEVERITIES } from '../core/severity';
import { decodeUtf8Strictly, InputFileError, readInputBytes } from './json-file';
import { storedIdentityRecordSchema } from './stored-identity-record';

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
          severity: z.enum(SEVERITIES),
          status: z.enum(['open', 'resolved']),
          firstSeen: iso,
          lastSeen: iso,
          lastNotified: iso.optional(),
          resolvedAt: iso.optional(),
          accepted: z.object({ reason: z.string(), acceptedBy: z.string(), expires: z.string() }).optional(),
          endingToldFor: z.string().optional(),
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
  identities: z.record(z.string(), storedIdentityRecordSchema).optional(),
});

interface StateFile {
  readonly version: 1;
  /** Each function family's findings, by family; the file's key predates the name and is kept so old files load. */
  readonly scopes: Record<string, { readonly findings: Record<string, FindingState> }>;
  readonly passwords: Record<string, PasswordRecord>;
  readonly identities?: Record<string, IdentityRecord>;
}

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
    return {
      findings: Object.values(file.scopes[family]?.findings ?? {}),
      passwords: options.withPasswords === false ? [] : Object.values(file.passwords),
      identities: options.withIdentities ? Object.values(file.identities ?? {}) : [],
    };
  }

  async save(family: string, changes: LifecycleState): Promise<void> {
    const file = await this.read();
    const findings = { ...file.scopes[family]?.findings };
    for (const state of changes.findings) findings[state.id] = state;
    const passwords = { ...file.passwords };
    for (const record of changes.passwords) passwords[record.accountId] = record;
    const identities = { ...file.identities };
    for (const record of changes.identities ?? []) identities[record.fingerprint] = record;
    const next: StateFile = { version: 1, scopes: { ...file.scopes, [family]: { findings } }, passwords, identities };
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

  /**
   * Holds `state.json.lock` (a directory, made atomically) through proper-lockfile, which refreshes its time while the
   * run works: a lock not refreshed for `staleLockMs` belongs to a run that died (killed, or its machine lost) and is
   * taken over. The holder's process and host are written beside it (`.lock-holder`: the library removes a stale lock
   * directory only when it is empty), so that a run kept waiting can say who holds it.
   */
  async withLock<T>(_scope: string, work: () => Promise<T>): Promise<T> {
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
        const holder = await readFile(this.holderPath, 'utf8').catch(() => '');
        const who = /^\d+ \S+$/.test(holder.trim()) ? ` (process ${holder.trim().replace(' ', ' on ')})` : '';
        throw new LifecycleLockError(`state file ${this.path} is locked by another run${who} (${this.lockPath})`);
      }
      throw new InputFileError(`cannot lock state file ${this.path}: ${(error as NodeJS.ErrnoException).code}`);
    }
    await writeFile(this.holderPath, `${process.pid} ${hostname()}\n`).catch(() => {});
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

  private async read(): Promise<StateFile> {
    let bytes: Buffer;
    try {
      bytes = await readInputBytes(this.path, 'state file');
    } catch (error) {
      if (error instanceof InputFileError && error.code === 'ENOENT') return { version: 1, scopes: {}, passwords: {} };
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
    // The identity records as read into their current form; the rest as written (the schema only vouches for it).
    const identities = checked.data.identities;
    return { ...(parsed as StateFile), ...(identities && { identities }) };
  }
}
