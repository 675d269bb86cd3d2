/**
 * The control plane's HTTP API (functions/http) through the local Functions host's server, with real
 * requests (fetch to `plane.url/api/...`), on a LocalControlPlane over an in-memory AD, a VirtualClock and
 * a temp configuration (CSV of four workers: two in post, a future hire, one with an impossible start
 * date; a disable/delete threshold of 0). Proves:
 * - every route refuses a request without the key or with a wrong key (401), and the server listens on
 *   127.0.0.1 only;
 * - `GET health`; `POST sources/{id}/sync` (202) then, once idle, `GET cycles`, `GET cycles/{id}`,
 *   `GET workers/{key}` (a future hire's pending steps with their due times), `GET audit` filtered by
 *   worker and action, `GET quarantine` (the bad row with its row and column), `GET preview?workerKey=…`
 *   (nothing stored: cycles unchanged after it);
 * - `POST workers/{key}/provision?wait=true` plans one worker, sends and waits: 200 with its outcomes;
 * - problem details (application/problem+json: type, title, status, detail) for an unknown worker, cycle
 *   and source (404) and a bad query (400); 409 for approving or rejecting a cycle that is not held and
 *   for a sync while one is held; a held cycle approved through the API is committed and applied;
 * - an internal error answers 500 with a generic problem that does not leak the error's text;
 * - two cycles started in the same second get distinct ids (fails today: see the test).
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import type { LocalControlPlane } from '../../../functions/local-host/local-control-plane';
import {
  api,
  DISABLED,
  SOURCE_ID,
  TODAY,
  WORKERS,
  workspace,
  type ApiResponse,
  type Workspace,
} from './fixtures/control-plane-workspace';

const MINUTE = 60_000;
let ws: Workspace;
let plane: LocalControlPlane;
let firstCycleId: string;

beforeAll(async () => {
  ws = workspace();
  plane = await ws.start();
  const sync = await api(plane, 'POST', `sources/${SOURCE_ID}/sync`, plane.token);
  expect(sync.status).toBe(202);
  firstCycleId = String(sync.body?.cycleId);
  await plane.whenIdle();
});
afterAll(async () => {
  await plane?.stop();
  ws?.remove();
});

const key = () => plane.token;
const get = (path: string) => api(plane, 'GET', path, key());
const post = (path: string, body?: unknown) => api(plane, 'POST', path, key(), body);

function expectProblem(response: ApiResponse, status: number, kind: string, detail: RegExp): void {
  expect(response.status).toBe(status);
  expect(response.contentType).toBe('application/problem+json');
  expect(response.body).toEqual({
    type: `https://hr2ad.dev/problems/${kind}`,
    title: expect.any(String) as unknown,
    status,
    detail: expect.stringMatching(detail) as unknown,
  });
}

/** Every route, with a concrete path. */
const ROUTES: readonly (readonly [string, string])[] = [
  ['GET', 'health'],
  ['GET', 'workers/hr:E1001'],
  ['POST', 'workers/hr:E1001/provision'],
  ['GET', 'preview'],
  ['POST', `sources/${SOURCE_ID}/sync`],
  ['GET', 'cycles'],
  ['GET', 'cycles/any-cycle'],
  ['POST', 'cycles/any-cycle/approve'],
  ['POST', 'cycles/any-cycle/reject'],
  ['GET', 'quarantine'],
  ['GET', 'audit'],
];

