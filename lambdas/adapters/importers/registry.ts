import { bitwardenJson } from './bitwarden-json/importer';
import { chromeCsv, keepassxcCsv, lastpassCsv, onePasswordCsv } from './csv-exports/importers';
import type { ImporterModule } from './importer-module';
import { inventoryImporter } from './inventory/importer';
import { keepassXml } from './keepass-xml/importer';
import { onePassword1pux } from './onepassword-1pux/importer';

/** The formats `import --from` reads: one line each. */
export const IMPORTERS: readonly ImporterModule[] = [
  bitwardenJson,
  onePassword1pux,
  onePasswordCsv,
  keepassXml,
  keepassxcCsv,
  lastpassCsv,
  chromeCsv,
  inventoryImporter,
];

export const IMPORTER_IDS = IMPORTERS.map((importer) => importer.id);

export function importerOf(id: string): ImporterModule | undefined {
  return IMPORTERS.find((importer) => importer.id === id);
}
