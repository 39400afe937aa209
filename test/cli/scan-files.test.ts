import { spawn } from 'node:child_process';
import { copyFileSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliProcess } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

const CORPUS = ['--pwned-passwords', 'examples/pwned-passwords.txt'];
const AS_OF = ['--now', '2026-11-24'];

describe('CLI: the files a scan writes', () => {
  const dir = useTempDir();
  const path = (name: string) => join(dir(), name);
  const inventory = () => {
    const copy = path('inventory.json');
    copyFileSync('examples/inventory.json', copy);
    return copy;
  };
  const scan = (extra: string[]) => runCli(['scan', '--inventory', inventory(), ...CORPUS, ...AS_OF, ...extra]);

  describe('--output', () => {
    it('writes into a pipe as a shell would, and leaves it a pipe, never a file in its place', async () => {
      const fifo = path('report.fifo');
      await new Promise((resolve, reject) =>
        spawn('mkfifo', [fifo]).once('exit', (code) => (code === 0 ? resolve(code) : reject(code))),
      );
      const reader = spawn('cat', [fifo]);
      let read = '';
      reader.stdout.on('data', (chunk) => {
        read += String(chunk);
      });

      const readerDone = new Promise((resolve) => reader.once('exit', resolve));

      const run = await scan(['--output', fifo]);
      // A report written beside the pipe instead of into it would leave the reader waiting: it is not waited for long.
      await Promise.race([readerDone, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      reader.kill();

      expect(run.code).toBe(0);
      expect(statSync(fifo).isFIFO()).toBe(true);
      expect(read).toMatch(/^What to do first \(8 actions/);
    });

    it('writes through /dev/stdout', async () => {
      // The process's own standard output: only a process of its own has one to write through.
      const run = await runCliProcess([
        'scan',
        '--inventory',
        inventory(),
        ...CORPUS,
        ...AS_OF,
        '--output',
        '/dev/stdout',
      ]);

      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^What to do first \(8 actions/);
      expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
    });

    it('follows a link once, says so, and updates its target, leaving the link a link', async () => {
      const target = path('reports-target.txt');
      writeFileSync(target, 'old report');
      const link = path('report.txt');
      symlinkSync(target, link);

      const run = await scan(['--output', link]);

      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`note: --output ${link} is a link: writing ${target}`);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readlinkSync(link)).toBe(target);
      expect(readFileSync(target, 'utf8')).toMatch(/^What to do first/);
    });

    it.each([
      ['the inventory', (paths: { inventory: string }) => paths.inventory],
      [
        'a link to the inventory',
        (paths: { inventory: string; dir: string }) => {
          const link = join(paths.dir, 'looks-like-a-report.txt');
          symlinkSync(paths.inventory, link);
          return link;
        },
      ],
    ])('refuses to overwrite an input of the run: %s', async (_case, outputOf) => {
      const source = inventory();
      const before = readFileSync(source, 'utf8');
      const output = outputOf({ inventory: source, dir: dir() });

      const run = await runCli(['scan', '--inventory', source, ...CORPUS, ...AS_OF, '--output', output]);

      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--output ${output} is --inventory ${source}: refusing to overwrite an input`);
      expect(readFileSync(source, 'utf8')).toBe(before);
    });

    it('refuses to write the report over the state file', async () => {
      const state = path('state.json');
      await scan(['--state', state]);
      const before = readFileSync(state, 'utf8');

      const run = await scan(['--state', state, '--output', state]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/is --state .*state\.json: refusing to overwrite an input/);
      expect(readFileSync(state, 'utf8')).toBe(before);
    });
  });

  describe('--state', () => {
    it('follows a link to the state once, says so, and keeps using its target on every run', async () => {
      const target = path('kept-state.json');
      const link = path('state.json');
      await scan(['--state', target]);
      symlinkSync(target, link);

      const second = await scan(['--state', link, '--format', 'json']);
      const third = await scan(['--state', link, '--now', '2026-11-26', '--format', 'json']);

      expect(second.stderr).toContain(`note: --state ${link} is a link: reading and writing ${target}`);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(JSON.parse(second.stdout).lifecycle.new).toEqual([]);
      // The third run read what the second wrote through the link: its reminders are due from the second.
      expect(JSON.parse(third.stdout).lifecycle.new).toEqual([]);
      expect(JSON.parse(readFileSync(target, 'utf8')).scopes.cli.lastRun).toBe('2026-11-26T00:00:00.000Z');
    });

    it('never writes through a link planted at the lock-holder file', async () => {
      const victim = path('victim.txt');
      writeFileSync(victim, 'precious');
      const state = path('state.json');
      symlinkSync(victim, `${state}.lock-holder`);

      const run = await scan(['--state', state]);

      expect(run.code).toBe(0);
      expect(readFileSync(victim, 'utf8')).toBe('precious');
    });

    it('takes over a lock file of the earlier format whose process is gone, and names a live one', async () => {
      const state = path('state.json');
      const gone = spawn(process.execPath, ['-e', '0']);
      await new Promise((resolve) => gone.once('exit', resolve));
      writeFileSync(`${state}.lock`, `${gone.pid} ${hostname()}\n`);

      const taken = await scan(['--state', state]);
      writeFileSync(`${state}.lock`, `${process.pid} ${hostname()}\n`);
      const held = await scan(['--state', state]);

      expect(taken.code).toBe(0);
      expect(held.code).toBe(2);
      expect(held.stderr).toContain(
        `is locked by a run of an earlier version (process ${process.pid} on ${hostname()})`,
      );
    });

    it('refuses a run earlier than the last, saying which was later and how to recover, and warns of a run in the future', async () => {
      const state = path('state.json');
      const future = await scan(['--state', state, '--now', '2036-11-20']);
      const back = await scan(['--state', state, '--now', '2026-12-05']);
      const later = await scan(['--state', state, '--now', '2036-11-21']);

      expect(future.code).toBe(0);
      expect(future.stderr).toMatch(
        /warning: the state in .*state\.json is now as of 2036-11-20T00:00:00\.000Z, more than a day past this machine's clock/,
      );
      expect(back.code).toBe(2);
      expect(back.stderr).toMatch(
        /2026-12-05T00:00:00\.000Z, is earlier than the last run the state records, 2036-11-20T00:00:00\.000Z: runs must move forward in time.*restore the state/,
      );
      expect(later.code).toBe(0);
    });

    it('keeps working as runs move forward, as tests and what-if runs do', async () => {
      const state = path('state.json');
      const runs = [];
      for (const now of ['2026-06-01', '2026-06-01', '2026-07-01', '2026-11-01']) {
        runs.push(await scan(['--state', state, '--now', now]));
      }

      expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0]);
      expect(runs.map((run) => run.stderr)).toEqual(['', '', '', '']);
    });
  });
});
