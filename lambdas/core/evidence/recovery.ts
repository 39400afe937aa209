import type { Account } from '../account';
import type { EstateView, LinkVerdict, RecoveryPaths, Takeover, TakeoverChain, TakeoverGraph } from '../check';
import { mailboxAddress } from '../email-address';
import type { AddressRules, PlatformCatalog } from '../platform-catalog';
import { SEVERITIES, type Severity } from '../severity';
import { byCodeUnits } from '../text-order';
import type { CollectionContext, EvidenceCollector } from './collector';

/** What a login that holds no address leads to: nothing (one list for all of them, never written to). */
const NOWHERE: readonly number[] = Object.freeze([]);

/** How many ids a list of other logins names (`exposes`, `samePhone`); the count says how many there are in all. */
export const MAX_NAMED_LOGINS = 10;
/** How many chains a takeover finding shows: the way in through the worst link, then one through each lesser kind. */
export const MAX_CHAINS_SHOWN = 3;
/** The links of a long chain shown nearest the login, before the ones left out and the link it ends at. */
export const MAX_NEAR_LINKS_SHOWN = 4;

/**
 * The estate's access graph (Hammann et al., "User Account Access Graphs", CCS 2019): login M can take over login L
 * when M is the mailbox of an address L sends its resets to (L's recovery email, its own email, or a username that is
 * an address). A login on a platform that hosts mailboxes (the catalog's `mailbox`) is the mailbox of its username or
 * email address.
 *
 * The addresses are nodes of their own, between the mailboxes that hold them and the logins that reset through them,
 * so that the graph is linear in the estate: 1,000 mailboxes sharing one address are 2,000 edges, not a million. Every
 * walk is a breadth-first search over it, so each is linear in logins + addresses + edges, and a cycle ends a chain of
 * itself (a node is visited once per source). The takeover verdicts of all logins come from a fixed number of
 * searches (one per severity, and one for links that could not be judged), made once per estate; the blast radius of
 * each mailbox is one search from it: at most mailboxes x (logins + addresses + edges) in all.
 */
export class RecoveryGraph implements TakeoverGraph {
  /** Logins are nodes 0..ids.length-1, addresses the nodes after them. */
  private readonly ids: readonly string[];
  /** Who each node leads to: a login to the addresses it holds, an address to the logins that reset through it. */
  private readonly next: readonly (readonly number[])[];
  /** Addresses a monitored mailbox holds. */
  readonly heldAddresses: ReadonlySet<string>;
  private readonly verdicts = new WeakMap<EstateView, Map<string, Takeover>>();
  /**
   * Whether any login can reset another: a mailbox whose own address is all that leads back to it (the usual case,
   * every mailbox with an address of its own) resets nothing, and then no search is needed.
   */
  private resets = false;
  /** Orders login nodes by their ids' code units. */
  private readonly byId = (a: number, b: number) => byCodeUnits(this.ids[a] as string, this.ids[b] as string);

  constructor(
    accounts: readonly Account[],
    isMailbox: (account: Account) => boolean,
    private readonly rules: readonly AddressRules[] = [],
  ) {
    // Logins in the inventory's order; what a walk meets first is ordered by id below (each address's logins, each
    // search's sources), so that every chain and list shown is the same on every run, however the estate was listed.
    this.ids = accounts.map((account) => account.id);
    const addressIndex = new Map<string, number>();
    // A login leads somewhere only if it is a mailbox: the others share one empty list.
    const next: number[][] = new Array(accounts.length).fill(NOWHERE);
    const held = new Set<string>();
    const holders = new Map<number, number[]>();
    for (const [index, account] of accounts.entries()) {
      if (!isMailbox(account)) continue;
      for (const name of [account.username, account.email]) {
        if (name === undefined || !name.includes('@')) continue;
        const address = mailboxAddress(name, rules);
        let node = addressIndex.get(address);
        if (node === undefined) {
          node = next.length;
          addressIndex.set(address, node);
          next.push([]);
          held.add(address);
        }
        if (next[index] === NOWHERE) next[index] = [];
        const holds = next[index] as number[];
        if (!holds.includes(node)) {
          holds.push(node);
          const holding = holders.get(node);
          if (holding) holding.push(index);
          else holders.set(node, [index]);
        }
      }
    }
    // Only addresses a monitored mailbox holds lead anywhere: with none, no login can reset another.
    if (addressIndex.size > 0) {
      for (const [index, account] of accounts.entries()) {
        for (const name of [account.recoveryEmail, account.email, account.username]) {
          if (name === undefined || !name.includes('@')) continue;
          const node = addressIndex.get(mailboxAddress(name, rules));
          if (node === undefined) continue;
          const resetters = next[node] as number[];
          // One login whose email and recovery email are the same address is one way in, not two.
          if (resetters.at(-1) !== index) resetters.push(index);
        }
      }
      for (let node = accounts.length; node < next.length; node++) {
        const resetters = (next[node] as number[]).sort(this.byId);
        // A way in from one login to another: an address held by one login and reset through by another.
        // (Two holders reach each other; one holder reaches any resetter but itself: no pairwise walk is needed.)
        const holding = holders.get(node) ?? [];
        if (resetters.length > 0 && (holding.length > 1 || resetters.some((resetter) => resetter !== holding[0]))) {
          this.resets = true;
        }
      }
    }
    this.next = next;
    this.heldAddresses = held;
  }

