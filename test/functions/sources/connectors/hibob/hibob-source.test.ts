/**
 * What is HiBob's own, beyond the contract suite: the requests the connector sends (Basic with the
 * service user, the search body, the bulk tables' paging), the cursor as a hash of HiBob's data, the
 * search budget of 50 a minute, HiBob's 429 from its own rate limit, and refused or missing credentials.
 */
import {
  HibobSource,
  type HibobSourceOptions,
} from '../../../../../functions/sources/connectors/hibob/hibob-hr-source';
import type { HrSnapshotRead } from '../../../../../shared/ports/hr-source.port';
import { RecordingLogger } from '../contract/connector-contract';
import { FakeHibob } from '../../../../harness/hr-fakes/hibob/fake-hibob';

const TODAY = '2026-06-01';
const clock = { now: () => new Date(`${TODAY}T09:00:00Z`) };

let fake: FakeHibob;
const waits: number[] = [];

beforeAll(async () => {
  fake = await FakeHibob.start();
  fake.today = () => TODAY;
  for (const id of ['501', '502', '503']) {
    fake.hire({ id, firstName: `F${id}`, surname: `S${id}`, email: `${id}@example.com`, startDate: '2024-01-01' });
    fake.addWork(id, '2024-01-01', { title: 'Engineer', department: 'Engineering', site: 'London' }, null);
    fake.addLifecycle(id, '2024-01-01', 'Employed');
  }
}, 60_000);
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.invalidRequests).toEqual([]);
  fake.resetRequests();
  waits.length = 0;
});

function source(overrides: Partial<HibobSourceOptions> = {}): HibobSource {
  return new HibobSource({
    id: 'hr-hibob',
    source: 'hibob',
    baseUrl: fake.baseUrl,
    serviceUserId: fake.serviceUserId,
    token: async () => fake.token,
    clock,
    logger: new RecordingLogger(),
    http: { sleep: async (ms) => void waits.push(ms), random: () => 0 },
    ...overrides,
  });
}

async function snapshot(read: Promise<unknown>): Promise<HrSnapshotRead> {
  const result = (await read) as HrSnapshotRead;
  if (result.kind !== 'snapshot') throw new Error('expected a snapshot');
  return result;
}

describe('HiBob source', () => {
  it('reads the lists, one search and each bulk table followed to its end, with the page size asked for', async () => {
    await snapshot(source({ pageSize: 2 }).read({ since: null }));
    const operations = fake.requests.map((r) => r.operation);
    expect(operations).toEqual([
      'named-lists',
      'search',
      'bulk-work',
      'bulk-work',
      'bulk-lifecycle',
      'bulk-lifecycle',
      'bulk-employment',
    ]);
    expect(fake.requests.filter((r) => r.operation === 'bulk-work').map((r) => r.query)).toEqual([
      '?limit=2',
      expect.stringMatching(/^\?limit=2&cursor=/),
    ]);
  });

  it('gives the same content-hash cursor while HiBob holds the same data, a new one after a change', async () => {
    const first = await snapshot(source().read({ since: null }));
    const again = await snapshot(source().read({ since: first.cursor }));
    expect(first.cursor).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again.cursor).toBe(first.cursor);
    expect(again.partial).toBeUndefined();
    fake.update('502', { email: 'new502@example.com' });
    const changed = await snapshot(source().read({ since: first.cursor }));
    expect(changed.cursor).not.toBe(first.cursor);
    expect(changed.records).toHaveLength(3);
  });

  it('asks the search for targeted ids through its one supported filter, and the tables through employeeIds', async () => {
    const read = await snapshot(source().read({ workerIds: ['503', '501'] }));
    expect(read.cursor).toBe('targeted:501,503');
    const tables = fake.requests.filter((r) => r.operation === 'bulk-work');
    expect(tables.map((r) => new URLSearchParams(r.query).get('employeeIds'))).toEqual(['501,503']);
  });

  it('keeps its own searches within the allowed number a minute', async () => {
    const hibob = source({ searchesPerMinute: 2 });
    for (let i = 0; i < 3; i++) await hibob.read({ workerIds: ['501'] });
    expect(waits).toEqual([60_000]);
  });

  it('waits out HiBob’s own 429 and its Retry-After', async () => {
    fake.throttle(2, '7');
    await snapshot(source().read({ since: null }));
    expect(waits).toEqual([7000]);
  });

  it('names the source when the service user is refused, never the token', async () => {
    const refused = source({ token: async () => 'wrong-token' }).read({ since: null });
    await expect(refused).rejects.toThrow('HiBob source hr-hibob: the service user was refused (401)');
    await expect(source({ token: async () => 'wrong-token' }).read({})).rejects.not.toThrow(/wrong-token/);
  });

  it('names the missing token secret', async () => {
    await expect(source({ token: async () => null }).read({})).rejects.toThrow(
      "HiBob source hr-hibob: the service user's token secret is not set",
    );
  });
});
