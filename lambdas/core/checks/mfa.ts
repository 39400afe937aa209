import type { Account } from '../account';
import { type Check, type CheckContext, CheckUnavailableError, type MfaProviderLookup } from '../check';
import { type CheckSettings, settingsOf } from '../check-settings';
import { type EvidenceLevel, shownEvidenceLevel } from '../evidence-strength';
import { daysBetween, formatDay } from '../iso-date';
import type { Platform } from '../platform-catalog';
import { days } from '../policy-fields';
import { inProse } from '../prose';
import { MFA_METHOD_NAMES, onlyWeakFactors, strongerFactorsOffered } from '../second-factor';
import { type TotpSeedVerdict, verifyTotpSeed } from '../totp-seed';
import * as z from '../zod';

const TURN_ON =
  'Turn on two-factor authentication with an authenticator app or security key, store the TOTP seed in the secret (totp), and record it (mfa: enabled, with today as attestedAt).';

/** What to turn on: where the platform issues no TOTP seed, do not ask for one. */
function turnOnAdvice(platform: Platform | undefined): string {
  if (!platform || platform.mfa.includes('totp')) return TURN_ON;
  const offered = inProse(
    platform.mfa.map((method) => MFA_METHOD_NAMES[method]),
    'or',
  );
  return `Turn on the second factor ${platform.name} offers (${offered}) and record it (mfa: enabled, with today as attestedAt); it issues no TOTP seed to store.`;
}
const PASSWORD_ONLY =
  'Use a long random password unique to this login, change it when anyone who knew it leaves, and ask the vendor for two-factor authentication.';

/**
 * Second-factor status from the best evidence held. An identity provider's answer decides where one is selected
 * (not enrolled: critical; enrolled, not enforced: low; could not ask: a check-error). Otherwise: an owner's
 * "disabled" (critical), a TOTP seed that does or does not generate codes, an owner's "enabled" attestation and its
 * age, and the platform catalog. Evidence levels: `verified` (the provider said), `vault` (a working TOTP seed is
 * held), `attested` (the owner said so), `none`.
 */
/** The policy's `mfa`: how old an owner's "enabled" attestation may be before it is not trusted. */
export const mfaSettings: CheckSettings<{ readonly attestationMaxAgeDays: number }> = {
  key: 'mfa',
  schema: z.strictObject({ attestationMaxAgeDays: z.optional(days) }, { error: 'must be an object' }),
  defaults: { attestationMaxAgeDays: 180 },
};