  /** Whether a monitored mailbox holds this address. */
  holds(address: string): boolean {
    return this.heldAddresses.has(mailboxAddress(address, this.rules));
  }

  /**
   * Each login's blast radius: how many logins can be taken over through it (at any depth), and the nearest of them,
   * at most `MAX_NAMED_LOGINS`. One breadth-first search from each login that holds an address someone resets through.
   */
  blastRadius(): ReadonlyMap<string, { readonly ids: readonly string[]; readonly count: number }> {
    if (!this.resets) return new Map();
    const radius = new Map<string, { ids: string[]; count: number }>();
    const seen = new Int32Array(this.next.length).fill(-1);
    const queue = new Int32Array(this.next.length);
    for (let source = 0; source < this.ids.length; source++) {
      if ((this.next[source] as number[]).every((address) => (this.next[address] as number[]).length === 0)) continue;
      let head = 0;
      let tail = 0;
      queue[tail++] = source;
      seen[source] = source;
      const named: string[] = [];
      let count = 0;
      while (head < tail) {
        const node = queue[head++] as number;
        for (const to of this.next[node] as number[]) {
          if (seen[to] === source) continue;
          seen[to] = source;
          queue[tail++] = to;
          if (to < this.ids.length) {
            count += 1;
            if (named.length < MAX_NAMED_LOGINS) named.push(this.ids[to] as string);
          }
        }
      }
      if (count > 0) radius.set(this.ids[source] as string, { ids: named, count });
    }
    return radius;
  }

  /**
   * How `accountId` can be taken over through the exposed logins that can reset it, at any depth: the worst exposure
   * on the way (and of equally bad links, the nearest: the shortest way in), with the chains to it; otherwise a link
   * that could not be judged (then the verdict is pending); otherwise none. Judged for every login of the estate at
   * once, on the first ask for `estate`.
   */
  takeoverOf(accountId: string, estate: EstateView, judge: (id: string) => LinkVerdict): Takeover {
    let verdicts = this.verdicts.get(estate);
    if (verdicts === undefined) {
      verdicts = this.judgeAll(judge);
      this.verdicts.set(estate, verdicts);
    }
    return verdicts.get(accountId) ?? { kind: 'none' };
  }

  private judgeAll(judge: (id: string) => LinkVerdict): Map<string, Takeover> {
    if (!this.resets) return new Map();
    const bySeverity = new Map<Severity, number[]>();
    const unjudged: number[] = [];
    for (const [index, id] of this.ids.entries()) {
      const verdict = judge(id);
      if (verdict === 'unjudged') unjudged.push(index);
      else if (verdict !== 'safe') {
        const sources = bySeverity.get(verdict.severity);
        if (sources) sources.push(index);
        else bySeverity.set(verdict.severity, [index]);
      }
    }
    // The nearest link of each severity that can reach each login (other than itself), worst severity first.
    const levels = SEVERITIES.flatMap((severity) => {
      const sources = bySeverity.get(severity)?.sort(this.byId);
      return sources ? [{ severity, nearest: this.nearestOtherSource(sources) }] : [];
    });
    const verdicts = new Map<string, Takeover>();
    const pendingThrough = unjudged.length > 0 ? this.nearestOtherSource(unjudged.sort(this.byId)) : undefined;
    for (const [index, id] of this.ids.entries()) {
      const reached = levels.flatMap(({ severity, nearest }) => {
        const chain = nearest(index);
        return chain ? [{ severity, chain }] : [];
      });
      const [worst] = reached;
      if (worst !== undefined) {
        verdicts.set(id, {
          kind: 'exposed',
          severity: worst.severity,
          fixFirst: worst.chain.logins.at(-1) as string,
          chains: reached.slice(0, MAX_CHAINS_SHOWN).map(({ chain }) => chain),
        });
        continue;
      }
      const pending = pendingThrough?.(index);
      if (pending) verdicts.set(id, { kind: 'pending', link: pending.logins.at(-1) as string });
    }
    return verdicts;
  }

