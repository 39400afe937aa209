import { createHash, randomBytes } from 'node:crypto';
import bundledCatalog from '../lambdas/core/platforms.json';

export interface SyntheticInventory {
  /** Inventory entries, as the inventory file holds them. */
  readonly accounts: Record<string, unknown>[];
  /** Full upper-case SHA-1s the synthetic corpus must hold (the breached passwords). */
  readonly breachedHashes: string[];
}

const PLATFORMS = [...bundledCatalog.platforms.map((platform) => platform.domain), 'newswire-portal.example'];
const DAY = 86_400_000;

/**
 * N shared logins as an estate would hold them: unique random 18-character passwords, 2% in the breach corpus, 3%
 * reusing another account's password, a mix of platforms and 20 owning teams, most with a TOTP seed.
 */
export function syntheticInventory(count: number, now = Date.now()): SyntheticInventory {
  const accounts: Record<string, unknown>[] = [];
  const breachedHashes: string[] = [];
  for (let index = 0; index < count; index++) {
    const reused = index % 33 === 32 ? (accounts[index - 1]?.password as string | undefined) : undefined;
    const password = reused ?? randomBytes(14).toString('base64url').slice(0, 18);
    if (index % 50 === 7) breachedHashes.push(createHash('sha1').update(password).digest('hex').toUpperCase());
    accounts.push({
      id: `team-${index % 20}/login-${index}`,
      platform: PLATFORMS[index % PLATFORMS.length],
      owner: `team-${index % 20}`,
      username: `press-desk-${index}`,
      email: `press-${index}@force-${index % 40}.example`,
      password,
      passwordChangedAt: new Date(now - ((index * 7919) % 150) * DAY).toISOString().slice(0, 10),
      ...(index % 10 < 7
        ? { totp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }
        : { mfa: { status: 'enabled', attestedAt: new Date(now - 30 * DAY).toISOString().slice(0, 10) } }),
    });
  }
  return { accounts, breachedHashes };
}
