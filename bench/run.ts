// `npm run bench`: measures a scan against a local range API with injected latency, and the Lambda bundles.
// Every figure is measured in this run, side by side; the last line is one JSON object with all of them.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { build } from 'esbuild';
import { MEMBER_ACCOUNTS_MEMORY_MB } from '../lambdas/adapters/organizations/member-accounts-settings';
import { DEFAULT_CONCURRENT_REQUESTS } from '../lambdas/adapters/pwned-passwords-client';
import type { MemberBenchFigures } from './member-accounts';
import { type BundledFunction, synthesizeBundles } from './synthesized-bundles';
import { syntheticInventory } from './synthetic-inventory';

const ROOT = join(__dirname, '..');
const TSX = ['--import', 'tsx'];

/**
 * Fresh processes that each run a first and a second scan; the ratio reported is their median. Five, not three: on
 * this shared machine one process in three comes out about 0.03 above the others (a second scan is mostly socket
 * writes and reads of 9,600 conditional requests, whose cost moves with the host), and the median of three moved with
 * it.
 */
const SCAN_RUNS = 5;

/**
 * The module init of the age function, against the AWS SDK packages it loads timed alone in processes taking turns
 * with it: what the project's own code adds to the runtime's. The machine's minute moves both together (the SDK
 * alone took 107 to 194 ms here on 2026-12-05), so an absolute figure, < 150 ms when the target was first set, says
 * more about the machine than the code; it is still printed.
 */
const INIT_OVER_SDK_AT_MOST = 1.25;

interface Measured {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly requests: number;
  readonly new: number;
}

/** What a worker prints; each scenario fills the fields it measures. */
interface WorkerResult extends Measured {
  readonly peakRssMb: number;
  readonly coldWallMs: number;
  readonly warmWallMs: readonly number[];
  readonly first: Measured;
  readonly second: Measured;
}

interface Options {
  readonly accounts: number;
  readonly latency: number;
  readonly concurrency: number;
  readonly baselineAccounts: number;
  readonly initRuns: number;
  readonly lambdaMemoryMb: number;
}

function startRangeServer(corpusFile: string, latencyMs: number): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [...TSX, join(__dirname, 'range-server.ts'), corpusFile, String(latencyMs)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /LISTENING (\S+)/.exec(chunk.toString());
      if (match) resolve({ url: match[1] as string, process: child });
    });
    child.on('exit', (code) => reject(new Error(`range server exited (${code})`)));
  });
}

/** The cross-account read at its design size (see member-accounts.ts), in a fresh process, with the same latency. */
function memberAccountsRead(latencyMs: number): Promise<MemberBenchFigures> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [...TSX, join(__dirname, 'member-accounts.ts'), '--latency', String(latencyMs)],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error) return reject(error);
        const line = stdout.trim().split('\n').pop() ?? '';
        resolve(JSON.parse(line) as MemberBenchFigures);
      },
    ),
  );
}

/** The measured code runs bundled, as a Lambda runs it, not through a TypeScript loader and its extra isolate. */
async function bundleWorker(outfile: string): Promise<void> {
  await build({
    entryPoints: [join(__dirname, 'scan-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    minify: true,
    logLevel: 'warning',
  });
}

/**
 * The V8 heap flags AWS Lambda's Node.js runtime starts a function of this memory size with (its bootstrap gives a
 * tenth to the young generation, half of that per semi-space, and the rest to the old generation), so that the
 * measured processes collect garbage as the function would. V8 rounds the semi-space up to a power of two.
 */
function lambdaHeapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

function runWorker(workerBundle: string, jobFile: string, memoryMb: number): Promise<WorkerResult> {
  const args = [...lambdaHeapFlags(memoryMb), workerBundle, jobFile];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      const line = stdout.split('\n').find((each) => each.startsWith('RESULT '));
      if (error || !line) reject(error ?? new Error('the worker printed no result'));
      else resolve(JSON.parse(line.slice('RESULT '.length)));
    });
  });
}

/**
 * Runs `script` in a fresh `node` resolving packages from the project, with the function's `NODE_OPTIONS` (as the
 * Lambda runtime starts it: `--enable-source-maps`, say, parses the bundle's map as it loads), and returns what it
 * printed.
 */
