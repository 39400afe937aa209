// One measured scenario of the benchmark, in a fresh process: prints `RESULT {json}` with wall and CPU time, and the
// process's peak RSS. Scenarios: cpu-floor (no network), scans (a first and a second scan with state), baseline
// (one awaited range request per account, as a naive script does), breach-only (the engine's breach lookups).
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PwnedPasswordsClient } from '../lambdas/adapters/pwned-passwords-client';
import { countsInRange } from '../lambdas/adapters/pwned-passwords-range-format';
import { SnsChannel } from '../lambdas/adapters/sns/sns-findings-publisher';
import { ZxcvbnStrengthEstimator } from '../lambdas/adapters/zxcvbn-strength-estimator';
import { ALL_CHECKS } from '../lambdas/core/checks';
import { breachedPasswordCheck } from '../lambdas/core/checks/breached-password';
import type { BreachRangeSource } from '../lambdas/core/evidence-sources';
import type { InventoryEntry } from '../lambdas/core/inventory';
import type { LifecycleState, LifecycleStore } from '../lambdas/core/lifecycle/lifecycle-state';
import { DEFAULT_POLICY } from '../lambdas/core/policy';
import { scan } from '../lambdas/core/scan';
import { runChecks } from '../lambdas/shared/check-run';

/** Times the engine's warm batch is looked up; its figure is the median. */
const ENGINE_RUNS = 5;

/** Requests the sequential baseline makes, unmeasured, before it is timed: its connection and fetch are warm. */
const BASELINE_WARM_UP = 50;

interface Job {
  readonly scenario: 'cpu-floor' | 'scans' | 'baseline' | 'breach-only';
  readonly inventoryFile: string;
  /** breach-only: another batch of the same size, scanned first in the fresh process (the cold figure). */
  readonly warmUpFile?: string;
  readonly corpusFile: string;
  readonly serverUrl: string;
  readonly concurrency: number;
}

/** Lifecycle state in memory: the benchmark measures the scan, not a store. */
class MemoryStore implements LifecycleStore {
  private state: LifecycleState = { findings: [], passwords: [] };
  async load(): Promise<LifecycleState> {
    return this.state;
  }
  async save(_scope: string, changes: LifecycleState): Promise<void> {
    const findings = new Map(this.state.findings.map((each) => [each.id, each]));
    for (const each of changes.findings) findings.set(each.id, each);
    const passwords = new Map(this.state.passwords.map((each) => [each.accountId, each]));
    for (const each of changes.passwords) passwords.set(each.accountId, each);
    this.state = { findings: [...findings.values()], passwords: [...passwords.values()] };
  }
  async withLock<T>(_scope: string, work: () => Promise<T>): Promise<T> {
    return work();
  }
}

async function measure<T>(work: () => Promise<T>): Promise<{ result: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await work();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  return { result, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function requestsServed(serverUrl: string, reset = false): Promise<number> {
  const response = await fetch(`${serverUrl}/${reset ? 'reset' : 'stats'}`);
  return ((await response.json()) as { requests?: number }).requests ?? 0;
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Job;
  const accounts = JSON.parse(readFileSync(job.inventoryFile, 'utf8')) as Record<string, unknown>[];
  const entries: InventoryEntry[] = accounts.map((value, index) => ({ ref: `inventory[${index}]`, value }));
  const corpus = new Set(JSON.parse(readFileSync(job.corpusFile, 'utf8')) as string[]);
  const client = new PwnedPasswordsClient({ baseUrl: job.serverUrl, maxConcurrentRequests: job.concurrency });
  const inMemory: BreachRangeSource = {
    countsFor: async (prefix, suffixes) =>
      new Map([...suffixes].filter((suffix) => corpus.has(prefix + suffix)).map((suffix) => [suffix, 1000])),
  };
  const store = new MemoryStore();
  const key = randomBytes(32);
  const runOnce = (breachSource: BreachRangeSource) =>
    runChecks(
      {
        family: 'bench',
        checks: ALL_CHECKS,
        inventory: { load: async () => entries },
        // Rendered as the functions render them, then dropped: the bench measures the work, not a network.
        channels: [new SnsChannel({ publish: async (digests) => ({ published: digests.length }) })],
        policy: DEFAULT_POLICY,
        breachSource,
        strengthEstimator: new ZxcvbnStrengthEstimator(),
        clock: () => new Date(),
        fingerprintKey: async () => key,
        log: { info: () => {}, warn: () => {} },
        metrics: { record: () => {} },
        lifecycle: { store, passwords: 'record' },
      },
      {},
    );

  const output: Record<string, unknown> = { scenario: job.scenario, accounts: entries.length };
  if (job.scenario === 'cpu-floor') {
    const { wallMs, cpuMs, result } = await measure(() => runOnce(inMemory));
    Object.assign(output, { wallMs, cpuMs, findings: result.findings.length });
  } else if (job.scenario === 'scans') {
    // Only the figures are kept from the first scan: a Lambda invocation does not hold the last run's report.
    await requestsServed(job.serverUrl, true);
    const first = await measure(() => runOnce(client).then((report) => ({ findings: report.findings.length })));
    const firstRequests = await requestsServed(job.serverUrl);
    await requestsServed(job.serverUrl, true);
    const second = await measure(() => runOnce(client).then((report) => ({ new: report.lifecycle.new.length })));
    const secondRequests = await requestsServed(job.serverUrl);
    Object.assign(output, {
      first: { wallMs: first.wallMs, cpuMs: first.cpuMs, requests: firstRequests, findings: first.result.findings },
      second: { wallMs: second.wallMs, cpuMs: second.cpuMs, requests: secondRequests, new: second.result.new },
    });
  } else if (job.scenario === 'baseline') {
    const lookUp = async (batch: readonly Record<string, unknown>[]) => {
      for (const account of batch) {
        const hash = createHash('sha1').update(String(account.password)).digest('hex').toUpperCase();
        const response = await fetch(`${job.serverUrl}/range/${hash.slice(0, 5)}`, {
          headers: { 'Add-Padding': 'true' },
        });
        countsInRange(Buffer.from(await response.arrayBuffer()), new Set([hash.slice(5)]));
      }
    };
    await lookUp(accounts.slice(0, BASELINE_WARM_UP));
    const { wallMs } = await measure(() => lookUp(accounts));
    Object.assign(output, { wallMs });
  } else {
    const lookUp = (batch: readonly InventoryEntry[]) =>
      scan({
        entries: batch,
        checks: [breachedPasswordCheck],
        now: new Date(),
        fingerprintKey: key,
        breachSource: client,
      });
    // A fresh process's first batch runs before V8 has optimised the parser, the client and the range reader: that
    // is the cold figure. The measured batch is a different one of the same size, as a warm function would see it.
    const warmUp = JSON.parse(readFileSync(job.warmUpFile ?? job.inventoryFile, 'utf8')) as Record<string, unknown>[];
    const cold = await measure(() => lookUp(warmUp.map((value, index) => ({ ref: `warm-up[${index}]`, value }))));
    // A batch of 1,000 lookups takes about half a second, so one run says little on a shared machine: the median of
    // several is the figure, with the spread beside it.
    const warm: number[] = [];
    for (let run = 0; run < ENGINE_RUNS; run++) warm.push((await measure(() => lookUp(entries))).wallMs);
    warm.sort((a, b) => a - b);
    Object.assign(output, {
      wallMs: warm[Math.floor(warm.length / 2)],
      warmWallMs: warm,
      coldWallMs: cold.wallMs,
    });
  }
  output.peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`RESULT ${JSON.stringify(output)}\n`);
}

void main();
