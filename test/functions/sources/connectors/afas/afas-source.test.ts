/**
 * The AFAS source against the fake AFAS: what the connector contract does not cover. Every test ends
 * asserting the fake found no request AFAS would refuse.
 *
 * | case                               | expectation                                                          |
 * |------------------------------------|----------------------------------------------------------------------|
 * | the requests of a full read        | metainfo, the watermark row, pages ordered by id and period start; the AfasToken header decodes to the token XML |
 * | the requests of a delta            | watermark, the (since, watermark] filter, the changed ids OR-ed; 3 requests for 10 changes |
 * | a token given as its whole XML     | sent as is                                                           |
 * | a rotated token                    | the next request uses the new one (no restart, no refresh needed)   |
 * | no token secret                    | an error naming the source; nothing sent                             |
 * | 403 / 404 / 500 with AFAS's body   | an error naming the source and GetConnector, never the body or token |
 * | a GetConnector without a field     | the full read fails naming the missing field ids                     |
 * | a period dated the UTC date, early | still the day before west of UTC: a future change on its date, applied at the worker's midnight |
 * | many targeted ids                  | batches that keep every URL under AFAS's 2,049 characters            |
 * | the fake itself                    | a wrong filter, paging without an order, a malformed header are refused and recorded; filters AND with ",", OR with ";"; a sixth simultaneous call gets 429 |
 */
import type { HrSnapshotRead } from '../../../../../shared/ports/hr-source.port';
import type { WorkerInput } from '../../../../../shared/worker/worker-schema';
import { AfasSource, afasAuthorization } from '../../../../../functions/sources/connectors/afas/afas-hr-source';
import { FAKE_CONNECTOR_ID, FakeAfas } from '../../../../harness/hr-fakes/afas/fake-afas';
import { RecordingLogger } from '../contract/connector-contract';

const TOKEN = 'ABCDEF0123456789'.repeat(4);
const TODAY = new Date('2026-06-01T09:00:00Z');

let fake: FakeAfas;
let token: string | null;
let nextId = 1;

beforeAll(async () => {
  fake = await FakeAfas.start();
  fake.token = TOKEN;
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  token = TOKEN;
  fake.token = TOKEN;
  fake.resetRequests();
});
afterEach(() => {
  expect(fake.invalidRequests.splice(0)).toEqual([]);
});

function hire(start = '2021-03-01'): string {
  const id = String(nextId++);
  fake.hire({
    id,
    person: {
      Voornaam: `Given${id}`,
      Achternaam: `Family${id}`,
      Email_werk: `p${id}@example.nl`,
      Datum_in_dienst: start,
    },
    start,
    period: { Functie_omschrijving: 'Engineer', Organisatorische_eenheid_omschrijving: 'R&D', Standplaats: 'Utrecht' },
  });
  return id;
}

function source(options: { now?: Date; pageSize?: number; connectorId?: string; modifiedAt?: string } = {}) {
  return new AfasSource({
    id: 'hr-afas',
    source: 'afas',
    baseUrl: fake.baseUrl,
    connectorId: options.connectorId ?? FAKE_CONNECTOR_ID,
    token: async () => token,
    clock: { now: () => options.now ?? TODAY },
    logger: new RecordingLogger(),
    pageSize: options.pageSize ?? 100,
    ...(options.modifiedAt ? { fields: { modifiedAt: options.modifiedAt } } : {}),
    http: { sleep: async () => {}, random: () => 0, maxAttempts: 2 },
  });
}

function snapshot(read: Awaited<ReturnType<AfasSource['read']>>): HrSnapshotRead {
  if (read.kind !== 'snapshot') throw new Error(read.reason);
  return read;
}

const queryOf = (i: number) => Object.fromEntries(new URLSearchParams(fake.requests[i]!.query));

