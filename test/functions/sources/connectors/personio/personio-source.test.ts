/**
 * Personio specifics against the fake Personio (every request validated against Personio's OpenAPI
 * documents). What every connector keeps is in the contract suite (personio-contract.test.ts); these are
 * the requests Personio's API takes and its token, limits and errors. Today is 2026-06-01.
 *
 * | case                          | expectation                                                                  |
 * |-------------------------------|------------------------------------------------------------------------------|
 * | full load                     | POST /v1/auth, then the list with limit/offset; the exact record; the cursor |
 * | delta                         | `updated_since` + one count request; nothing changed → same cursor, nothing   |
 * | deletion and hire together    | the count check still finds the deletion; the new hire is read               |
 * | transfer dated later          | not published before its date (no `future` entry); read by the delta on it    |
 * | smaller pages than asked      | offsets follow what came back: no one skipped                                 |
 * | token                         | one token for many reads; renewed near expiry; a refused cached token renewed once |
 * | refused / missing credentials | Personio source <id> named, no secret in the message; no request without them |
 * | pacing                        | 20 requests in a row stay under 15/s: the connector waits, the fake never 429s |
 * | the fake                      | refuses what the documents do not allow; 429 with Retry-After past 15/s       |
 */
import type { HrRead, HrSnapshotRead } from '../../../../../shared/ports/hr-source.port';
import type { WorkerInput } from '../../../../../shared/worker/worker-schema';
import { ConnectorAuthError as PersonioAuthError } from '../../../../../functions/sources/connectors/connector-errors';
import { PersonioSource } from '../../../../../functions/sources/connectors/personio/personio-hr-source';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  FakePersonio,
  type FakePersonioEmployee,
} from '../../../../harness/hr-fakes/personio/fake-personio';
import { RecordingLogger } from '../contract/connector-contract';

const TODAY = '2026-06-01T09:00:00Z';

function person(id: number, overrides: Partial<FakePersonioEmployee> = {}): FakePersonioEmployee {
  return {
    id,
    first_name: `First${id}`,
    last_name: `Last${id}`,
    email: `person${id}@example.com`,
    position: 'Engineer',
    department: 'Engineering',
    office: 'Berlin',
    supervisor_id: id === 1 ? null : 1,
    hire_date: '2021-03-01',
    ...overrides,
  };
}

function snapshot(read: HrRead): HrSnapshotRead {
  if (read.kind !== 'snapshot') throw new Error(`suspect: ${read.reason}`);
  return read;
}

const ids = (read: HrSnapshotRead) => (read.records as WorkerInput[]).map((r) => r.id).sort();

