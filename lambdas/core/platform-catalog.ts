import type { MfaProviderId } from './account';
import bundledCatalog from './platforms.json';
import { MFA_METHODS, type MfaMethod } from './second-factor';

export { MFA_METHODS, type MfaMethod };

export interface Platform {
  readonly domain: string;
  readonly name: string;
  readonly aliases: readonly string[];
  /** The second factors it offers; empty when it offers none. */
  readonly mfa: readonly MfaMethod[];
  /** The identity provider that can verify its logins' MFA, asked when that provider is configured. */
  readonly mfaProvider?: MfaProviderId;
  /**
   * It hosts mailboxes: a login there whose username or email is an address is that address's mailbox, and whoever
   * holds it can reset every login that sends its resets there.
   */
  readonly mailbox?: boolean;
  /** Its takeover speaks for the organisation in public or to the press (a broadcast channel, a mailbox, a wire). */
  readonly highImpact?: boolean;
  readonly source?: string;
  /** Its documented rules for which of its addresses reach one mailbox (Gmail's dots and googlemail.com). */
  readonly addressRules?: AddressRules;
  /** The vendor's page for its passkeys (as a sign-in or as a second factor): required where `mfa` lists `passkey`. */
  readonly passkeySource?: string;
}

/**
 * A mail provider's documented rules for which addresses reach one mailbox, beyond case and plus tags: its `domains`
 * are one (the first is the canonical one) and, with `dotsIgnored`, dots in the name do not matter. Applied only to
 * addresses on those domains, never to a provider whose rules do not say so.
 */
export interface AddressRules {
  readonly domains: readonly string[];
  readonly dotsIgnored: boolean;
  /** The provider's page that says so. */
  readonly source: string;
}

export type MfaSupport = 'supported' | 'unsupported' | 'unknown';

/** Which platforms offer which second factors, looked up by domain, alias or any subdomain of either. */
export class PlatformCatalog {
  private readonly byDomain = new Map<string, Platform>();
  /** Lookups already made: an estate has many accounts on few platforms, and each check asks again. */
  private readonly found = new Map<string, Platform | undefined>();

  constructor(platforms: readonly Platform[]) {
    for (const platform of platforms) {
      for (const domain of [platform.domain, ...platform.aliases]) this.byDomain.set(domain.toLowerCase(), platform);
    }
  }

  /** The catalog that ships with the project, with `additions` added or, for a known domain, replacing its entry. */
  static bundled(additions: readonly Platform[] = []): PlatformCatalog {
    const added = new Set(additions.map((platform) => platform.domain));
    const kept = (bundledCatalog.platforms as Platform[]).filter((platform) => !added.has(platform.domain));
    return new PlatformCatalog([...kept, ...additions]);
  }

  find(domain: string): Platform | undefined {
    if (this.found.has(domain)) return this.found.get(domain);
    const labels = domain.toLowerCase().split('.');
    let platform: Platform | undefined;
    for (let start = 0; start < labels.length - 1 && !platform; start++) {
      platform = this.byDomain.get(labels.slice(start).join('.'));
    }
    this.found.set(domain, platform);
    return platform;
  }

  /** Every platform's address rules. */
  addressRules(): AddressRules[] {
    return [...new Set(this.byDomain.values())].flatMap((platform) =>
      platform.addressRules ? [platform.addressRules] : [],
    );
  }

  mfaSupport(domain: string): MfaSupport {
    const platform = this.find(domain);
    if (!platform) return 'unknown';
    return platform.mfa.length > 0 ? 'supported' : 'unsupported';
  }
}
