import { randomBytes } from 'node:crypto';
import { CHANNEL_CLI_FORMATS } from '../../lambdas/adapters/channels/cli-parts';
import { EVIDENCE_SOURCE_CLIS } from '../../lambdas/adapters/evidence-sources/cli-parts';
import { combinedEvidence } from '../../lambdas/adapters/evidence-sources/combined-evidence';
import { FileLifecycleStore } from '../../lambdas/adapters/file-lifecycle-store';
import { MFA_PROVIDER_IDS } from '../../lambdas/adapters/mfa-providers/descriptors';
import {
  fileIdentity,
  type WriteTarget,
  writeChunks,
  writeTargetOf,
  writeWhole,
} from '../../lambdas/adapters/output-file';
import type { Check } from '../../lambdas/core/check';
import { ALL_CHECKS, withIdentityCheck, withKnowersCheck } from '../../lambdas/core/checks';
import { parseIsoDate } from '../../lambdas/core/iso-date';
import { DEFAULT_POLICY, type Policy, PolicyError, parsePolicy } from '../../lambdas/core/policy';
import { REPORT_FORMATS, type ReportFormat, reportChunks } from '../../lambdas/core/report/format-report';
import { isUnchecked, summaryLine } from '../../lambdas/core/report/report';
import { safeMessageOf } from '../../lambdas/core/safe-to-show-error';
import { isAtLeast, type Severity } from '../../lambdas/core/severity';
import { runChecks } from '../../lambdas/shared/check-run';
import type { CliIo } from './cli-io';
import { loadFingerprintKey } from './fingerprint-key';
import { type InventorySource, loadInventory } from './inventory-source';
import { loadMfaProviders } from './mfa-providers';
import { loadOwners } from './owners';
import { terminalProgress } from './progress';
import { readSettingsFile } from './settings-file';
import { EXIT, UsageError } from './usage-error';

export interface ScanOptions {
  readonly source: InventorySource;
  readonly inventory?: string;
  /** With --source aws: `all`, or a file as cdk.json's `accounts`: read the organisation's accounts by role. */
  readonly accounts?: string;
  readonly roleName?: string;
  readonly tagKey: string;
  readonly policy?: string;
  readonly format: CliFormat;
  readonly output?: string;
  readonly failOn?: Severity;
  readonly now?: string;
  /** Remember findings between runs in this file: report what is new, worse, due a reminder or fixed. */
  readonly state?: string;
  /** Identity providers to ask about MFA: a settings file, the shape of cdk.json's `mfaProviders`. */
  readonly mfaProviders?: string;
  /** Run only these checks (ids); default: all. */
  readonly checks?: readonly string[];
  /** The owners and their recipients, the shape of cdk.json's `owners`: an owner not in it is a finding. */
  readonly owners?: string;
  /** With --fail-on: do not fail because some accounts could not be checked (a check-error or an unreadable entry). */
  readonly allowUnchecked?: boolean;
  /** The evidence sources' own options (see adapters/evidence-sources/cli-parts), by commander's names for them. */
  readonly [sourceOption: string]: unknown;
}

/** The report's formats, and the channels' own (a channel's findings as it would have delivered them). */
export const CLI_FORMATS: readonly string[] = [...REPORT_FORMATS, ...CHANNEL_CLI_FORMATS.map((each) => each.format)];
export type CliFormat = string;

