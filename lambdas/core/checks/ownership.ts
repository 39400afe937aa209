import type { Check } from '../check';
import { finding } from '../finding';

/** Medium when nobody is named as the login's owner. */
export const ownershipCheck: Check = {
  id: 'ownership',
  run(account) {
    if (account.owner !== undefined && account.owner.trim() !== '') return [];
    return [
      finding({
        accountId: account.id,
        check: 'ownership',
        kind: 'missing-owner',
        severity: 'medium',
        title: 'Nobody owns this login',
        detail:
          'No owner is recorded, so nobody is told about its problems and nobody answers for who knows the password.',
        remediation: 'Name a team or person as the owner (the owner field, or the credential-hygiene:owner tag).',
      }),
    ];
  },
};
