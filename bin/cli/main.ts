import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { HIBP_API_URL } from '../../lambdas/adapters/hibp-breached-account-client';
import { PUBLIC_PWNED_PASSWORDS_URL } from '../../lambdas/adapters/pwned-passwords-client';
import { DEFAULT_TAG_KEY } from '../../lambdas/adapters/secrets-manager-tags';
import { errorName } from '../../lambdas/core/error-name';
import { SEVERITIES } from '../../lambdas/core/severity';
import { version } from '../../package.json';
import type { CliIo } from './cli-io';
import { INVENTORY_SOURCES } from './inventory-source';
import { CLI_FORMATS, runScanCommand, type ScanOptions } from './scan-command';
import { EXIT, UsageError } from './usage-error';

const NAME = 'credential-hygiene';

/** A commander parser for a whole number of at least 1. */
function wholePositive(what: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError(`must be ${what}`);
    return number;
  };
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
  cli
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
      '--pwned-passwords <url|file|dir>',
      `breach corpus: a Pwned Passwords range API URL, a FILE of FULLSHA1:COUNT lines, or a DIRECTORY of XXXXX.txt range files; give it twice to ask two (breached when either holds it, failed when either fails) (default: "${PUBLIC_PWNED_PASSWORDS_URL}")`,
      (source: string, previous: string[] | undefined) => [...(previous ?? []), source],
    )
    .option('--policy <file>', 'JSON policy overriding thresholds and severities (see README)')
    .addOption(
      new Option(
        '--format <format>',
        'report format (asff: AWS Security Hub findings, one BatchImportFindings input of at most 100 a line, with --aws-account-id and --region)',
      )
        .choices(CLI_FORMATS)
        .default('table'),
    )
    .option('--aws-account-id <id>', 'with --format asff: the AWS account the findings are imported into')
    .option('--region <region>', 'with --format asff: the region of the Security Hub they are imported into')
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
    .option('--allow-insecure-breach-url', 'allow a plain http:// breach URL that is not on loopback')
    .option(
      '--hibp-rate <rpm>',
      "with HIBP_API_KEY set (breached identities): your subscription's requests per minute",
      wholePositive('a whole number of requests per minute'),
      10,
    )
    .option('--hibp-url <url>', 'with HIBP_API_KEY set: the Have I Been Pwned API', HIBP_API_URL)
    .option(
      '--hibp-budget <n>',
      'with HIBP_API_KEY set: emails looked up per run at most; with --state the rest are checked in rotation, least recently checked first',
      wholePositive('a whole number of emails'),
    )
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
      "\nWith HIBP_API_KEY set, each login's email is also checked for breaches added since its password last changed.\n" +
        '\nWith --source aws the standard AWS credential chain and region are used, read-only: ListSecrets and\n' +
        'BatchGetSecretValue/GetSecretValue on the tagged secrets.\n' +
        '\nExit codes: 0 done, 1 a finding at or above --fail-on (or, with it, an account not fully checked), 2 bad usage or\n' +
        'input file, 3 internal error.\n' +
        "Only the first 5 hex digits of each password's SHA-1 leave this machine (k-anonymity, with padding).",
    )
    .action(async (options: ScanOptions) => {
      exit.code = await runScanCommand(options, io);
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
