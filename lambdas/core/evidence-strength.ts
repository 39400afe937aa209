/**
 * How strong the evidence a check judged an account on was, weakest first: `none`; `stale` (the owner's word, past
 * the age it is trusted for); `attested` (the owner's word); `vault` (a working secret is held: a TOTP seed);
 * `verified` (an identity provider said). A finding found on some evidence is fixed only by a run of its check on
 * evidence at least as strong: an attestation that aged says nothing about whether SMS was replaced.
 */
export const EVIDENCE_LEVELS = ['none', 'stale', 'attested', 'vault', 'verified'] as const;

export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

export function isWeakerEvidence(level: EvidenceLevel, than: EvidenceLevel): boolean {
  return EVIDENCE_LEVELS.indexOf(level) < EVIDENCE_LEVELS.indexOf(than);
}

export function isEvidenceLevel(value: unknown): value is EvidenceLevel {
  return typeof value === 'string' && (EVIDENCE_LEVELS as readonly string[]).includes(value);
}

/** The levels a report names: an out-of-date attestation is still an attestation there (its age is a finding). */
export type ShownEvidenceLevel = Exclude<EvidenceLevel, 'stale'>;

export function shownEvidenceLevel(level: EvidenceLevel): ShownEvidenceLevel {
  return level === 'stale' ? 'attested' : level;
}
