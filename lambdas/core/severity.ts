/** Severities, worst first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

export type Severity = (typeof SEVERITIES)[number];

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** A severity as a number, worse higher (info 0, critical 4): for ranking many at once without arrays. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** The severity of a rank (`severityRank`'s inverse). */
export function severityOfRank(rank: number): Severity {
  return SEVERITIES[SEVERITIES.length - 1 - rank] ?? 'info';
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** Sort comparator: worst first. */
export function bySeverityDescending(a: Severity, b: Severity): number {
  return RANK[b] - RANK[a];
}

export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

export function worstOf(severities: Iterable<Severity>): Severity | undefined {
  let worst: Severity | undefined;
  for (const severity of severities) {
    if (worst === undefined || RANK[severity] > RANK[worst]) worst = severity;
  }
  return worst;
}
