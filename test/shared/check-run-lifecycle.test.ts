import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbLifecycleStore } from '../../lambdas/adapters/dynamodb-lifecycle-store';
import { FileLifecycleStore } from '../../lambdas/adapters/file-lifecycle-store';
import type { OwnerDigest } from '../../lambdas/adapters/sns/sns-digests';
import { SnsChannel } from '../../lambdas/adapters/sns/sns-findings-publisher';
import { ownershipCheck } from '../../lambdas/core/checks/ownership';
import { passwordAgeCheck } from '../../lambdas/core/checks/password-age';
import type { InventoryEntry } from '../../lambdas/core/inventory';
import type { IdentityRecord, LifecycleStore } from '../../lambdas/core/lifecycle/lifecycle-state';
import type { NotificationChannel } from '../../lambdas/core/notification/owner-notices';
import { DEFAULT_POLICY } from '../../lambdas/core/policy';
import { type CheckRunDependencies, runChecks } from '../../lambdas/shared/check-run';
import { serveTable } from '../support/in-memory-dynamodb';

const REPO = join(__dirname, '../..');

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T06:00:00Z');
const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event' };
const KEY = Buffer.alloc(32, 9);

/** A world for one function family: an inventory to edit, a clock to move, a publisher that records or fails. */
function world(
  store: LifecycleStore,
  passwords: 'none' | 'read' | 'record' = 'record',
  moreChannels: readonly NotificationChannel[] = [],
) {
  let now = T0;
  let failPublishing = false;
  const published: OwnerDigest[][] = [];
  const entries = new Map<string, InventoryEntry>();
  const login = (id: string, changedDaysBeforeT0: number, password = `pw-${id}-long-enough`) =>
    entries.set(id, {
      ref: id,
      value: {
        id,
        platform: 'x.com',
        owner: 'press',
        password,
        passwordChangedAt: new Date(T0 - changedDaysBeforeT0 * DAY).toISOString(),
      },
    });
  const deps: CheckRunDependencies = {
    family: 'password-age',
    checks: [passwordAgeCheck, ownershipCheck],
    inventory: {
      load: async (ids) => [...entries.values()].filter((entry) => ids === undefined || ids.includes(entry.ref)),
    },
    channels: [
      new SnsChannel({
        publish: async (digests) => {
          if (failPublishing) throw Object.assign(new Error('SNS is down'), { name: 'FindingsPublishError' });
          published.push([...digests]);
          return { published: digests.length };
        },
      }),
      ...moreChannels,
    ],
    policy: DEFAULT_POLICY,
    clock: () => new Date(now),
    fingerprintKey: async () => KEY,
    log: { info: () => {}, warn: () => {} },
    metrics: { record: () => {} },
    lifecycle: { store, passwords },
  };
  return {
    login,
    published,
    at: (days: number) => {
      now = T0 + days * DAY;
    },
    failPublishing: (fail: boolean) => {
      failPublishing = fail;
    },
    run: (event: unknown = SCHEDULED) => runChecks(deps, event),
  };
}

const stores: [string, () => { store: LifecycleStore; cleanup: () => void }][] = [
  [
    'a state file',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'credential-hygiene-state-'));
      return {
        store: new FileLifecycleStore(join(dir, 'state.json')),
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
  [
    'DynamoDB',
    () => {
      const dynamo = mockClient(DynamoDBDocumentClient);
      serveTable(dynamo, () => Date.now());
      const store = new DynamoDbLifecycleStore({
        client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
        tableName: 'state',
        sleep: async () => {},
      });
      return { store, cleanup: () => dynamo.restore() };
    },
  ],
];

