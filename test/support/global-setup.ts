import { join } from 'node:path';

/** Builds the CLI bundle once per test run; the CLI tests run it as a child process, as a user would. */
export default async function globalSetup(): Promise<void> {
  const { buildCli } = require('../../scripts/build-cli.js') as { buildCli: (outfile: string) => Promise<void> };
  await buildCli(join(__dirname, '../../.tmp/cli/credential-hygiene.js'));
}
