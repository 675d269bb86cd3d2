import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteIngestStore } from '../../../../functions/adapters/sqlite/sqlite-ingest-store';
import { describeIngestStoreContract, ingestRequest } from '../../state/ingest-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'hr2ad-ingest-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeIngestStoreContract('SQLite', async () => SqliteIngestStore.open(join(dir, `ingest-${n++}.db`)));

describe('SqliteIngestStore', () => {
  it('keeps requests and the planned position across a reopen', async () => {
    const path = join(dir, 'reopen.db');
    const store = SqliteIngestStore.open(path);
    const a = await store.append(ingestRequest('a', ['1']));
    await store.append(ingestRequest('b', ['2']));
    await store.markPlanned('scim-in', a);
    await store.close();
    const again = SqliteIngestStore.open(path);
    expect((await again.pending('scim-in', 10)).requests.map((r) => r.requestId)).toEqual(['b']);
    expect(await again.append(ingestRequest('c', ['3']))).toBeGreaterThan(a + 1);
    await again.close();
  });
});