describe.each(stores)('Lifecycle through the check run, kept in %s', (_name, makeStore) => {
  let store: LifecycleStore;
  let cleanup: () => void;
  beforeEach(() => {
    ({ store, cleanup } = makeStore());
  });
  afterEach(() => cleanup());

  it("reads identity records an earlier version wrote in HIBP's terms into the neutral form", async () => {
    const flags = { isFabricated: false, isSpamList: false, isRetired: false };
    const asFirstStored = {
      fingerprint: 'f1',
      lastChecked: '2026-05-01T00:00:00.000Z',
      breaches: [
        { name: 'Adobe', addedDate: '2013-12-04T00:00:00.000Z', dataClasses: ['Passwords'], ...flags },
        { name: 'Gravatar', addedDate: '2021-12-08T00:00:00.000Z', dataClasses: ['Email addresses'], ...flags },
        {
          name: 'Fake',
          addedDate: '2022-01-01T00:00:00.000Z',
          dataClasses: ['Passwords'],
          ...flags,
          isFabricated: true,
        },
      ],
    };
    await store.save('password-age', {
      findings: [],
      passwords: [],
      identities: [asFirstStored] as unknown as IdentityRecord[],
    });

    const { identities } = await store.load('password-age', { withIdentities: true });

    expect(identities).toEqual([
      {
        fingerprint: 'f1',
        lastChecked: '2026-05-01T00:00:00.000Z',
        breaches: [
          { name: 'Adobe', addedDate: '2013-12-04T00:00:00.000Z', exposedPasswords: true },
          { name: 'Gravatar', addedDate: '2021-12-08T00:00:00.000Z', exposedPasswords: false },
        ],
      },
    ]);
  });

  it('walks a finding through new, unchanged, reminded, worsened and resolved', async () => {
    const w = world(store);
    w.login('press/x', 200);

    const first = await w.run();
    expect(first.lifecycle).toMatchObject({ tracked: true, new: ['press/x#password-age:too-old'] });
    expect(w.published.at(-1)?.map((digest) => digest.owner)).toEqual(['press']);

    w.at(1);
    const second = await w.run();
    expect(second.lifecycle).toMatchObject({ new: [], unchanged: ['press/x#password-age:too-old'] });
    expect(second.delivery.messages).toBe(0);

    w.at(30);
    expect((await w.run()).lifecycle.reminded).toEqual(['press/x#password-age:too-old']);

    w.at(166);
    const worse = await w.run();
    expect(worse.lifecycle.worsened).toEqual(['press/x#password-age:too-old']);
    expect(worse.findings[0]?.severity).toBe('high');

    w.at(167);
    w.login('press/x', -160, 'a-new-password-at-last');
    const fixed = await w.run();
    expect(fixed.lifecycle.resolved).toEqual(['press/x#password-age:too-old']);
    const email = JSON.parse(w.published.at(-1)?.[0]?.message ?? '{}').email as string;
    expect(email).toContain('Fixed since the last run:\n- press/x: Password is');

    w.at(168);
    const quiet = await w.run();
    expect(quiet.lifecycle.resolved).toEqual([]);
    expect(quiet.delivery.messages).toBe(0);
  });

  it('offers a closing a channel could not take to it again on later runs, until it does, and to no other', async () => {
    let failing = true;
    const closings: string[][] = [];
    const keeper: NotificationChannel = {
      id: 'keeper',
      deliver: async ({ resolved = [] }) => {
        closings.push(resolved.map((state) => state.id));
        return { messages: 0, ...(failing && resolved.length > 0 && { owed: resolved.map((state) => state.id) }) };
      },
    };
    const { login, run, at, published } = world(store, 'record', [keeper]);
    login('press/x', 200);
    await run();
    login('press/x', 0, 'a-new-password-long-enough');
    at(1);
    await run();
    at(2);
    await run();
    failing = false;
    at(3);
    await run();
    at(4);
    await run();

    const fixed = 'press/x#password-age:too-old';
    expect(closings).toEqual([[], [fixed], [fixed], [fixed], []]);
    // The owners heard of the fix once, on the run that found it.
    expect(published.flat().filter((digest) => JSON.stringify(digest).includes('Fixed')).length).toBeLessThanOrEqual(1);
    const kept = (await store.load('password-age')).findings.find((state) => state.id === fixed);
    expect(kept?.owedTo).toBeUndefined();
  });

  it('saves nothing when publishing fails, so the next run sends it again', async () => {
    const w = world(store);
    w.login('press/x', 200);
    w.failPublishing(true);

    await expect(w.run()).rejects.toThrow('SNS is down');

    w.failPublishing(false);
    w.at(1);
    expect((await w.run()).lifecycle.new).toEqual(['press/x#password-age:too-old']);
  });

  it('lets two overlapping runs notify a new finding once between them', async () => {
    const w = world(store);
    w.login('press/x', 200);

    const [a, b] = await Promise.all([w.run(), w.run()]);

    expect([a.delivery.messages, b.delivery.messages].sort()).toEqual([0, 1]);
    expect(w.published.flat()).toHaveLength(1);
  });

  it('a dry run shows what would be sent and changes nothing', async () => {
    const w = world(store);
    w.login('press/x', 200);

    const dry = await w.run({ dryRun: true });
    const real = await w.run();

    expect(dry.lifecycle.new).toEqual(['press/x#password-age:too-old']);
    expect(real.lifecycle.new).toEqual(['press/x#password-age:too-old']);
    expect(w.published).toHaveLength(1);
  });

  it('a spot check resolves nothing on the accounts it did not check', async () => {
    const w = world(store);
    w.login('press/x', 200);
    w.login('press/y', 200);
    await w.run();
    w.login('press/x', 1, 'new-password-x');
    w.login('press/y', 1, 'new-password-y');

    w.at(1);
    const spot = await w.run({ secretIds: ['press/y'] });
    w.at(2);
    const full = await w.run();

    expect(spot.lifecycle.resolved).toEqual(['press/y#password-age:too-old']);
    expect(full.lifecycle.resolved).toEqual(['press/x#password-age:too-old']);
  });

  it('a function that touches no password records never asks for them, in its lock or out of it', async () => {
    const loads: unknown[] = [];
    const asking: LifecycleStore = {
      load: (family, options) => {
        loads.push(options ?? {});
        return store.load(family, options);
      },
      save: (family, changes) => store.save(family, changes),
      withLock: (family, work) => store.withLock(family, work),
    };
    const w = world(asking, 'none');
    w.login('press/x', 200);

    await w.run();

    expect(loads.length).toBeGreaterThanOrEqual(2);
    // On AWS its role may query only its own findings: asking for the PASSWORD partition is denied.
    for (const options of loads) expect(options).toMatchObject({ withPasswords: false });
  });

  it('keeps the password age when the secret is edited but the password is not', async () => {
    const w = world(store);
    w.login('press/x', 200);
    await w.run();

    w.at(1);
    w.login('press/x', -1);
    const edited = await w.run();

    expect(edited.lifecycle.unchanged).toEqual(['press/x#password-age:too-old']);
    expect(edited.findings[0]?.evidence.ageDays).toBe(201);
  });
});

