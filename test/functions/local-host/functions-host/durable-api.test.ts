/**
 * Durable client calls made by the app's handlers (`df.getClient(context)`) reach the engine through the
 * local durable API, with the statuses DurableClient expects; the API refuses requests without its secret
 * path prefix.
 */
jest.mock(
  '@azure/functions-core',
  () => jest.requireActual<typeof import('./fixtures/core-mock')>('./fixtures/core-mock').coreModule,
  { virtual: true },
);

import { FUNCTION_KEY, startTestHost, type TestHost } from './fixtures/test-host';

let t: TestHost;
beforeEach(async () => {
  t = await startTestHost();
});
afterEach(async () => {
  await t.host.stop();
});

async function op(name: string, id = ''): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${t.api}durable/${name}/${id}`, { method: 'POST' });
  return { status: res.status, body: await res.json() };
}

async function startProvision(id: string, input: unknown): Promise<Response> {
  return fetch(`${t.api}provision/${id}`, {
    method: 'POST',
    headers: { 'x-functions-key': FUNCTION_KEY },
    body: JSON.stringify(input),
  });
}

test('the client binding points at 127.0.0.1 under a random prefix, with the trailing slash', () => {
  const binding = t.host.durableClientBinding;
  const { port } = t.host.durableApi.address();
  expect(binding.rpcBaseUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/[A-Za-z0-9_-]{43}/durabletask/$`));
  expect(binding.managementUrls['id']).toBe('INSTANCEID');
  expect(binding.managementUrls['statusQueryGetUri']).toContain(`${binding.rpcBaseUrl}instances/INSTANCEID?`);
  expect(t.host.durableApi.address().address).toBe('127.0.0.1');
});

test('startNew from an HTTP handler reaches the engine; getStatus reads it back', async () => {
  const res = await startProvision('emp-1', { name: 'Ada' });
  expect(res.status).toBe(202);
  expect(await res.json()).toEqual({ instanceId: 'emp-1', runtimeStatus: 'Running' });
  expect(t.engine.calls).toContainEqual(['startNew', 'provision', 'emp-1', { name: 'Ada' }]);
  expect(t.engine.calls).toContainEqual(['getStatus', 'emp-1', false]);
});

test('startNew without an id gets a dashless GUID, as the extension assigns', async () => {
  const res = await fetch(`${t.api}provision`, {
    method: 'POST',
    headers: { 'x-functions-key': FUNCTION_KEY },
    body: JSON.stringify({ name: 'Bob' }),
  });
  const { instanceId } = (await res.json()) as { instanceId: string };
  expect(instanceId).toMatch(/^[0-9a-f]{32}$/);
});

test('starting an id that is still running is a conflict (409), which the client surfaces as an error', async () => {
  await startProvision('dup', { name: 'A' });
  const again = await startProvision('dup', { name: 'B' });
  expect(again.status).toBe(500); // the handler did not catch the client's rejection
  const direct = await fetch(`${t.host.durableClientBinding.rpcBaseUrl}orchestrators/provision/dup`, {
    method: 'POST',
    body: '{}',
  });
  expect(direct.status).toBe(409);
});

test('an unknown orchestrator is refused with 400', async () => {
  const res = await fetch(`${t.host.durableClientBinding.rpcBaseUrl}orchestrators/nope`, { method: 'POST', body: '' });
  expect(res.status).toBe(400);
  expect(t.engine.calls.filter(([call]) => call === 'startNew')).toEqual([]);
});

test('raiseEvent: 202 to a running instance, an error for an unknown one, silently ignored when finished', async () => {
  await startProvision('ev-1', { name: 'A' });
  expect(await op('raise', 'ev-1')).toEqual({ status: 200, body: { done: true } });
  expect(t.engine.events).toEqual([{ instanceId: 'ev-1', eventName: 'approval', data: { ok: true } }]);
  expect(await op('raise', 'missing')).toEqual({
    status: 409,
    body: { clientError: "No instance with ID 'missing' found." },
  });
  t.engine.complete('ev-1', 'done');
  expect(await op('raise', 'ev-1')).toEqual({ status: 200, body: { done: true } }); // 410: no error
  expect(t.engine.events).toHaveLength(1);
});

