import type { AddressRules } from './platform-catalog';

/**
 * A domain as DNS knows it: lower case, and an internationalised domain in its ASCII (punycode) form, so that
 * `bücher.example` and `xn--bcher-kva.example` are one domain. WHATWG URL parsing does the IDNA mapping; what it cannot
 * parse is kept as written, lower-cased.
 */
export function asciiDomain(domain: string): string {
  const lower = domain.trim().toLowerCase();
  // An ASCII name is already its own form (the common case, and a URL parse per address costs a scan dearly).
  if (/^[a-z0-9.-]*$/.test(lower)) return lower;
  // Only a host name is mapped: anything a URL would read as more than a host is not one.
  if (/[/?#@:\\\s[\]%]/.test(lower)) return lower;
  try {
    return new URL(`http://${lower}`).hostname || lower;
  } catch {
    return lower;
  }
}

/**
 * An address as a mailbox delivers it: case-insensitive, the domain in its ASCII form, and a plus tag (`press+x@…`)
 * reaching the same mailbox as the address without it. Where the catalog records a provider's own documented rules
 * (`addressRules`: Gmail ignores dots in the name, and googlemail.com is gmail.com), those apply too, and only there.
 */
export function mailboxAddress(address: string, rules: readonly AddressRules[] = []): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 1) return lower;
  let local = lower.slice(0, at);
  let domain = asciiDomain(lower.slice(at + 1));
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  const rule = rules.find((each) => each.domains.includes(domain));
  if (rule !== undefined) {
    domain = rule.domains[0] as string;
    if (rule.dotsIgnored) local = local.replaceAll('.', '') || local;
  }
  return `${local}@${domain}`;
}