describe('Personio source against the fake Personio', () => {
  let fake: FakePersonio;
  let now: Date;
  let virtualMs: number;
  let waits: number[];
  let logger: RecordingLogger;
  let credentials: { clientId: string | null; clientSecret: string | null };

  beforeAll(async () => {
    fake = await FakePersonio.start();
    fake.clock = () => now;
    fake.rateNow = () => virtualMs;
  }, 60_000);
  afterAll(() => fake.close());

  let nextId = 1;
  const hire = (overrides: Partial<FakePersonioEmployee> = {}) => {
    const id = nextId++;
    fake.hire(person(id, overrides));
    return id;
  };

  beforeEach(() => {
    now = new Date(TODAY);
    virtualMs = 0;
    fake.resetRateLimits();
    waits = [];
    logger = new RecordingLogger();
    credentials = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
    fake.restore();
    fake.maxPageSize = 100;
    fake.resetRequests();
  });
  afterEach(() => expect(fake.invalidRequests.splice(0)).toEqual([]));

  function source(pageSize = 100): PersonioSource {
    return new PersonioSource({
      id: 'hr-personio',
      source: 'personio',
      baseUrl: fake.baseUrl,
      credentials: async () => credentials,
      clock: { now: () => now },
      logger,
      pageSize,
      rateClock: () => virtualMs,
      http: {
        sleep: async (ms) => {
          waits.push(ms);
          virtualMs += ms;
        },
        random: () => 0,
      },
    });
  }

  const requested = () => fake.requests.map((r) => `${r.method} ${r.path}${decodeURIComponent(r.query)}`);

  it('full load: a token, then the list page by page; the exact record and a cursor of Personio data', async () => {
    const manager = hire({ dynamic: { dynamic_24407: '+49 30 1234' }, cost_center: 'CC-7' });
    const read = snapshot(await source().read({ since: null }));
    expect(requested()).toEqual(['POST /v1/auth', 'GET /v1/company/employees?limit=100&offset=0']);
    expect(read.partial).toBeUndefined();
    expect((read.records as WorkerInput[]).find((r) => r.id === String(manager))).toEqual({
      source: 'personio',
      id: String(manager),
      legalName: { first: `First${manager}`, middle: null, last: `Last${manager}` },
      preferredName: null,
      email: `person${manager}@example.com`,
      department: 'Engineering',
      title: 'Engineer',
      location: 'Berlin',
      company: null,
      costCenter: 'CC-7',
      managerId: null,
      employeeType: 'employee',
      employmentStatus: 'active',
      terminationDate: null,
      hireDate: '2021-03-01',
      customFields: { gender: 'diverse', dynamic_24407: '+49 30 1234' },
      future: [],
    });
    expect(read.cursor).toMatch(/^v1;2026-06-01T09:00:\d\dZ;1(-\d+)?$/);
  });

  it('delta: updated_since and one count request; nothing changed gives the same cursor and no records', async () => {
    const id = hire();
    const reader = source();
    const full = snapshot(await reader.read({ since: null }));
    fake.update(id, { position: 'Lead' });
    fake.resetRequests();
    const delta = snapshot(await reader.read({ since: full.cursor }));
    expect(requested()).toEqual([
      expect.stringMatching(/^GET \/v1\/company\/employees\?updated_since=2026-06-01T09:00:\d\dZ$/),
      'GET /v1/company/employees?limit=1&offset=0',
    ]);
    expect(delta.partial).toBe(true);
    expect(ids(delta)).toEqual([String(id)]);
    const settled = snapshot(await reader.read({ since: delta.cursor }));
    expect([settled.records, settled.cursor]).toEqual([[], delta.cursor]);
  });

  it('a deletion and a hire in the same interval: the deletion is still found, the hire read', async () => {
    const gone = hire();
    const full = snapshot(await source().read({ since: null }));
    fake.delete(gone);
    const joiner = hire();
    const delta = snapshot(await source().read({ since: full.cursor }));
    expect(ids(delta)).toEqual([String(joiner)]);
    expect(logger.events.some((e) => e.fields?.employeeId === String(gone))).toBe(true);
    expect(delta.cursor).not.toContain(`,${gone},`);
  });

  it('a transfer dated later: not published before its date; on its date, read by the delta', async () => {
    const mover = hire();
    fake.update(mover, { position: 'Head of Sales', department: 'Sales', office: 'Madrid' }, '2026-06-11');
    const full = snapshot(await source().read({ since: null }));
    const before = (full.records as WorkerInput[]).find((r) => r.id === String(mover));
    expect(before).toMatchObject({ title: 'Engineer', department: 'Engineering', location: 'Berlin', future: [] });
    now = new Date('2026-06-11T06:00:00Z');
    const delta = snapshot(await source().read({ since: full.cursor }));
    expect(ids(delta)).toEqual([String(mover)]);
    expect(delta.records[0]).toMatchObject({ title: 'Head of Sales', department: 'Sales', location: 'Madrid' });
  });

  it('follows what came back when Personio answers smaller pages than asked', async () => {
    const hired = Array.from({ length: 5 }, () => String(hire()));
    fake.maxPageSize = 2;
    const read = snapshot(await source(5).read({ since: null }));
    expect(new Set(ids(read)).size).toBe(ids(read).length);
    for (const id of hired) expect(ids(read)).toContain(id);
  });

  it('keeps one token for many reads, renews it near expiry, and renews a refused cached token once', async () => {
    hire();
    const reader = source();
    await reader.read({ since: null });
    await reader.read({ since: null });
    expect(requested().filter((r) => r === 'POST /v1/auth')).toHaveLength(1);
    now = new Date(Date.parse(TODAY) + 86_400_000 - 60_000);
    await reader.read({ since: null });
    expect(requested().filter((r) => r === 'POST /v1/auth')).toHaveLength(2);
    fake.expireTokens();
    await reader.read({ since: null });
    expect(requested().filter((r) => r === 'POST /v1/auth')).toHaveLength(3);
    expect(logger.events.map((e) => e.message)).toContain(
      'Personio refused a cached access token; asking for a new one',
    );
  });

  it('refused credentials: a named error without the secret; missing ones send nothing', async () => {
    hire();
    fake.revoke();
    const refused = source().read({ since: null });
    await expect(refused).rejects.toThrow(
      new PersonioAuthError('Personio source hr-personio: the client credentials were refused (401)'),
    );
    await expect(refused).rejects.not.toThrow(CLIENT_SECRET);
    fake.restore();
    fake.resetRequests();
    credentials = { clientId: CLIENT_ID, clientSecret: null };
    await expect(source().read({ since: null })).rejects.toThrow('the client id or secret is not set');
    expect(fake.requestCount).toBe(0);
  });

  it('paces 20 requests in a row under 15 a second: the connector waits, the fake never answers 429', async () => {
    const hired = Array.from({ length: 20 }, () => String(hire()));
    fake.resetRequests();
    const read = snapshot(await source().read({ workerIds: hired }));
    expect(ids(read)).toEqual([...hired].sort());
    expect(waits.length).toBeGreaterThan(0);
    expect(fake.requestCount).toBe(21);
    expect(read.cursor).toBe(`targeted:${[...hired].sort().join(',')}`);
  });

  describe('the fake', () => {
    const get = async (path: string, token: string) => {
      const res = await fetch(`${fake.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
    };
    const token = async () => {
      const res = await fetch(`${fake.baseUrl}/v1/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
      });
      return ((await res.json()) as { data: { token: string } }).data.token;
    };

    it('refuses a parameter or path the documents do not allow, with Personio’s error body', async () => {
      const bearer = await token();
      expect(await get('/v1/company/employees?limit=0', bearer)).toMatchObject({
        status: 422,
        body: { success: false, error: { code: 422 } },
      });
      expect((await get('/v1/company/people', bearer)).status).toBe(404);
      expect(fake.invalidRequests.splice(0).map((r) => r.path)).toEqual([
        '/v1/company/employees',
        '/v1/company/people',
      ]);
    });

    it('answers 429 with Retry-After past 15 requests a second', async () => {
      hire();
      const bearer = await token();
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await get('/v1/company/employees?limit=1', bearer)).status);
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
      const last = await get('/v1/company/employees?limit=1', bearer);
      expect([last.status, last.retryAfter]).toEqual([429, '1']);
    });
  });
});
