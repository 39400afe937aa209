import { BatchGetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { parseMemberAccountsSettings } from '../../lambdas/adapters/organizations/member-accounts-settings';
import { MemberAccountsInventory } from '../../lambdas/adapters/organizations/member-inventory';

const TAG = 'credential-hygiene:platform';
const OWN = '111111111111';
const MEMBERS = ['222222222222', '333333333333', '444444444444'];

/** One Secrets Manager client per account, each holding one monitored secret `team/x`; which were asked, and when. */
function estate() {
  const clients = new Map<string, SecretsManagerClient>();
  const assumed: string[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  for (const account of [OWN, ...MEMBERS]) {
    const client = new SecretsManagerClient({ region: 'eu-west-2' });
    const mock = mockClient(client);
    const arn = `arn:aws:secretsmanager:eu-west-2:${account}:secret:team/x-AbCdEf`;
    mock.on(ListSecretsCommand).callsFake(async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { SecretList: [{ ARN: arn, Name: 'team/x', Tags: [{ Key: TAG, Value: 'x.com' }] }] };
    });
    mock.on(BatchGetSecretValueCommand).resolves({
      SecretValues: [{ ARN: arn, Name: 'team/x', SecretString: JSON.stringify({ password: `pw-${account}-long` }) }],
    });
    clients.set(account, client);
  }
  const settings = (raw: unknown) => {
    const parsed = parseMemberAccountsSettings(raw, 'accounts');
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    return parsed.settings;
  };
  const inventory = (raw: unknown, denied: readonly string[] = []) =>
    new MemberAccountsInventory({
      settings: settings(raw),
      inventory: { readValues: true },
      ownAccount: async () => OWN,
      ownClient: clients.get(OWN) as SecretsManagerClient,
      memberClient: async (account) => {
        assumed.push(account);
        if (denied.includes(account)) throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
        return clients.get(account) as SecretsManagerClient;
      },
      organizations: () => {
        throw new Error('accountIds need no Organizations call');
      },
    });
  return { inventory, assumed, mostInFlight: () => mostInFlight };
}

describe('The member inventory (an organisation read account by account)', () => {
  it("reads its own account directly and each member through its role, at most `concurrency` at once; a member's id heads its logins", async () => {
    const world = estate();
    const inventory = world.inventory({ accountIds: [OWN, ...MEMBERS], concurrency: 2 });
    const entries = await inventory.load();
    // Its own account's logins keep their names as ids: enabling accounts on a running monitor renames none of them.
    expect(entries.map((entry) => entry.ref)).toEqual(['team/x', ...MEMBERS.map((account) => `${account}/team/x`)]);
    expect(entries.map((entry) => entry.facts?.keptIn)).toEqual([OWN, ...MEMBERS]);
    expect(world.assumed.sort()).toEqual(MEMBERS);
    expect(world.mostInFlight()).toBe(2);
    expect(inventory.members()).toMatchObject({ failed: [], skipped: [] });
  });

  it('a spot check reads only the members its ids name, by login id or ARN; an id of no member is a problem entry', async () => {
    const world = estate();
    const inventory = world.inventory({ accountIds: MEMBERS });
    const entries = await inventory.load([
      '222222222222/team/x',
      'arn:aws:secretsmanager:eu-west-2:444444444444:secret:team/x-AbCdEf',
      '999999999999/team/x',
    ]);
    expect(world.assumed.sort()).toEqual(['222222222222', '444444444444']);
    expect(entries.map((entry) => entry.ref)).toEqual([
      '222222222222/team/x',
      '444444444444/team/x',
      '999999999999/team/x',
    ]);
    expect(entries[2]?.problems?.[0]).toMatch(/names no secret of a member account read here/);
  });

  it('a spot check by a plain name reads its own account; its own account failing fails the load, as without members', async () => {
    const world = estate();
    const inventory = world.inventory({ accountIds: [OWN, ...MEMBERS] });
    expect((await inventory.load(['team/x'])).map((entry) => entry.ref)).toEqual(['team/x']);
    expect(world.assumed).toEqual([]);
    const parsed = parseMemberAccountsSettings({ accountIds: [OWN] }, 'accounts');
    if (!parsed.ok) throw new Error('settings');
    const ownClient = new SecretsManagerClient({ region: 'eu-west-2' });
    mockClient(ownClient)
      .on(ListSecretsCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    const failing = new MemberAccountsInventory({
      settings: parsed.settings,
      inventory: { readValues: true },
      ownAccount: async () => OWN,
      ownClient,
      memberClient: async () => {
        throw new Error('not asked');
      },
      organizations: () => {
        throw new Error('not asked');
      },
    });
    await expect(failing.load()).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('a member whose role is refused is one unreadable entry naming the role and the error; the others are read', async () => {
    const world = estate();
    const inventory = world.inventory({ accountIds: MEMBERS, roleName: 'Reader' }, ['333333333333']);
    const entries = await inventory.load();
    const failed = entries.find((entry) => entry.unreadableMember !== undefined);
    expect(failed).toMatchObject({ value: { id: '333333333333' }, facts: { keptIn: '333333333333' } });
    expect(failed?.unreadableMember).toBe(
      'the role Reader could not be assumed (AccessDenied): deploy the member stack there, or check its trust',
    );
    expect(entries.filter((entry) => entry.unreadableMember === undefined)).toHaveLength(2);
    expect(inventory.members()?.failed.map((each) => each.id)).toEqual(['333333333333']);
  });
});

describe('Member discovery from Organizations', () => {
  it('refuses an endless listing with a clear error, past its bound, instead of holding it', async () => {
    const { ListAccountsCommand, OrganizationsClient } = await import('@aws-sdk/client-organizations');
    const { discoverMembers, MAX_LISTED_ACCOUNTS } = await import(
      '../../lambdas/adapters/organizations/member-accounts'
    );
    const client = new OrganizationsClient({ region: 'us-east-1' });
    let pages = 0;
    mockClient(client)
      .on(ListAccountsCommand)
      .callsFake(async () => {
        pages += 1;
        const start = pages * 20;
        return {
          Accounts: Array.from({ length: 20 }, (_, index) => ({
            Id: String(100000000000 + start + index),
            Status: 'ACTIVE',
          })),
          NextToken: `page-${pages}`,
        };
      });
    const parsed = parseMemberAccountsSettings({ organizationUnits: 'all' }, 'accounts');
    if (!parsed.ok) throw new Error('settings');
    await expect(discoverMembers(parsed.settings, () => client as never)).rejects.toThrow(
      `Organizations listed more than ${MAX_LISTED_ACCOUNTS} accounts`,
    );
    expect(pages).toBe(MAX_LISTED_ACCOUNTS / 20 + 1);
  });
});
