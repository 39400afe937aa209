import type { Account } from '../account';
import type { StrengthEstimate } from '../check';
import { errorName } from '../error-name';
import type { PasswordStrengthEstimator } from '../evidence-sources';
import { wordsOf } from '../known-words';
import { passwordRecord } from '../lifecycle/password-history';
import { digestOf } from '../password-facts';
import type { AccountWithPassword, CollectionContext, EvidenceCollector } from './collector';

/**
 * Passwords scored between yields to the event loop (about 6 ms of zxcvbn): breach answers that arrive meanwhile are
 * read and the next requests sent at each yield, so the lookups keep pace with scoring instead of trailing it.
 */
const YIELD_EVERY = 4;

/** Each password's strength, with the account's own words counted as known to an attacker. */
export function strengthCollector(estimator: PasswordStrengthEstimator | undefined): EvidenceCollector<'strength'> {
  return {
    need: 'strength',
    provides: 'strength',
    collect: async (context) => ({ byAccount: await estimateStrengths(context.withPassword, estimator, context) }),
  };
}

/**
 * Scores passwords in small batches, yielding between them so that breach responses are handled meanwhile. A password
 * whose record (same fingerprint) holds a verdict made against the same account words keeps it: zxcvbn is most of a
 * scan's CPU, and most passwords do not change between runs. New verdicts are written into `records`.
 */
async function estimateStrengths(
  accounts: readonly AccountWithPassword[],
  strengthEstimator: PasswordStrengthEstimator | undefined,
  { records, onProgress }: CollectionContext,
): Promise<Map<string, StrengthEstimate | { failed: string }>> {
  const strengths = new Map<string, StrengthEstimate | { failed: string }>();
  let scored = 0;
  for (const [index, account] of accounts.entries()) {
    const phrases = phrasesOf(account);
    const record = records.get(account.id);
    // The words are made from the phrases alone, so the same phrases mean the same words.
    const inputsDigest = record ? digestOf(phrases) : undefined;
    if (record?.strength && record.strengthInputs === inputsDigest) {
      strengths.set(account.id, record.strength);
      continue;
    }
    if (!strengthEstimator) {
      strengths.set(account.id, { failed: 'no password-strength estimator is configured' });
      continue;
    }
    try {
      const strength = strengthEstimator.estimate(account.password, userInputsOf(phrases));
      strengths.set(account.id, strength);
      if (record) records.set(account.id, passwordRecord({ ...record, strength, strengthInputs: inputsDigest }));
    } catch (error) {
      strengths.set(account.id, {
        failed: `the strength estimator failed (${errorName(error)})`,
      });
    }
    if (++scored % YIELD_EVERY === 0) {
      onProgress?.({ phase: 'strength', done: index + 1, total: accounts.length });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return strengths;
}

/** What the account says of itself: its platform, username, email and owner. */
function phrasesOf(account: Account): string[] {
  return [account.platform, account.username, account.email, account.owner].filter(
    (phrase): phrase is string => phrase !== undefined,
  );
}

/** The account's own words, whole and split at punctuation, which an attacker would try first. */
function userInputsOf(phrases: readonly string[]): string[] {
  const words = phrases.flatMap(wordsOf);
  return [...new Set([...phrases, ...words])];
}
