import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import {
  type FindingState,
  type IdentityRecord,
  LifecycleLockError,
  type LifecycleState,
  type LifecycleStore,
  type LoadOptions,
  type PasswordRecord,
} from '../core/lifecycle/lifecycle-state';
import { InputFileError } from './json-file';
import { sleep } from './sleep';

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
        await writeFile(this.lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new InputFileError(`cannot lock state file ${this.path}: ${(error as NodeJS.ErrnoException).code}`);
        }
        const age = await stat(this.lockPath).then(
          (stats) => Date.now() - stats.mtimeMs,
          () => 0,
        );
        if (age > this.staleLockMs) {
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

  private async read(): Promise<StateFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, scopes: {}, passwords: {} };
      throw new InputFileError(`cannot read state file ${this.path}: ${(error as NodeJS.ErrnoException).code}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InputFileError(`state file ${this.path} is not valid JSON (move it aside to start afresh)`);
    }
    const file = parsed as Partial<StateFile>;
    if (file.version !== 1 || typeof file.scopes !== 'object' || typeof file.passwords !== 'object') {
      throw new InputFileError(`state file ${this.path} is not a credential-hygiene state file (version 1)`);
    }
    return file as StateFile;
  }
}
