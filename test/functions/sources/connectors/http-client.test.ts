/**
 * The connectors' HTTP client against a scripted `fetch`: retries on 429/503 with Retry-After (seconds
 * and HTTP date) or full-jitter backoff, the attempt cap, timeouts, the request counter, and errors that
 * name the source and status but never the credentials, the query or the body.
 */
import {
  HttpClient,
  HttpError,
  HttpUnreachableError,
  basicAuthorization,
  retryAfterMs,
} from '../../../../functions/sources/connectors/http-client';

type Answer = Response | Error;

function scriptedFetch(answers: Answer[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fn = (async (url: string, init?: RequestInit) => {
    calls.push({ url, headers: init?.headers as Record<string, string> });
    const answer = answers.shift();
    if (!answer) throw new Error('no more scripted answers');
    if (answer instanceof Error) throw answer;
    return answer;
  }) as unknown as typeof fetch;
  return { fn, calls };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

const NOW = new Date('2026-06-01T12:00:00Z');

function clientWith(answers: Answer[], options: { random?: number; maxAttempts?: number } = {}) {
  const fetcher = scriptedFetch(answers);
  const waits: number[] = [];
  const client = new HttpClient({
    sourceId: 'hr-test',
    baseUrl: 'https://hr.example.com/api/',
    authorization: async () => basicAuthorization('secret-key', 'x'),
    fetch: fetcher.fn,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => options.random ?? 0.5,
    now: () => NOW,
    maxAttempts: options.maxAttempts ?? 4,
    backoffBaseMs: 100,
    maxWaitMs: 10_000,
  });
  return { client, waits, calls: fetcher.calls };
}

describe('retryAfterMs', () => {
  it.each([
    [null, null],
    ['', null],
    ['7', 7000],
    ['0', 0],
    ['Mon, 01 Jun 2026 12:00:30 GMT', 30_000],
    ['Mon, 01 Jun 2026 11:00:00 GMT', 0],
    ['soon', null],
  ])('Retry-After %p → %p ms', (header, expected) => {
    expect(retryAfterMs(header, NOW)).toBe(expected);
  });
});

describe('HttpClient', () => {
  it('sends the auth header and repeated query keys, and parses JSON', async () => {
    const { client, calls } = clientWith([json(200, { ok: true })]);
    await expect(client.getJson('/v1/things', { 'filter[ids][]': ['1', '2'], since: 'a b' })).resolves.toEqual({
      ok: true,
    });
    expect(calls[0]!.url).toBe(
      'https://hr.example.com/api/v1/things?filter%5Bids%5D%5B%5D=1&filter%5Bids%5D%5B%5D=2&since=a+b',
    );
    expect(calls[0]!.headers.authorization).toBe(`Basic ${Buffer.from('secret-key:x').toString('base64')}`);
    expect(calls[0]!.headers.accept).toBe('application/json');
    expect(client.requestCount).toBe(1);
  });

  it('waits what Retry-After says on 503 and 429 (seconds, then an HTTP date)', async () => {
    const { client, waits } = clientWith([
      json(503, {}, { 'retry-after': '3' }),
      json(429, {}, { 'retry-after': 'Mon, 01 Jun 2026 12:00:05 GMT' }),
      json(200, [1]),
    ]);
    await expect(client.getJson('/x')).resolves.toEqual([1]);
    expect(waits).toEqual([3000, 5000]);
    expect(client.requestCount).toBe(3);
  });

  it('caps a Retry-After at maxWaitMs', async () => {
    const { client, waits } = clientWith([json(429, {}, { 'retry-after': '3600' }), json(200, {})]);
    await client.getJson('/x');
    expect(waits).toEqual([10_000]);
  });

  it('backs off exponentially with full jitter when no Retry-After is given', async () => {
    const { client, waits } = clientWith([json(503, {}), json(503, {}), json(503, {}), json(200, {})], {
      random: 0.5,
    });
    await client.getJson('/x');
    expect(waits).toEqual([50, 100, 200]);
  });

  it('gives up after maxAttempts with an error naming source, path and status', async () => {
    const { client, waits } = clientWith([json(503, {}), json(503, {})], { maxAttempts: 2 });
    const error = await client.getJson('/v1/employees', { since: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as Error).message).toBe('hr-test: GET /v1/employees answered HTTP 503');
    expect(waits).toHaveLength(1);
  });

  it('does not retry other statuses, and never echoes the credentials or the body', async () => {
    const { client } = clientWith([json(401, { name: 'Ava Nguyen', key: 'secret-key' })]);
    const error = (await client.getJson('/v1/employees/7').catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(401);
    expect(client.requestCount).toBe(1);
    expect(error.message).not.toMatch(/secret-key|Ava|Basic/);
  });

  it('retries network errors and timeouts, then reports the source as unreachable', async () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    const { client, waits } = clientWith([new TypeError('fetch failed'), timeout], { maxAttempts: 2 });
    const error = await client.getJson('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpUnreachableError);
    expect((error as Error).message).toBe('hr-test: GET /x got no answer (timed out)');
    expect(waits).toEqual([50]);
  });

  it('passes an abort signal to every attempt', async () => {
    let signal: AbortSignal | null | undefined;
    const client = new HttpClient({
      sourceId: 'hr-test',
      baseUrl: 'https://hr.example.com',
      authorization: async () => 'Basic x',
      fetch: (async (_url: string, init?: RequestInit) => {
        signal = init?.signal;
        return json(200, {});
      }) as unknown as typeof fetch,
      timeoutMs: 1000,
    });
    await client.getJson('/x');
    expect(signal).toBeInstanceOf(AbortSignal);
  });

  it('says when a 2xx body is not JSON, without the body', async () => {
    const { client } = clientWith([new Response('<xml>Ava</xml>', { status: 200 })]);
    await expect(client.getJson('/x')).rejects.toThrow(
      'hr-test: GET /x answered HTTP 200 with a body that is not JSON',
    );
  });
});