export const mfaCheck: Check = {
  id: 'mfa',
  // A second factor registered but not enforced does not leave the link open for want of one.
  takeover: { opensLink: true, judgesLink: true, notOpening: ['not-enforced'] },
  settings: mfaSettings,
  kinds: {
    'not-enrolled': 'critical',
    'not-enforced': 'low',
    disabled: 'critical',
    'no-evidence': 'high',
    'invalid-totp': 'high',
    'stale-attestation': 'medium',
    unavailable: 'medium',
    'sms-only': 'medium',
    'email-only': 'medium',
  },
  fixes: {
    'not-enrolled': { does: 'turn on a second factor', page: 'second-factor' },
    'not-enforced': { does: 'enforce its second factor', page: 'second-factor' },
    disabled: { does: 'turn on a second factor', page: 'second-factor' },
    'no-evidence': { does: 'turn on and record a second factor', page: 'second-factor' },
    'invalid-totp': { does: 're-enrol its authenticator', page: 'second-factor' },
    'stale-attestation': { does: 'confirm its second factor is on', page: 'second-factor' },
    unavailable: { does: 'keep its password long and unique', page: 'change-password' },
    'sms-only': { does: 'add an authenticator app', page: 'second-factor' },
    'email-only': { does: 'add a stronger second factor', page: 'second-factor' },
  },
  needs: ['secret-value', 'mfa-provider'],
  evidenceLevel(account, { now, policy, evidence: { mfaProvider } }) {
    const seedWorks = seedVerdictOf(account, now)?.valid === true;
    return evidenceOf(account, seedWorks, { now, policy, ...(mfaProvider && { mfaProvider }) });
  },
  run(account, { now, policy, platforms, evidence: { mfaProvider } }) {
    const platform = platforms.find(account.platform);
    const platformName = platform?.name ?? account.platform;
    const support = platforms.mfaSupport(account.platform);
    const totp = seedVerdictOf(account, now);
    const attestation = account.mfa;
    // The report names an out-of-date attestation as what it is, an attestation; its age is its own finding.
    const evidence = shownEvidenceLevel(evidenceOf(account, totp?.valid === true, { now, policy, mfaProvider }));
    const report = (
      kind: string,
      title: string,
      detail: string,
      remediation: string,
      extra: Record<string, unknown> = {},
    ) => [
      {
        kind,
        title,
        detail,
        remediation,
        evidence: { evidence, platformMfa: platform ? [...platform.mfa] : 'unknown', ...extra },
      },
    ];

    if (mfaProvider) {
      const verdict = providerVerdict(mfaProvider, platformName);
      const brokenSeed = totp?.valid === false ? brokenSeedFinding(totp.reason) : undefined;
      const enrolled = mfaProvider.status === 'answered' && mfaProvider.answer.enrolled;
      const weak = enrolled
        ? weakFactorFinding(
            [...(mfaProvider.answer.methods ?? []), ...(totp?.valid ? ['totp'] : [])],
            platform,
            mfaProvider.provider,
          )
        : undefined;
      return [verdict, weak, brokenSeed].flatMap((each) =>
        each ? report(each.kind, each.title, each.detail, each.remediation, each.extra) : [],
      );
    }

    if (attestation?.status === 'disabled') {
      return report(
        'disabled',
        'Two-factor authentication is off',
        `The owner recorded that MFA is disabled for this ${platformName} login: the password alone opens it.`,
        turnOnAdvice(platform),
      );
    }
    if (support === 'unsupported' || (support === 'unknown' && attestation?.status === 'unsupported' && !totp)) {
      const who = support === 'unsupported' ? '' : 'The owner recorded that ';
      return report(
        'unavailable',
        'Platform offers no second factor',
        `${who}${platformName} offers no two-factor authentication, so the password is the only protection.`,
        PASSWORD_ONLY,
      );
    }
    if (totp !== undefined) {
      if (totp.valid) return [];
      const broken = brokenSeedFinding(totp.reason);
      return report(broken.kind, broken.title, broken.detail, broken.remediation);
    }
    if (attestation?.status === 'enabled') {
      const maxAgeDays = settingsOf(policy, mfaSettings).attestationMaxAgeDays;
      const attestedAt = attestation.attestedAt;
      if (attestedAt !== undefined && daysBetween(attestedAt, now) <= maxAgeDays) {
        const weak = weakFactorFinding(attestation.methods ?? [], platform, 'The owner');
        return weak ? report(weak.kind, weak.title, weak.detail, weak.remediation, weak.extra) : [];
      }
      const when = attestedAt === undefined ? 'on no recorded date' : `on ${formatDay(attestedAt)}`;
      return report(
        'stale-attestation',
        'MFA attestation is out of date',
        `The owner last confirmed that MFA is on ${when}; confirmations older than ${maxAgeDays} days are not trusted.`,
        'Check that two-factor authentication is still on for this login and record today as attestedAt (or store the TOTP seed).',
      );
    }
    const contradiction =
      attestation?.status === 'unsupported' && platform
        ? ` The owner recorded it as unsupported, but ${platformName} offers ${platform.mfa.join(', ')}.`
        : '';
    return report(
      'no-evidence',
      'No evidence of a second factor',
      `${platformName} ${platform ? 'supports' : 'may support'} two-factor authentication, but no TOTP seed is stored and no owner has confirmed it is on.${contradiction}`,
      turnOnAdvice(platform),
    );
  },
};

/** Each account's seed verdict, as of an instant: the check and its evidence level ask once per scan, not twice. */
const seedVerdicts = new WeakMap<Account, { readonly at: number; readonly verdict: TotpSeedVerdict }>();

function seedVerdictOf(account: Account, now: Date): TotpSeedVerdict | undefined {
  if (account.totp === undefined) return undefined;
  const known = seedVerdicts.get(account);
  if (known !== undefined && known.at === now.getTime()) return known.verdict;
  const verdict = verifyTotpSeed(account.totp, now);
  seedVerdicts.set(account, { at: now.getTime(), verdict });
  return verdict;
}

