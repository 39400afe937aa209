import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { parse as parseOtpauthUri } from '@otplib/uri';
import { createGuardrails, generateSync } from 'otplib';

export type TotpSeedVerdict = { readonly valid: true } | { readonly valid: false; readonly reason: string };

/** 80 bits: what most services issue (16 base32 characters), below RFC 4226's recommended 160. */
const MIN_SECRET_BYTES = 10;
const guardrails = createGuardrails({ MIN_SECRET_BYTES });
/** node:crypto's native HMAC: otplib's default is a JavaScript one, many times slower, and a scan checks every seed. */
const crypto = new NodeCryptoPlugin();
const BASE32 = /^[A-Z2-7]+=*$/;

/**
 * Checks that a stored TOTP secret (an `otpauth://totp/` URI or a bare base32 seed) can really generate codes, by
 * generating one for `now`. Reasons never quote the seed: the libraries' own messages do, so they are not passed on.
 */
export function verifyTotpSeed(value: string, now: Date): TotpSeedVerdict {
  let seed = value;
  let algorithm: 'sha1' | 'sha256' | 'sha512' | undefined;
  let digits: 6 | 7 | 8 | undefined;
  let period: number | undefined;
  if (/^otpauth:/i.test(value.trim())) {
    let uri: ReturnType<typeof parseOtpauthUri>;
    try {
      uri = parseOtpauthUri(value.trim());
    } catch {
      return { valid: false, reason: 'the otpauth:// URI cannot be parsed or has no secret' };
    }
    if (uri.type !== 'totp') return { valid: false, reason: 'the otpauth:// URI is not for TOTP' };
    seed = uri.params.secret;
    algorithm = uri.params.algorithm as typeof algorithm;
    digits = uri.params.digits as typeof digits;
    period = uri.params.period;
  }
  const normalized = seed.replace(/[\s-]/g, '').toUpperCase().replace(/=+$/, '');
  if (normalized.length === 0) return { valid: false, reason: 'the seed is empty' };
  if (!BASE32.test(normalized)) return { valid: false, reason: 'the seed is not base32 (A-Z and 2-7)' };
  const bits = Math.floor((normalized.length * 5) / 8) * 8;
  if (bits < MIN_SECRET_BYTES * 8) {
    return { valid: false, reason: `the seed is too short (${bits} bits; at least ${MIN_SECRET_BYTES * 8})` };
  }
  const padded = normalized.padEnd(Math.ceil(normalized.length / 8) * 8, '=');
  try {
    const code = generateSync({
      secret: padded,
      epoch: Math.floor(now.getTime() / 1000),
      guardrails,
      crypto,
      ...(algorithm !== undefined && { algorithm }),
      ...(digits !== undefined && { digits }),
      ...(period !== undefined && { period }),
    });
    return /^\d{6,8}$/.test(code) ? { valid: true } : { valid: false, reason: 'no code could be generated' };
  } catch {
    return { valid: false, reason: 'no code could be generated from it (bad length or parameters)' };
  }
}
