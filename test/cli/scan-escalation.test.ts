import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../lambdas/core/report/report';
import { runCli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';

const BREACHED = 'press-office/x#breached-password:breached';

describe('CLI: escalation of a finding left open (--state, the policy escalation, --owners escalateTo)', () => {
  const temp = useTempDir();

  function files(options: { escalateTo?: string; accepted?: boolean } = {}) {
    const dir = temp();
    const inventory = join(dir, 'inventory.json');
    writeFileSync(
      inventory,
      JSON.stringify([
        {
          id: 'press-office/x',
          platform: 'x.com',
          owner: 'press-office',
          password: 'Northshire2019!',
          passwordChangedAt: '2026-11-01',
        },
      ]),
    );
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        escalation: { critical: 7 },
        ...(options.accepted && {
          exceptions: [
            {
              account: 'press-office/x',
              check: 'breached-password',
              reason: 'being replaced this month',
              acceptedBy: 'Head of Comms',
              expires: '2026-11-25',
            },
          ],
        }),
      }),
    );
    const owners = join(dir, 'owners.json');
    writeFileSync(
      owners,
      JSON.stringify({
        'press-office': {
          emails: ['press@northshire.example'],
          ...(options.escalateTo && { escalateTo: options.escalateTo }),
        },
        'head-of-comms': { emails: ['comms-head@northshire.example'] },
      }),
    );
    const state = join(dir, 'state.json');
    return (day: string, format = 'json') =>
      runCli([
        'scan',
        '--inventory',
        inventory,
        '--pwned-passwords',
        'examples/pwned-passwords.txt',
        '--policy',
        policy,
        '--owners',
        owners,
        '--state',
        state,
        '--now',
        day,
        '--checks',
        'breached-password',
        '--format',
        format,
      ]);
  }
  const escalatedOf = async (run: Promise<{ stdout: string; code: number; stderr: string }>) => {
    const result = await run;
    expect(result.stderr).not.toMatch(/internal error/);
    return (JSON.parse(result.stdout) as Report).lifecycle.escalated ?? [];
  };

  it('a critical finding open from day 0 is escalated to the contact once, on day 8, not on day 7 nor day 9', async () => {
    const scan = files({ escalateTo: 'head-of-comms' });
    expect(await escalatedOf(scan('2026-11-02T09:00:00Z'))).toEqual([]);
    expect(await escalatedOf(scan('2026-11-09T09:00:00Z'))).toEqual([]);
    expect(await escalatedOf(scan('2026-11-10T09:00:00Z'))).toEqual([
      { id: BREACHED, owner: 'press-office', to: 'head-of-comms', openDays: 8 },
    ]);
    expect(await escalatedOf(scan('2026-11-11T09:00:00Z'))).toEqual([]);
  });

  it("the day a finding is escalated, the report's notices hold the contact's digest: login, owner, days open, what to do", async () => {
    const scan = files({ escalateTo: 'head-of-comms' });
    await scan('2026-11-02T09:00:00Z');
    const day8 = JSON.parse((await scan('2026-11-10T09:00:00Z')).stdout) as Report;
    expect(day8.notices).toEqual([
      {
        kind: 'escalation',
        to: 'head-of-comms',
        findings: [
          {
            id: BREACHED,
            accountId: 'press-office/x',
            owner: 'press-office',
            severity: 'critical',
            title: expect.stringMatching(/breach/i),
            openDays: 8,
            remediation: expect.stringMatching(/\S/),
          },
        ],
      },
    ]);
    expect(JSON.stringify(day8.notices)).not.toContain('Northshire2019!');
    // Told once: the next day's report has no digest.
    expect((JSON.parse((await scan('2026-11-11T09:00:00Z')).stdout) as Report).notices).toBeUndefined();
  });

  it.each([
    ['table', 'To head-of-comms: 1 finding'],
    ['markdown', '## Escalated'],
    ['html', 'To head-of-comms<ul class="ids"><li><code>press-office/x</code> (owner press-office)'],
  ])('the %s report shows the digest', async (format, shown) => {
    const scan = files({ escalateTo: 'head-of-comms' });
    await scan('2026-11-02T09:00:00Z', format);
    const day8 = await scan('2026-11-10T09:00:00Z', format);
    expect(day8.stdout).toContain(shown);
    expect(day8.stdout).toMatch(/open 8 days/);
  });

  it('an owner who names no contact is escalated to nobody here, and the summary says so', async () => {
    const scan = files();
    await scan('2026-11-02T09:00:00Z');
    const day8 = await scan('2026-11-10T09:00:00Z', 'table');
    expect(day8.stdout).toContain(
      'since the last run: 1 reminded, 1 escalated (1 to nobody: their owners name no escalateTo)',
    );
    expect(day8.stdout).toContain(
      'To nobody (their owners name no escalateTo, and there is no platform team here): 1 finding',
    );
    expect(await escalatedOf(scan('2026-11-18T09:00:00Z'))).toEqual([]);
  });

  it('an accepted finding never escalates; once its acceptance ends its days start again', async () => {
    const scan = files({ escalateTo: 'head-of-comms', accepted: true });
    expect(await escalatedOf(scan('2026-11-02T09:00:00Z'))).toEqual([]);
    expect(await escalatedOf(scan('2026-11-20T09:00:00Z'))).toEqual([]);
    // The acceptance ended with 2026-11-25: open again on the 26th, escalated 8 days later.
    expect(await escalatedOf(scan('2026-11-26T09:00:00Z'))).toEqual([]);
    expect(await escalatedOf(scan('2026-12-03T09:00:00Z'))).toEqual([]);
    expect(await escalatedOf(scan('2026-12-04T09:00:00Z'))).toEqual([
      { id: BREACHED, owner: 'press-office', to: 'head-of-comms', openDays: 8 },
    ]);
  });

  it('refuses an escalateTo that names no other owner entry, in one line', async () => {
    const dir = temp();
    const owners = join(dir, 'owners.json');
    writeFileSync(owners, JSON.stringify({ 'press-office': { emails: [], escalateTo: 'nobody-here' } }));
    const run = await runCli(['scan', '--inventory', 'examples/inventory.json', '--owners', owners]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/press-office\.escalateTo: must name another owner entry/);
  });
});
