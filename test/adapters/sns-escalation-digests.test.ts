import { MAX_SMS_LENGTH, ownerDigests } from '../../lambdas/adapters/sns/sns-digests';
import { finding } from '../../lambdas/core/finding';
import { PLATFORM_TEAM } from '../../lambdas/core/notification/owner-notices';
import { buildReport } from '../../lambdas/core/report/report';
import type { AccountResult } from '../../lambdas/core/scan';

const account = (id: string, owner: string | null): AccountResult => ({
  id,
  platform: 'x.com',
  owner,
  status: 'at-risk',
  worstSeverity: 'critical',
  checks: {},
});
const breached = finding({
  accountId: 'press/x',
  check: 'breached-password',
  kind: 'breached',
  severity: 'critical',
  title: 'Password appears in a breach corpus',
  detail: 'Seen 120 times.',
  remediation: 'Change the password now.',
});
const report = buildReport(
  { accounts: [account('press/x', 'press'), account('comms/bsky', 'comms-head')], findings: [breached] },
  new Date('2026-06-09T06:00:00Z'),
);
const parts = (message: string | undefined) => JSON.parse(message ?? '{}') as { email: string; sms: string };

describe('Escalation in the owners’ digests', () => {
  it("the contact gets the other owner's finding in a section of its own, and an SMS at its severity; the owner is told it was escalated", () => {
    const digests = ownerDigests(report, {
      family: 'breach-exposure',
      changes: new Map([[breached.id, 'unchanged']]),
      escalations: [{ finding: breached, openDays: 8, owner: 'press', to: 'comms-head' }],
    });
    const contact = digests.find((digest) => digest.owner === 'comms-head');
    expect(contact).toMatchObject({ worstSeverity: 'critical', checks: ['breached-password'], findings: 0 });
    const toContact = parts(contact?.message);
    expect(toContact.email).toMatch(/^credential-hygiene: 1 finding escalated to comms-head \(worst: CRITICAL\)/);
    expect(toContact.email).toContain('- CRITICAL: press/x (x.com), owned by press, open 8 days');
    expect(toContact.email).toContain('What to do: Change the password now.');
    expect(toContact.sms).toBe('credential-hygiene: ESCALATED CRITICAL press/x: Password appears in a breach corpus.');
    expect(toContact.sms.length).toBeLessThanOrEqual(MAX_SMS_LENGTH);

    const owner = parts(digests.find((digest) => digest.owner === 'press')?.message);
    expect(owner.email).toContain(
      "Left open past the policy's days, so told to your escalation contact:\n- press/x: Password appears in a breach corpus (critical), open 8 days: told to comms-head.",
    );
  });

  it('an owner with no contact is escalated to the platform team, whose route no owner filter matches', () => {
    const digests = ownerDigests(report, {
      family: 'breach-exposure',
      changes: new Map([[breached.id, 'unchanged']]),
      escalations: [{ finding: breached, openDays: 8, owner: 'press', to: PLATFORM_TEAM }],
    });
    expect(digests.map((digest) => digest.owner).sort()).toEqual([PLATFORM_TEAM, 'press']);
  });

  it('an escalation to nobody (a CLI run whose owners name no contact) tells no one', () => {
    const digests = ownerDigests(report, {
      family: 'cli',
      changes: new Map([[breached.id, 'unchanged']]),
      escalations: [{ finding: breached, openDays: 8, owner: 'press', to: null }],
    });
    expect(digests).toEqual([]);
  });
});
