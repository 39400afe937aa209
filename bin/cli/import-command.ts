import { AWS_CLIENT_OPTIONS } from '../../lambdas/adapters/aws-client-options';
import { IMPORTER_IDS, importerOf } from '../../lambdas/adapters/importers/registry';
import { InputFileError, readInputBytes } from '../../lambdas/adapters/json-file';
import { writeTargetOf, writeWhole } from '../../lambdas/adapters/output-file';
import {
  type DesiredLogin,
  desiredLogins,
  IMPORT_ACTIONS,
  type ImportPlan,
  type PlanRow,
  planImport,
  planSummary,
  type StoredLogin,
} from '../../lambdas/core/import/import-plan';
import { ImportFormatError } from '../../lambdas/core/import/imported-item';
import { PlatformCatalog } from '../../lambdas/core/platform-catalog';
import { DEFAULT_POLICY } from '../../lambdas/core/policy';
import type { CliIo } from './cli-io';
import { awsSetupProblem } from './inventory-source';
import { loadPolicy } from './scan-command';
import { EXIT, UsageError } from './usage-error';

export const IMPORT_FORMATS = IMPORTER_IDS;
export const PLAN_FORMATS = ['table', 'json'] as const;

export interface ImportOptions {
  readonly from: string;
  readonly owner?: string;
  readonly ownerFrom?: 'folder';
  readonly namePrefix?: string;
  readonly tag?: readonly string[];
  readonly includeUnknown?: boolean;
  readonly policy?: string;
  readonly tagKey: string;
  readonly format: (typeof PLAN_FORMATS)[number];
  readonly apply?: boolean;
  readonly toInventory?: string;
}

/** `--tag KEY=VALUE`, repeatable. */
export function collectTag(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

function tagsOf(pairs: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    if (at < 1 || key === '') throw new UsageError(`--tag ${pair}: expected KEY=VALUE`);
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key) || key.toLowerCase().startsWith('aws:')) {
      throw new UsageError(`--tag ${key}: not a tag key Secrets Manager takes`);
    }
    tags[key] = pair.slice(at + 1).trim();
  }
  return tags;
}

/**
 * `credential-hygiene import --from FORMAT FILE`: reads an export, and prints what importing it into Secrets Manager
 * would do (reading what is there), does it with `--apply`, or writes an inventory file with `--to-inventory`. Returns
 * the exit code: 0, or 1 when a write failed.
 */