/** `credential-hygiene scan`: returns the exit code. Throws UsageError for anything the caller must fix. */
export async function runScanCommand(options: ScanOptions, io: CliIo): Promise<number> {
  const note = (line: string) => io.stderr.write(`${line}\n`);
  const now = options.now === undefined ? new Date() : parseIsoDate(options.now);
  if (now === undefined) {
    throw new UsageError(
      `--now ${options.now}: not an ISO 8601 date such as 2025-01-31, in the years 0001 to 9999 (UTC)`,
    );
  }
  const channelFormat = CHANNEL_CLI_FORMATS.find((each) => each.format === options.format);
  try {
    // As the channel would deliver them (closings and first-seen dates included), recorded instead of sent.
    const recorded = channelFormat?.open(options);
    const stateTarget = options.state === undefined ? undefined : await stateTargetOf(options.state, note);
    const outputTarget = options.output === undefined ? undefined : await outputTargetOf(options, note);
    const policy = options.policy === undefined ? DEFAULT_POLICY : await loadPolicy(options.policy, now);
    const { entries, terms, members } = await loadInventory(options, note);
    const progress = terminalProgress(io.stderr);
    const store = stateTarget === undefined ? undefined : new FileLifecycleStore(stateTarget.path);
    const key = options.state === undefined ? randomBytes(32) : await loadFingerprintKey(options.state);
    const evidence = await openCliEvidence(options);
    const mfaProviders = options.mfaProviders === undefined ? undefined : await loadMfaProviders(options.mfaProviders);
    const owners = options.owners === undefined ? undefined : await loadOwners(options.owners);
    const routedOwners = owners?.routed;
    const available = withKnowersCheck(
      withIdentityCheck(ALL_CHECKS, evidence.identity !== undefined),
      evidence.readSource !== undefined,
    );
    const { delivery: _none, ...report } = await runChecks(
      {
        family: 'cli',
        checks: selectedChecks(available, options.checks),
        ...(mfaProviders && { mfaProviders }),
        ...(routedOwners && { routedOwners }),
        // No platform team here: an owner who names no contact is escalated to nobody, and the report says so.
        ...(owners && { escalation: { contacts: owners.escalationContacts } }),
        ...(evidence.identity && { identitySource: evidence.identity.source }),
        ...(evidence.identity?.budget !== undefined && { identityBudget: evidence.identity.budget }),
        inventory: { load: async () => entries, ...(terms && { terms }), members: () => members },
        // The CLI reports; it tells no one (a channel's format is a report in the form the channel delivers).
        channels: recorded === undefined ? [] : [recorded.channel],
        policy,
        ...(evidence.breachSource && { breachSource: evidence.breachSource }),
        ...(evidence.strengthEstimator && { strengthEstimator: evidence.strengthEstimator }),
        ...(evidence.readSource && { readSource: evidence.readSource }),
        clock: () => now,
        fingerprintKey: async () => key,
        log: { info: () => {}, warn: () => {} },
        metrics: { record: () => {} },
        onProgress: progress.update,
        ...(store && { lifecycle: { store, passwords: 'record' as const } }),
      },
      {},
    );
    progress.clear();
    const text = recorded === undefined ? reportChunks(report, options.format as ReportFormat) : recorded.document();
    if (outputTarget === undefined) {
      await writeChunks(io.stdout, text);
    } else {
      await writeWhole(outputTarget, text, '--output');
      io.stderr.write(`Report written to ${options.output}: ${summaryLine(report)}\n`);
    }
    if (store !== undefined && now.getTime() > Date.now() + DAY_MS) {
      io.stderr.write(
        `warning: the state in ${options.state} is now as of ${now.toISOString()}, more than a day past this machine's clock: runs earlier than that will be refused. To go back, restore the state file from before this run, or move it aside to start afresh.\n`,
      );
    }
    const threshold = options.failOn;
    if (threshold === undefined) return EXIT.ok;
    // An accepted finding is a decision already taken: it fails no gate until its acceptance ends.
    const failed = report.findings.some(
      (found) => found.accepted === undefined && isAtLeast(found.severity, threshold),
    );
    // A gate must not pass an estate it could not check: an account with a check that could not run, or unreadable.
    const unchecked = report.accounts.filter(isUnchecked);
    if (unchecked.length > 0 && !options.allowUnchecked) {
      io.stderr.write(
        `--fail-on: ${unchecked.length} account${unchecked.length === 1 ? ' was' : 's were'} not fully checked (${unchecked
          .slice(0, 5)
          .map((account) => account.id)
          .join(
            ', ',
          )}${unchecked.length > 5 ? ', …' : ''}); failing (pass --allow-unchecked to gate on findings alone)\n`,
      );
      return EXIT.findingsAtThreshold;
    }
    if (failed) {
      const atThreshold = report.findings.filter(
        (found) => found.accepted === undefined && isAtLeast(found.severity, threshold),
      ).length;
      const accepted = report.findings.filter(
        (found) => found.accepted !== undefined && isAtLeast(found.severity, threshold),
      ).length;
      io.stderr.write(
        `--fail-on ${threshold}: ${atThreshold} finding${atThreshold === 1 ? '' : 's'} at ${threshold} or worse${accepted > 0 ? ` (${accepted} accepted by policy exceptions, not counted)` : ''}\n`,
      );
      return EXIT.findingsAtThreshold;
    }
    return EXIT.ok;
  } catch (error) {
    // A problem this project described (a file, a URL, a lock) is the user's to fix: exit 2 with its message.
    const message = safeMessageOf(error);
    if (message !== undefined && !(error instanceof UsageError)) throw new UsageError(message);
    throw error;
  }
}