function freshNode(script: string, nodeOptions = ''): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ['-e', script],
      {
        env: {
          ...process.env,
          NODE_PATH: join(ROOT, 'node_modules'),
          AWS_REGION: 'eu-west-2',
          NODE_OPTIONS: nodeOptions,
        },
      },
      (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
    ),
  );
}

const timedRequire = (modules: readonly string[]) =>
  `const t=process.hrtime.bigint();${modules.map((each) => `require(${JSON.stringify(each)});`).join('')}console.log(Number(process.hrtime.bigint()-t)/1e6)`;

/** The packages outside the bundle (the AWS SDK the runtime provides) that requiring it loads. */
async function externalPackagesOf(bundle: string): Promise<string[]> {
  const printed = await freshNode(
    `require(${JSON.stringify(bundle)});const s=new Set();for(const f of Object.keys(require.cache)){const m=f.match(/node_modules\\/((@[^/]+\\/)?[^/]+)/);if(m)s.add(m[1])}console.log(JSON.stringify([...s]))`,
  );
  return JSON.parse(printed) as string[];
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * Module init of a bundle: the median of fresh `node` processes each timing its own require of it; and, in
 * processes taking turns with those (so both see the machine as it is that minute), the median time of requiring
 * only the SDK packages it loads: the part of the init that is the runtime's, not this project's code.
 */
async function initMs(fn: BundledFunction, runs: number): Promise<{ initMs: number; sdkMs: number }> {
  const sdk = await externalPackagesOf(fn.bundle);
  const bundleTimes: number[] = [];
  const sdkTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    bundleTimes.push(Number(await freshNode(timedRequire([fn.bundle]), fn.environment.NODE_OPTIONS)));
    sdkTimes.push(Number(await freshNode(timedRequire(sdk))));
  }
  return { initMs: median(bundleTimes), sdkMs: median(sdkTimes) };
}

