/**
 * How the match index catches up with changes made behind its back: by indexed equality searches while
 * the changes are few (the cost follows the changes, not the directory), by one range sweep after a
 * very large burst. Against an in-memory directory that counts the searches; the same paths run against
 * Samba in match-index.dc.test.ts.
 */
import { MatchIndex } from '../../../agent/applier/match-index';
import type { SearchRequest } from '../../../agent/directory/directory.port';
import { InMemoryDirectory } from '../../harness/in-memory-directory';

const OU = 'OU=Staff,DC=corp,DC=example,DC=test';

async function setUp() {
  const directory = new InMemoryDirectory([OU]);
  const searches: string[] = [];
  const search = directory.search.bind(directory);
  directory.search = (options: SearchRequest) => {
    searches.push(options.filter);
    return search(options);
  };
  const index = new MatchIndex(directory, [OU], new Set(['employeeid']));
  await index.refresh();
  searches.length = 0;
  return { directory, index, searches };
}

async function addUsers(directory: InMemoryDirectory, count: number, prefix: string) {
  for (let i = 0; i < count; i++) {
    await directory.add(`CN=${prefix} ${i},${OU}`, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: [`${prefix}${i}`],
      employeeID: [`${prefix}-${i}`],
    });
  }
}

it('reads a burst of a few hundred changes with indexed equality searches, 64 USNs each', async () => {
  const { directory, index, searches } = await setUp();
  await addUsers(directory, 200, 'burst');
  await index.refresh();
  expect(searches).toHaveLength(Math.ceil(200 / 64));
  expect(searches.every((filter) => filter.includes('(uSNChanged=') && !filter.includes('>='))).toBe(true);
  for (const i of [0, 63, 64, 199]) expect(index.lookup('employeeID', `burst-${i}`)).toHaveLength(1);
});

it('falls back to one range sweep after a burst beyond what equality searches are worth', async () => {
  const { directory, index, searches } = await setUp();
  await addUsers(directory, 1100, 'flood');
  await index.refresh();
  expect(searches).toEqual([expect.stringContaining('(uSNChanged>=')]);
  for (const i of [0, 600, 1099]) expect(index.lookup('employeeID', `flood-${i}`)).toHaveLength(1);
});
