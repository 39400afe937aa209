import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

describe('CLI: scan --source aws --accounts (an organisation), its usage errors before any AWS call', () => {
  const temp = useTempDir();

  it.each([
    [
      ['scan', '--inventory', 'examples/inventory.json', '--accounts', 'all'],
      /--accounts and --role-name are for --source aws/,
    ],
    [['scan', '--source', 'aws', '--role-name', 'Reader'], /--role-name is for --accounts/],
    [
      ['scan', '--source', 'aws', '--accounts', 'all', '--role-name', 'bad name'],
      /--role-name bad name: must be an IAM role name/,
    ],
  ])('%j: exit 2, one line', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names the file and the key of an accounts file it cannot use', async () => {
    const file = join(temp(), 'accounts.json');
    writeFileSync(file, JSON.stringify({ organizationUnits: ['ou-nope'], accountIds: ['123'] }));
    const run = await runCli(['scan', '--source', 'aws', '--accounts', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--accounts ${file}: organizationUnits[0]: must be an organizational unit id`);
    expect(run.stderr).toContain('accountIds[0]: must be a 12-digit AWS account id');
  });
});
