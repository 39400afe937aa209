import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LAUNCHER = join(__dirname, 'moto_launcher.py');

/** The emulator's endpoint variable: `.ci/run` starts one and names it here; otherwise the suite starts its own. */
export const MOTO_ENDPOINT_VARIABLE = 'MOTO_ENDPOINT';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * moto (an AWS emulator) on 127.0.0.1: the one `.ci/run` started (`MOTO_ENDPOINT`), or one this process starts from
 * `moto_launcher.py` and stops. Its recorder lists every request the functions send, for the IAM evaluation.
 */
export class MotoServer {
  private constructor(
    readonly endpoint: string,
    private readonly child?: ChildProcess,
  ) {}

  static async start(): Promise<MotoServer> {
    const given = process.env[MOTO_ENDPOINT_VARIABLE];
    const server = given ? new MotoServer(given.replace(/\/$/, '')) : await MotoServer.launch();
    await server.post('/moto-api/reset');
    return server;
  }

  private static launch(): Promise<MotoServer> {
    const python = process.env.PYTHON ?? 'python3';
    try {
      execFileSync(python, ['-c', 'import moto.server'], { stdio: 'ignore' });
    } catch {
      throw new Error(
        `moto is not installed for ${python}: the AWS emulator suite needs moto 5.2 (moto_server), as on every machine of this kind`,
      );
    }
    const child = spawn(python, [LAUNCHER, '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // moto's recorder writes its file in the working directory unless told otherwise.
      env: { ...process.env, MOTO_RECORDER_FILEPATH: join(tmpdir(), `credential-hygiene-moto-${process.pid}.jsonl`) },
    });
    return new Promise((resolve, reject) => {
      let stderr = '';
      child.stderr?.on('data', (chunk) => {
        stderr += String(chunk);
      });
      child.on('exit', (code) => reject(new Error(`moto_launcher.py exited (${code}): ${stderr.slice(-2000)}`)));
      child.stdout?.on('data', (chunk) => {
        const ready = /READY (\d+)/.exec(String(chunk));
        if (ready) resolve(new MotoServer(`http://127.0.0.1:${ready[1]}`, child));
      });
    });
  }

  async stop(): Promise<void> {
    if (!this.child) return;
    const exited = new Promise((resolve) => this.child?.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  async post(path: string, body?: unknown): Promise<string> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method: 'POST',
      ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`moto ${path}: ${response.status} ${text.slice(0, 500)}`);
    return text;
  }

  /** The environment that points a CLI process's AWS SDK at the emulator, with dummy credentials. */
  get cliEnvironment(): Record<string, string> {
    return {
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'AKIAEMULATOR000000',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret-access-key',
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  /** Sets when a secret's version was created: moto stamps every version with the time it was put. */
  async setVersionCreated(
    secretId: string,
    createdAt: Date,
    versionStage = 'AWSCURRENT',
    accountId?: string,
  ): Promise<void> {
    await this.post('/_launcher/version-created', {
      secretId,
      createdDate: Math.floor(createdAt.getTime() / 1000),
      versionStage,
      ...(accountId !== undefined && { accountId }),
    });
  }

  /** Every request made while `work` ran, in order. */
  async recording<T>(work: () => Promise<T>): Promise<{ readonly value: T; readonly requests: RecordedRequest[] }> {
    await this.post('/moto-api/recorder/reset-recording');
    await this.post('/moto-api/recorder/start-recording');
    let value: T;
    try {
      value = await work();
    } finally {
      await this.post('/moto-api/recorder/stop-recording');
    }
    const text = await (await fetch(`${this.endpoint}/moto-api/recorder/download-recording`)).text();
    const requests = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const entry = JSON.parse(line) as {
          method: string;
          url: string;
          headers: Record<string, string>;
          body: string | null;
          body_encoded: boolean;
        };
        const body = entry.body ?? '';
        return {
          method: entry.method,
          url: entry.url,
          headers: Object.fromEntries(Object.entries(entry.headers).map(([name, v]) => [name.toLowerCase(), v])),
          body: entry.body_encoded ? Buffer.from(body, 'base64').toString('utf8') : body,
        };
      });
    return { value, requests };
  }
}
