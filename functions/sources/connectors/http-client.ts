/**
 * A small JSON-over-HTTPS client for HR connectors, built on `fetch`. It exists so every connector
 * throttles, retries and fails the same way:
 *
 * - each attempt has a timeout (an `AbortSignal`), so a stalled server cannot hold a sync cycle;
 * - 429 and 503 are retried, waiting what `Retry-After` says (seconds or an HTTP date) when the server
 *   says it, else exponential backoff with full jitter (a random wait in [0, base·2^attempt], capped), up
 *   to `maxAttempts` attempts; a network error or a timeout is retried the same way;
 * - every other status answers at once: 2xx with the parsed JSON, anything else with an `HttpError`.
 *
 * Errors name the source, the method and path and the HTTP status. They never carry the credentials
 * (the auth header is added per request and never echoed) nor a response body (it may hold personal
 * data); the query string is left out too, since it may hold ids.
 *
 * Sleep, random and clock are injected so tests run instantly and can assert the waits.
 */

/** What the client needs from the outside world; the defaults are the real ones. */
export interface HttpClientDeps {
  readonly fetch?: typeof fetch;
  /** Waits `ms` milliseconds. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1). */
  readonly random?: () => number;
  /** The current time, for `Retry-After` given as an HTTP date. */
  readonly now?: () => Date;
}

export interface HttpClientOptions extends HttpClientDeps {
  /** The source the client reads for (`hr-bamboo`); named in every error. */
  readonly sourceId: string;
  /** The base URL every path is appended to (no trailing slash needed). */
  readonly baseUrl: string;
  /**
   * The `Authorization` header value, asked for per request (a key may be rotated between reads). Absent
   * when the credentials travel in the body (a SOAP WS-Security header).
   */
  readonly authorization?: () => Promise<string>;
  /** Per-attempt timeout in ms (default 30,000). */
  readonly timeoutMs?: number;
  /** Attempts per request, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Backoff base in ms (default 500): attempt n waits up to base·2^(n-1). */
  readonly backoffBaseMs?: number;
  /** The longest single wait in ms, `Retry-After` included (default 60,000). */
  readonly maxWaitMs?: number;
}

/** A request that ended with a status the caller must handle (401, 404, a 503 after every attempt…). */
export class HttpError extends Error {
  constructor(
    readonly sourceId: string,
    readonly status: number,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${sourceId}: ${method} ${path} answered HTTP ${status}`);
    this.name = 'HttpError';
  }
}

/** A request that never got an answer (network error or timeout) after every attempt. */
export class HttpUnreachableError extends Error {
  constructor(sourceId: string, method: string, path: string, reason: string) {
    super(`${sourceId}: ${method} ${path} got no answer (${reason})`);
    this.name = 'HttpUnreachableError';
  }
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);
const JSON_HEADERS = { accept: 'application/json' } as const;

/**
 * The wait `Retry-After` asks for in ms (delta-seconds or an HTTP date), or null when it is absent or
 * unreadable. A date in the past means "now".
 */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null || header.trim() === '') return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now.getTime());
}

type Attempt = { kind: 'response'; response: Response } | { kind: 'unreachable'; reason: string };

export class HttpClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => Date;
  private requests = 0;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => new Date());
  }

  /** HTTP requests sent so far, retries included (for the figures). */
  get requestCount(): number {
    return this.requests;
  }

  /**
   * GETs `path` (with `query`, repeated keys for arrays) and returns the parsed JSON body.
   * Throws `HttpError` for a non-2xx answer, `HttpUnreachableError` when no answer came.
   */
  async getJson(path: string, query: Readonly<Record<string, string | readonly string[]>> = {}): Promise<unknown> {
    const response = await this.send('GET', this.urlFor(path, query), path, undefined, JSON_HEADERS);
    return this.parseJson(response, 'GET', path);
  }

  /**
   * POSTs `body` as JSON to `path` and returns the parsed JSON answer: for vendors whose reads take a body
   * (HiBob's people search). Retried and failing exactly as `getJson`.
   */
  async postJson(path: string, body: unknown): Promise<unknown> {
    const headers = { ...JSON_HEADERS, 'content-type': 'application/json' };
    const response = await this.send('POST', this.urlFor(path, {}), path, JSON.stringify(body), headers);
    return this.parseJson(response, 'POST', path);
  }

  /**
   * POSTs a text `body` (a SOAP envelope) with `headers` and returns the answer's status and text: a 2xx,
   * or one of the `answered` statuses (a SOAP fault comes as HTTP 500 with a body the caller reads).
   * Retried and failing otherwise exactly as `getJson`; the body is never put in an error.
   */
  async postText(
    path: string,
    body: string,
    headers: Readonly<Record<string, string>>,
    answered: readonly number[] = [],
  ): Promise<{ readonly status: number; readonly text: string }> {
    const response = await this.send('POST', this.urlFor(path, {}), path, body, headers, answered);
    return { status: response.status, text: await response.text() };
  }

  private async send(
    method: 'GET' | 'POST',
    url: string,
    path: string,
    body: string | undefined,
    headers: Readonly<Record<string, string>>,
    answered: readonly number[] = [],
  ): Promise<Response> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(method, url, headers, body);
      const last = attempt >= maxAttempts;
      if (outcome.kind === 'response') {
        const { response } = outcome;
        if (response.ok || answered.includes(response.status)) return response;
        await response.body?.cancel();
        if (last || !RETRYABLE_STATUSES.has(response.status))
          throw new HttpError(this.options.sourceId, response.status, method, path);
        await this.sleep(this.waitMs(attempt, response.headers.get('retry-after')));
      } else {
        if (last) throw new HttpUnreachableError(this.options.sourceId, method, path, outcome.reason);
        await this.sleep(this.waitMs(attempt, null));
      }
    }
  }

  private urlFor(path: string, query: Readonly<Record<string, string | readonly string[]>>): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      for (const item of typeof value === 'string' ? [value] : value) params.append(key, item);
    }
    const search = params.toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  private async attempt(
    method: string,
    url: string,
    headers: Readonly<Record<string, string>>,
    body: string | undefined,
  ): Promise<Attempt> {
    this.requests++;
    const all: Record<string, string> = { ...headers };
    if (this.options.authorization) all.authorization = await this.options.authorization();
    try {
      const signal = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
      const init: RequestInit = { method, headers: all, signal, ...(body !== undefined ? { body } : {}) };
      return { kind: 'response', response: await this.fetchFn(url, init) };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { kind: 'unreachable', reason: timedOut ? 'timed out' : 'network error' };
    }
  }

  /** What the server asked for, else full jitter: random in [0, base·2^(attempt-1)]; both capped. */
  private waitMs(attempt: number, retryAfter: string | null): number {
    const cap = this.options.maxWaitMs ?? 60_000;
    const asked = retryAfterMs(retryAfter, this.now());
    if (asked !== null) return Math.min(asked, cap);
    const ceiling = Math.min(cap, (this.options.backoffBaseMs ?? 500) * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceiling);
  }

  private async parseJson(response: Response, method: string, path: string): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(
        `${this.options.sourceId}: ${method} ${path} answered HTTP ${response.status} with a body that is not JSON`,
      );
    }
  }
}

/** The `Authorization` value for HTTP Basic. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
