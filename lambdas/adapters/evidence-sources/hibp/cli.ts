import { type EvidenceSourceCli, wholePositive } from '../../cli-part';
import { HIBP_API_URL, HibpBreachedAccountClient } from '../../hibp-breached-account-client';
import { validatedBaseUrl } from '../../pwned-passwords-client';

/** Where the CLI reads the HIBP key: the environment, never a flag (a flag would be in the shell's history). */
const KEY_VARIABLE = 'HIBP_API_KEY';

/** Have I Been Pwned, asked by a local scan where its key is in the environment. */
export const hibpCli: EvidenceSourceCli = {
  credentialVariable: KEY_VARIABLE,
  options: [
    {
      flags: '--hibp-rate <rpm>',
      description: `with ${KEY_VARIABLE} set (breached identities): your subscription's requests per minute`,
      parse: wholePositive('a whole number of requests per minute'),
      defaultValue: 10,
    },
    {
      flags: '--hibp-url <url>',
      description: `with ${KEY_VARIABLE} set: the Have I Been Pwned API`,
      defaultValue: HIBP_API_URL,
    },
    {
      flags: '--hibp-budget <n>',
      description: `with ${KEY_VARIABLE} set: emails looked up per run at most; with --state the rest are checked in rotation, least recently checked first`,
      parse: wholePositive('a whole number of emails'),
    },
  ],
  helpText: `With ${KEY_VARIABLE} set, each login's email is also checked for breaches added since its password last changed.`,
  open: async (options, env) => {
    const key = env[KEY_VARIABLE];
    if (!key) return {};
    const budget = options.hibpBudget as number | undefined;
    return {
      identity: {
        source: new HibpBreachedAccountClient({
          apiKey: key,
          requestsPerMinute: options.hibpRate as number,
          baseUrl: validatedBaseUrl(options.hibpUrl as string, false, '--hibp-url', null),
        }),
        ...(budget !== undefined && { budget }),
      },
    };
  },
};
