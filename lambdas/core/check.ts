import type { Account } from './account';
import type { CheckSettings } from './check-settings';
import type { IdentityBreach, MfaProviderAnswer, StrengthEstimate } from './evidence-sources';

export type { IdentityBreach, StrengthEstimate };

import type { EvidenceLevel } from './evidence-strength';
import type { CheckId, EvidenceValue, Finding } from './finding';
import type { PlatformCatalog, PlatformPage } from './platform-catalog';
import type { Policy } from './policy-model';
import type { Leavers, SecretRead } from './secret-reads';
import type { Severity } from './severity';
import type { StoreTerms } from './store-terms';

/** How the breach corpus answered for one password. */
export type BreachLookup =
  | { readonly status: 'found'; readonly count: number }
  | { readonly status: 'not-found' }
  | { readonly status: 'failed'; readonly reason: string };

/** The breaches found for an account's identities, or why they could not be looked up. */
export type IdentityLookup =
  /** `source` names the breach source for readers. */
  | { readonly status: 'checked'; readonly source: string; readonly breaches: readonly IdentityBreach[] }
  | { readonly status: 'failed'; readonly reason: string }
  /** Not asked yet, by design: the rotation reaches it in a later run. Coverage, not a failure. */
  | { readonly status: 'pending'; readonly reason: string };

/** What the account's MFA provider said, or why it could not say. Absent: no provider is selected for it. */
export type MfaProviderLookup =
  | { readonly provider: string; readonly status: 'answered'; readonly answer: MfaProviderAnswer }
  | { readonly provider: string; readonly status: 'failed'; readonly reason: string };

/** What the scan learned about an account's password before the checks run. Absent: not computed this run. */
export interface PasswordEvidence {
  readonly breach?: BreachLookup;
  readonly strength?: StrengthEstimate | { readonly failed: string };
  readonly identity?: IdentityLookup;
  readonly mfaProvider?: MfaProviderLookup;
  /** The group of accounts that share this password (this one included), when it is shared. */
  readonly reuse?: ReuseGroup;
  /** The logins that can reset this one (see evidence/recovery). */
  readonly recovery?: RecoveryPaths;
  /** Who read this login's secret, and who has left (see evidence/knowers). */
  readonly knowers?: KnowersLookup;
}

/** The reads of one login's secret the run knows of, with the leavers; or why they could not be known. */
export type KnowersLookup =
  | {
      readonly status: 'known';
      readonly reads: readonly SecretRead[];
      readonly leavers: Leavers;
      /** Principals that are not people (the monitor's own, by the source; the policy adds its automation). */
      readonly ignore: readonly string[];
    }
  | { readonly status: 'failed'; readonly reason: string };

/**
 * A chain of logins that can take one over: the login, then each login that can reset the one before it, ending at an
 * exposed link. `hidden` links of a long chain are left out before the last one.
 */
export interface TakeoverChain {
  readonly logins: readonly string[];
  readonly hidden?: number;
}

/** How a login stands as a link on others' takeover paths. */
export type LinkVerdict = 'safe' | 'unjudged' | { readonly severity: Severity };

/** How a login can be taken over through others: through an exposed link, pending an unjudged one, or not at all. */
export type Takeover =
  | { readonly kind: 'none' }
  | { readonly kind: 'pending'; readonly link: string }
  | {
      readonly kind: 'exposed';
      /** The worst exposure on the way. */
      readonly severity: Severity;
      /** The worst link, and of equally bad ones the nearest: the shortest way in. */
      readonly fixFirst: string;
      /** The chain to `fixFirst`, then one to the nearest link of each lesser severity: a few, never all. */
      readonly chains: readonly TakeoverChain[];
    };

/** Who can reset whom in the estate (see evidence/recovery), judged once per estate. */
export interface TakeoverGraph {
  takeoverOf(accountId: string, estate: EstateView, judge: (id: string) => LinkVerdict): Takeover;
}

