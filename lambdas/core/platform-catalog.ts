import type { MfaProviderId } from './account';
import changePasswordPages from './platform-links/change-password-urls.json';
import { httpsUrl } from './platform-links/https-url';
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
  /**
   * Where its owner fixes a login, where the defaults are not right: its change-password page (else Apple's
   * password-manager-resources data for its domain or an alias) and its second-factor page (else `source`). https only.
   */
  readonly links?: { readonly changePassword?: string; readonly secondFactor?: string };
}

/** A platform's page where a fix is made: where its password is changed, or where its second factor is set up. */
export type PlatformPage = 'change-password' | 'second-factor';

/** A page a finding links to, and where the catalog has it from. */
export interface PlatformLink {
  readonly url: string;
  readonly source: string;
}

/** Where the change-password pages not set in the catalog come from (vendored with its licence, see its README). */
export const CHANGE_PASSWORD_PAGES_SOURCE = `Apple's password-manager-resources (MIT), ${changePasswordPages.$source}`;
const CHANGE_PASSWORD_PAGES: Readonly<Record<string, string>> = changePasswordPages.urls;

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

  /**
   * The page of the login's platform where a fix is made, and its source: the catalog's own link, else for a password
   * the vendored change-password page of its domain or an alias, else for a second factor the vendor's page on its
   * second factors (`source`). Only https: a link that an attacker on the path could rewrite is no link.
   */
  linkOf(domain: string, page: PlatformPage): PlatformLink | undefined {
    const platform = this.find(domain);
    if (platform === undefined) return undefined;
    const own = page === 'change-password' ? platform.links?.changePassword : platform.links?.secondFactor;
    if (own !== undefined)
      return httpsUrl(own) ? { url: own, source: `the platform catalog's entry for ${platform.domain}` } : undefined;
    if (page === 'second-factor') {
      return platform.source !== undefined && httpsUrl(platform.source)
        ? { url: platform.source, source: `the platform catalog's source for ${platform.domain}` }
        : undefined;
    }
    for (const known of [platform.domain, ...platform.aliases]) {
      const url = Object.hasOwn(CHANGE_PASSWORD_PAGES, known) ? CHANGE_PASSWORD_PAGES[known] : undefined;
      if (url !== undefined && httpsUrl(url)) return { url, source: CHANGE_PASSWORD_PAGES_SOURCE };
    }
    return undefined;
  }

  mfaSupport(domain: string): MfaSupport {
    const platform = this.find(domain);
    if (!platform) return 'unknown';
    return platform.mfa.length > 0 ? 'supported' : 'unsupported';
  }
}
