import { checkFindings } from '../../lambdas/core/check-findings';
import { weakPasswordCheck } from '../../lambdas/core/checks/weak-password';
import { knownWordsOf, madeOfKnownWords } from '../../lambdas/core/known-words';
import { parsePolicy } from '../../lambdas/core/policy';
import { aContext, anAccount } from '../support/accounts';
import { randomPassword } from '../support/passwords';

const COMMS = {
  id: 'comms/x',
  platform: 'x.com',
  owner: 'comms',
  username: 'EastbridgeCouncil',
  email: 'comms@eastbridge-council.example',
};
const WORDS = knownWordsOf(COMMS, ['eastbridge-council.example'], 'X');

describe('Function: madeOfKnownWords', () => {
  it('names the words an attacker of the organisation knows, from its domains and the login', () => {
    expect(WORDS).toEqual(
      expect.arrayContaining(['eastbridge', 'council', 'comms', 'eastbridgecouncil', 'example', 'com']),
    );
    expect(WORDS.every((word) => word.length >= 3)).toBe(true);
  });

  it.each([
    ['Eastbridge#Comms2022', ['words the organisation is known by', 'a year', 'separators']],
    ['eastbridgecouncil', ['words the organisation is known by']],
    ['C0mm5-Ea5tbr1dge!!', ['words the organisation is known by', 'separators']],
    ['2023council123', ['words the organisation is known by', 'a year', 'digits']],
    ['COUNCIL_comms_1', ['words the organisation is known by', 'digits', 'separators']],
  ])('%s is made only of known parts: %j', (password, parts) => {
    expect(madeOfKnownWords(password, WORDS)).toEqual(parts);
  });

  it.each([
    ['Eastbridge#Comms2022q', 'a letter that is no known word'],
    ['2022!!', 'no word at all'],
    ['eastbridge-council-7fK2pQ9x', 'a random tail'],
    ['xK8#pEastbridge2Lm', 'a random password holding one such word'],
  ])('%s is not (%s)', (password) => {
    expect(madeOfKnownWords(password, WORDS)).toBeUndefined();
  });

  it('reads a password of the longest length the inventory allows, made of words and digits', () => {
    expect(madeOfKnownWords('council1'.repeat(128), WORDS)).toEqual(['words the organisation is known by', 'digits']);
  });
});

describe('Check: weak-password, on the organisation’s own words', () => {
  const policy = parsePolicy({ organisationDomains: ['eastbridge-council.example'] });

  it('calls Eastbridge#Comms2022 weak however strong the estimator scores it, naming only the kinds of part', () => {
    const [found, ...more] = checkFindings(
      weakPasswordCheck,
      anAccount({ ...COMMS, password: 'Eastbridge#Comms2022' }),
      aContext({ policy, evidence: { strength: { score: 4 } } }),
    );

    expect(more).toEqual([]);
    expect(found).toMatchObject({
      id: 'comms/x#weak-password:weak',
      severity: 'high',
      evidence: { madeOf: ['words the organisation is known by', 'a year', 'separators'] },
    });
    expect(JSON.stringify(found)).not.toMatch(/eastbridge#|comms2022/i);
  });

  it('passes a random password with a strong score', () => {
    const findings = checkFindings(
      weakPasswordCheck,
      anAccount({ ...COMMS, password: randomPassword() }),
      aContext({ policy, evidence: { strength: { score: 4 } } }),
    );

    expect(findings).toEqual([]);
  });
});