/** The takeover graph and what the recovery checks need of one login. */
export interface RecoveryPaths {
  readonly graph: TakeoverGraph;
  /** Whether a monitored mailbox holds the login's recovery email (when it has one). */
  readonly recoveryEmailMonitored?: boolean;
  /** The other logins with the same recovery phone (at most ten named, and how many): one SIM swap takes them all. */
  readonly samePhone?: { readonly ids: readonly string[]; readonly count: number };
}

/**
 * The estate as a check of the second phase sees it: every readable account and what the first phase found on each
 * (a takeover path is as exposed as its weakest link, which only the other accounts' findings tell).
 */
export interface EstateView {
  findingsOf(accountId: string): readonly Finding[];
  /** Each check's outcome on the account in the first phase; absent when the account is not in the estate. */
  outcomesOf(accountId: string): Readonly<Partial<Record<CheckId, string>>> | undefined;
  /** What the checks declare of takeover links (their `takeover`): which findings open one, which checks judge one. */
  readonly links: TakeoverLinks;
}

/** The checks' declarations of how their findings bear on takeover paths, gathered (see check-registry). */
export interface TakeoverLinks {
  /** Whether a finding makes its login an open link. */
  opens(found: Finding): boolean;
  /** The checks whose having run on a login says whether it is exposed: a link none of them ran on is unjudged. */
  readonly judgingChecks: readonly CheckId[];
}

/**
 * Accounts that share one password, stated once: every member's evidence refers to the same group, so that an estate
 * where thousands share a password costs one list of them, not a list per account.
 */
export interface ReuseGroup {
  /** `shared-password-1`, `shared-password-2`…, numbered in the order of each group's first account id. */
  readonly id: string;
  /** Sorted by code units. */
  readonly members: readonly string[];
}

export interface CheckContext {
  readonly now: Date;
  readonly policy: Policy;
  readonly platforms: PlatformCatalog;
  readonly evidence: PasswordEvidence;
  /**
   * The owner ids that have recipients configured (the stack's `owners`, the CLI's `--owners` file); an owner not in
   * it is routed to nobody. Absent: not known here, so not checked.
   */
  readonly routedOwners?: ReadonlySet<string>;
  /** How the store that holds the logins is changed, for advice that names it (a tag key, a command). */
  readonly store: StoreTerms;
  /** For a check of the `estate` phase: the first phase's findings on every account. */
  readonly estate?: EstateView;
}

/** A problem a check found, as the check states it: the engine makes it a `Finding` (see check-findings.ts). */
export interface FindingDraft {
  /** One of the check's declared kinds. */
  readonly kind: string;
  readonly title: string;
  readonly detail: string;
  readonly remediation: string;
  readonly evidence?: Readonly<Record<string, EvidenceValue>>;
}

/**
 * A kind's severity where it varies: the severities it can take, least severe first, and the rule that picks one from
 * what the finding says and the run's context (password-age: medium, then high past `highAfterDays`).
 */
export interface SeverityRule {
  readonly severities: readonly [Severity, ...Severity[]];
  /** The rule in words, for the README's table. */
  readonly rule: string;
  severityOf(draft: FindingDraft, account: Account, context: CheckContext): Severity;
}

/** A kind of finding and its severity: one, or a rule. */
export type KindDeclaration = Severity | SeverityRule;

/**
 * What fixing a kind of finding takes, as an action names it: a short phrase that completes "Fix press-office/x: …"
 * (`change its password`), and the platform's page it is done on, which the finding then links to.
 */
export interface FixStep {
  readonly does: string;
  readonly page?: PlatformPage;
}

/**
 * A kind of finding that exists because of another login (a takeover chain through a mailbox, a password shared with
 * it): fixing that login fixes or unblocks it. `rootOf` names the login, or undefined where the finding is the login's
 * own problem (the group's root itself).
 */
