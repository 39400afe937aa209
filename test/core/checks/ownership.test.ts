import { ownershipCheck } from '../../../lambdas/core/checks/ownership';
import { aContext, anAccount } from '../../support/accounts';

describe('Check: ownership', () => {
  it.each([[undefined], [''], ['   ']])('is medium when the owner is %p', (owner) => {
    const [found] = ownershipCheck.run(anAccount({ owner }), aContext());

    expect(found).toMatchObject({ severity: 'medium', id: 'press-office/x#ownership:missing-owner' });
  });

  it('passes when an owner is named', () => {
    expect(ownershipCheck.run(anAccount({ owner: 'press-office' }), aContext())).toEqual([]);
  });
});
