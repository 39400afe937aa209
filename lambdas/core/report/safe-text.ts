/**
 * The one place text is made safe for each output. Account ids, owners and platforms come from outside (an inventory,
 * a secret's tags), and the parser already refuses control, invisible and reordering characters in them; these are
 * what every report and message applies all the same, to everything it prints, so that nothing that slips in (from a
 * source added later, or state kept from an older version) can move a terminal's cursor, reorder a line, hide a
 * character or become Markdown. JSON needs nothing beyond `JSON.stringify`.
 */

/**
 * C0 and C1 controls (escape sequences), Unicode format characters (bidirectional overrides and isolates, zero-width
 * characters, the byte-order mark) and line and paragraph separators.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/** For a terminal, a plain-text email or an SMS: each unsafe character shown as its code (`\u{202e}`), not obeyed. */
export function plainText(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u{${(char.codePointAt(0) as number).toString(16)}}`);
}

/**
 * Markdown's punctuation that can start emphasis, code, a link or an image (`[` and `]`: with those escaped, `(` and `)`
 * make no link and stay readable), HTML, an entity or a table cell.
 */
const MARKDOWN_SYNTAX = /[\\`*_[\]<>!|~&#]/g;

/**
 * What GitHub's Markdown (GFM) turns into a link with no syntax at all: a URL with a scheme (`https://…`, `mailto:…`),
 * `www.…`, and an email address. Such text from outside (an owner, who accepted a risk) is set in a code span, where
 * nothing is a link.
 */
const AUTOLINKABLE =
  /\b(?:[a-z][a-z0-9+.-]*:\/\/|mailto:|xmpp:)[^\s<>()[\]{}"'`|]*|\bwww\.[^\s<>()[\]{}"'`|]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi;

/**
 * For running text in a Markdown document (a table cell): every character that could be syntax escaped, and anything a
 * reader's renderer would make a live link shown as code instead.
 */
export function markdownText(text: string): string {
  const safe = plainText(text);
  const escapeSyntax = (part: string) => part.replace(MARKDOWN_SYNTAX, (char) => `\\${char}`);
  let written = '';
  let from = 0;
  for (const match of safe.matchAll(AUTOLINKABLE)) {
    written += `${escapeSyntax(safe.slice(from, match.index))}${markdownCode(match[0])}`;
    from = match.index + match[0].length;
  }
  return `${written}${escapeSyntax(safe.slice(from))}`;
}

/**
 * As a Markdown code span in a table cell: fenced by one backtick more than the longest run inside it (so a backtick in
 * an id cannot end the span), padded when it starts or ends with one, and with `|` escaped, as GFM tables need even in
 * code.
 */
export function markdownCode(text: string): string {
  const safe = plainText(text).replaceAll('|', '\\|');
  let longest = 0;
  for (const run of safe.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = safe.startsWith('`') || safe.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** For HTML text and attribute values: unsafe characters shown as codes, then `& < > " '` as entities. */
export function htmlText(text: string): string {
  return plainText(text).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
}

/**
 * A link to a platform's page as a Markdown autolink (`<https://…>`), or as code when it is not a plain https URL: the
 * URL's own serialisation percent-encodes spaces, `<` and `>`, so nothing in it can end the link.
 */
export function markdownLink(url: string): string {
  if (!URL.canParse(url) || new URL(url).protocol !== 'https:') return markdownCode(url);
  // An autolink is literal in CommonMark: no emphasis or escape inside it, so only its ends need keeping.
  return `<${new URL(url).href}>`;
}
