import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '../..');
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs')).flatMap((name) => (name.endsWith('.md') ? [`docs/${name}`] : [])),
];

/** The repository paths a document names in code spans (`lambdas/core/checks/`), placeholders (`<provider>`) aside. */
function namedPaths(text: string): string[] {
  return [...text.matchAll(/`((?:lambdas|lib|bin|test|docs|scripts|bench|examples)\/[\w./-]*)`/g)].map(
    ([, path]) => path as string,
  );
}

describe('The documentation', () => {
  it.each(DOCUMENTS)('%s: every file or folder it names in the code exists (the extension table stays true)', (doc) => {
    const missing = namedPaths(readFileSync(join(ROOT, doc), 'utf8')).filter((path) => !existsSync(join(ROOT, path)));

    expect(missing).toEqual([]);
  });

  it.each(DOCUMENTS)('%s: every relative link leads to a file', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const targets = [...text.matchAll(/\]\(((?!https?:|#|mailto:)[^)#\s]+)(?:#[^)]*)?\)/g)].map(([, target]) => target);
    const broken = targets.filter((target) => !existsSync(join(ROOT, dirname(doc), target as string)));

    expect(broken).toEqual([]);
  });

  it('would notice a path that is not there (the matcher is not blind)', () => {
    expect(namedPaths('see `lambdas/core/no-such-file.ts` and `lambdas/core/`')).toEqual([
      'lambdas/core/no-such-file.ts',
      'lambdas/core/',
    ]);
  });
});