export async function runImportCommand(file: string, options: ImportOptions, io: CliIo): Promise<number> {
  const importer = importerOf(options.from);
  if (importer === undefined) throw new UsageError(`--from ${options.from}: one of ${IMPORT_FORMATS.join(', ')}`);
  if (options.owner !== undefined && options.ownerFrom !== undefined) {
    throw new UsageError('--owner and --owner-from: give one (every login the same owner, or each its folder)');
  }
  if (options.apply && options.toInventory !== undefined) {
    throw new UsageError('--apply writes to Secrets Manager and --to-inventory to a file: give one');
  }
  const now = new Date();
  const policy = options.policy === undefined ? DEFAULT_POLICY : await loadPolicy(options.policy, now);
  let bytes: Buffer;
  try {
    bytes = await readInputBytes(file, `${importer.id} export`, importer.maxBytes);
  } catch (error) {
    if (error instanceof InputFileError) throw new UsageError(error.message);
    throw error;
  }
  let items: ReturnType<typeof importer.parse>;
  try {
    items = importer.parse(bytes);
  } catch (error) {
    if (error instanceof ImportFormatError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
  const { logins, skipped } = desiredLogins(items, {
    ...(options.owner !== undefined && { owner: options.owner }),
    ownerFromFolder: options.ownerFrom === 'folder',
    namePrefix: options.namePrefix ?? '',
    tags: tagsOf(options.tag ?? []),
    includeUnknown: options.includeUnknown === true,
    catalog: PlatformCatalog.bundled(policy.platforms),
  });

  if (options.toInventory !== undefined) {
    await writeInventory(options.toInventory, file, logins);
    const plan = planImport(logins, new Map(), skipped);
    io.stdout.write(formatPlan(plan.rows, options.format, []));
    return EXIT.ok;
  }

  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const { SecretsManagerImportStore } = await import('../../lambdas/adapters/secrets-manager-import');
  const store = new SecretsManagerImportStore({
    client: new SecretsManagerClient(AWS_CLIENT_OPTIONS),
    tagKey: options.tagKey,
  });
  let stored: Map<string, StoredLogin>;
  try {
    stored = await store.read(logins.map((login) => login.name));
  } catch (error) {
    throw new UsageError(
      `cannot read AWS Secrets Manager to plan the import: ${awsSetupProblem(error)}; without AWS, --to-inventory FILE writes an inventory for scan --inventory`,
    );
  }
  const plan: ImportPlan = planImport(logins, stored, skipped);
  if (!options.apply) {
    io.stdout.write(formatPlan(plan.rows, options.format, []));
    if (options.format === 'table' && plan.writes.length > 0) {
      io.stderr.write('credential-hygiene: a plan only: nothing was written (run again with --apply to write it)\n');
    }
    return EXIT.ok;
  }
  const failures = await store.apply(plan.writes);
  io.stdout.write(formatPlan(plan.rows, options.format, failures));
  return failures.length > 0 ? EXIT.findingsAtThreshold : EXIT.ok;
}

/** The plan as a table or as JSON; rows whose write failed say so. Names and field names only, never a value. */
function formatPlan(
  rows: readonly PlanRow[],
  format: ImportOptions['format'],
  failures: readonly { readonly name: string; readonly reason: string }[],
): string {
  const failed = new Map(failures.map((failure) => [failure.name, failure.reason]));
  const items = rows.map((row) => {
    const failure = row.name === undefined ? undefined : failed.get(row.name);
    return {
      position: row.position,
      ...(row.name !== undefined && { name: row.name }),
      action: row.action,
      ...(row.reason !== undefined && { reason: row.reason }),
      ...(row.changes !== undefined && { changes: row.changes }),
      ...(failure !== undefined && { failed: failure }),
    };
  });
  const summary = { ...planSummary(rows), ...(failures.length > 0 && { failed: failures.length }) };
  if (format === 'json') return `${JSON.stringify({ items, summary }, null, 2)}\n`;
  const width = Math.min(60, Math.max(4, ...items.map((item) => item.name?.length ?? 1)));
  const lines = items.map((item) => {
    const detail = [
      item.position,
      ...(item.changes !== undefined ? [`changes ${item.changes.join(', ')}`] : []),
      ...(item.reason !== undefined ? [item.reason] : []),
      ...(item.failed !== undefined ? [`FAILED: ${item.failed}`] : []),
    ].join(': ');
    return `${item.action.padEnd(9)} ${(item.name ?? '-').padEnd(width)}  ${detail}`;
  });
  const counts = IMPORT_ACTIONS.map((action) => `${summary[action]} ${action}`).join(', ');
  return `${[`${'ACTION'.padEnd(9)} ${'NAME'.padEnd(width)}  DETAIL`, ...lines].join('\n')}\n${counts}${
    failures.length > 0 ? `; ${failures.length} failed` : ''
  }\n`;
}

/** The logins as an inventory file for `scan --inventory`: written whole, owner-readable only (it holds passwords). */
async function writeInventory(path: string, input: string, logins: readonly DesiredLogin[]): Promise<void> {
  const target = await writeTargetOf(path, '--to-inventory');
  const inputTarget = await writeTargetOf(input, 'the export').catch(() => undefined);
  if (target.identity !== undefined && target.identity === inputTarget?.identity) {
    throw new UsageError(`--to-inventory ${path} is the export itself: name another file`);
  }
  const accounts = logins.map((login) => {
    const { platform, owner, recoveryEmail, recoveryPhone, mfa, mfaAttestedAt, mfaMethods, mfaProvider } = login.labels;
    return {
      id: login.name,
      platform,
      ...(owner !== undefined && { owner }),
      ...login.value,
      ...(login.passwordChangedAt !== undefined && { passwordChangedAt: login.passwordChangedAt.toISOString() }),
      ...(recoveryEmail !== undefined && { recoveryEmail }),
      ...(recoveryPhone !== undefined && { recoveryPhone }),
      ...(mfaProvider !== undefined && { mfaProvider }),
      ...(mfa !== undefined && {
        mfa: {
          status: mfa,
          ...(mfaAttestedAt !== undefined && { attestedAt: mfaAttestedAt }),
          ...(mfaMethods !== undefined && { methods: mfaMethods.split(' ') }),
        },
      }),
    };
  });
  await writeWhole(target, `${JSON.stringify({ accounts }, null, 2)}\n`, '--to-inventory', 0o600);
}