describe('authorization', () => {
  it.each(ROUTES)('%s %s without a key → 401', async (method, path) => {
    expect((await api(plane, method, path, undefined)).status).toBe(401);
  });

  it.each(ROUTES)('%s %s with a wrong key → 401', async (method, path) => {
    expect((await api(plane, method, path, `${key()}x`)).status).toBe(401);
    expect((await api(plane, method, `${path}${path.includes('?') ? '&' : '?'}code=wrong`, undefined)).status).toBe(
      401,
    );
  });

  it('accepts the key as ?code= too', async () => {
    expect((await api(plane, 'GET', `health?code=${encodeURIComponent(key())}`, undefined)).status).toBe(200);
  });

  it('listens on 127.0.0.1 only', () => {
    expect(plane.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(plane.host.http.address().address).toBe('127.0.0.1');
  });
});

describe('after one sync', () => {
  it('GET health: ok, the sources, the clock', async () => {
    const response = await get('health');
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    expect(response.body).toEqual({ status: 'ok', sources: [SOURCE_ID], now: TODAY.toISOString() });
  });

  it('GET cycles: the completed cycle with its counts', async () => {
    const response = await get('cycles');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      cycles: [
        expect.objectContaining({
          cycleId: firstCycleId,
          sourceId: SOURCE_ID,
          status: 'completed',
          cursor: expect.stringMatching(/^sha256:/) as unknown,
          counts: { joiner: 2, 'pre-hire': 1, quarantined: 1, held: 0, plans: 3, scheduled: 1 },
          heldPlanIds: [],
          decision: null,
        }),
      ],
    });
    expect((await get('cycles?status=held')).body).toEqual({ cycles: [] });
  });

  it('GET cycles/{id}: the record with its orchestration status', async () => {
    const response = await get(`cycles/${firstCycleId}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      cycleId: firstCycleId,
      status: 'completed',
      orchestration: { runtimeStatus: 'Completed' },
    });
  });

  it('GET workers/{key}: a future hire created ahead, its enable pending at the start date', async () => {
    const response = await get('workers/hr:E1003');
    expect(response.status).toBe(200);
    const body = response.body as {
      workerKey: string;
      plan: { steps: { kind: string; dueAt: string }[] };
      identifiers: Record<string, string>;
      lifecycle: { runtimeStatus: string; status: { waitingFor: string; pending: unknown[] } };
      outcomes: { kind: string; status: string }[];
    };
    expect(body.workerKey).toBe('hr:E1003');
    expect(body.plan.steps.map((s) => [s.kind, s.dueAt])).toEqual([
      ['UpsertAccount', TODAY.toISOString()],
      ['EnableAccount', '2027-01-04T00:00:00.000Z'],
    ]);
    expect(body.identifiers).toMatchObject({ sAMAccountName: 'aturing', objectGUID: expect.any(String) as unknown });
    expect(body.lifecycle).toEqual({
      runtimeStatus: 'Running',
      status: {
        workerKey: 'hr:E1003',
        waitingFor: 'due-date',
        pending: [
          {
            commandId: expect.any(String) as unknown,
            kind: 'EnableAccount',
            purpose: 'enable-at-start',
            dueAt: '2027-01-04T00:00:00.000Z',
          },
        ],
        inFlight: null,
      },
    });
    expect(body.outcomes.map((o) => [o.kind, o.status])).toEqual([['UpsertAccount', 'applied']]);
  });

  it('GET audit?workerKey=…&action=UpsertAccount: the joiner’s creation with its cause', async () => {
    const response = await get('audit?workerKey=hr:E1001&action=UpsertAccount');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      entries: [
        expect.objectContaining({
          workerKey: 'hr:E1001',
          action: 'UpsertAccount',
          effect: 'created',
          cause: expect.objectContaining({ cycleId: firstCycleId, classification: 'joiner' }) as unknown,
        }),
      ],
      next: null,
    });
    expect((await get('audit?workerKey=hr:E1001&action=DisableAccount')).body).toEqual({ entries: [], next: null });
  });

  it('GET quarantine: the row that could not be read, with its row and column', async () => {
    const response = await get('quarantine');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      quarantined: [
        expect.objectContaining({
          sourceId: SOURCE_ID,
          location: 'row 5',
          issues: [expect.objectContaining({ path: 'Start Date', message: expect.stringMatching(/2024-02-30/) })],
          cycleId: firstCycleId,
        }),
      ],
    });
    expect((await get('quarantine?sourceId=other')).body).toEqual({ quarantined: [] });
  });

  it('GET preview?workerKey=…: that worker only, and nothing stored', async () => {
    const before = (await get('cycles')).body;
    const response = await get('preview?workerKey=hr:E1001');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      generatedAt: TODAY.toISOString(),
      hold: { held: false },
      suspect: [],
      truncated: false,
      workers: [{ workerKey: 'hr:E1001', classification: 'no-op', outcome: 'unchanged' }],
    });
    expect((await get('cycles')).body).toEqual(before);
  });
});

describe('problem details', () => {
  it.each([
    ['an unknown worker', 'GET', 'workers/hr:E9999', 404, 'not-found', /hr:E9999/],
    ['an unknown worker to provision', 'POST', 'workers/hr:E9999/provision', 404, 'not-found', /hr:E9999/],
    ['an unknown worker to preview', 'GET', 'preview?workerKey=hr:E9999', 404, 'not-found', /hr:E9999/],
    ['an unknown cycle', 'GET', 'cycles/no-such-cycle', 404, 'not-found', /no-such-cycle/],
    ['approving an unknown cycle', 'POST', 'cycles/no-such-cycle/approve', 404, 'not-found', /no-such-cycle/],
    ['an unknown source', 'POST', 'sources/no-such-source/sync', 404, 'unknown-source', /no-such-source/],
    ['an unknown cycle status', 'GET', 'cycles?status=sleeping', 400, 'invalid-request', /status must be one of/],
    [
      'a full flag neither true nor false',
      'POST',
      `sources/${SOURCE_ID}/sync?full=yes`,
      400,
      'invalid-request',
      /full must be true or false/,
    ],
  ] as const)('%s: %s %s → %i %s', async (_what, method, path, status, kind, detail) => {
    expectProblem(await api(plane, method, path, key()), status, kind, detail);
  });

  it.each(['approve', 'reject'])('%s a cycle that is not held → 409', async (verb) => {
    expectProblem(await post(`cycles/${firstCycleId}/${verb}`), 409, 'conflict', /is completed, not held/);
  });
});

describe('provision on demand', () => {
  it('POST workers/{key}/provision?wait=true: plans the new worker, applies it and answers its outcomes', async () => {
    ws.writeWorkers([...WORKERS, { id: 'E1005', first: 'Katherine', last: 'Johnson' }]);
    const response = await post('workers/hr:E1005/provision?wait=true');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      workerKey: 'hr:E1005',
      classification: 'joiner',
      plan: { steps: [expect.objectContaining({ immediate: true })] },
      outcomes: [expect.objectContaining({ kind: 'UpsertAccount', status: 'applied' })],
    });
    expect(ws.directory.read('CN=Katherine Johnson,OU=London,OU=Users,DC=contoso,DC=com')).toMatchObject({
      samaccountname: ['kjohnson'],
    });
    await plane.whenIdle();
    expect((await get('workers/hr:E1005')).body).toMatchObject({ phase: 'active' });
  });

  it('a worker already provisioned has nothing to do: 200 with no plan', async () => {
    const response = await post('workers/hr:E1001/provision?wait=true');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ workerKey: 'hr:E1001', plan: null, outcomes: [] });
  });
});

describe('a held cycle', () => {
  let heldCycleId: string;

  beforeAll(async () => {
    const leaver = { ...WORKERS[0]!, status: 'Terminated', end: '2026-11-20' };
    ws.writeWorkers([leaver, ...WORKERS.slice(1), { id: 'E1005', first: 'Katherine', last: 'Johnson' }]);
    ws.clock.advance(MINUTE);
    const sync = await post(`sources/${SOURCE_ID}/sync`);
    expect(sync.status).toBe(202);
    heldCycleId = String(sync.body?.cycleId);
    await plane.whenIdle();
  });

  it('is listed as held, with its reason, its live orchestration and nothing disabled yet', async () => {
    const cycle = await get(`cycles/${heldCycleId}`);
    expect(cycle.body).toMatchObject({
      status: 'held',
      reason: expect.stringMatching(/held for approval/) as unknown,
      orchestration: { runtimeStatus: 'Running' },
    });
    expect((await get('cycles?status=held')).body).toEqual({
      cycles: [expect.objectContaining({ cycleId: heldCycleId })],
    });
    expect((await get('audit?workerKey=hr:E1001&action=DisableAccount')).body).toEqual({ entries: [], next: null });
  });

  it('a sync while it is held → 409', async () => {
    ws.clock.advance(MINUTE);
    expectProblem(await post(`sources/${SOURCE_ID}/sync`), 409, 'conflict', /still running or held/);
  });

  it('approved through the API: 202, then committed as approved and the leaver disabled', async () => {
    const response = await post(`cycles/${heldCycleId}/approve`, { by: 'alice' });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ cycleId: heldCycleId, decision: 'approved', by: 'alice' });
    await plane.whenIdle();

    expect((await get(`cycles/${heldCycleId}`)).body).toMatchObject({
      status: 'approved',
      decision: { approved: true, by: 'alice' },
      orchestration: { runtimeStatus: 'Completed' },
    });
    expect((await get('audit?workerKey=hr:E1001&action=DisableAccount')).body).toMatchObject({
      entries: [{ workerKey: 'hr:E1001', effect: 'disabled' }],
    });
    expect(ws.directory.read(`CN=Ada Lovelace,${DISABLED}`)).toBeDefined();
    expect(ws.directory.read('CN=Ada Lovelace,OU=London,OU=Users,DC=contoso,DC=com')).toBeUndefined();
  });
});

describe('internal errors', () => {
  it('answers 500 with a generic problem, without the error’s text', async () => {
    const secret = 'SQLITE_CORRUPT in /var/lib/hr2ad/state.db (password=hunter2)';
    const spy = jest.spyOn(plane.ports.stateStore, 'listCycles').mockRejectedValueOnce(new Error(secret));
    try {
      const response = await get('health');
      expectProblem(response, 500, 'internal', /the request failed/);
      expect(response.text).not.toMatch(/hunter2|SQLITE|state\.db/);
    } finally {
      spy.mockRestore();
    }
    expect((await get('health')).status).toBe(200);
  });
});

describe('cycle ids', () => {
  /**
   * newCycleId (functions/app/cycle-starter.ts) stamps the cycle with the start instant to the second, so
   * two cycles of a source started within one second (a timer poll, then a sync from the API or the CLI,
   * once the first finished) share an id: the second overwrites the first's record and its plans are
   * stored under the same cycle as the first's (putCyclePlans replaces by cycle and worker), so the
   * commit reads both. Fails until the id is unique per start (e.g. milliseconds plus a counter, or the
   * orchestration's instance execution).
   */
  it('two cycles started in the same second get distinct ids', async () => {
    const other = workspace();
    const second = await other.start();
    try {
      const first = await api(second, 'POST', `sources/${SOURCE_ID}/sync`, second.token);
      await second.whenIdle();
      other.writeWorkers(WORKERS.slice(0, 3));
      const next = await api(second, 'POST', `sources/${SOURCE_ID}/sync`, second.token);
      await second.whenIdle();
      expect([first.status, next.status]).toEqual([202, 202]);
      expect(next.body?.cycleId).not.toBe(first.body?.cycleId);
      expect(((await api(second, 'GET', 'cycles', second.token)).body?.cycles as unknown[]).length).toBe(2);
    } finally {
      await second.stop();
      other.remove();
    }
  });
});
