/**
 * Whether a link is fit to send an owner to fix a login: an absolute https URL with a host and no credentials in it.
 * A plain http page could be rewritten on the way; a `javascript:` or `data:` one is not a page at all.
 */
export function httpsUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
}