/** What the verdict rests on: the provider's answer, a working seed, the owner's word (and whether it is fresh), or nothing. */
function evidenceOf(
  account: Account,
  seedWorks: boolean,
  { now, policy, mfaProvider }: Pick<CheckContext, 'now' | 'policy'> & { mfaProvider?: MfaProviderLookup },
): EvidenceLevel {
  if (mfaProvider) return 'verified';
  if (seedWorks) return 'vault';
  const attestation = account.mfa;
  if (attestation === undefined) return 'none';
  const { attestedAt } = attestation;
  const fresh =
    attestedAt !== undefined && daysBetween(attestedAt, now) <= settingsOf(policy, mfaSettings).attestationMaxAgeDays;
  return attestation.status !== 'enabled' || fresh ? 'attested' : 'stale';
}

interface Verdict {
  readonly kind: string;
  readonly title: string;
  readonly detail: string;
  readonly remediation: string;
  readonly extra?: Record<string, unknown>;
}

function brokenSeedFinding(reason: string): Verdict {
  return {
    kind: 'invalid-totp',
    title: 'Stored TOTP seed does not work',
    detail: `The stored TOTP secret cannot generate codes: ${reason}. Whoever needs the second factor in an emergency will be locked out, or will switch it off.`,
    remediation:
      'Re-enrol the authenticator on the platform and store the new seed (an otpauth:// URI or the base32 seed) in the secret.',
  };
}

/**
 * A second factor that is only a code by text or email, where the platform offers better: a SIM swap or the mailbox's
 * takeover gets past it. Never on a platform that offers nothing better, nor one the catalog does not know.
 */
function weakFactorFinding(
  registered: readonly string[],
  platform: Platform | undefined,
  whoSays: string,
): Verdict | undefined {
  const weak = onlyWeakFactors(registered);
  const stronger = platform ? strongerFactorsOffered(platform.mfa) : [];
  if (weak === undefined || platform === undefined || stronger.length === 0) return undefined;
  const sms = weak === 'sms';
  return {
    kind: sms ? 'sms-only' : 'email-only',
    title: sms ? 'The second factor is a text message only' : 'The second factor is an email code only',
    detail: `${whoSays} says this ${platform.name} login's only second factor is ${sms ? 'a code by SMS (or a call)' : 'a code by email'}: ${sms ? 'a SIM swap or a ported number' : 'whoever takes over the mailbox'} gets past it. ${platform.name} offers ${inProse(stronger, 'and')}.`,
    remediation: `Add ${stronger[0]} as the second factor on ${platform.name}, then remove the ${sms ? 'phone number' : 'email address'} as a way to sign in (keep it for recovery only if the platform requires one).`,
    extra: { registeredFactors: [...registered] },
  };
}

/** The provider's answer as a finding, or none when it says MFA is on and (as far as it says) required. */
function providerVerdict(lookup: MfaProviderLookup, platformName: string): Verdict | undefined {
  if (lookup.status === 'failed') {
    throw new CheckUnavailableError(`${lookup.provider} could not say whether MFA is on: ${lookup.reason}`);
  }
  const { answer, provider } = lookup;
  const extra = { provider, ...(answer.methods && { methods: [...answer.methods] }) };
  if (!answer.enrolled) {
    return {
      kind: 'not-enrolled',
      title: 'Not enrolled in two-factor authentication',
      detail: `${provider} reports that this ${platformName} login has no second factor registered: the password alone opens it.`,
      remediation: `Enrol this user in two-factor authentication (an authenticator app or a security key) and enforce it in ${provider}.`,
      extra,
    };
  }
  if (answer.enforced === false) {
    const because = answer.notEnforcedBecause ? ` (${answer.notEnforcedBecause})` : '';
    return {
      kind: 'not-enforced',
      title: 'Two-factor authentication is enrolled but not enforced',
      detail: `${provider} reports a second factor registered for this login, but sign-in does not require it${because}.`,
      remediation: `Enforce two-factor authentication for this user in ${provider}, so that it cannot be switched off quietly.`,
      extra,
    };
  }
  return undefined;
}
