/**
 * A generated estate of secrets and ninety days of CloudTrail reads of them, with what a correct reading of them must
 * conclude worked out here independently of the code under test: who read each current password, and who of them has
 * left. Deterministic (a seeded generator), so a failure is reproducible.
 */

const DAY_MS = 86_400_000;

/** A small, seeded pseudo-random generator (mulberry32): the same estate on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNT = '111122223333';
const SSO_ROLE = 'AWSReservedSSO_SharedLogins_0123456789abcdef';

/** A read by an Identity Center user, as CloudTrail records it (with the fields a reader must never keep). */
export function identityCenterRead(user: string, secret: string, at: Date, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    eventSource: 'secretsmanager.amazonaws.com',
    eventName: 'GetSecretValue',
    eventTime: at.toISOString().replace('.000', ''),
    awsRegion: 'eu-west-2',
    sourceIPAddress: '203.0.113.9',
    userAgent: 'aws-cli/2.17',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLEID:${user}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${SSO_ROLE}/${user}`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLESESSIONKEY',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEID',
          arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-2/${SSO_ROLE}`,
          accountId: ACCOUNT,
          userName: SSO_ROLE,
        },
        attributes: { creationDate: at.toISOString(), mfaAuthenticated: 'false' },
      },
    },
    requestParameters: { secretId: secret },
    responseElements: null,
    requestID: 'c0ffee00-0000-4000-8000-000000000000',
    eventID: 'e0000000-0000-4000-8000-000000000000',
    readOnly: true,
    managementEvent: true,
    ...extra,
  };
}

/** A read by the monitor's own function role. */
export function monitorRead(secret: string, at: Date) {
  const role = 'CredentialHygiene-BreachExposureFunctionServiceRole1A2B3C-AbCdEf';
  return {
    eventSource: 'secretsmanager.amazonaws.com',
    eventName: 'GetSecretValue',
    eventTime: at.toISOString(),
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/CredentialHygiene-BreachExposureFunction`,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/${role}`, userName: role } },
    },
    requestParameters: { secretId: `arn:aws:secretsmanager:eu-west-2:${ACCOUNT}:secret:${secret}-AbCdEf` },
  };
}

export interface GeneratedReads {
  readonly inventory: { accounts: Record<string, unknown>[] };
  /** CloudTrail records, in no particular order. */
  readonly records: Record<string, unknown>[];
  readonly leaversCsv: string;
  /** What a correct reading concludes, by secret: the people (lower case) who read its current password, and the leavers among them. */
  readonly expected: ReadonlyMap<string, { readonly people: ReadonlySet<string>; readonly left: ReadonlySet<string> }>;
  /** Every read record that counts as a person's read of a current password. */
  readonly countedReads: number;
}

/**
 * `secrets` logins, `people` people (a fifth of them leavers), `reads` person reads over the ninety days before `now`,
 * plus a daily read of every tenth secret by the monitor, refused reads and reads of the previous version. Each
 * login's password was set at a random day up to 120 days back: reads before it do not count.
 */
export function generatedReads(now: Date, secrets = 500, people = 60, reads = 20_000): GeneratedReads {
  const random = seeded(27);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const start = now.getTime() - 90 * DAY_MS;
  const names = Array.from({ length: people }, (_, index) => `Person${index}@Force.example`);
  const leftOn = new Map<string, Date>();
  for (const name of names.slice(0, Math.floor(people / 5))) {
    leftOn.set(name.toLowerCase(), new Date(Math.floor((start + random() * 95 * DAY_MS) / DAY_MS) * DAY_MS));
  }
  const since = new Map<string, Date>();
  const accounts = Array.from({ length: secrets }, (_, index) => {
    const id = `team-${String(index % 25).padStart(2, '0')}/login-${index}`;
    const changed = new Date(Math.floor((now.getTime() - random() * 120 * DAY_MS) / DAY_MS) * DAY_MS);
    since.set(id, changed);
    return {
      id,
      platform: 'example-service.example',
      owner: `team-${String(index % 25).padStart(2, '0')}`,
      password: `generated-${index}-${Math.floor(random() * 1e9).toString(36)}-Xq9!`,
      passwordChangedAt: changed.toISOString().slice(0, 10),
      mfa: { status: 'enabled', attestedAt: changed.toISOString().slice(0, 10) },
    };
  });
  const expected = new Map(
    accounts.map((account) => [account.id, { people: new Set<string>(), left: new Set<string>() }]),
  );
  const records: Record<string, unknown>[] = [];
  let countedReads = 0;
  for (let index = 0; index < reads; index++) {
    const account = pick(accounts);
    const name = pick(names);
    const at = new Date(start + random() * 90 * DAY_MS);
    const roll = random();
    // One read in twenty is refused, one in twenty asks for the previous version: neither is a read of this password.
    const extra =
      roll < 0.05
        ? { errorCode: 'AccessDeniedException', errorMessage: 'User is not authorized' }
        : roll < 0.1
          ? { requestParameters: { secretId: account.id, versionStage: 'AWSPREVIOUS' } }
          : {};
    // Half name the secret by its ARN, as the console and SDKs often do.
    const secret =
      random() < 0.5 ? account.id : `arn:aws:secretsmanager:eu-west-2:${ACCOUNT}:secret:${account.id}-Zz9Yy8`;
    records.push(identityCenterRead(name, secret, at, extra));
    const key = name.toLowerCase();
    const changed = since.get(account.id) as Date;
    if (roll >= 0.1 && at.getTime() >= changed.getTime()) {
      countedReads += 1;
      const expectation = expected.get(account.id);
      expectation?.people.add(key);
      const left = leftOn.get(key);
      if (left !== undefined && left.getTime() >= changed.getTime()) expectation?.left.add(key);
    }
  }
  for (const [index, account] of accounts.entries()) {
    if (index % 10 !== 0) continue;
    for (let day = 0; day < 90; day++)
      records.push(monitorRead(account.id, new Date(start + day * DAY_MS + 6 * 3_600_000)));
  }
  const leaversCsv = `username,leftOn\n${[...leftOn].map(([name, day]) => `${name.toUpperCase()},${day.toISOString().slice(0, 10)}`).join('\n')}\n`;
  return { inventory: { accounts }, records, leaversCsv, expected, countedReads };
}
