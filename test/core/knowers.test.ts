import { knowersOf } from '../../lambdas/core/knowers';
import { arnGlob, type SecretRead, secretNameOf } from '../../lambdas/core/secret-reads';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const read = (name: string, at: string, extra: Partial<SecretRead> = {}): SecretRead => ({
  secret: 'press-office/x',
  reader: {
    name,
    kind: 'identity-center-user',
    arns: [
      'arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_P_0',
      `arn:aws:sts::1:assumed-role/AWSReservedSSO_P_0/${name}`,
    ],
  },
  at: new Date(at),
  ...extra,
});

describe('Function: knowersOf', () => {
  const since = day('2026-06-01');

  it('counts the people who read the current password on or after the day it was set, each once', () => {
    const knowers = knowersOf(
      [
        read('alice', '2026-05-31T23:59:59Z'),
        read('bob', '2026-06-01T08:00:00Z'),
        read('Bob', '2026-07-01T08:00:00Z'),
        read('carol', '2026-07-02T08:00:00Z', { versionStage: 'AWSPREVIOUS' }),
        read('dave', '2026-07-02T08:00:00Z', { versionId: 'older-version' }),
      ],
      new Map(),
      since,
      [],
    );

    expect([...knowers.people.keys()]).toEqual(['bob']);
    expect(knowers.people.get('bob')?.lastRead.toISOString()).toBe('2026-07-01T08:00:00.000Z');
  });

  it('names a reader who left on or after the day it was set, not one who left before and never read it since', () => {
    const leavers = new Map([
      ['bob', day('2026-06-01')],
      ['alice', day('2026-05-15')],
    ]);
    const knowers = knowersOf(
      [read('bob', '2026-06-01T08:00:00Z'), read('alice', '2026-05-10T08:00:00Z')],
      leavers,
      since,
      [],
    );

    expect(knowers.left.map((person) => person.name)).toEqual(['bob']);
    expect(knowers.afterLeaving).toEqual([]);
  });

  it('reports a read after the whole day its reader left, of any version', () => {
    const leavers = new Map([['erin', day('2026-07-01')]]);
    const knowers = knowersOf(
      [read('erin', '2026-07-01T23:00:00Z'), read('erin', '2026-07-02T00:00:01Z', { versionStage: 'AWSPREVIOUS' })],
      leavers,
      since,
      [],
    );

    expect(knowers.afterLeaving.map((each) => each.read.toISOString())).toEqual(['2026-07-02T00:00:01.000Z']);
  });

  it('never counts the principals it is told are automation, by role ARN or assumed-role ARN, * crossing /', () => {
    const deploy = (arns: string[]): SecretRead => ({
      secret: 's',
      reader: { name: 'deploy/session', kind: 'role-session', arns },
      at: new Date('2026-07-01T00:00:00Z'),
    });
    const knowers = knowersOf(
      [
        deploy(['arn:aws:iam::1:role/ci/deploy-prod']),
        deploy(['arn:aws:sts::1:assumed-role/deploy-prod/build-42']),
        deploy(['arn:aws:iam::1:role/other']),
      ],
      new Map(),
      since,
      ['arn:aws:iam::1:role/*deploy-*', 'arn:aws:sts::*:assumed-role/deploy-*'],
    );

    expect(knowers.people.size).toBe(1);
  });

  it('counts every read of the current version when the day the password was set is unknown', () => {
    expect(knowersOf([read('a', '2020-01-01T00:00:00Z')], new Map(), undefined, []).people.size).toBe(1);
  });
});

describe('Secret names and ARN globs', () => {
  it.each([
    ['arn:aws:secretsmanager:eu-west-2:1:secret:press-office/x-AbCdEf', 'press-office/x'],
    ['arn:aws:secretsmanager:eu-west-2:1:secret:press-office/x', 'press-office/x'],
    ['press-office/x', 'press-office/x'],
  ])('reads the name of %s as %s', (secret, name) => {
    expect(secretNameOf(secret)).toBe(name);
  });

  it('matches a glob whole, its other characters as themselves', () => {
    expect(arnGlob('arn:aws:iam::1:role/a.b*')('arn:aws:iam::1:role/a.b/c')).toBe(true);
    expect(arnGlob('arn:aws:iam::1:role/a.b*')('arn:aws:iam::1:role/aXb')).toBe(false);
    expect(arnGlob('role/x')('arn:aws:iam::1:role/x')).toBe(false);
  });
});
