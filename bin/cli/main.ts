import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CHANNEL_CLI_FORMATS } from '../../lambdas/adapters/channels/cli-parts';
import { type CliOptionSpec, InvalidValue } from '../../lambdas/adapters/cli-part';
import { EVIDENCE_SOURCE_CLIS } from '../../lambdas/adapters/evidence-sources/cli-parts';
import { DEFAULT_TAG_KEY } from '../../lambdas/adapters/secrets-manager-tags';
import { errorName } from '../../lambdas/core/error-name';
import { SEVERITIES } from '../../lambdas/core/severity';
import { version } from '../../package.json';
import type { CliIo } from './cli-io';
import { collectTag, IMPORT_FORMATS, type ImportOptions, PLAN_FORMATS, runImportCommand } from './import-command';
import { INVENTORY_SOURCES } from './inventory-source';
import { ROTATE_STEPS, type RotateOptions, type RotateStep, runRotateCommand } from './rotate-command';
import { CLI_FORMATS, runScanCommand, type ScanOptions } from './scan-command';
import { EXIT, UsageError } from './usage-error';

const NAME = 'credential-hygiene';

/** A source's option as commander takes it: a value its parser refuses is commander's invalid argument. */
function optionOf(spec: CliOptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  const parse = spec.parse;
  if (parse !== undefined) {
    option.argParser((value: string, previous: unknown) => {
      try {
        return parse(value, previous);
      } catch (error) {
        if (error instanceof InvalidValue) throw new InvalidArgumentError(error.message);
        throw error;
      }
    });
  }
  return spec.defaultValue === undefined ? option : option.default(spec.defaultValue);
}

