import { createHmac, hash } from 'node:crypto';

/** The upper-case SHA-1 of a password split for a k-anonymity range query: only `prefix` may leave the process. */
export interface Sha1Split {
  readonly prefix: string;
  readonly suffix: string;
}

export function sha1Split(password: string): Sha1Split {
  const hex = hash('sha1', password, 'hex').toUpperCase();
  return { prefix: hex.slice(0, 5), suffix: hex.slice(5) };
}

/**
 * A keyed fingerprint (HMAC-SHA-256) for comparing passwords without holding them side by side. Unlike a plain
 * hash it cannot be looked up in a breach corpus without the key.
 */
export function passwordFingerprint(key: Uint8Array, password: string): string {
  return createHmac('sha256', key).update(password, 'utf8').digest('base64url');
}

/** A short digest of non-secret text (an account's words), to tell whether it changed since a verdict was made. */
export function digestOf(parts: readonly string[]): string {
  return hash('sha256', parts.join('\u0000'), 'base64url').slice(0, 22);
}