test('getStatus with history, terminate, purge and listStatus round trip', async () => {
  for (const id of ['a-1', 'a-2', 'a-3']) await startProvision(id, { name: id });
  const status = (await op('status', 'a-1')).body as Record<string, unknown>;
  expect(status).toMatchObject({
    name: 'provision',
    instanceId: 'a-1',
    runtimeStatus: 'Running',
    input: { name: 'a-1' },
    output: null,
    createdTime: '2030-01-01T00:00:00.000Z',
    history: [{ EventType: 'ExecutionStarted', Name: 'provision' }],
  });

  expect(await op('terminate', 'a-2')).toEqual({ status: 200, body: { done: true } });
  expect(t.engine.calls).toContainEqual(['terminate', 'a-2', 'no longer needed']);
  expect(await op('terminate', 'a-2')).toEqual({ status: 200, body: { done: true } }); // 410 is fine for the client
  expect((await op('terminate', 'nobody')).status).toBe(409);

  // Three instances over pages of two: the client follows x-ms-continuation-token.
  expect((await op('list')).body).toEqual([
    ['a-1', 'Running'],
    ['a-2', 'Terminated'],
    ['a-3', 'Running'],
  ]);
  expect((await op('running')).body).toEqual(['a-1', 'a-3']);

  expect(await op('purge', 'a-2')).toEqual({ status: 200, body: { instancesDeleted: 1 } });
  expect(await op('purge', 'a-2')).toEqual({ status: 200, body: { instancesDeleted: 0 } }); // 404
  expect((await op('status', 'a-2')).status).toBe(409); // the client throws on 404
  expect((await op('purge', 'a-1')).status).toBe(409); // 412: still running
  expect(t.engine.instances.has('a-1')).toBe(true);
});

test('createCheckStatusResponse links work on the app server, under the same secret prefix', async () => {
  const res = await fetch(`${t.api}check/chk-1`, { method: 'POST' });
  expect(res.status).toBe(202);
  const links = (await res.json()) as Record<string, string>;
  expect(links['id']).toBe('chk-1');
  const statusUrl = links['statusQueryGetUri'] ?? '';
  expect(statusUrl.startsWith(`${t.host.url}/`)).toBe(true);
  expect(res.headers.get('location')).toBe(statusUrl);
  const status = await fetch(statusUrl);
  expect(status.status).toBe(202);
  expect(await status.json()).toMatchObject({ instanceId: 'chk-1', runtimeStatus: 'Running' });
  t.engine.complete('chk-1', { ok: 1 });
  const done = await fetch(statusUrl);
  expect(done.status).toBe(200);
  expect(await done.json()).toMatchObject({ runtimeStatus: 'Completed', output: { ok: 1 } });
});

test('the durable API refuses requests without its secret prefix, on both servers', async () => {
  await startProvision('sec-1', { name: 'A' });
  const base = t.host.durableClientBinding.rpcBaseUrl;
  const { port } = t.host.durableApi.address();
  const secret = new URL(base).pathname.split('/')[1] ?? '';
  const forged = secret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
  const attempts = [
    `http://127.0.0.1:${port}/durabletask/instances/sec-1`,
    `http://127.0.0.1:${port}/runtime/webhooks/durabletask/instances/sec-1`,
    `http://127.0.0.1:${port}/${forged}/durabletask/instances/sec-1`,
    `${t.host.url}/durabletask/instances/sec-1`,
    `${t.host.url}/${forged}/durabletask/instances/sec-1`,
  ];
  for (const url of attempts) {
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(url.replace('instances/sec-1', 'orchestrators/provision'), { method: 'POST' })).status).toBe(
      404,
    );
  }
  expect((await fetch(`${base}instances/sec-1`)).status).toBe(202);
  expect(t.engine.calls.filter(([call]) => call === 'startNew')).toHaveLength(1);
});
