/** The app's HTTP functions through the real local server, with node's fetch. */
jest.mock(
  '@azure/functions-core',
  () => jest.requireActual<typeof import('./fixtures/core-mock')>('./fixtures/core-mock').coreModule,
  { virtual: true },
);

import { FUNCTION_KEY, startTestHost, type TestHost } from './fixtures/test-host';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => {
  await t.host.stop();
});

test('the server listens on 127.0.0.1 only', () => {
  const address = t.host.http.address();
  expect(address.address).toBe('127.0.0.1');
  expect(address.family).toBe('IPv4');
  expect(t.host.url).toBe(`http://127.0.0.1:${address.port}`);
});

test('a function-level route answers 200 with the handler JSON when the key is in x-functions-key', async () => {
  const res = await fetch(`${t.api}items/42?q=hello`, { headers: { 'x-functions-key': FUNCTION_KEY } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(await res.json()).toEqual({ id: 42, q: 'hello', method: 'GET' });
});

test('the key is also accepted as ?code=', async () => {
  const res = await fetch(`${t.api}items/7?code=${FUNCTION_KEY}`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ id: 7, q: null, method: 'GET' });
});

test.each([
  ['no key', {}],
  ['a wrong key', { 'x-functions-key': 'nope' }],
  ['a key that only starts right', { 'x-functions-key': FUNCTION_KEY.slice(0, 10) }],
])('a function-level route refuses %s with 401', async (_what, headers: Record<string, string>) => {
  const res = await fetch(`${t.api}items/42`, { headers });
  expect(res.status).toBe(401);
  expect(await res.text()).toBe('');
});

test('an admin-level route needs the key too', async () => {
  expect((await fetch(`${t.api}admin/thing`, { method: 'DELETE' })).status).toBe(401);
  const ok = await fetch(`${t.api}admin/thing`, { method: 'DELETE', headers: { 'x-functions-key': FUNCTION_KEY } });
  expect(ok.status).toBe(204);
});

test('an anonymous route is open', async () => {
  const res = await fetch(`${t.api}ping`);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('pong');
});

test('body, headers, catch-all params and cookies travel both ways', async () => {
  const res = await fetch(`${t.api}echo/a/b%20c`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test': 'header-value' },
    body: JSON.stringify({ hello: 'world' }),
  });
  expect(res.status).toBe(201);
  expect(res.headers.get('x-echo')).toBe('yes');
  expect(res.headers.getSetCookie()).toEqual(['seen=1; Path=/; HttpOnly']);
  expect(await res.json()).toEqual({ rest: 'a/b c', body: { hello: 'world' }, header: 'header-value' });
});

test.each([
  ['an unknown route', 'nothing/here', 'GET'],
  ['a route constraint that does not match', 'items/abc', 'GET'],
  ['a method the function does not accept', 'ping', 'POST'],
  ['a path outside the api/ prefix', '../ping', 'GET'],
])('%s is 404', async (_what, path, method) => {
  const url = path.startsWith('..') ? `${t.host.url}/ping` : `${t.api}${path}`;
  const res = await fetch(url, { method, headers: { 'x-functions-key': FUNCTION_KEY } });
  expect(res.status).toBe(404);
});

test('a throwing handler answers 500 without the error text, and the failure is logged', async () => {
  const res = await fetch(`${t.api}boom`);
  expect(res.status).toBe(500);
  const body = await res.text();
  expect(body).toBe('Internal Server Error');
  expect(body).not.toContain('hunter2');
  expect(t.logger.events).toContainEqual(
    expect.objectContaining({
      level: 'error',
      message: 'http function failed',
      fields: expect.objectContaining({ functionName: 'boom' }),
    }),
  );
});

test('context.log goes to the injected logger; the key and bodies are never logged', async () => {
  await fetch(`${t.api}items/1?code=${FUNCTION_KEY}`);
  await fetch(`${t.api}echo/x`, { method: 'POST', body: JSON.stringify({ secretBody: 's3cr3t' }) });
  expect(t.logger.events).toContainEqual(
    expect.objectContaining({
      level: 'info',
      message: 'function log',
      fields: expect.objectContaining({ functionName: 'getItem', text: 'reading an item', category: 'user' }),
    }),
  );
  const logged = JSON.stringify(t.logger.events);
  expect(logged).not.toContain(FUNCTION_KEY);
  expect(logged).not.toContain('s3cr3t');
});
