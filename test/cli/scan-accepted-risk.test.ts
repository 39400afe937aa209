import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../lambdas/core/report/report';
import { runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

const EXAMPLE = ['--inventory', 'examples/inventory.json', '--pwned-passwords', 'examples/pwned-passwords.txt'];
const ACCEPTED_ID = 'press-office/press-releases#mfa:unavailable';
const EXCEPTION = {
  account: 'press-office/press-releases',
  check: 'mfa:unavailable',
  reason: 'The press-release service offers no second factor; vendor migration in spring',
  acceptedBy: 'Head of Digital Communications',
  expires: '2027-03-31',
};

describe('CLI: accepted risks (policy exceptions)', () => {
  const dir = useTempDir();
  const policyFile = (policy: unknown) => {
    const path = join(dir(), `policy-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(policy));
    return path;
  };
  const scan = async (extra: string[], now = '2026-12-01') => {
    const run = await runCli(['scan', ...EXAMPLE, '--now', now, ...extra]);
    return { ...run, report: extra.includes('json') ? (JSON.parse(run.stdout) as Report) : undefined };
  };

  it('on the bundled example, moves the accepted finding to accepted and out of --fail-on medium', async () => {
    const policy = policyFile({ exceptions: [EXCEPTION] });
    const without = await scan(['--format', 'json']);
    const withIt = await scan(['--format', 'json', '--policy', policy]);
    const gate = await scan(['--policy', policy, '--fail-on', 'medium', '--allow-unchecked']);
    const gateWithout = await scan(['--fail-on', 'medium', '--allow-unchecked']);

    const found = withIt.report?.findings.find((each) => each.id === ACCEPTED_ID);
    expect(found?.accepted).toEqual({
      reason: EXCEPTION.reason,
      acceptedBy: EXCEPTION.acceptedBy,
      expires: '2027-03-31',
    });
    expect(withIt.report?.summary.accepted).toBe(1);
    expect(withIt.report?.summary.findings).toBe((without.report?.summary.findings ?? 0) - 1);
    expect(withIt.report?.accounts.find((account) => account.id === 'press-office/press-releases')?.checks.mfa).toBe(
      'accepted',
    );
    const counted = (stderr: string) => Number(/(\d+) findings at medium or worse/.exec(stderr)?.[1]);
    expect(counted(gate.stderr)).toBe(counted(gateWithout.stderr) - 1);
    expect(gate.stderr).toContain('(1 accepted by policy exceptions, not counted)');
  });

  it('passes --fail-on when the only finding at the threshold is accepted, and fails without the exception', async () => {
    const inventory = join(dir(), 'inventory.json');
    writeFileSync(
      inventory,
      JSON.stringify({
        accounts: [
          {
            id: 'press-office/press-releases',
            platform: 'newswire.example',
            owner: 'press-office',
            password: 'kV9#mQ2$wZ7!pL4@xR8%tN3&',
            passwordChangedAt: '2026-11-01',
          },
        ],
      }),
    );
    const platforms = [{ domain: 'newswire.example', name: 'Newswire', mfa: [] }];
    const accepted = policyFile({ platforms, exceptions: [EXCEPTION] });
    const notAccepted = policyFile({ platforms });
    const gate = (policy: string) =>
      runCli([
        'scan',
        '--inventory',
        inventory,
        '--pwned-passwords',
        'examples/pwned-passwords.txt',
        '--now',
        '2026-12-01',
        '--policy',
        policy,
        '--fail-on',
        'medium',
      ]);

    const [pass, fail] = await Promise.all([gate(accepted), gate(notAccepted)]);

    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('Accepted until 2027-03-31: press-office/press-releases mfa (medium)');
    expect(fail.code).toBe(1);
  });

  it('with --state, reports the finding open again the day after it expires, once, and then as usual', async () => {
    const policy = policyFile({ exceptions: [EXCEPTION] });
    const state = ['--state', join(dir(), 'state.json'), '--policy', policy, '--format', 'json'];

    const during = await scan(state, '2026-12-01');
    const lastDay = await scan(state, '2027-03-31');
    const after = await scan(state, '2027-04-01');
    const later = await scan(state, '2027-04-02');

    for (const run of [during, lastDay]) {
      expect(run.report?.lifecycle.accepted).toEqual([ACCEPTED_ID]);
      expect(run.report?.lifecycle.new).not.toContain(ACCEPTED_ID);
    }
    expect(after.report?.lifecycle.reopened).toEqual([ACCEPTED_ID]);
    expect(after.report?.findings.find((each) => each.id === ACCEPTED_ID)?.accepted).toBeUndefined();
    expect(after.report?.exceptions).toEqual([
      expect.objectContaining({ status: 'expired', matched: [], stale: false }),
    ]);
    expect(later.report?.lifecycle.reopened).toEqual([]);
    expect(later.report?.lifecycle.unchanged).toContain(ACCEPTED_ID);
  });

  it('reports an exception that matched nothing in a full run, so the list does not rot', async () => {
    const stale = { ...EXCEPTION, account: 'press-office/x', check: 'mfa:unavailable' };
    const run = await scan(['--policy', policyFile({ exceptions: [EXCEPTION, stale] })]);

    expect(run.stdout).toContain(
      'Matched no finding: press-office/x mfa:unavailable (accepted by Head of Digital Communications); the risk it accepted is gone: remove it from the policy',
    );
  });

  it('exits 2 on an exception beyond its cap, naming the entry', async () => {
    const run = await scan([
      '--policy',
      policyFile({ exceptions: [{ ...EXCEPTION, check: 'mfa:disabled', expires: '2027-03-31' }] }),
    ]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'exceptions[0] (press-office/press-releases, mfa:disabled): expires: 2027-03-31 is 120 days ahead; a critical finding may be accepted for at most 30 days (exceptionMaxDays.critical)',
    );
  });
});