function program(io: CliIo, exit: { code: number }): Command {
  const cli = new Command(NAME)
    .description('Checks shared logins for breached, weak, reused and old passwords, missing MFA and missing owners.')
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (message, write) => write(`${NAME}: ${message.replace(/^error: /, '').trim()} (see --help)\n`),
    });
  const scan = cli
    .command('scan')
    .description('Scan an inventory of shared logins and print a report of findings, worst first.')
    .addOption(
      new Option('--source <source>', 'where the shared logins are: a local inventory file, or AWS Secrets Manager')
        .choices(INVENTORY_SOURCES)
        .default('file'),
    )
    .option('--inventory <file>', 'with --source file: the inventory, JSON or YAML (by its .yaml/.yml extension)')
    .option(
      '--tag-key <key>',
      'with --source aws: the tag that selects monitored secrets (its value is the platform)',
      DEFAULT_TAG_KEY,
    )
    .option(
      '--accounts <file|all>',
      "with --source aws: read the organisation's accounts, each through its read role: all, or a file as cdk.json's accounts",
    )
    .option(
      '--role-name <name>',
      'with --accounts: the read role in each member account (default CredentialHygieneRead)',
    )
    .option('--policy <file>', 'JSON policy overriding thresholds and severities (see README)')
    .addOption(
      new Option(
        '--format <format>',
        `report format${CHANNEL_CLI_FORMATS.map((each) => ` (${each.format}: ${each.description})`).join('')}`,
      )
        .choices(CLI_FORMATS)
        .default('table'),
    )
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when any finding is at or above SEVERITY, or any account could not be fully checked',
      ).choices(SEVERITIES),
    )
    .option('--allow-unchecked', 'with --fail-on: do not fail because some accounts could not be fully checked')
    .option(
      '--owners <file>',
      "the owners and their recipients, JSON or YAML as cdk.json's owners: an account whose owner has no recipients is reported",
    )
    .option('--now <iso-date>', 'evaluate ages as of this date instead of now, e.g. 2026-01-31')
    .option(
      '--mfa-providers <file>',
      'ask identity providers whether MFA is on (Google Workspace, Microsoft Entra ID, AWS IAM): JSON or YAML settings, as cdk.json mfaProviders, with credentialsFile or credentialsSecret (see README)',
    )
    .option(
      '--checks <ids>',
      'run only these checks, comma-separated, e.g. mfa or password-age,rotation',
      (value: string) =>
        value
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
    )
    .option(
      '--state <file>',
      'remember findings in FILE between runs: report what is new, worse, due a reminder or fixed (key: FILE.key, or $CREDENTIAL_HYGIENE_FINGERPRINT_KEY)',
    )
    .addHelpText(
      'after',
      EVIDENCE_SOURCE_CLIS.flatMap((source) => (source.helpText ? [`\n${source.helpText}\n`] : [])).join('') +
        '\nWith --source aws the standard AWS credential chain and region are used, read-only: ListSecrets and\n' +
        'BatchGetSecretValue/GetSecretValue on the tagged secrets.\n' +
        '\nExit codes: 0 done, 1 a finding at or above --fail-on (or, with it, an account not fully checked), 2 bad usage or\n' +
        'input file, 3 internal error.\n' +
        "Only the first 5 hex digits of each password's SHA-1 leave this machine (k-anonymity, with padding).",
    );
  // Each evidence source's options (its rate, its URL…) and each channel format's, as they declare them.
  for (const part of [...EVIDENCE_SOURCE_CLIS, ...CHANNEL_CLI_FORMATS]) {
    for (const spec of part.options) scan.addOption(optionOf(spec));
  }
  scan.action(async (options: ScanOptions) => {
    exit.code = await runScanCommand(options, io);
  });
  cli
    .command('import')
    .description(
      "Import shared logins from a password manager's export into Secrets Manager: prints the plan, changes nothing without --apply.",
    )
    .argument('<file>', 'the export')
    .addOption(new Option('--from <format>', "the export's format").choices(IMPORT_FORMATS).makeOptionMandatory())
    .option('--owner <team>', 'the owner of every login imported')
    .addOption(
      new Option(
        '--owner-from <source>',
        "each login's owner: its folder's (collection's, vault's, group's) name",
      ).choices(['folder']),
    )
    .option('--name-prefix <prefix>', "put before every secret's name, e.g. shared-logins/")
    .option('--tag <key=value>', 'add this tag to every secret (repeatable)', collectTag)
    .option('--include-unknown', 'import logins on platforms neither the catalog nor the policy knows')
    .option('--policy <file>', "the policy whose platforms count as known, as scan's --policy")
    .option('--tag-key <key>', 'the tag that marks a secret as monitored (its value is the platform)', DEFAULT_TAG_KEY)
    .addOption(new Option('--format <format>', 'the plan as a table or JSON').choices(PLAN_FORMATS).default('table'))
    .option('--apply', 'write the plan to Secrets Manager (the AWS credential chain and region, as scan --source aws)')
    .option('--to-inventory <file>', 'write an inventory file for scan --inventory instead of Secrets Manager')
    .addHelpText(
      'after',
      '\nNo password, TOTP seed, note or custom field is ever printed: the plan names secrets and the fields that change.\n' +
        'A secret of the same name without the monitoring tag is a conflict and is never changed.\n' +
        '\nExit codes: 0 done, 1 a write failed (the plan says which; run again to finish), 2 bad usage or a file that\n' +
        'is not the format, 3 internal error.',
    )
    .action(async (file: string, options: ImportOptions) => {
      exit.code = await runImportCommand(file, options, io);
    });
  cli
    .command('rotate')
    .description(
      "Change a shared login's password with its owner: start stores a new one as pending, confirm makes it current once the platform has it, abort drops it.",
    )
    .addArgument(new Argument('<step>', 'start, confirm or abort').choices(ROTATE_STEPS))
    .argument('<secret>', "the secret's name or ARN")
    .option('--tag-key <key>', 'the tag that marks a secret as monitored (its value is the platform)', DEFAULT_TAG_KEY)
    .option('--policy <file>', "the policy (its platforms, and rotation.pendingMaxDays), as scan's --policy")
    .addHelpText(
      'after',
      "\nThe new password follows the platform's rules where Apple's password-manager-resources has them (else 24\n" +
        'characters); it is stored, never printed. Each step may be run again: a second start keeps the pending password.\n' +
        'Needs secretsmanager:DescribeSecret, GetSecretValue, PutSecretValue, UpdateSecretVersionStage, TagResource and\n' +
        "UntagResource on the secret (the stack's PersonAccessPolicy output).\n" +
        '\nExit codes: 0 done, 2 refused (not monitored, rotation configured, nothing to confirm) or bad usage, 3 internal error.',
    )
    .action(async (step: RotateStep, secret: string, options: RotateOptions) => {
      exit.code = await runRotateCommand(step, secret, options, io);
    });
  return cli;
}

/**
 * Runs the CLI on `args` (the arguments after the program's name), writing to `io`: the exit code. The process's
 * entry point (bin/credential-hygiene.ts) gives it the process's streams; a test may give it streams of its own.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const exit = { code: EXIT.ok };
  try {
    await program(io, exit).parseAsync([...args], { from: 'user' });
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander exits 0 only for --help and --version; help shown because no command was given is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${NAME}: ${error.message}\n`);
      return EXIT.usage;
    }
    // An unexpected error's message may quote its input, so it is shown only on request.
    io.stderr.write(`${NAME}: internal error (${errorName(error)}); set CREDENTIAL_HYGIENE_DEBUG=1 for details\n`);
    if (process.env.CREDENTIAL_HYGIENE_DEBUG === '1') io.stderr.write(`${(error as Error)?.stack}\n`);
    return EXIT.internal;
  }
}
