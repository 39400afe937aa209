import type { Account } from '../../lambdas/core/account';
import type { CheckContext, PasswordEvidence } from '../../lambdas/core/check';
import { PlatformCatalog } from '../../lambdas/core/platform-catalog';
import { DEFAULT_POLICY, type Policy } from '../../lambdas/core/policy';
import { INVENTORY_FILE_TERMS } from '../../lambdas/core/store-terms';

export const NOW = new Date('2026-06-01T00:00:00Z');

export function anAccount(overrides: Partial<Account> = {}): Account {
  return {
    id: 'press-office/x',
    platform: 'x.com',
    owner: 'press-office',
    username: 'NorthshirePolice',
    email: 'press@northshire-police.example',
    password: 'pZ8#vQ2!rT6@kL9$mN4%',
    passwordChangedAt: new Date('2026-05-01T00:00:00Z'),
    ...overrides,
  };
}

export function aContext(
  overrides: { evidence?: Partial<PasswordEvidence>; policy?: Policy; now?: Date; platforms?: PlatformCatalog } = {},
): CheckContext {
  return {
    now: overrides.now ?? NOW,
    policy: overrides.policy ?? DEFAULT_POLICY,
    platforms: overrides.platforms ?? PlatformCatalog.bundled(),
    evidence: { ...overrides.evidence },
    store: INVENTORY_FILE_TERMS,
  };
}
