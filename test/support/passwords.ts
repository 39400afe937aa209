import { createHash, randomBytes } from 'node:crypto';

export function sha1Hex(password: string): string {
  return createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
}

/** A random password that no dictionary or corpus holds. */
export function randomPassword(length = 20): string {
  return randomBytes(length * 2)
    .toString('base64url')
    .slice(0, length);
}

/** A padded-looking range body: the given suffix lines plus `padding` zero-count decoys. */
export function rangeBody(lines: readonly [suffix: string, count: number][], padding = 0, eol = '\r\n'): string {
  const decoys = Array.from(
    { length: padding },
    () => [randomBytes(18).toString('hex').slice(0, 35).toUpperCase(), 0] as const,
  );
  return [...lines, ...decoys].map(([suffix, count]) => `${suffix}:${count}`).join(eol);
}
