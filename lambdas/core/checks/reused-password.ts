import type { Check } from '../check';

/** The other accounts a finding names; past this, it says how many more and the report lists the whole group. */
export const MAX_NAMED_OTHERS = 10;

/**
 * High on every account of a group that shares one password. Evidence names the group, how many others share it and
 * up to ten of them, never the password; the report's `reuseGroups` lists each group's members once.
 */
export const reusedPasswordCheck: Check = {
  id: 'reused-password',
  takeover: { opensLink: true, judgesLink: true },
  kinds: { reused: 'high' },
  fixes: { reused: { does: 'give it a password of its own', page: 'change-password' } },
  // The group's root is the member whose fall exposes the most logins: its new password ends the most exposure.
  derived: {
    kinds: ['reused'],
    rootOf(found, estate) {
      const members = estate.membersOf(String(found.evidence.reuseGroup));
      if (members === undefined) return undefined;
      let root = members[0];
      for (const member of members) {
        if (estate.exposesCountOf(member) > estate.exposesCountOf(root ?? member)) root = member;
      }
      return root === found.accountId ? undefined : root;
    },
  },
  estateWide: true,
  needs: ['secret-value', 'reuse'],
  run(account, { evidence }) {
    const group = evidence.reuse;
    if (group === undefined || group.members.length < 2) return [];
    const count = group.members.length - 1;
    const named = group.members
      .slice(0, MAX_NAMED_OTHERS + 1)
      .filter((id) => id !== account.id)
      .slice(0, MAX_NAMED_OTHERS);
    const list =
      count > named.length
        ? `${named.join(', ')} and ${count - named.length} more (${group.id} in the report)`
        : named.join(', ');
    return [
      {
        kind: 'reused',
        title: 'Password is shared with other accounts',
        detail: `The same password protects ${count} other account${count === 1 ? '' : 's'}: ${list}. One leak opens them all.`,
        remediation: 'Give each of these accounts its own random password, starting with the most exposed one.',
        evidence: { reuseGroup: group.id, sharedWithCount: count, sharedWith: named },
      },
    ];
  },
};
