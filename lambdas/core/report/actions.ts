import type { DerivationView } from '../check';
import { derivationOf, fixStepOf } from '../check-registry';
import type { Finding } from '../finding';
import { appendTo } from '../grouping';
import { inProse } from '../prose';
import { type Severity, severityOfRank, severityRank } from '../severity';
import { byCodeUnits } from '../text-order';

/**
 * One thing to do, on one login, and everything doing it fixes: its own findings, and the findings on other logins
 * that exist only because of it (the takeover chains through a mailbox, the shared password of a group).
 */
export interface Action {
  /** `fix:<account id>`, the same for the same login on every run. */
  readonly id: string;
  readonly account: string;
  readonly owner: string | null;
  /** `Fix press-office/mailbox: change its password and turn on a second factor` */
  readonly title: string;
  /** The worst of the findings it resolves. */
  readonly severity: Severity;
  /** The ids of the findings it resolves or unblocks: the login's own, then those on the logins it exposes. */
  readonly fixes: readonly string[];
  /** The logins whose findings exist because of this one, in code-unit order. */
  readonly exposes: readonly string[];
  /** The platform's page where the first step is done, when the catalog has one. */
  readonly link?: string;
}

/** What the root-cause analysis tells the report. */
export interface RootCauses {
  /** Ranked: the worst severity among what each resolves, then the number of logins it exposes. */
  readonly actions: readonly Action[];
  /** For each derived finding, the id of the action that fixes or unblocks it. */
  readonly rootActionOf: ReadonlyMap<string, string>;
  /** The logins whose open findings all exist because of another login: exposed, not at risk in their own right. */
  readonly exposed: ReadonlySet<string>;
}

/** The id of the action that fixes a login. */
export function actionId(accountId: string): string {
  return `fix:${accountId}`;
}

/**
 * The few actions that fix most. Each open finding is the login's own, or derived from another login (the check
 * declares which kinds are, and which login: see `Check.derived`). A derived finding's root is followed through
 * logins that have no problem of their own (a mailbox whose only problem is a password shared with another login) to
 * the login whose fix ends it; a cycle of such logins ends at the first one met. Linear in the findings and logins:
 * each login's root is resolved once.
 */
export function rootCauses(
  accounts: readonly { readonly id: string; readonly owner: string | null; readonly exposesCount?: number }[],
  findings: readonly Finding[],
  reuseGroups: Readonly<Record<string, readonly string[]>> | undefined,
): RootCauses {
  const accountById = new Map(accounts.map((account) => [account.id, account]));
  const view: DerivationView = {
    membersOf: (groupId) =>
      reuseGroups !== undefined && Object.hasOwn(reuseGroups, groupId) ? reuseGroups[groupId] : undefined,
    exposesCountOf: (accountId) => accountById.get(accountId)?.exposesCount ?? 0,
  };
  const open = findings.filter((found) => found.accepted === undefined);
  /** Each derived finding's direct root: the login its check names. */
  const directRoot = new Map<string, string>();
  const ownOf = new Map<string, Finding[]>();
  /** Each login's derived findings, worst first (the report's order): the first is followed to find its root. */
  const derivedOn = new Map<string, Finding[]>();
  for (const found of open) {
    const root = derivationOf(found)?.rootOf(found, view);
    const derived = root !== undefined && root !== found.accountId && accountById.has(root);
    if (derived) directRoot.set(found.id, root);
    appendTo(derived ? derivedOn : ownOf, found.accountId, found);
  }

  // A login's root: itself when it has problems of its own, else the root of its worst derived finding's login.
  const rootOfLogin = new Map<string, string>();
  const resolve = (start: string): string => {
    const path: string[] = [];
    const onPath = new Set<string>();
    let at = start;
    let root: string | undefined;
    while (root === undefined) {
      const known = rootOfLogin.get(at);
      if (known !== undefined) root = known;
      else if (onPath.has(at) || ownOf.has(at)) root = onPath.has(at) ? start : at;
      else {
        const first = derivedOn.get(at)?.[0];
        const next = first === undefined ? undefined : directRoot.get(first.id);
        if (next === undefined) root = at;
        else {
          path.push(at);
          onPath.add(at);
          at = next;
        }
      }
    }
    for (const login of path) rootOfLogin.set(login, root);
    return root;
  };

  const derivedFixesOf = new Map<string, Finding[]>();
  const rootActionOf = new Map<string, string>();
  for (const found of open) {
    const direct = directRoot.get(found.id);
    if (direct === undefined) continue;
    const root = resolve(direct);
    rootActionOf.set(found.id, actionId(root));
    appendTo(derivedFixesOf, root, found);
  }
  const acceptedOn = new Map<string, Finding[]>();
  for (const found of findings) {
    if (found.accepted !== undefined) appendTo(acceptedOn, found.accountId, found);
  }

  const roots = new Set(ownOf.keys());
  for (const login of derivedFixesOf.keys()) roots.add(login);
  // The rank of each action, kept beside it (not on it) so that the actions need no copy to drop it.
  const ranked: { readonly action: Action; readonly rank: number; readonly reach: number }[] = [];
  const NONE: readonly Finding[] = [];
  for (const login of roots) {
    const own = ownOf.get(login) ?? NONE;
    const derived = derivedFixesOf.get(login) ?? NONE;
    const account = accountById.get(login);
    const exposes =
      derived.length === 0
        ? []
        : [...new Set(derived.map((found) => found.accountId))].filter((id) => id !== login).sort(byCodeUnits);
    // A root whose own problems are all accepted still opens the logins behind it: its title says what they are.
    const steps = own.length > 0 ? own : (acceptedOn.get(login) ?? NONE);
    let link: string | undefined;
    let rank = severityRank('info');
    const fixes: string[] = [];
    for (const list of [own, derived]) {
      for (const found of list) {
        fixes.push(found.id);
        rank = Math.max(rank, severityRank(found.severity));
        if (link === undefined && list === own) link = found.link;
      }
    }
    const action: Action = {
      id: actionId(login),
      account: login,
      owner: account?.owner ?? null,
      title: `Fix ${login}: ${stepsText(steps)}`,
      severity: severityOfRank(rank),
      fixes,
      exposes,
      ...(link !== undefined && { link }),
    };
    ranked.push({ action, rank, reach: account?.exposesCount ?? 0 });
  }
  ranked.sort(
    (a, b) =>
      b.rank - a.rank ||
      b.action.exposes.length - a.action.exposes.length ||
      b.reach - a.reach ||
      b.action.fixes.length - a.action.fixes.length ||
      byCodeUnits(a.action.account, b.action.account),
  );
  const exposed = new Set([...derivedOn.keys()].filter((login) => !ownOf.has(login) && !derivedFixesOf.has(login)));
  return { actions: ranked.map(({ action }) => action), rootActionOf, exposed };
}

/**
 * What fixing these findings takes, as a phrase: each kind's declared step, once per platform page (a breached, weak
 * and shared password all need one new password), in the findings' order (worst first).
 */
export function stepsText(findings: readonly Finding[]): string {
  const pages = new Set<string>();
  const steps = new Set<string>();
  for (const found of findings) {
    const step = fixStepOf(found);
    if (step.page !== undefined) {
      if (pages.has(step.page)) continue;
      pages.add(step.page);
    }
    steps.add(step.does);
  }
  return steps.size === 0 ? 'review what exposes it' : inProse([...steps], 'and');
}