describe('AFAS source: the requests it sends', () => {
  it('a full read: metainfo, the watermark row, then pages ordered by id and period start', async () => {
    hire();
    hire();
    const read = snapshot(await source({ pageSize: 1 }).read({ since: null })); // 2 rows: 3 pages
    expect(fake.requests.map((r) => r.path)).toEqual([
      `/ProfitRestServices/metainfo/get/${FAKE_CONNECTOR_ID}`,
      ...Array<string>(4).fill(`/ProfitRestServices/connectors/${FAKE_CONNECTOR_ID}`),
    ]);
    expect(queryOf(1)).toEqual({ skip: '0', take: '1', orderbyfieldids: '-Gewijzigd_op' });
    expect(queryOf(3)).toEqual({ skip: '1', take: '1', orderbyfieldids: 'Medewerker,Begindatum_functie' });
    expect(read.cursor).toBe(fake.latestChange.replace(/Z$/, ''));
  });

  it('the AfasToken header is the base64 of the token XML', () => {
    const header = afasAuthorization(TOKEN);
    expect(header.startsWith('AfasToken ')).toBe(true);
    expect(Buffer.from(header.slice(10), 'base64').toString('utf8')).toBe(
      `<token><version>1</version><data>${TOKEN}</data></token>`,
    );
    const xml = `<token><version>1</version><data>${TOKEN}</data></token>`;
    expect(afasAuthorization(xml)).toBe(header);
  });

  it('a delta of 10 changes: the watermark, the (since, watermark] filter, the changed ids OR-ed — 3 requests', async () => {
    const ids = Array.from({ length: 10 }, () => hire());
    const full = snapshot(await source().read({ since: null }));
    for (const id of ids) fake.setField(id, 'Email_werk', `new${id}@example.nl`);
    fake.resetRequests();
    const delta = snapshot(await source().read({ since: full.cursor }));
    expect(fake.requestCount).toBe(3);
    expect(queryOf(1)).toMatchObject({
      filterfieldids: 'Gewijzigd_op,Gewijzigd_op',
      filtervalues: `${full.cursor},${delta.cursor}`,
      operatortypes: '4,3',
    });
    expect(queryOf(2).filterfieldids).toBe(Array(10).fill('Medewerker').join(';'));
    expect((delta.records as WorkerInput[]).map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(delta.partial).toBe(true);
  });

  it('a token given as its whole XML is sent as is, and a rotated token is used at the next request', async () => {
    hire();
    token = `<token><version>1</version><data>${TOKEN}</data></token>`;
    snapshot(await source().read({ since: null }));
    const rotated = '9'.repeat(64);
    fake.token = rotated;
    token = rotated;
    snapshot(await source().read({ since: null }));
  });

  it('no token secret: an error naming the source, and nothing sent', async () => {
    token = null;
    await expect(source().read({ since: null })).rejects.toThrow('AFAS source hr-afas: the token secret is not set');
    expect(fake.requestCount).toBe(0);
  });

  it('a refused token names the source and status, never the token', async () => {
    hire();
    fake.token = 'F'.repeat(64);
    const error = await source()
      .read({ since: null })
      .catch((e: Error) => e);
    expect(String(error)).toContain('AFAS source hr-afas: the token was refused (401)');
    expect(String(error)).not.toContain(TOKEN);
  });
});

describe("AFAS source: AFAS's errors", () => {
  it('an unknown GetConnector (404) is named; the error body is not repeated', async () => {
    const error = await source({ connectorId: 'Nope' })
      .read({ since: null })
      .catch((e: Error) => e);
    expect(String(error)).toBe('Error: AFAS source hr-afas: GetConnector Nope was not found (404)');
    expect(fake.invalidRequests.splice(0)).toHaveLength(1);
  });

  it('a GetConnector without a field hr2ad filters on fails the full read naming it', async () => {
    await expect(source({ modifiedAt: 'Laatst_gewijzigd' }).read({ since: null })).rejects.toThrow(
      `AFAS source hr-afas: GetConnector ${FAKE_CONNECTOR_ID} lacks the fields Laatst_gewijzigd`,
    );
  });

  it("AFAS's 500 error JSON; a maintenance 503 outlasting the retries fails the read naming the source", async () => {
    hire();
    const reply = await fetch(`${fake.baseUrl}/connectors/${FAKE_CONNECTOR_ID}?skip=0&take=1`, {
      headers: { authorization: afasAuthorization(TOKEN) },
    });
    expect(reply.status).toBe(500);
    expect(await reply.json()).toMatchObject({
      externalMessage: 'paging needs orderbyfieldids',
      errorNumber: -2147180999,
    });
    expect(fake.invalidRequests.splice(0)).toHaveLength(1);
    fake.throttle({ onRequest: 2, status: 503, retryAfterSeconds: 7200 });
    fake.throttle({ onRequest: 3, status: 503, retryAfterSeconds: 7200 });
    await expect(source().read({ since: null })).rejects.toThrow('AFAS source hr-afas: GET');
  });
});

describe('AFAS source: dates and batches', () => {
  it('a period starting on the UTC date while it is still the day before somewhere is a future change on its date', async () => {
    const id = hire();
    fake.addPeriod(id, '2026-06-01', { Functie_omschrijving: 'Lead' });
    const read = snapshot(await source({ now: new Date('2026-06-01T02:30:00Z') }).read({ since: null }));
    const record = (read.records as WorkerInput[]).find((r) => r.id === id);
    expect(record?.title).not.toBe('Lead');
    expect(record?.future).toMatchObject([{ effectiveDate: '2026-06-01', changes: { title: 'Lead' } }]);
  });

  it('a targeted read of many ids keeps every URL under 2,049 characters', async () => {
    const ids = Array.from({ length: 300 }, () => hire());
    fake.resetRequests();
    const read = snapshot(await source({ pageSize: 1000 }).read({ workerIds: ids }));
    expect(read.records).toHaveLength(300);
    expect(fake.requestCount).toBeGreaterThan(1);
    expect(read.cursor.startsWith('targeted:')).toBe(true);
  });
});

describe('the fake AFAS refuses what AFAS refuses', () => {
  const get = (query: string, authorization = afasAuthorization(TOKEN)) =>
    fetch(`${fake.baseUrl}/connectors/${FAKE_CONNECTOR_ID}?${query}`, { headers: { authorization } });

  it.each([
    ['filter lists that do not line up', 500, 'filterfieldids=Medewerker,Achternaam&filtervalues=1&operatortypes=1'],
    ['an unknown operator', 500, 'filterfieldids=Medewerker&filtervalues=1&operatortypes=16'],
    ['an unknown field', 500, 'filterfieldids=Afdeling&filtervalues=1&operatortypes=1'],
    ['an unknown parameter', 500, 'skip=0&take=10&orderbyfieldids=Medewerker&top=5'],
    ['paging without an order', 500, 'skip=0&take=10'],
    ['a URL over 2,049 characters', 404, `filterfieldids=Medewerker&filtervalues=${'1'.repeat(2100)}&operatortypes=1`],
  ])('%s → %s, recorded', async (_case, status, query) => {
    expect((await get(query)).status).toBe(status);
    expect(fake.invalidRequests.splice(0)).toHaveLength(1);
  });

  it('a token header that is not base64 token XML → 401, recorded', async () => {
    const bare = `AfasToken ${Buffer.from(TOKEN).toString('base64')}`;
    expect((await get('', bare)).status).toBe(401);
    expect(fake.invalidRequests.splice(0)).toHaveLength(1);
  });

  it('filters: "," is AND, ";" is OR', async () => {
    const [a, b] = [hire(), hire()];
    const rows = async (query: string) =>
      ((await (await get(query)).json()) as { rows: { Medewerker: string }[] }).rows.map((r) => r.Medewerker).sort();
    expect(await rows(`filterfieldids=Medewerker;Medewerker&filtervalues=${a};${b}&operatortypes=1;1`)).toEqual(
      [a, b].sort(),
    );
    expect(await rows(`filterfieldids=Medewerker,Achternaam&filtervalues=${a},Family${b}&operatortypes=1,1`)).toEqual(
      [],
    );
    expect(await rows(`filterfieldids=Medewerker,Voorvoegsel&filtervalues=${a},x&operatortypes=1,8`)).toEqual([a]);
  });

  it('a sixth simultaneous call answers 429 with Retry-After', async () => {
    const release = fake.hold();
    const pending = Array.from({ length: 6 }, () => get(''));
    await fake.inFlightReaches(6);
    release();
    const replies = await Promise.all(pending);
    const limited = replies.filter((r) => r.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
  });
});
