/**
 * A phone number as a report may show it: enough to recognise (the country code, the first digits and the last two),
 * not enough to call or to port: `+447700900123` is `+44 7700 9•• •23`. Never in an SMS at all.
 */
export function maskedPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  if (digits.length < 9) return `+${'•'.repeat(Math.max(digits.length - 2, 0))}${digits.slice(-2)}`;
  const shown = digits.slice(0, 7);
  const masked = `${'•'.repeat(digits.length - 9)}${digits.slice(-2)}`;
  const middle = `${shown.slice(6)}${masked}`;
  return `+${shown.slice(0, 2)} ${shown.slice(2, 6)} ${middle.slice(0, 3)} ${middle.slice(3)}`.trimEnd();
}
