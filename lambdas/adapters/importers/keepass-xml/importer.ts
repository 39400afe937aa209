import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type ImportedItem, ImportFormatError } from '../../../core/import/imported-item';
import { boundedList, exportText } from '../export-text';
import { type ImporterModule, MAX_TEXT_EXPORT_BYTES } from '../importer-module';

type Node = Readonly<Record<string, unknown>>;

/** Seconds from 0001-01-01 to 1970-01-01: KDBX 4 writes times as base64 of seconds since year 1. */
const YEAR_ONE_TO_UNIX_SECONDS = 62_135_596_800n;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Text as written: a password of digits stays text, and its spaces stay.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  isArray: (name) => ['Group', 'Entry', 'String'].includes(name),
});

/**
 * KeePass 2's XML export (KeePassXC's too): `Group`s of `Entry`s, each with `String { Key, Value }` (Title, UserName,
 * Password, URL, `otp` or `TimeOtp-Secret-Base32`), `Times` and a `History` of earlier versions. The password's date is
 * the modification after the newest earlier version whose password differs; with none differing, the creation when
 * the oldest version is the original; else unknown. The innermost group is the folder; the recycle bin's entries are
 * skipped. A DOCTYPE is refused (its entities are how an XML bomb is made).
 */
export const keepassXml: ImporterModule = {
  id: 'keepass-xml',
  description: "KeePass 2's (or KeePassXC's) XML export",
  maxBytes: MAX_TEXT_EXPORT_BYTES,
  parse(bytes) {
    const text = exportText(bytes, 'KeePass XML');
    if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
      throw new ImportFormatError('the file declares a DOCTYPE or entities, which a KeePass XML export never does');
    }
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      throw new ImportFormatError(
        `the file is not well-formed XML (line ${valid.err.line}), so not a KeePass XML export`,
      );
    }
    const document = parser.parse(text) as Node;
    const file = node(document.KeePassFile);
    const root = node(file?.Root);
    if (file === undefined || root === undefined) {
      throw new ImportFormatError('the file has no KeePassFile/Root element, so it is not a KeePass XML export');
    }
    const recycleBin = textOf(node(file.Meta)?.RecycleBinUUID);
    const items: ImportedItem[] = [];
    const walk = (group: Node, inBin: boolean) => {
      const name = textOf(group.Name);
      const binned = inBin || (recycleBin !== undefined && recycleBin !== '' && textOf(group.UUID) === recycleBin);
      for (const entry of nodes(group.Entry)) {
        items.push(itemOf(entry, `entry ${items.length + 1}`, name, binned));
        boundedList(items, 'entries');
      }
      for (const child of nodes(group.Group)) walk(child, binned);
    };
    for (const group of nodes(root.Group)) walk(group, false);
    return items;
  },
};

function node(value: unknown): Node | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Node) : undefined;
}

function nodes(value: unknown): Node[] {
  return Array.isArray(value) ? value.flatMap((each) => (node(each) ? [each as Node] : [])) : [];
}

/** An element's text: a plain string, or the `#text` of one with attributes (`ProtectInMemory`). */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const withAttributes = node(value);
  if (withAttributes === undefined) return undefined;
  const text = withAttributes['#text'];
  return typeof text === 'string' ? text : '';
}

function stringsOf(entry: Node): Map<string, string> {
  const strings = new Map<string, string>();
  for (const field of nodes(entry.String)) {
    const key = textOf(field.Key)?.trim();
    if (key !== undefined) strings.set(key, textOf(field.Value) ?? '');
  }
  return strings;
}

/** A time as KeePass writes it: ISO 8601, or base64 of seconds since 0001-01-01 (KDBX 4). */
function timeOf(value: unknown): Date | undefined {
  const text = textOf(value)?.trim();
  if (text === undefined || text === '' || text.length > 64) return undefined;
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const raw = Buffer.from(text, 'base64');
  if (raw.length !== 8) return undefined;
  const seconds = raw.readBigInt64LE() - YEAR_ONE_TO_UNIX_SECONDS;
  const date = new Date(Number(seconds) * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function timesOf(entry: Node) {
  const times = node(entry.Times);
  return { created: timeOf(times?.CreationTime), modified: timeOf(times?.LastModificationTime) };
}

/** When the current password was set, from the entry's history (oldest first, as KeePass writes it). */
function passwordChangedAt(entry: Node, password: string | undefined): Date | undefined {
  const versions = [...nodes(node(entry.History)?.Entry), entry];
  for (let index = versions.length - 2; index >= 0; index--) {
    const earlier = versions[index] as Node;
    if (stringsOf(earlier).get('Password') !== password) return timesOf(versions[index + 1] as Node).modified;
  }
  // No version had another password: it is the original one when the oldest version was never modified.
  const oldest = timesOf(versions[0] as Node);
  return oldest.created !== undefined && oldest.modified?.getTime() === oldest.created.getTime()
    ? oldest.created
    : undefined;
}

function itemOf(entry: Node, position: string, group: string | undefined, inBin: boolean): ImportedItem {
  const strings = stringsOf(entry);
  const title = strings.get('Title')?.trim();
  const base = { position, urls: [] as string[], ...(title && { title }), ...(group && { folder: group }) };
  if (inBin) return { ...base, notALogin: 'in the recycle bin' };
  const username = strings.get('UserName')?.trim();
  const password = strings.get('Password');
  const url = strings.get('URL')?.trim();
  const seed = strings.get('TimeOtp-Secret-Base32')?.trim();
  const totp = strings.get('otp')?.trim() || seed;
  const changedAt = password ? passwordChangedAt(entry, password) : undefined;
  return {
    ...base,
    urls: url ? [url] : [],
    ...(username && { username }),
    ...(password && { password }),
    ...(totp && { totp }),
    ...(changedAt !== undefined && { passwordChangedAt: changedAt }),
  };
}
