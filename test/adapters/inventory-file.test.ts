import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInventoryFile } from '../../lambdas/adapters/inventory-file';
import { InputFileError } from '../../lambdas/adapters/json-file';
import { useTempDir } from '../support/temp-dir';

describe('Function: readInventoryFile', () => {
  const dir = useTempDir();
  const write = (name: string, text: string) => {
    const path = join(dir(), name);
    writeFileSync(path, text);
    return path;
  };

  it('reads an object with an accounts list, entries unparsed and numbered', async () => {
    const path = write('inventory.json', JSON.stringify({ accounts: [{ id: 'a' }, 'junk'] }));

    expect(await readInventoryFile(path)).toEqual([
      { ref: 'inventory[0]', value: { id: 'a' } },
      { ref: 'inventory[1]', value: 'junk' },
    ]);
  });

  it('reads a bare list, and YAML by its extension', async () => {
    expect(await readInventoryFile(write('list.json', '[{"id": "a"}]'))).toHaveLength(1);
    expect(await readInventoryFile(write('inventory.yaml', 'accounts:\n  - id: a\n    password: "x"\n'))).toEqual([
      { ref: 'inventory[0]', value: { id: 'a', password: 'x' } },
    ]);
  });

  it.each([
    [
      'JSON with the error position',
      'bad.json',
      '{\n  "password": "hunter2",\n  "id": "a" "b"\n}',
      /is not valid JSON \(line 3, column 13\)$/,
    ],
    ['JSON whose parser message would quote it', 'quote.json', '{"password": hunter2}', /is not valid JSON$/],
    ['an empty file', 'empty.json', '', /is not valid JSON \(the file is empty\)$/],
    [
      'YAML',
      'bad.yaml',
      'accounts:\n  - password: "hunter2\n',
      /is not valid YAML \(line \d+, column \d+\): a missing quote or bracket$/,
    ],
    [
      'the wrong shape',
      'shape.json',
      '{"logins": []}',
      /must hold a list of accounts, or an object with an "accounts" list$/,
    ],
  ])('refuses %s without quoting the file', async (_case, name, text, message) => {
    const path = write(name, text);

    const error = await readInventoryFile(path).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InputFileError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('says why a file cannot be read', async () => {
    await expect(readInventoryFile(join(dir(), 'nope.json'))).rejects.toThrow(
      /cannot read inventory .*nope\.json: no such file/,
    );
    await expect(readInventoryFile(dir())).rejects.toThrow(/it is not a regular file \(a directory\)/);
  });
});
