import { secretsManagerTerms, tagKeysFor } from '../../../lambdas/adapters/secrets-manager-tags';
import { checkFindings } from '../../../lambdas/core/check-findings';
import { ownershipCheck } from '../../../lambdas/core/checks/ownership';
import { aContext, anAccount } from '../../support/accounts';

describe('Check: ownership', () => {
  it.each([[undefined], [''], ['   ']])('is medium when the owner is %p', (owner) => {
    const [found] = checkFindings(ownershipCheck, anAccount({ owner }), aContext());

    expect(found).toMatchObject({ severity: 'medium', id: 'press-office/x#ownership:missing-owner' });
  });

  it('passes when an owner is named', () => {
    expect(checkFindings(ownershipCheck, anAccount({ owner: 'press-office' }), aContext())).toEqual([]);
  });
});

describe('Check: ownership, with the owners that have recipients known', () => {
  const routedOwners = new Set(['press-office', 'digital-team']);

  it('is medium when the owner named has no recipients (a typo in the owner tag)', () => {
    const [found] = checkFindings(ownershipCheck, anAccount({ owner: 'press_office' }), {
      ...aContext(),
      routedOwners,
    });

    expect(found).toMatchObject({
      id: 'press-office/x#ownership:unrouted',
      severity: 'medium',
      evidence: { owner: 'press_office' },
    });
    expect(found?.detail).toContain('"press_office"');
  });

  it('passes an owner with recipients, and says nothing of routing where the owners are not known', () => {
    expect(
      checkFindings(ownershipCheck, anAccount({ owner: 'press-office' }), { ...aContext(), routedOwners }),
    ).toEqual([]);
    expect(checkFindings(ownershipCheck, anAccount({ owner: 'press_office' }), aContext())).toEqual([]);
  });
});

describe('Check: ownership, advice in the terms of the store the logins are kept in', () => {
  it('names the field of an inventory entry, by default', () => {
    const [found] = checkFindings(ownershipCheck, anAccount({ owner: undefined }), aContext());

    expect(found?.remediation).toBe('Name a team or person as the owner (the owner field of its inventory entry).');
  });

  it('names the tag a Secrets Manager inventory reads, with the tag key it is configured with', () => {
    const store = secretsManagerTerms(tagKeysFor('shared-login:platform'));

    const [missing] = checkFindings(ownershipCheck, anAccount({ owner: undefined }), { ...aContext(), store });
    const [unrouted] = checkFindings(ownershipCheck, anAccount({ owner: 'press_office' }), {
      ...aContext(),
      store,
      routedOwners: new Set(['press-office']),
    });

    expect(missing?.remediation).toBe("Name a team or person as the owner (the secret's shared-login:owner tag).");
    expect(unrouted?.remediation).toContain("Correct the owner (the secret's shared-login:owner tag)");
    expect(`${missing?.remediation} ${unrouted?.remediation}`).not.toContain('credential-hygiene');
  });
});
