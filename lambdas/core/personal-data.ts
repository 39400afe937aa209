/**
 * The E.164 country codes of one and two digits (ITU-T, the list of assigned country codes complementing
 * Recommendation E.164); every other assigned code has three. Facts of the numbering plan, so that a number's country
 * code is told from its digits alone.
 */
const SHORT_COUNTRY_CODES: ReadonlySet<string> = new Set([
  '1',
  '7',
  ...'20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(
    ' ',
  ),
]);

/** The country code of an E.164 number's digits: one, two or three of them. */
function countryCodeOf(digits: string): string {
  if (SHORT_COUNTRY_CODES.has(digits.slice(0, 1))) return digits.slice(0, 1);
  if (SHORT_COUNTRY_CODES.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

/**
 * A phone number as a report may show it: enough to recognise (its country code and last two digits), not enough to
 * call or to port, whatever its length: `+447700900123` is `+44 ••••••••23`, the Faroese `+298123456` is
 * `+298 ••••56`. Never in an SMS at all.
 */
export function maskedPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const country = countryCodeOf(digits);
  const national = digits.slice(country.length);
  // At least two digits hidden, however short the number: the last two alone are never the whole of it.
  const shown = national.length > 4 ? national.slice(-2) : '';
  return `+${country} ${'•'.repeat(national.length - shown.length)}${shown}`;
}