  /**
   * A multi-source breadth-first search that keeps, at each node, the two nearest distinct sources that reach it (a
   * node is labelled at most twice, so the search is linear): the nearest source other than a login itself is then
   * always one of its two. Returns, for a login, the chain from it back to that source (`[login, the mailbox that
   * resets it, …, source]`, the middle of a long one left out), or undefined when no other source reaches it.
   */
  private nearestOtherSource(sources: readonly number[]): (login: number) => TakeoverChain | undefined {
    const size = this.next.length;
    const source = [new Int32Array(size).fill(-1), new Int32Array(size).fill(-1)] as const;
    const parent = [new Int32Array(size).fill(-1), new Int32Array(size).fill(-1)] as const;
    const distance = [new Int32Array(size), new Int32Array(size)] as const;
    const queueNode = new Int32Array(2 * size);
    const queueSlot = new Uint8Array(2 * size);
    let head = 0;
    let tail = 0;
    for (const start of sources) {
      source[0][start] = start;
      queueNode[tail] = start;
      queueSlot[tail++] = 0;
    }
    while (head < tail) {
      const node = queueNode[head] as number;
      const slot = queueSlot[head++] as 0 | 1;
      const from = source[slot][node] as number;
      for (const to of this.next[node] as number[]) {
        if (source[0][to] === from || source[1][to] === from) continue;
        const free = source[0][to] === -1 ? 0 : source[1][to] === -1 ? 1 : undefined;
        if (free === undefined) continue;
        source[free][to] = from;
        parent[free][to] = node;
        distance[free][to] = (distance[slot][node] as number) + 1;
        queueNode[tail] = to;
        queueSlot[tail++] = free;
      }
    }
    return (login) => {
      const slot = source[0][login] !== -1 && source[0][login] !== login ? 0 : source[1][login] !== -1 ? 1 : undefined;
      if (slot === undefined) return undefined;
      const from = source[slot][login] as number;
      // Every other node on the way is an address: a chain of h resets is 2h steps and h + 1 logins.
      const logins = (distance[slot][login] as number) / 2 + 1;
      const shown = [this.ids[login] as string];
      let node = parent[slot][login] as number;
      while (shown.length < Math.min(logins - 1, MAX_NEAR_LINKS_SHOWN + 1)) {
        if (node < this.ids.length) shown.push(this.ids[node] as string);
        node = parent[source[0][node] === from ? 0 : 1][node] as number;
      }
      shown.push(this.ids[from] as string);
      const hidden = logins - shown.length;
      return hidden > 0 ? { logins: shown, hidden } : { logins: shown };
    };
  }
}

/**
 * The logins that share each recovery phone with others, by login: at most `MAX_NAMED_LOGINS` of them named, and how
 * many in all (a phone on 1,000 logins is one list, not a million names).
 */
function samePhones(accounts: readonly Account[]): Map<string, { readonly ids: string[]; readonly count: number }> {
  const byPhone = new Map<string, string[]>();
  for (const account of accounts) {
    if (account.recoveryPhone === undefined) continue;
    const ids = byPhone.get(account.recoveryPhone);
    if (ids) ids.push(account.id);
    else byPhone.set(account.recoveryPhone, [account.id]);
  }
  const same = new Map<string, { ids: string[]; count: number }>();
  for (const ids of byPhone.values()) {
    if (ids.length < 2) continue;
    ids.sort(byCodeUnits);
    const first = ids.slice(0, MAX_NAMED_LOGINS + 1);
    for (const id of ids) {
      same.set(id, {
        ids: first.filter((other) => other !== id).slice(0, MAX_NAMED_LOGINS),
        count: ids.length - 1,
      });
    }
  }
  return same;
}

/** The takeover graph, for the recovery check, and what each login exposes, for the report. */
export function recoveryCollector(): EvidenceCollector<'recovery'> {
  return {
    need: 'recovery-graph',
    provides: 'recovery',
    collect: async ({ accounts, platforms }: CollectionContext) => {
      const graph = recoveryGraphOf(accounts, platforms);
      const shared = samePhones(accounts);
      const byAccount = new Map<string, RecoveryPaths>(
        accounts.map((account) => {
          const samePhone = shared.get(account.id);
          return [
            account.id,
            {
              graph,
              ...(account.recoveryEmail !== undefined && {
                recoveryEmailMonitored: graph.holds(account.recoveryEmail),
              }),
              ...(samePhone !== undefined && { samePhone }),
            },
          ];
        }),
      );
      return { byAccount, result: { exposes: graph.blastRadius() } };
    },
  };
}

/** The estate's takeover graph, with the mailboxes and address rules the catalog records. */
export function recoveryGraphOf(accounts: readonly Account[], platforms: PlatformCatalog): RecoveryGraph {
  return new RecoveryGraph(
    accounts,
    (account) => platforms.find(account.platform)?.mailbox === true,
    platforms.addressRules(),
  );
}