function uniquePrefixes(accounts: readonly Record<string, unknown>[]): number {
  return new Set(
    accounts.map((account) => createHash('sha1').update(String(account.password)).digest('hex').slice(0, 5)),
  ).size;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

async function main(options: Options): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'credential-hygiene-bench-'));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  let server: ChildProcess | undefined;
  try {
    const { accounts, breachedHashes } = syntheticInventory(options.accounts);
    const inventoryFile = join(dir, 'inventory.json');
    const baselineFile = join(dir, 'baseline.json');
    const warmUpFile = join(dir, 'warm-up.json');
    const corpusFile = join(dir, 'corpus.json');
    writeFileSync(inventoryFile, JSON.stringify(accounts));
    writeFileSync(baselineFile, JSON.stringify(accounts.slice(0, options.baselineAccounts)));
    writeFileSync(warmUpFile, JSON.stringify(accounts.slice(-options.baselineAccounts)));
    writeFileSync(corpusFile, JSON.stringify(breachedHashes));
    const workerBundle = join(dir, 'scan-worker.js');
    await bundleWorker(workerBundle);
    const range = await startRangeServer(corpusFile, options.latency);
    server = range.process;
    const job = (scenario: string, file = inventoryFile) => {
      const path = join(dir, `job-${scenario}.json`);
      writeFileSync(
        path,
        JSON.stringify({
          scenario,
          inventoryFile: file,
          warmUpFile,
          corpusFile,
          serverUrl: range.url,
          concurrency: options.concurrency,
        }),
      );
      return path;
    };
    log(
      `credential-hygiene benchmark: ${options.accounts} accounts, ${options.latency} ms latency, concurrency ${options.concurrency}`,
    );
    log(
      `  measured as a ${options.lambdaMemoryMb} MB Lambda runs: node ${lambdaHeapFlags(options.lambdaMemoryMb).join(' ')}`,
    );

    const floor = await runWorker(workerBundle, job('cpu-floor'), options.lambdaMemoryMb);
    log(`  CPU floor (all checks, no network): ${round(floor.cpuMs / 1000)} s CPU`);
    // The second scan's CPU is about a tenth of the first's, and a shared machine moves either by several per cent
    // from one process to the next: one pair says little. Each fresh process scans twice; the figures are those of
    // the process with the median ratio, with every process's ratio beside them.
    const scanRuns: WorkerResult[] = [];
    for (let run = 0; run < SCAN_RUNS; run++) {
      scanRuns.push(await runWorker(workerBundle, job('scans'), options.lambdaMemoryMb));
    }
    const ratioOf = (run: WorkerResult) => run.second.cpuMs / run.first.cpuMs;
    const scans = [...scanRuns].sort((a, b) => ratioOf(a) - ratioOf(b))[Math.floor(SCAN_RUNS / 2)] as WorkerResult;
    log(
      `  first scan: ${round(scans.first.wallMs / 1000)} s wall, ${round(scans.first.cpuMs / 1000)} s CPU, ${scans.first.requests} requests`,
    );
    log(
      `  second scan (with state): ${round(scans.second.wallMs / 1000)} s wall, ${round(scans.second.cpuMs / 1000)} s CPU (the median of ${SCAN_RUNS} fresh processes by second/first; their ratios: ${scanRuns.map((run) => round(ratioOf(run), 3)).join(', ')})`,
    );
    const baseline = await runWorker(workerBundle, job('baseline', baselineFile), options.lambdaMemoryMb);
    const engine = await runWorker(workerBundle, job('breach-only', baselineFile), options.lambdaMemoryMb);
    log(
      `  breach lookups of ${options.baselineAccounts} accounts: sequential ${round(baseline.wallMs / 1000)} s, engine ${round(engine.wallMs / 1000)} s (median of ${engine.warmWallMs.length}: ${engine.warmWallMs.map((ms) => round(ms / 1000)).join(', ')} s; ${round(engine.coldWallMs / 1000)} s as a fresh process's first batch)`,
    );

    const members = await memberAccountsRead(options.latency);
    log(
      `  ${members.members} member accounts x ${members.secretsPerMember} secrets (values read), ${members.concurrency} accounts at once: ${round(members.wallMs / 1000)} s wall for ${members.logins} logins, ${members.requests} requests; network bound ${round(members.networkBoundMs / 1000)} s; peak RSS ${members.peakRssMb} MB`,
    );
    const bundles = synthesizeBundles(join(dir, 'cdk.out'));
    const bundleFigures: Record<string, { sizeKb: number; initMs: number; sdkInitMs: number }> = {};
    for (const [family, fn] of Object.entries(bundles)) {
      const init = await initMs(fn, options.initRuns);
      bundleFigures[family] = {
        sizeKb: round(statSync(fn.bundle).size / 1024, 0),
        initMs: round(init.initMs, 1),
        sdkInitMs: round(init.sdkMs, 1),
      };
    }

    const prefixes = uniquePrefixes(accounts);
    const networkBoundMs = Math.ceil(prefixes / options.concurrency) * options.latency;
    const cpuFloorMs = floor.cpuMs;
    const figures = {
      accounts: options.accounts,
      latencyMs: options.latency,
      concurrency: options.concurrency,
      uniquePrefixes: prefixes,
      requests: scans.first.requests,
      wallMs: round(scans.first.wallMs, 0),
      networkBoundMs,
      cpuFloorMs: round(cpuFloorMs, 0),
      wallToBoundRatio: round(scans.first.wallMs / Math.max(networkBoundMs, cpuFloorMs)),
      firstScanCpuMsPerAccount: round(scans.first.cpuMs / options.accounts, 3),
      secondScanCpuMsPerAccount: round(scans.second.cpuMs / options.accounts, 3),
      secondToFirstCpuRatio: round(ratioOf(scans), 3),
      secondToFirstCpuRatioRuns: scanRuns.map((run) => round(ratioOf(run), 3)),
      secondScanNewFindings: scans.second.new,
      lambdaMemoryMb: options.lambdaMemoryMb,
      v8Flags: lambdaHeapFlags(options.lambdaMemoryMb).join(' '),
      peakRssMb: round(Math.max(floor.peakRssMb, ...scanRuns.map((run) => run.peakRssMb)), 0),
      peakRssMbByRun: {
        cpuFloor: round(floor.peakRssMb, 0),
        scans: round(Math.max(...scanRuns.map((run) => run.peakRssMb)), 0),
      },
      baselineAccounts: options.baselineAccounts,
      baselineMs: round(baseline.wallMs, 0),
      engineBreachLookupMs: round(engine.wallMs, 0),
      engineBreachLookupRunsMs: engine.warmWallMs.map((ms) => round(ms, 0)),
      speedup: round(baseline.wallMs / engine.wallMs, 1),
      engineBreachLookupColdMs: round(engine.coldWallMs, 0),
      speedupCold: round(baseline.wallMs / engine.coldWallMs, 1),
      bundles: bundleFigures,
      passwordAgeInitOverSdk: round(
        (bundleFigures['password-age']?.initMs ?? Infinity) / (bundleFigures['password-age']?.sdkInitMs ?? 1),
      ),
      memberAccounts: {
        ...members,
        wallToBoundRatio: round(members.wallMs / members.networkBoundMs),
        // The read, then the checks at this run's first-scan CPU per login: one scheduled run of that estate.
        projectedRunS: round((members.wallMs + (scans.first.cpuMs / options.accounts) * members.logins) / 1000, 0),
      },
    };
    // Each target is judged on the figure as measured; the rounding above is for reading only (0.1004 is not 0.1).
    const passwordAgeInit = bundleFigures['password-age'];
    const targets: [string, boolean][] = [
      ['first scan <= 3 ms CPU per account', scans.first.cpuMs / options.accounts <= 3],
      ['second scan <= 1/10 of the first', ratioOf(scans) <= 0.1],
      [
        'wall <= 1.25x max(network bound, CPU floor)',
        scans.first.wallMs / Math.max(networkBoundMs, cpuFloorMs) <= 1.25,
      ],
      [`speedup over the sequential baseline >= 40x`, baseline.wallMs / engine.wallMs >= 40],
      ['peak RSS < 200 MB', Math.max(floor.peakRssMb, ...scanRuns.map((run) => run.peakRssMb)) < 200],
      [
        `password-age module init <= ${INIT_OVER_SDK_AT_MOST}x the AWS SDK packages it loads, alone`,
        passwordAgeInit !== undefined && passwordAgeInit.initMs / passwordAgeInit.sdkInitMs <= INIT_OVER_SDK_AT_MOST,
      ],
      [
        `${members.members} x ${members.secretsPerMember} member secrets read within 1.25x the network bound`,
        members.wallMs / members.networkBoundMs <= 1.25,
      ],
      [
        `one run of ${members.logins} member logins (read, then checked) within a function's 15 minutes, in < ${MEMBER_ACCOUNTS_MEMORY_MB} MB`,
        figures.memberAccounts.projectedRunS < 15 * 60 && members.peakRssMb < MEMBER_ACCOUNTS_MEMORY_MB,
      ],
    ];
    log('');
    log(
      `  wall ${figures.wallMs} ms; network bound ceil(${prefixes}/${options.concurrency}) x ${options.latency} = ${networkBoundMs} ms; CPU floor ${figures.cpuFloorMs} ms; ratio ${figures.wallToBoundRatio}`,
    );
    log(
      `  CPU per account: first ${figures.firstScanCpuMsPerAccount} ms, second ${figures.secondScanCpuMsPerAccount} ms (${figures.secondToFirstCpuRatio} of the first)`,
    );
    log(
      `  peak RSS ${figures.peakRssMb} MB; speedup ${figures.speedup}x (${figures.baselineMs} ms -> ${figures.engineBreachLookupMs} ms; ${figures.speedupCold}x cold)`,
    );
    for (const [family, figure] of Object.entries(bundleFigures))
      log(
        `  bundle ${family}: ${figure.sizeKb} KB, module init ${figure.initMs} ms (median of ${options.initRuns}; the AWS SDK packages it loads take ${figure.sdkInitMs} ms alone: ${round(figure.initMs / figure.sdkInitMs)}x)`,
      );
    log('');
    for (const [target, met] of targets) log(`  ${met ? 'met    ' : 'MISSED '} ${target}`);
    log(JSON.stringify({ ...figures, targetsMet: targets.every(([, met]) => met) }));
  } finally {
    server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const program = new Command('bench')
  .description('Benchmark a scan against a local range API with injected latency, and the Lambda bundles.')
  .option('--accounts <n>', 'accounts in the synthetic inventory', Number, 10_000)
  .option('--latency <ms>', 'latency added to every range response', Number, 25)
  .option('--concurrency <c>', 'range requests in flight at once', Number, DEFAULT_CONCURRENT_REQUESTS)
  .option('--baseline-accounts <m>', 'accounts for the sequential baseline', Number, 1_000)
  .option('--init-runs <n>', 'fresh processes per bundle init measurement', Number, 7)
  .option(
    '--lambda-memory-mb <mb>',
    "the Lambda memory size to model: the measured processes get the heap flags Lambda's Node.js runtime gives a function of that size",
    Number,
    256,
  )
  .action((options: Options) => main(options));
void program.parseAsync(process.argv);
