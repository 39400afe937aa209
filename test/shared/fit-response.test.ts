import { SnsChannel } from '../../lambdas/adapters/sns/sns-findings-publisher';
import { ownershipCheck } from '../../lambdas/core/checks/ownership';
import { DEFAULT_POLICY } from '../../lambdas/core/policy';
import { fitResponse, runChecks } from '../../lambdas/shared/check-run';

async function response(accounts: number) {
  return runChecks(
    {
      family: 'password-age',
      checks: [ownershipCheck],
      inventory: {
        load: async () =>
          Array.from({ length: accounts }, (_, index) => ({
            ref: `inventory[${index}]`,
            value: { id: `press/é-${index}`, platform: 'x.com', password: 'p', ...(index % 2 && { owner: 'desk' }) },
          })),
      },
      channels: [new SnsChannel({ publish: async (digests) => ({ published: digests.length }) })],
      policy: DEFAULT_POLICY,
      clock: () => new Date('2026-06-01T00:00:00Z'),
      fingerprintKey: async () => Buffer.alloc(32, 1),
      log: { info: () => {}, warn: () => {} },
      metrics: { record: () => {} },
    },
    { dryRun: true },
  );
}

describe('Function: fitResponse', () => {
  it('keeps the per-account list while the whole response fits, to the byte, and leaves it out past that', async () => {
    const full = await response(30);
    const bytes = Buffer.byteLength(JSON.stringify(full));

    expect(fitResponse(full, bytes)).toBe(full);
    const trimmed = fitResponse(full, bytes - 1);
    expect(trimmed.accounts).toEqual([]);
    expect(trimmed.omitted).toEqual({
      accounts: 30,
      reason: expect.stringMatching(/scan fewer secrets \(secretIds\)/),
    });
    expect(trimmed.summary).toEqual(full.summary);
    expect(trimmed.findings).toEqual(full.findings);
  });

  it('measures a response with no accounts too', async () => {
    const empty = await response(0);

    expect(fitResponse(empty, Buffer.byteLength(JSON.stringify(empty)))).toBe(empty);
    expect(fitResponse(empty, Buffer.byteLength(JSON.stringify(empty)) - 1).omitted?.accounts).toBe(0);
  });
});
