import type { Account } from '../account';
import type { Check, PasswordEvidence, ReuseGroup } from '../check';
import type { IdentityRecord, PasswordRecord } from '../lifecycle/lifecycle-state';
import type { PlatformCatalog } from '../platform-catalog';

export interface ScanProgress {
  readonly phase: 'breach' | 'strength' | 'checks';
  readonly done: number;
  readonly total: number;
}

export type AccountWithPassword = Account & { readonly password: string };

/** What a check needs gathered before it runs (`secret-value` is the account's own, not collected). */
export type EvidenceNeed = Exclude<NonNullable<Check['needs']>[number], 'secret-value'>;

/** The scan's accounts and memory, as every collector sees them. */
export interface CollectionContext {
  /** The readable accounts, with their remembered password dates applied. */
  readonly accounts: readonly Account[];
  /** Where each login is kept, by account id, when that has an identity of its own: its secret's ARN. */
  readonly resources: ReadonlyMap<string, string>;
  /** Those whose password was read. */
  readonly withPassword: readonly AccountWithPassword[];
  /** Each password's keyed fingerprint (HMAC), by account id: compares passwords without holding them side by side. */
  readonly fingerprints: ReadonlyMap<string, string>;
  /**
   * The password records to remember, by account id: a collector that keeps what it learned of a password between
   * runs (a breach count and its range's version, a strength verdict) writes it here.
   */
  readonly records: Map<string, PasswordRecord>;
  readonly now: Date;
  readonly fingerprintKey: Uint8Array;
  readonly platforms: PlatformCatalog;
  readonly onProgress?: (progress: ScanProgress) => void;
}

/** What the scan result carries from a collection, beyond each account's evidence. */
export interface CollectionResult {
  /** The identities looked up this run, to remember for the rotation. */
  readonly identityRecords?: readonly IdentityRecord[];
  readonly identityCoverage?: IdentityCoverage;
  readonly reuseGroups?: readonly ReuseGroup[];
  /** Each login's blast radius: how many logins can be taken over through it, and the nearest of them. */
  readonly exposes?: ReadonlyMap<string, { readonly ids: readonly string[]; readonly count: number }>;
}

export type EvidenceKey = Exclude<keyof PasswordEvidence, never>;

/**
 * A kind of evidence the checks need, gathered for all accounts before any check runs: which `needs` it satisfies,
 * where its answer goes in each account's evidence, and how it collects it (with what it remembers between runs).
 * The engine runs the collectors the selected checks need, all at once, and knows none of them: a new kind of
 * evidence is a new collector.
 */
export interface EvidenceCollector<K extends EvidenceKey = EvidenceKey> {
  readonly need: EvidenceNeed;
  readonly provides: K;
  collect(context: CollectionContext): Promise<{
    readonly byAccount: ReadonlyMap<string, NonNullable<PasswordEvidence[K]>>;
    readonly result?: CollectionResult;
  }>;
}

/** How much of the estate's identities a run covered, with a budget smaller than the estate. */
export interface IdentityCoverage {
  readonly identities: number;
  readonly lookedUp: number;
  readonly fromMemory: number;
  readonly notYetChecked: number;
  /** Runs needed for every identity to be looked up once: the rotation's period, in runs. */
  readonly runsToCoverAll: number;
}
