import type { Check } from '../check';

/**
 * Medium when nobody is named as the login's owner, and medium when the owner named has no recipients configured
 * (a typo in the owner): its findings would be routed to nobody but the platform team.
 */
export const ownershipCheck: Check = {
  id: 'ownership',
  kinds: { 'missing-owner': 'medium', unrouted: 'medium' },
  fixes: { 'missing-owner': { does: 'name its owner' }, unrouted: { does: "send its owner's notices somewhere" } },
  run(account, { routedOwners, store }) {
    const owner = account.owner?.trim();
    if (owner === undefined || owner === '') {
      return [
        {
          kind: 'missing-owner',
          title: 'Nobody owns this login',
          detail:
            'No owner is recorded, so nobody is told about its problems and nobody answers for who knows the password.',
          remediation: `Name a team or person as the owner (${store.field('owner')}).`,
        },
      ];
    }
    if (routedOwners === undefined || routedOwners.has(owner)) return [];
    return [
      {
        kind: 'unrouted',
        title: 'Its owner has no recipients configured',
        detail: `The owner "${owner}" has no email addresses or phones configured, so no one but the platform team hears of this login's problems (a typo in the owner, or an owner not yet added).`,
        remediation: `Correct the owner (${store.field('owner')}) to a configured owner id, or add this owner with its recipients (cdk.json owners, or the --owners file).`,
        evidence: { owner },
      },
    ];
  },
};