export interface DerivedKinds {
  readonly kinds: readonly string[];
  rootOf(found: Finding, estate: DerivationView): string | undefined;
}

/** What a report knows of the estate when it finds each derived finding's root. */
export interface DerivationView {
  /** The members of a reuse group, by its id. */
  membersOf(groupId: string): readonly string[] | undefined;
  /** How many logins can be taken over through a login (its `exposesCount`). */
  exposesCountOf(accountId: string): number;
}

/** The severities a kind can have, least severe first. */
export function severitiesOf(declaration: KindDeclaration): readonly Severity[] {
  return typeof declaration === 'string' ? [declaration] : declaration.severities;
}

/** A check: a small pure function from an account to its findings (none: it passed). */
export interface Check {
  readonly id: Exclude<CheckId, 'invalid-secret' | 'check-error'>;
  /**
   * What the scan must provide before running it: `secret-value`, the password and TOTP seed (a check-error when
   * the value was not read); `breach`, `strength`, `reuse`, `identity`, `mfa-provider`, evidence gathered first.
   */
  readonly needs?: readonly (
    | 'secret-value'
    | 'breach'
    | 'strength'
    | 'reuse'
    | 'identity'
    | 'mfa-provider'
    | 'recovery-graph'
    | 'reads'
  )[];
  /**
   * Every kind of problem it reports, with its severity (or the rule that gives it): the one declaration the policy's
   * override keys, the exception caps, the README's check table and the report follow. The engine stamps each finding
   * with it; a finding of a kind not declared here is reported as a check-error.
   */
  readonly kinds: Readonly<Record<string, KindDeclaration>>;
  /** How each of its kinds is fixed (every kind it declares): an action's title, and the page a finding links to. */
  readonly fixes: Readonly<Record<string, FixStep>>;
  /** Its kinds whose findings come from another login's problem, and how to find that login. */
  readonly derived?: DerivedKinds;
  /**
   * Its verdict on an account depends on the other accounts (reuse): only a run that saw the whole estate can tell
   * that such a finding is fixed, so a spot check never resolves one.
   */
  readonly estateWide?: boolean;
  /**
   * `estate`: it runs after every other check has run on every account, and reads their findings
   * (`context.estate`): a verdict on how exposed the other logins are.
   */
  readonly phase?: 'estate';
  /** Its own thresholds in the policy, with their schema and defaults (see check-settings). */
  readonly settings?: CheckSettings;
  /**
   * How its findings bear on the takeover paths through the login (the recovery check): whether they make the login
   * an open link (`opensLink`, all its kinds but those `notOpening`), and whether its having run on the login says
   * the link is judged (`judgesLink`; a check that may not run, as breached-identity, does not).
   */
  readonly takeover?: {
    readonly opensLink: boolean;
    readonly judgesLink: boolean;
    readonly notOpening?: readonly string[];
  };
  /** What it finds on the account (none: it passed); the engine adds the account, the check's id and the severity. */
  run(account: Account, context: CheckContext): FindingDraft[];
  /**
   * How strong the evidence it judged the account on is, for a check whose evidence varies (the MFA check: a provider's
   * answer, a working seed, an attestation and its age): a finding is fixed only by a run on evidence at least as
   * strong as it was found on.
   */
  evidenceLevel?(account: Account, context: CheckContext): EvidenceLevel;
}

/**
 * Thrown by a check whose evidence is not gathered yet by design (an identity the identity source's rotation reaches in a later
 * run): the account's outcome for it is `pending`, counted in the report's coverage; neither a pass nor a finding, so
 * nothing is announced now and "fixed" later.
 */
export class CheckPendingError extends Error {
  override readonly name = 'CheckPendingError';
}

/** Thrown by a check that cannot reach a verdict; the scan reports it as a `check-error`, never as a pass. */
export class CheckUnavailableError extends Error {
  override readonly name = 'CheckUnavailableError';
}
