import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readAccessLog } from '../../lambdas/adapters/cloudtrail/access-log-files';
import { readLeaversFile } from '../../lambdas/adapters/cloudtrail/leavers-file';
import { secretReadsOf } from '../../lambdas/adapters/cloudtrail/secret-read-events';
import { identityCenterRead, monitorRead } from '../support/generated-reads';
import { useTempDir } from '../support/temp-dir';

const AT = new Date('2026-11-01T10:00:00Z');
const where = (index: number) => `Records[${index}]`;

describe('CloudTrail records of secret reads', () => {
  it('names an Identity Center user by their session name, with the identity store user id where given', () => {
    const [read] = secretReadsOf(
      [
        identityCenterRead('alice@force.example', 'press-office/x', AT, {
          userIdentity: {
            ...identityCenterRead('alice@force.example', 'x', AT).userIdentity,
            onBehalfOf: { userId: '9067-abcd', identityStoreArn: 'arn:aws:identitystore::1:identitystore/d-1' },
          },
        }),
      ],
      where,
    );

    expect(read).toMatchObject({
      secret: 'press-office/x',
      at: AT,
      reader: { name: 'alice@force.example', kind: 'identity-center-user', userId: '9067-abcd' },
    });
    // Nothing of the session's credentials or origin is kept.
    expect(JSON.stringify(read)).not.toMatch(/ASIA|203\.0\.113/);
  });

  it('names an IAM user by name, another role session as role/session, the root as root; a service as nobody', () => {
    const base = {
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      eventTime: AT.toISOString(),
      requestParameters: { secretId: 's' },
    };
    const reads = secretReadsOf(
      [
        { ...base, userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/bob', userName: 'bob' } },
        monitorRead('s', AT),
        { ...base, userIdentity: { type: 'Root', arn: 'arn:aws:iam::1:root' } },
        { ...base, userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' } },
      ],
      where,
    );

    expect(reads.map((read) => [read.reader.kind, read.reader.name])).toEqual([
      ['iam-user', 'bob'],
      [
        'role-session',
        'CredentialHygiene-BreachExposureFunctionServiceRole1A2B3C-AbCdEf/CredentialHygiene-BreachExposureFunction',
      ],
      ['iam-user', 'root'],
    ]);
  });

  it('reads each secret of a BatchGetSecretValue list; passes over refused reads and other events', () => {
    const reads = secretReadsOf(
      [
        {
          ...identityCenterRead('a', 'x', AT),
          eventName: 'BatchGetSecretValue',
          requestParameters: { secretIdList: ['one', 'two'] },
        },
        identityCenterRead('a', 'x', AT, { errorCode: 'AccessDenied' }),
        { eventSource: 's3.amazonaws.com', eventName: 'GetObject', whatever: [1, 2, 3] },
        'not even an object',
      ],
      where,
    );

    expect(reads.map((read) => read.secret)).toEqual(['one', 'two']);
  });

  it('refuses a read record of the wrong shape, naming the record and the field, not its value', () => {
    expect(() =>
      secretReadsOf(
        [identityCenterRead('a', 'x', AT), { ...identityCenterRead('a', 'x', AT), eventTime: 'SECRET-LOOKING' }],
        where,
      ),
    ).toThrow(/^Records\[1\]: eventTime is not what CloudTrail writes/);
    expect(() =>
      secretReadsOf([{ ...identityCenterRead('a', 'x', AT), requestParameters: { secretId: 42 } }], where),
    ).toThrow(/requestParameters\.secretId/);
  });
});

describe('Access log files', () => {
  const dir = useTempDir();
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir(), name);
    writeFileSync(path, content);
    return path;
  };

  it('reads a gzipped S3 log file and lookup-events output, its EventTime as ISO text or epoch seconds', async () => {
    const record = identityCenterRead('a', 'press-office/x', AT);
    const { eventTime: _dropped, ...timeless } = record;
    const s3 = write('log.json.gz', gzipSync(JSON.stringify({ Records: [record] })));
    const lookup = write(
      'lookup.json',
      JSON.stringify({
        Events: [
          { EventTime: AT.getTime() / 1000, CloudTrailEvent: JSON.stringify(timeless) },
          { EventTime: '2026-11-02T10:00:00+01:00', CloudTrailEvent: JSON.stringify(timeless) },
        ],
      }),
    );

    expect((await readAccessLog(s3)).map((read) => read.at.toISOString())).toEqual([AT.toISOString()]);
    expect((await readAccessLog(lookup)).map((read) => read.at.toISOString())).toEqual([
      AT.toISOString(),
      '2026-11-02T09:00:00.000Z',
    ]);
  });

  it('refuses a truncated gzip, a file that inflates past its bound, and a document that is neither shape', async () => {
    const whole = gzipSync(JSON.stringify({ Records: [identityCenterRead('a', 'x', AT)] }));
    const bomb = write('bomb.json.gz', gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20)));

    await expect(readAccessLog(write('cut.json.gz', whole.subarray(0, whole.length - 8)))).rejects.toThrow(
      /not a whole gzip file/,
    );
    await expect(readAccessLog(bomb, 1024 * 1024)).rejects.toThrow(/inflates to more than 1 MiB/);
    await expect(readAccessLog(write('other.json', '{"Items": []}'))).rejects.toThrow(/neither a CloudTrail log file/);
    await expect(readAccessLog(write('text.log', 'GetSecretValue by alice'))).rejects.toThrow(/is not JSON/);
  });
});

describe('Leavers files', () => {
  const dir = useTempDir();
  const write = (name: string, content: string) => {
    const path = join(dir(), name);
    writeFileSync(path, content);
    return path;
  };

  it('reads CSV by username or email and JSON, case-insensitively, keeping the earliest day of a person listed twice', async () => {
    const csv = await readLeaversFile(
      write('l.csv', 'email,leftOn,team\nAlice@Force.example,2026-11-01,press\nalice@force.example,2026-10-01,press\n'),
    );
    const json = await readLeaversFile(write('l.json', '[{"username": "Bob", "leftOn": "2026-09-30"}]'));

    expect([...csv].map(([name, left]) => [name, left.toISOString().slice(0, 10)])).toEqual([
      ['alice@force.example', '2026-10-01'],
    ]);
    expect(json.get('bob')?.toISOString().slice(0, 10)).toBe('2026-09-30');
  });

  it.each([
    ['name,left\nalice,2026-01-01\n', 'its header row needs username (or email) and leftOn'],
    ['username,leftOn\n,2026-01-01\n', 'line 2: username (or email) is missing'],
    ['[{"username": 7, "leftOn": "2026-01-01"}]', '[0]: username must be text'],
    ['[{"username": "x"}]', '[0]: leftOn is missing'],
  ])('refuses %j: %s', async (content, message) => {
    await expect(readLeaversFile(write('bad.txt', content))).rejects.toThrow(message);
  });
});
