import type { Check } from '../check';
import { finding } from '../finding';

/** High on every account of a group that shares one password. Evidence names the other accounts, never the password. */
export const reusedPasswordCheck: Check = {
  id: 'reused-password',
  kinds: { reused: 'high' },
  estateWide: true,
  needs: ['secret-value', 'reuse'],
  run(account, { evidence }) {
    if (evidence.reusedWith.length === 0) return [];
    const others = [...evidence.reusedWith].sort();
    return [
      finding({
        accountId: account.id,
        check: 'reused-password',
        kind: 'reused',
        severity: 'high',
        title: 'Password is shared with other accounts',
        detail: `The same password protects ${others.length} other account${others.length === 1 ? '' : 's'}: ${others.join(', ')}. One leak opens them all.`,
        remediation: 'Give each of these accounts its own random password, starting with the most exposed one.',
        evidence: { sharedWith: others },
      }),
    ];
  },
};
