import type { Account } from './account';
import { identifyingFields, parseAccount } from './account-parser';
import type { AccountResult } from './account-result';
import { stampedFinding } from './check-findings';
import { INVALID_SECRET_KINDS, UNREADABLE_MEMBER_KIND, UNREADABLE_MEMBER_SEVERITY } from './engine-kinds';
import type { Finding } from './finding';
import { type InventoryEntry, unreadableMemberOf } from './inventory';
import type { Policy } from './policy-model';

/** How many of an unreadable entry's problems its finding names; it counts the rest. */
const MAX_PROBLEMS_NAMED = 10;

export type ParsedEntry =
  | { readonly account: Account; readonly valueUnavailable?: string; readonly resource?: string }
  | { readonly result: AccountResult; readonly found: Finding };

/** Entries in inventory order, each parsed into an account or reported as an invalid-secret finding. */
export function parseEntries(
  entries: readonly InventoryEntry[],
  now: Date,
  policy: Policy,
  mfaProviderIds: readonly string[] | undefined,
): ParsedEntry[] {
  const items: ParsedEntry[] = [];
  const firstRefById = new Map<string, string>();
  for (const entry of entries) {
    const unreadable = unreadableMemberOf(entry);
    if (unreadable !== undefined) {
      items.push(unreadableMember(entry, unreadable, policy));
      continue;
    }
    const parsed: ReturnType<typeof parseAccount> = entry.problems?.length
      ? { ok: false, problems: entry.problems }
      : parseAccount(entry.value, now, {
          passwordRequired: entry.valueUnavailable === undefined,
          ...(mfaProviderIds && { mfaProviderIds }),
        });
    const previous = parsed.ok ? firstRefById.get(parsed.account.id) : undefined;
    if (parsed.ok && previous === undefined) {
      firstRefById.set(parsed.account.id, entry.ref);
      items.push({
        account: { ...parsed.account, ...entry.facts },
        ...(entry.valueUnavailable !== undefined && { valueUnavailable: entry.valueUnavailable }),
        ...(entry.resource !== undefined && { resource: entry.resource }),
      });
      continue;
    }
    const known = identifyingFields(entry.value);
    const allProblems = parsed.ok ? [`id: "${known.id}" is already used by ${previous}`] : parsed.problems;
    // At most a few named: an entry with ten thousand unknown fields is one finding of a bounded size, not a copy of it.
    const problems = allProblems
      .slice(0, MAX_PROBLEMS_NAMED)
      .map((problem) => withFieldSource(problem, entry.fieldSources));
    const more = allProblems.length - problems.length;
    const id = known.id !== undefined && !firstRefById.has(known.id) ? known.id : entry.ref;
    if (known.id !== undefined && !firstRefById.has(known.id)) firstRefById.set(known.id, entry.ref);
    const found = stampedFinding(
      id,
      'invalid-secret',
      {
        kind: 'invalid',
        title: `Entry cannot be read (${[...new Set(problems.map(fieldOf))].join(', ')})`,
        detail: `${entry.ref} was not checked: ${problems.join('; ')}${more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''}.`,
        remediation:
          'Fix the listed fields in the inventory entry or secret value; until then nothing about this login is checked.',
        evidence: { ref: entry.ref, problems: [...problems], ...(more > 0 && { moreProblems: more }) },
      },
      INVALID_SECRET_KINDS.invalid,
      policy,
    );
    items.push({
      found,
      result: {
        id,
        platform: known.platform ?? null,
        owner: known.owner ?? null,
        status: 'invalid',
        worstSeverity: found.severity,
        checks: { 'invalid-secret': 'failed' },
        ...(entry.resource !== undefined && { resource: entry.resource }),
        ...(entry.facts?.keptIn !== undefined && { keptIn: entry.facts.keptIn }),
      },
    });
  }
  return items;
}

/**
 * A member of the estate that could not be read: one high `check-error` of kind `member` on the member's id, its
 * line unchecked (no check ran on any of its logins).
 */
function unreadableMember(
  entry: InventoryEntry,
  { member, reason }: { readonly member: string; readonly reason: string },
  policy: Policy,
): ParsedEntry {
  const found = stampedFinding(
    member,
    'check-error',
    {
      kind: UNREADABLE_MEMBER_KIND,
      title: `${entry.ref} could not be read: none of its logins was checked`,
      detail: `${reason}. Every login kept there is unchecked this run, not passed; their open findings stay open.`,
      remediation:
        'Make the read role available there (deploy the member stack to it, or let the monitor assume it), and scan again.',
      evidence: { member, reason },
    },
    UNREADABLE_MEMBER_SEVERITY,
    policy,
  );
  return {
    found,
    result: {
      id: member,
      platform: null,
      owner: null,
      // Could not be read, as an unreadable entry: unchecked, whatever the checks.
      status: 'invalid',
      worstSeverity: found.severity,
      checks: {},
      keptIn: member,
    },
  };
}

/** `platform: must be…` becomes `tag credential-hygiene:platform: must be…` where the adapter says so. */
function withFieldSource(problem: string, sources: InventoryEntry['fieldSources']): string {
  const field = fieldOf(problem);
  // `mfa.methods[1]` comes from where `mfa.methods` does.
  const source = sources?.[field] ?? sources?.[field.replace(/\[\d+\]$/, '')];
  return source === undefined ? problem : `${source}${problem.slice(field.length)}`;
}

/** Problems read `field: what is wrong`; a field (a tag key) may itself hold colons, but never a colon and a space. */
function fieldOf(problem: string): string {
  const end = problem.indexOf(': ');
  return end === -1 ? problem : problem.slice(0, end);
}
