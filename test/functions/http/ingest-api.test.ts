/**
 * The ingest routes through the local Functions host's server, on a LocalControlPlane over an in-memory AD
 * and a VirtualClock (the real-DC scenarios are in test/functions/e2e/scim-ingest.dc.test.ts). Proves:
 * - the optional rate limit: past `requests` per window a client gets 429 with `Retry-After` and a SCIM
 *   error, nothing is stored, and once the window has passed it may post again; reading a status does not count;
 * - `failOnErrors`: operations after that many errors are not processed (412 in the BulkResponse);
 * - one worker twice in a batch: the later record wins, the earlier is `superseded`;
 * - safety before speed: a pushed leaver over the disable threshold is held for approval like a polled
 *   one, and applied once approved;
 * - webhooks: an unknown source is 404, a payload naming no workers is 400.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueIngestToken } from '../../../functions/adapters/ingest-auth/local-token-issuer';
import { loadControlPlaneConfig } from '../../../functions/config/load-config';
import { signWebhook } from '../../../functions/ingest/webhook-signature';
import { localDataFiles, openSecrets, type LocalControlPlane } from '../../../functions/local-host/local-control-plane';
import { api, DOMAIN, workspace, type Workspace } from './fixtures/control-plane-workspace';

const RATE = { requests: 3, windowSeconds: 60 };
let ws: Workspace;
let plane: LocalControlPlane;
let token: string;

beforeAll(async () => {
  ws = workspace([]);
  const file = join(ws.dir, 'hr2ad.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const [csv] = config.sources as Record<string, unknown>[];
  config.sources = [
    { ...csv, webhook: { secrets: [{ secret: 'webhook-key' }] } },
    { id: 'hr-scim', kind: 'scim', source: 'hr' },
  ];
  config.ingest = { limits: { rateLimit: RATE } };
  writeFileSync(file, JSON.stringify(config));
  plane = await ws.start();
  const loaded = loadControlPlaneConfig(file);
  const secrets = await openSecrets(localDataFiles(loaded));
  await secrets.set('webhook-key', 'shared-webhook-key');
  const auth = loaded.config.ingest.auth;
  if (auth.kind !== 'local') throw new Error('local tokens expected');
  token = await issueIngestToken(secrets, auth, { subject: 'script', days: 1 });
});
afterAll(async () => {
  await plane?.stop();
  ws?.remove();
});

function user(bulkId: string, externalId: string, extra: Record<string, unknown> = {}) {
  return {
    method: 'POST',
    bulkId,
    path: '/Users',
    data: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      externalId,
      name: { givenName: 'Pat', familyName: `Push${externalId}` },
      addresses: [{ type: 'work', locality: 'London' }],
      ...extra,
    },
  };
}

async function postBulk(operations: unknown[], failOnErrors?: number) {
  const body = {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
    Operations: operations,
    ...(failOnErrors === undefined ? {} : { failOnErrors }),
  };
  const res = await fetch(`${plane.url}/api/sources/hr-scim/bulkUpload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function requestStatus(location: string) {
  const res = await fetch(location, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    body: (await res.json()) as { operations: { status: string; classification: string | null }[] },
  };
}

async function accountDns(filter: string): Promise<string[]> {
  const found = await ws.directory.search({ base: DOMAIN, scope: 'sub', filter, attributes: ['employeeID'] });
  return found.map((e) => e.dn);
}

async function logCount(): Promise<number> {
  const res = await api(plane, 'GET', 'provisioningLogs?limit=1000', plane.token);
  return (res.body!.value as unknown[]).length;
}

describe('the rate limit', () => {
  it('past its requests per window a client gets 429 with Retry-After, and nothing is stored', async () => {
    const first = await postBulk([user('a', 'R1')]);
    expect(first.status).toBe(202);
    expect((await postBulk([user('b', 'R2')])).status).toBe(202);
    expect((await postBulk([user('c', 'R3')])).status).toBe(202);
    await plane.whenIdle();
    const stored = await logCount();
    const fourth = await postBulk([user('d', 'R4')]);
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(fourth.headers.get('retry-after'))).toBeLessThanOrEqual(RATE.windowSeconds);
    expect(fourth.body).toMatchObject({ status: '429', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    expect(await logCount()).toBe(stored);
    // Reading a status is not counted.
    expect((await requestStatus(first.headers.get('location')!)).status).toBe(200);
    ws.clock.set(new Date(ws.clock.now().getTime() + (RATE.windowSeconds + 1) * 1000));
    expect((await postBulk([user('d', 'R4')])).status).toBe(202);
    await plane.whenIdle();
    expect(await accountDns('(|(employeeID=R1)(employeeID=R2)(employeeID=R3)(employeeID=R4))')).toHaveLength(4);
  });
});

describe('the rate limit on CSV uploads', () => {
  it('answers 429 problem details with Retry-After, not 401', async () => {
    ws.clock.set(new Date(ws.clock.now().getTime() + (RATE.windowSeconds + 1) * 1000));
    const upload = () =>
      fetch(`${plane.url}/api/sources/hr-file/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body: 'Employee ID\n',
      });
    for (let i = 0; i < RATE.requests; i++) expect((await upload()).status).toBe(400);
    const over = await upload();
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).not.toBeNull();
    expect(((await over.json()) as { type: string }).type).toBe('https://hr2ad.dev/problems/too-many-requests');
  });
});

describe('SCIM semantics on the in-memory directory', () => {
  beforeEach(() => ws.clock.set(new Date(ws.clock.now().getTime() + (RATE.windowSeconds + 1) * 1000)));

  it('failOnErrors: after that many errors the rest is not processed', async () => {
    const bad = { ...user('x', 'F2'), data: { ...user('x', 'F2').data, name: { familyName: 'NoGiven' } } };
    const res = await postBulk([user('ok', 'F1'), bad, user('late', 'F3')], 1);
    expect(res.status).toBe(202);
    const statuses = (res.body.Operations as { bulkId: string; status: string }[]).map((o) => [o.bulkId, o.status]);
    expect(statuses).toEqual([
      ['ok', '202'],
      ['x', '400'],
      ['late', '412'],
    ]);
    await plane.whenIdle();
    const status = await requestStatus(res.headers.get('location')!);
    expect(status.body.operations.map((o) => o.status)).toEqual(['planned', 'failed', 'failed']);
  });

  it('one worker twice in a request: the later record wins, the earlier is superseded', async () => {
    const res = await postBulk([user('v1', 'V1', { title: 'First' }), user('v2', 'V1', { title: 'Second' })]);
    expect(res.status).toBe(202);
    await plane.whenIdle();
    const status = await requestStatus(res.headers.get('location')!);
    expect(status.body.operations.map((o) => [o.status, o.classification])).toEqual([
      ['superseded', null],
      ['planned', 'joiner'],
    ]);
    const found = await ws.directory.search({
      base: DOMAIN,
      scope: 'sub',
      filter: '(employeeID=V1)',
      attributes: ['title'],
    });
    expect(found.map((e) => e.attributes.title)).toEqual([['Second']]);
  });

  it('a pushed leaver over the disable threshold is held for approval, then applied once approved', async () => {
    await postBulk([user('h', 'H1', { active: true })]);
    await plane.whenIdle();
    const left = await postBulk([user('h', 'H1', { active: false })]);
    expect(left.status).toBe(202);
    await plane.whenIdle();
    const held = await api(plane, 'GET', 'cycles?status=held', plane.token);
    const cycles = held.body!.cycles as { cycleId: string; sourceId: string }[];
    expect(cycles.map((c) => c.sourceId)).toEqual(['hr-scim']);
    const account = async () => (await accountDns('(employeeID=H1)'))[0]!;
    expect(await account()).not.toMatch(/Disabled Users/);
    expect((await api(plane, 'POST', `cycles/${cycles[0]!.cycleId}/approve`, plane.token, { by: 'test' })).status).toBe(
      202,
    );
    await plane.whenIdle();
    expect(await account()).toMatch(/OU=Disabled Users/);
  });
});

describe('webhooks', () => {
  const post = (source: string, body: string) =>
    fetch(`${plane.url}/api/sources/${source}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hr2ad-signature': signWebhook('shared-webhook-key', body, Math.floor(ws.clock.now().getTime() / 1000)),
      },
      body,
    });

  it('a source that takes no webhooks is 404; a payload naming no workers is 400', async () => {
    expect((await post('hr-scim', '{"workerIds":["1"]}')).status).toBe(404);
    expect((await post('hr-file', '{"somethingElse":true}')).status).toBe(400);
  });
});
