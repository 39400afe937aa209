import { ConfigError, readConfig } from '../../lib/config';

function problemsOf(context: unknown): string {
  try {
    readConfig(context);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Function: readConfig', () => {
  it('has working defaults: daily age and breach checks, weekly MFA, no recipients', () => {
    const config = readConfig(undefined);

    expect(config.tagKey).toBe('credential-hygiene:platform');
    expect(config.functions).toEqual({
      passwordAge: { schedule: 'rate(1 day)', intervalHours: 24, memoryMb: 256, timeoutMinutes: 5 },
      breachExposure: { schedule: 'rate(1 day)', intervalHours: 24, memoryMb: 1024, timeoutMinutes: 15 },
      mfaStatus: { schedule: 'rate(7 days)', intervalHours: 168, memoryMb: 256, timeoutMinutes: 5 },
    });
    expect(config.owners).toEqual({});
    expect(config.logRetentionDays).toBe(90);
  });

  it('reads a JSON string, as `cdk synth -c credential-hygiene=…` passes it', () => {
    const config = readConfig(JSON.stringify({ owners: { 'press-office': { emails: ['press@example.org'] } } }));

    expect(config.owners).toEqual({ 'press-office': { emails: ['press@example.org'], phones: [] } });
  });

  it('takes a cron schedule with its interval', () => {
    const config = readConfig({ functions: { mfaStatus: { schedule: 'cron(0 6 ? * MON *)', everyHours: 168 } } });

    expect(config.functions.mfaStatus).toMatchObject({ schedule: 'cron(0 6 ? * MON *)', intervalHours: 168 });
  });

  it.each([
    [
      { owners: { press: { phones: ['07700 900123'] } } },
      'credential-hygiene.owners.press.phones[0]: must be an E.164 phone number',
    ],
    [
      { owners: { press: { emails: ['press'] } } },
      'credential-hygiene.owners.press.emails[0]: must be an email address',
    ],
    [{ platformTeam: { email: ['a@b.org'] } }, 'credential-hygiene.platformTeam.email: is not a known field'],
    [
      { functions: { breachExposure: { schedule: 'daily' } } },
      'credential-hygiene.functions.breachExposure.schedule: must be rate(N minutes|hours|days) or cron(six fields)',
    ],
    [
      { functions: { mfaStatus: { schedule: 'cron(0 6 ? * MON *)' } } },
      'credential-hygiene.functions.mfaStatus.everyHours: is required with a cron() schedule',
    ],
    [
      { functions: { breachExposure: { timeoutMinutes: 20 } } },
      'credential-hygiene.functions.breachExposure.timeoutMinutes',
    ],
    [{ functions: { breach: {} } }, 'credential-hygiene.functions.breach: is not a known field'],
    [{ tagKey: 'aws:platform' }, 'credential-hygiene.tagKey: must not start with aws:'],
    [{ pwnedPasswordsUrl: 'http://mirror.example' }, 'credential-hygiene.pwnedPasswordsUrl: must be an https:// URL'],
    [{ logRetentionDays: 10 }, "credential-hygiene.logRetentionDays: must be one of CloudWatch's retention periods"],
    [
      { policy: { passwordAge: { mediumAfterDay: 90 } } },
      'credential-hygiene.policy.passwordAge.mediumAfterDay: is not a known field',
    ],
    ['{not json', 'credential-hygiene: the -c value is not valid JSON'],
    [
      { hibp: { apiKeySecretName: 'hibp' } },
      "credential-hygiene.hibp.requestsPerMinute: must be your subscription's requests per minute",
    ],
    [{ hibp: { apiKey: 'x', requestsPerMinute: 10 } }, 'credential-hygiene.hibp.apiKey: is not a known field'],
    [
      { mfaProviders: { googleWorkspace: { credentialsSecret: 'g' } } },
      'credential-hygiene.mfaProviders.googleWorkspace.adminEmail: must be the email of the Workspace admin the service account acts as',
    ],
    [
      { mfaProviders: { microsoftEntra: { graphUrl: 'https://graph.microsoft.com' } } },
      'credential-hygiene.mfaProviders.microsoftEntra.credentialsSecret: needs exactly one of credentialsSecret and credentialsFile',
    ],
    [
      { mfaProviders: { microsoftEntra: { credentialsFile: 'entra.json' } } },
      'credential-hygiene.mfaProviders.microsoftEntra.credentialsFile: the functions read credentialsSecret (files are for the CLI)',
    ],
    [{ mfaProviders: { okta: {} } }, 'credential-hygiene.mfaProviders.okta: is not a known field'],
    [
      { mfaProviders: { awsIam: { region: 'London' } } },
      'credential-hygiene.mfaProviders.awsIam.region: must be an AWS region',
    ],
  ])('names the bad key in %j', (context, problem) => {
    expect(problemsOf(context)).toContain(problem);
  });

  it('lists every problem at once', () => {
    const message = problemsOf({ logRetentionDays: 10, colour: 'red', policy: { weakPassword: { maxWeakScore: 9 } } });

    expect(message.split('\n').slice(1)).toHaveLength(3);
  });
});

describe('Function: readConfig, policy exceptions', () => {
  const exception = {
    account: 'press-office/press-releases',
    check: 'mfa:unavailable',
    reason: 'no second factor offered',
    acceptedBy: 'Head of Digital',
    expires: '2027-03-31',
  };
  const SYNTH_DAY = new Date('2026-12-01T10:00:00Z');

  it('takes exceptions within their caps, counted from the day of synth', () => {
    expect(readConfig({ policy: { exceptions: [exception] } }, SYNTH_DAY).policy).toEqual({ exceptions: [exception] });
  });

  it('fails synth on an exception beyond its cap or without a reason, naming the entry', () => {
    const context = {
      policy: {
        exceptions: [
          { ...exception, expires: '2028-01-01' },
          { ...exception, reason: '' },
        ],
      },
    };

    expect(() => readConfig(context, SYNTH_DAY)).toThrow(ConfigError);
    const message = (() => {
      try {
        readConfig(context, SYNTH_DAY);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain(
      'credential-hygiene.policy.exceptions[1] (press-office/press-releases, mfa:unavailable).reason: must say why the risk is accepted',
    );
    // The cap is checked once the entries are well formed.
    expect(() => readConfig({ policy: { exceptions: [{ ...exception, expires: '2028-01-01' }] } }, SYNTH_DAY)).toThrow(
      'credential-hygiene.policy.exceptions[0] (press-office/press-releases, mfa:unavailable): expires: 2028-01-01 is 396 days ahead; a medium finding may be accepted for at most 365 days (exceptionMaxDays.medium)',
    );
  });
});