function selectedChecks(available: readonly Check[], ids: readonly string[] | undefined): readonly Check[] {
  if (ids === undefined) return available;
  const known = new Set<string>(available.map((check) => check.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const variables = EVIDENCE_SOURCE_CLIS.flatMap((source) => source.credentialVariable ?? []);
    const hint =
      unknown.includes('breached-identity') && variables.length > 0
        ? ` (breached-identity needs ${variables.join(' or ')})`
        : '';
    throw new UsageError(
      `--checks ${unknown.join(',')}: not a check here${hint}; choose from ${[...known].join(', ')}`,
    );
  }
  return available.filter((check) => ids.includes(check.id));
}

/** The policy file, read as of `now` (the day its exceptions' caps count from). */
export async function loadPolicy(path: string, now: Date): Promise<Policy> {
  const raw = await readSettingsFile(path, 'policy');
  try {
    return parsePolicy(raw, { mfaProviderIds: MFA_PROVIDER_IDS, now });
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(`policy ${path}: ${error.message}`);
    throw error;
  }
}

const DAY_MS = 86_400_000;

/** `--state`: a link is followed once, and said so; a device or a pipe cannot hold state. */
async function stateTargetOf(path: string, note: (line: string) => void): Promise<WriteTarget> {
  const target = await writeTargetOf(path, 'state file');
  if (target.kind !== 'file') {
    throw new UsageError(`--state ${path}: not a regular file (a device or a pipe cannot keep state between runs)`);
  }
  if (target.resolvedFrom !== undefined) {
    note(`note: --state ${path} is a link: reading and writing ${target.path}`);
  }
  return target;
}

/**
 * `--output`: a link is followed once (and said so), a device or pipe written through, and a file that is one of the
 * run's inputs (the inventory, the policy, the state…) refused: the report must never replace what it was made from.
 */
async function outputTargetOf(options: ScanOptions, note: (line: string) => void): Promise<WriteTarget> {
  const path = options.output as string;
  const target = await writeTargetOf(path, '--output');
  if (target.identity !== undefined) {
    const inputs: [string, string | undefined][] = [
      ['--inventory', options.inventory],
      ['--policy', options.policy],
      ['--owners', options.owners],
      ['--accounts', options.accounts === 'all' ? undefined : options.accounts],
      ['--mfa-providers', options.mfaProviders],
      ...EVIDENCE_SOURCE_CLIS.flatMap((source) =>
        (source.inputFiles?.(options) ?? []).map(({ option, path: file }): [string, string] => [option, file]),
      ),
      ['--state', options.state],
      ['the fingerprint key file', options.state === undefined ? undefined : `${options.state}.key`],
    ];
    for (const [what, input] of inputs) {
      if (input !== undefined && (await fileIdentity(input)) === target.identity) {
        throw new UsageError(`--output ${path} is ${what} ${input}: refusing to overwrite an input of the run`);
      }
    }
  }
  if (target.resolvedFrom !== undefined) {
    note(`note: --output ${path} is a link: writing ${target.path}`);
  }
  return target;
}

/**
 * What the evidence sources give this scan, each from its own options: its breach corpora (several asked as one), its
 * identity source and its strength estimator.
 */
async function openCliEvidence(options: ScanOptions) {
  return combinedEvidence(await Promise.all(EVIDENCE_SOURCE_CLIS.map((source) => source.open(options, process.env))));
}
