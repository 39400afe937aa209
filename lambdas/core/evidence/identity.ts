import type { Account } from '../account';
import type { IdentityBreach, IdentityLookup } from '../check';
import { errorName } from '../error-name';
import { type IdentityBreachSource, IdentityLookupError } from '../evidence-sources';
import type { IdentityRecord } from '../lifecycle/lifecycle-state';
import { passwordFingerprint } from '../password-facts';
import { byCodeUnits } from '../text-order';
import type { CollectionContext, EvidenceCollector, IdentityCoverage } from './collector';

export type { IdentityCoverage };

export interface IdentityCollectorOptions {
  readonly identitySource?: IdentityBreachSource;
  /** What was found for each identity before, by its fingerprint: the rotation's memory. */
  readonly identityHistory?: ReadonlyMap<string, IdentityRecord>;
  /** Identities looked up per run at most; the rest keep what was found last time. Default: all. */
  readonly identityBudget?: number;
}

/** The breaches of each login's email address, from an identity breach source, in rotation under a budget. */
export function identityCollector(options: IdentityCollectorOptions): EvidenceCollector<'identity'> {
  return {
    need: 'identity',
    provides: 'identity',
    collect: async (context) => {
      const run = await lookUpIdentities(context.accounts, options, context);
      return {
        byAccount: run.lookups,
        result: { identityRecords: run.records, identityCoverage: run.coverage },
      };
    },
  };
}

/**
 * The breaches of each account's identities: its email address, or a username that is one. Each distinct identity is
 * asked once (one press mailbox is often the login of several platforms). With a budget, the least recently checked
 * identities are asked and the rest keep what was found last time, so every identity is asked within
 * `runsToCoverAll` runs; one never asked yet is reported unchecked, not clean.
 */
async function lookUpIdentities(
  accounts: readonly Account[],
  { identitySource, identityHistory, identityBudget }: IdentityCollectorOptions,
  { fingerprintKey, now }: CollectionContext,
) {
  const identitiesOf = (account: Account) => [
    ...new Set(
      [account.email, account.username]
        .filter((each) => each?.includes('@'))
        .map((each) => (each as string).trim().toLowerCase()),
    ),
  ];
  const identities = [...new Set(accounts.flatMap(identitiesOf))];
  const fingerprintOf = new Map(
    identities.map((identity) => [identity, passwordFingerprint(fingerprintKey, `identity:${identity}`)]),
  );
  const rememberedOf = (identity: string) => identityHistory?.get(fingerprintOf.get(identity) as string);
  const byStaleness = [...identities].sort(
    (a, b) => byCodeUnits(rememberedOf(a)?.lastChecked ?? '', rememberedOf(b)?.lastChecked ?? '') || byCodeUnits(a, b),
  );
  const toAsk = new Set(identitySource ? byStaleness.slice(0, identityBudget ?? identities.length) : []);
  const asked = [...toAsk];
  const outcomes = await Promise.allSettled(
    asked.map((identity) => (identitySource as IdentityBreachSource).breachesFor(identity)),
  );
  const answers = new Map(
    asked.map((identity, index) => [identity, outcomes[index] as PromiseSettledResult<readonly IdentityBreach[]>]),
  );

  const records: IdentityRecord[] = [];
  const perIdentity = new Map<string, IdentityLookup>();
  const budget = identityBudget ?? Math.max(identities.length, 1);
  const source = identitySource?.name ?? 'the identity breach source';
  for (const identity of identities) {
    const answer = answers.get(identity);
    const remembered = rememberedOf(identity);
    if (answer?.status === 'fulfilled') {
      perIdentity.set(identity, { status: 'checked', source, breaches: answer.value });
      records.push(identityRecord(fingerprintOf.get(identity) as string, now, answer.value));
    } else if (answer?.status === 'rejected') {
      const error = answer.reason;
      perIdentity.set(identity, {
        status: 'failed',
        reason:
          error instanceof IdentityLookupError ? error.message : `the identity lookup failed (${errorName(error)})`,
      });
    } else if (remembered) {
      perIdentity.set(identity, {
        status: 'checked',
        source,
        breaches: remembered.breaches.map((each) => ({ ...each, addedDate: new Date(each.addedDate) })),
      });
    } else {
      perIdentity.set(
        identity,
        identitySource
          ? {
              status: 'pending',
              reason: `not yet checked: the rotation (${budget} a run) reaches every email within ${Math.ceil(identities.length / budget)} runs`,
            }
          : { status: 'failed', reason: 'no identity breach source is configured' },
      );
    }
  }

  const lookups = new Map<string, IdentityLookup>();
  for (const account of accounts) {
    const results = identitiesOf(account).map((identity) => perIdentity.get(identity) as IdentityLookup);
    const unanswered =
      results.find((result) => result.status === 'failed') ?? results.find((result) => result.status === 'pending');
    if (unanswered) {
      lookups.set(account.id, unanswered);
      continue;
    }
    const byName = new Map<string, IdentityBreach>();
    for (const result of results)
      if (result.status === 'checked') {
        // By name and date: breaches whose names the adapter could not pass on share one placeholder name.
        for (const breach of result.breaches) {
          const key = `${breach.name}\u0000${breach.addedDate.getTime()}`;
          const seen = byName.get(key);
          byName.set(key, { ...breach, exposedPasswords: breach.exposedPasswords || seen?.exposedPasswords === true });
        }
      }
    lookups.set(account.id, { status: 'checked', source, breaches: [...byName.values()] });
  }
  const coverage: IdentityCoverage = {
    identities: identities.length,
    lookedUp: asked.length,
    fromMemory: identities.filter((identity) => !toAsk.has(identity) && rememberedOf(identity)).length,
    notYetChecked: identities.filter((identity) => !toAsk.has(identity) && !rememberedOf(identity)).length,
    runsToCoverAll: Math.ceil(identities.length / budget),
  };
  return { lookups, records, coverage };
}

function identityRecord(fingerprint: string, now: Date, breaches: readonly IdentityBreach[]): IdentityRecord {
  return {
    fingerprint,
    lastChecked: now.toISOString(),
    breaches: breaches.map((breach) => ({ ...breach, addedDate: breach.addedDate.toISOString() })),
  };
}