describe('Class: FileLifecycleStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credential-hygiene-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves no temporary file behind and keeps families apart', async () => {
    const path = join(dir, 'scopes.json');
    const store = new FileLifecycleStore(path);
    const state = {
      id: 'a#ownership:missing-owner',
      accountId: 'a',
      check: 'ownership',
      owner: null,
      title: 't',
      severity: 'medium',
      status: 'open',
      firstSeen: 'x',
      lastSeen: 'x',
    } as const;

    await store.save('one', { findings: [state], passwords: [{ accountId: 'a', fingerprint: 'f' }] });

    expect((await store.load('one')).findings).toEqual([state]);
    expect((await store.load('two')).findings).toEqual([]);
    expect((await store.load('two')).passwords).toEqual([{ accountId: 'a', fingerprint: 'f' }]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the record of an account called __proto__ like any other', async () => {
    const path = join(dir, 'proto.json');
    const store = new FileLifecycleStore(path);
    const record = { accountId: '__proto__', fingerprint: 'f' };

    await store.save('cli', { findings: [], passwords: [record], lastRun: '2026-06-01T00:00:00.000Z' });
    await store.save('cli', { findings: [], passwords: [], lastRun: '2026-06-02T00:00:00.000Z' });

    expect((await store.load('cli')).passwords).toEqual([record]);
  });

  it('lets go of what no rule can use again: long-resolved findings, and records no run has used for a year', async () => {
    const path = join(dir, 'pruned.json');
    const store = new FileLifecycleStore(path);
    const resolved = (id: string, resolvedAt: string, extra: object = {}) =>
      ({
        id,
        accountId: id.split('#')[0] as string,
        check: 'ownership',
        owner: null,
        title: 't',
        severity: 'medium',
        status: 'resolved',
        firstSeen: '2025-01-01T00:00:00.000Z',
        lastSeen: resolvedAt,
        resolvedAt,
        ...extra,
      }) as const;
    const identity = (fingerprint: string, lastChecked: string) => ({ fingerprint, lastChecked, breaches: [] });
    await store.save('cli', {
      findings: [
        resolved('old#ownership:missing-owner', '2025-06-01T00:00:00.000Z'),
        resolved('owed#ownership:missing-owner', '2025-06-01T00:00:00.000Z', { owedTo: ['security-hub'] }),
        resolved('recent#ownership:missing-owner', '2026-05-01T00:00:00.000Z'),
      ],
      passwords: [{ accountId: 'retired', fingerprint: 'r' }],
      identities: [
        identity('asked-long-ago', '2025-01-01T00:00:00.000Z'),
        identity('asked', '2026-05-01T00:00:00.000Z'),
      ],
      lastRun: '2025-06-01T00:00:00.000Z',
    });

    await store.save('cli', {
      findings: [],
      passwords: [{ accountId: 'current', fingerprint: 'c' }],
      lastRun: '2026-06-02T00:00:00.000Z',
    });
    const kept = await store.load('cli', { withIdentities: true });

    // A closing still owed goes with the rest, as it does from the table: Security Hub drops it after 90 days itself.
    expect(kept.findings.map((state) => state.id).sort()).toEqual(['recent#ownership:missing-owner']);
    expect(kept.passwords.map((record) => record.accountId)).toEqual(['current']);
    expect(kept.identities?.map((record) => record.fingerprint)).toEqual(['asked']);
    expect(kept.lastRun).toBe('2026-06-02T00:00:00.000Z');
  });

  it('refuses a file that is not a state file, naming it', async () => {
    const path = join(dir, 'package.json');
    require('node:fs').writeFileSync(path, '{"name": "x"}');

    await expect(new FileLifecycleStore(path).load('cli')).rejects.toThrow(
      `state file ${path} is not a credential-hygiene state file`,
    );
  });

  it('waits for a held lock, gives up with a clear error, and takes over a stale one', async () => {
    const { mkdirSync, utimesSync } = require('node:fs');
    const path = join(dir, 'locked.json');
    mkdirSync(`${path}.lock`);

    await expect(new FileLifecycleStore(path, { lockTimeoutMs: 50 }).withLock('cli', async () => 1)).rejects.toThrow(
      'is locked by another run',
    );
    // Not refreshed for a minute: its run is gone.
    utimesSync(`${path}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await expect(new FileLifecycleStore(path).withLock('cli', async () => 'taken over')).resolves.toBe('taken over');
  });

  it('keeps the lock of a live run however long it holds it, and takes over the lock of a run killed with kill -9', async () => {
    const path = join(dir, 'held.json');
    const script = join(dir, 'hold-lock.ts');
    require('node:fs').writeFileSync(
      script,
      `import { FileLifecycleStore } from ${JSON.stringify(join(REPO, 'lambdas/adapters/file-lifecycle-store'))};
new FileLifecycleStore(${JSON.stringify(path)}, { staleLockMs: 2_000 }).withLock('cli', async () => {
  process.stdout.write('HOLDING\\n');
  // A run that goes on working: the lock library's refresh timer alone would not keep the process alive.
  await new Promise(() => setInterval(() => {}, 1_000));
});`,
    );
    // One process (tsx's CLI would run the script in a child of its own, which kill -9 of the parent leaves running).
    const holder = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve) =>
        holder.stdout?.on('data', (chunk) => String(chunk).includes('HOLDING') && resolve()),
      );
      const store = new FileLifecycleStore(path, { staleLockMs: 2_000, lockTimeoutMs: 4_000 });

      // Twice the staleness: only a lock that is refreshed survives it.
      await expect(store.withLock('cli', async () => 1)).rejects.toThrow(
        new RegExp(`is locked by another run \\(process \\d+ on ${hostname()}\\)`),
      );
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
      await expect(store.withLock('cli', async () => 'taken over')).resolves.toBe('taken over');
    } finally {
      holder.kill('SIGKILL');
    }
  }, 20_000);
});
