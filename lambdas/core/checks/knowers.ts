import type { Account } from '../account';
import { type Check, type CheckContext, CheckUnavailableError, type FindingDraft, type SeverityRule } from '../check';
import { type CheckSettings, settingsOf } from '../check-settings';
import { formatDay } from '../iso-date';
import { knowersOf } from '../knowers';
import { inProse } from '../prose';
import * as z from '../zod';

/** The policy's `knowers`: how many people may hold one password, and the roles that are automation, not people. */
export const knowersSettings: CheckSettings<{
  readonly maxPeople: number;
  readonly ignorePrincipals: readonly string[];
}> = {
  key: 'knowers',
  schema: z.strictObject(
    {
      maxPeople: z.optional(
        z
          .number({ error: 'must be a whole number of people' })
          .check(z.int({ error: 'must be a whole number of people' }), z.gte(1, { error: 'must be at least 1' })),
      ),
      ignorePrincipals: z.optional(
        z
          .array(z.string({ error: 'must be an ARN or a glob of ARNs' }).check(z.minLength(1), z.maxLength(2048)), {
            error: 'must be a list of ARNs or globs of ARNs (arn:aws:iam::123456789012:role/deploy-*)',
          })
          .check(z.maxLength(100, { error: 'must list at most 100 principals' })),
      ),
    },
    { error: 'must be an object' },
  ),
  defaults: { maxPeople: 10, ignorePrincipals: [] },
};

/** The people a finding names before "and N more". */
const NAMED = 10;

/** High, critical where the catalog marks the platform's takeover as speaking for the organisation. */
const byImpact = (rule: string): SeverityRule => ({
  severities: ['high', 'critical'],
  rule,
  severityOf: (_draft, account: Account, { platforms }: CheckContext) =>
    platforms.find(account.platform)?.highImpact === true ? 'critical' : 'high',
});

/**
 * Who holds the password: everyone who read its secret since it last changed. A reader who has since left still
 * knows it; one who read it after leaving still has access. Opt-in: it runs where the reads can be known (access logs,
 * the recorder); where they cannot for a login, it could not run there. The people are named (their names are not
 * secret); a session token, an access key or an address never is.
 */
export const knowersCheck: Check = {
  id: 'knowers',
  settings: knowersSettings,
  // Whoever left with a mailbox's password holds the logins behind it; how many know one is not an exposure by itself.
  takeover: { opensLink: true, judgesLink: false, notOpening: ['many-knowers'] },
  kinds: {
    'leaver-knows': byImpact(
      "critical on a platform whose takeover speaks for the organisation (the catalog's highImpact), high otherwise",
    ),
    'read-after-leaving': byImpact(
      "critical on a platform whose takeover speaks for the organisation (the catalog's highImpact), high otherwise",
    ),
    'many-knowers': 'medium',
  },
  fixes: {
    'leaver-knows': { does: 'change its password', page: 'change-password' },
    'read-after-leaving': { does: "remove a leaver's access to its secret" },
    'many-knowers': { does: 'share its password with fewer people' },
  },
  needs: ['reads'],
  run(account, { evidence, policy }) {
    const lookup = evidence.knowers;
    if (lookup === undefined) throw new CheckUnavailableError('who read its secret was not looked up in this run');
    if (lookup.status === 'failed') throw new CheckUnavailableError(lookup.reason);
    const { maxPeople, ignorePrincipals } = settingsOf(policy, knowersSettings);
    const knowers = knowersOf(lookup.reads, lookup.leavers, account.passwordChangedAt, [
      ...lookup.ignore,
      ...ignorePrincipals,
    ]);
    const since = knowers.since === undefined ? 'as far back as the reads go' : `since ${formatDay(knowers.since)}`;
    const findings: FindingDraft[] = [];
    if (knowers.left.length > 0) {
      const named = knowers.left
        .slice(0, NAMED)
        .map(({ name, lastRead, leftOn }) => `${name} (read it ${formatDay(lastRead)}, left ${formatDay(leftOn)})`);
      const more = knowers.left.length - named.length;
      findings.push({
        kind: 'leaver-knows',
        title: 'Someone who has left knows the password',
        detail: `${inProse(named, 'and')}${more > 0 ? ` and ${more} more` : ''} read the current password (${since}) and ${knowers.left.length === 1 ? 'has' : 'have'} since left: whoever left with it can still sign in.`,
        remediation:
          'Change the password now, store the new one in the secret, and give it only to the people who still need it.',
        evidence: {
          leavers: knowers.left.slice(0, NAMED).map(({ name }) => name),
          leaversCount: knowers.left.length,
          leftOn: knowers.left.slice(0, NAMED).map(({ leftOn }) => formatDay(leftOn)),
        },
      });
    }
    if (knowers.afterLeaving.length > 0) {
      const byName = new Map<string, { read: Date; leftOn: Date }>();
      for (const { name, read, leftOn } of knowers.afterLeaving) {
        const known = byName.get(name);
        if (known === undefined || known.read < read) byName.set(name, { read, leftOn });
      }
      const named = [...byName].slice(0, NAMED);
      findings.push({
        kind: 'read-after-leaving',
        title: 'Someone recorded as having left read the password',
        detail: `${inProse(
          named.map(([name, { read, leftOn }]) => `${name} (left ${formatDay(leftOn)}, read it ${formatDay(read)})`),
          'and',
        )}${byName.size > named.length ? ` and ${byName.size - named.length} more` : ''} read the secret after the day they left: their access was never removed, or the leavers list is wrong.`,
        remediation:
          'Remove their access to the secret (their Identity Center assignment, IAM user or role), change the password, and correct the leavers list if they have not left.',
        evidence: { readers: named.map(([name]) => name), readersCount: byName.size },
      });
    }
    if (knowers.people.size > maxPeople) {
      findings.push({
        kind: 'many-knowers',
        title: 'Many people know the password',
        detail: `${knowers.people.size} people read the current password (${since}), more than the policy allows (knowers.maxPeople, ${maxPeople}): each is a way in, and each leaver a reason to change it.`,
        remediation:
          'Share the login with fewer people (a delegated or team feature of the platform where it has one), and change the password when the list is shorter.',
        evidence: { people: knowers.people.size, maxPeople },
      });
    }
    return findings;
  },
};
