/**
 * The Personio HR source: reads employees over Personio's Personnel Data API v1 and turns them into
 * canonical workers (`personio-records.ts` holds the field map and the effective-dating rules).
 *
 * Why v1 and not v2: v1's `GET /v1/company/employees` answers every attribute hr2ad maps (department,
 * office, supervisor, cost centers, termination dates) in one paged list, and `updated_since` gives the
 * delta in one request. v2 splits a worker into a person and employments (`/v2/persons`, then
 * `/v2/persons/{id}/employments` per person: a request per worker on a full read), its rate limits are
 * not published, and Personio publishes no OpenAPI paths for it that requests can be checked against.
 *
 * - Auth: `POST /v1/auth` with the client id and secret (from the secret store) answers a bearer token
 *   valid `expires_in` seconds (24 h). It is cached until five minutes before it expires; a 401 on a
 *   cached token gets one fresh token and one retry, then fails.
 * - Full read (no cursor, or one that is not this source's): `GET /v1/company/employees?limit&offset`
 *   followed to `metadata.total_elements`. No employees → suspect (absence is never a mass termination).
 * - Delta: `GET /v1/company/employees?updated_since=<the cursor's stamp>` (Personio then ignores `limit`
 *   and `offset` and answers every changed employee at once), plus `?limit=1` for the company's
 *   `total_elements`. When that total differs from the cursor's ids plus the new ones, something was
 *   deleted (or the delta missed an employee): the full list is read and diffed against the cursor's
 *   ids. A deleted employee is left out and logged, never terminated; one the delta missed is read.
 *   The snapshot is `partial`. Nothing changed → no records and the same cursor.
 * - Targeted read (`workerIds`): `GET /v1/company/employees/{id}` each; cursor `targeted:<sorted ids>`.
 *
 * Throttling: requests are paced under Personio's published limits for the employee endpoints (15 per
 * second, 300 per minute) and for `/v1/auth` (60 per minute); a 429 still gets the HTTP client's retries
 * (Retry-After when sent, else backoff with jitter from one second, as Personio advises).
 *
 * Refused credentials throw "Personio source <id>: the client credentials were refused (401)": the
 * cycle fails and the cursor does not move.
 */
import type { Clock } from '../../../../shared/ports/clock.port';
import type { HrRead, HrReadRequest, HrSnapshotRead, HrSource } from '../../../../shared/ports/hr-source.port';
import type { Logger } from '../../../../shared/ports/logger.port';
import { ConnectorAuthError, isRefusal, refusalsAsAuthErrors, type ConnectorHttpOptions } from '../connector-errors';
import { HttpClient, HttpError } from '../http-client';
import { hrToday, isJsonObject, snapshotOfOutcomes } from '../vendor-records';
import { decodeCursor, encodeCursor, type PersonioCursor } from './personio-cursor';
import { employeeToRecord, lastModifiedOf, personioIdOf, type PersonioEmployee } from './personio-records';
import { RequestPacer, type RateLimit } from './request-pacer';
import { readAsAsked, type ConnectorReads } from '../connector-read';

/** The largest `limit` Personio accepts on the employee list (enforced since 31 Jan 2025). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_BASE_URL = 'https://api.personio.de';

/** Personio's published limits on `GET /v1/company/employees…`: 15 per second, 300 per minute. */
export const EMPLOYEE_LIMITS: readonly RateLimit[] = [
  { count: 15, windowMs: 1000 },
  { count: 300, windowMs: 60_000 },
];
/** Personio's published limit on `POST /v1/auth`. */
export const AUTH_LIMITS: readonly RateLimit[] = [{ count: 60, windowMs: 60_000 }];

/** A token is renewed this long before Personio says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;

export interface PersonioSourceOptions {
  /** The source's configured id (`hr-personio`). */
  readonly id: string;
  /** The worker key's `source` (`personio`). */
  readonly source: string;
  /** The URL `/v1/…` is appended to (default `https://api.personio.de`). */
  readonly baseUrl?: string;
  /** The API client's id and secret, read from the secret store when a token is needed (null: not set). */
  readonly credentials: () => Promise<{ clientId: string | null; clientSecret: string | null }>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `limit` of the employee list (default and maximum 100). */
  readonly pageSize?: number;
  /** Monotonic ms the pacing counts on (default `performance.now`; a test may make it virtual). */
  readonly rateClock?: () => number;
  /** HTTP transport and retry settings (tests inject fetch, sleep and random). */
  readonly http?: ConnectorHttpOptions & { readonly backoffBaseMs?: number };
}

interface Token {
  readonly value: string;
  /** Epoch ms after which it is renewed. */
  readonly renewAt: number;
}

interface ListedEmployees {
  readonly employees: PersonioEmployee[];
  readonly total: number;
}

export class PersonioSource implements HrSource {
  readonly id: string;
  private readonly api: HttpClient;
  private readonly auth: HttpClient;
  private readonly authPacer: RequestPacer;
  private readonly pageSize: number;
  private token: Token | null = null;

  constructor(private readonly options: PersonioSourceOptions) {
    this.id = options.id;
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const sleep = options.http?.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    // Rate limits are about elapsed time, not HR's calendar: the pacers keep to a monotonic clock.
    const rateClock = options.rateClock ?? (() => performance.now());
    const employeePacer = new RequestPacer(EMPLOYEE_LIMITS, rateClock, sleep);
    this.authPacer = new RequestPacer(AUTH_LIMITS, rateClock, sleep);
    const common = {
      backoffBaseMs: 1000,
      ...options.http,
      sourceId: this.label,
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      now: options.http?.now ?? (() => options.clock.now()),
    };
    // The token is asked for per attempt, retries included: pacing there keeps every attempt in the limits.
    this.api = new HttpClient({
      ...common,
      authorization: async () => {
        await employeePacer.wait();
        return `Bearer ${await this.bearer()}`;
      },
    });
    this.auth = new HttpClient(common);
  }

  /** HTTP requests sent so far, token requests included (for the figures). */
  get requestCount(): number {
    return this.api.requestCount + this.auth.requestCount;
  }

  async read(request: HrReadRequest = {}): Promise<HrRead> {
    return refusalsAsAuthErrors(
      () => readAsAsked(request, this.reads, decodeCursor),
      (status) => `${this.label}: the access token was refused (${status})`,
    );
  }

  /** Its reads, for `readAsAsked`. */
  private get reads(): ConnectorReads<PersonioCursor> {
    return {
      targeted: (workerIds) => this.readTargeted(workerIds),
      sample: (count) => this.readSample(count),
      changes: (since) => this.readChanges(since),
      all: () => this.readAll(),
    };
  }

  private get label(): string {
    return `Personio source ${this.id}`;
  }

  private async readAll(): Promise<HrRead> {
    const { employees } = await this.listAll();
    if (employees.length === 0) return { kind: 'suspect', reason: `${this.label}: Personio returned no employees` };
    return this.snapshot(employees, cursorOf(employees, null), false);
  }

  private async readChanges(since: PersonioCursor): Promise<HrRead> {
    const changed = await this.changedSince(since.stamp);
    const total = (await this.listPage(0, 1)).total;
    const known = new Set(since.ids);
    const expected = new Set([
      ...known,
      ...changed
        .map(personioIdOf)
        .filter((id) => id !== null)
        .map(Number),
    ]);
    if (total === expected.size) return this.snapshot(changed, cursorOf(changed, since), true);
    return this.reconcile(since, changed, known);
  }

  /** The count does not add up: the full list, diffed against the cursor's ids. */
  private async reconcile(since: PersonioCursor, changed: PersonioEmployee[], known: ReadonlySet<number>) {
    const { employees } = await this.listAll();
    if (employees.length === 0)
      return { kind: 'suspect' as const, reason: `${this.label}: Personio returned no employees` };
    const listed = new Set(
      employees
        .map(personioIdOf)
        .filter((id) => id !== null)
        .map(Number),
    );
    for (const id of known) {
      if (!listed.has(id))
        this.options.logger.info('Personio employee no longer listed (deleted); the worker is left as it is', {
          sourceId: this.id,
          employeeId: String(id),
        });
    }
    const changedIds = new Set(changed.map(personioIdOf));
    const missed = employees.filter((e) => !changedIds.has(personioIdOf(e)) && !known.has(Number(personioIdOf(e))));
    const read = [...changed.filter((e) => listed.has(Number(personioIdOf(e)))), ...missed];
    const stamp = cursorOf(employees, null).stamp;
    return this.snapshot(read, { stamp: maxStamp(stamp, since.stamp), ids: [...listed] }, true);
  }

  /** The list's first page (at most `count` employees), as a targeted read of them would give them. */
  private async readSample(count: number): Promise<HrRead> {
    const { employees } = await this.listPage(0, Math.min(count, this.pageSize));
    const ids = employees.map(personioIdOf).filter((id) => id !== null);
    const snapshot = this.snapshot(employees, { stamp: null, ids: [] }, true);
    return { ...snapshot, cursor: `targeted:${[...ids].sort().join(',')}` };
  }

  private async readTargeted(workerIds: readonly string[]): Promise<HrRead> {
    const ids = [...new Set(workerIds)].filter((id) => /^[1-9]\d{0,9}$/.test(id)).sort();
    const employees: PersonioEmployee[] = [];
    for (const id of ids) {
      const employee = await this.employee(id);
      if (employee) employees.push(employee);
    }
    const snapshot = this.snapshot(employees, { stamp: null, ids: [] }, true);
    return { ...snapshot, cursor: `targeted:${ids.join(',')}` };
  }

  private snapshot(employees: readonly PersonioEmployee[], cursor: PersonioCursor, partial: boolean): HrSnapshotRead {
    const ctx = { source: this.options.source, today: hrToday(this.options.clock.now()) };
    const outcomes = employees.map((employee) => employeeToRecord(employee, ctx));
    return snapshotOfOutcomes(outcomes, encodeCursor(cursor), partial);
  }

  /** Every employee, page by page (`offset` counts employees), to `metadata.total_elements`. */
  private async listAll(): Promise<ListedEmployees> {
    const employees: PersonioEmployee[] = [];
    // The next offset is what was received, not the page size asked for: a smaller page skips no one.
    for (let offset = 0; ;) {
      const page = await this.listPage(offset, this.pageSize);
      employees.push(...page.employees);
      offset += page.employees.length;
      if (page.employees.length === 0 || offset >= page.total) return { employees, total: page.total };
    }
  }

  private async listPage(offset: number, limit: number): Promise<ListedEmployees> {
    const body = await this.get('/v1/company/employees', { limit: String(limit), offset: String(offset) });
    return { employees: this.dataOf(body), total: this.totalOf(body) };
  }

  private async changedSince(stamp: number | null): Promise<PersonioEmployee[]> {
    if (stamp === null) return (await this.listAll()).employees;
    const since = new Date(stamp).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return this.dataOf(await this.get('/v1/company/employees', { updated_since: since }));
  }

  private async employee(id: string): Promise<PersonioEmployee | null> {
    try {
      const body = await this.get(`/v1/company/employees/${id}`, {});
      if (!isJsonObject(body) || !isJsonObject(body.data)) throw this.unexpected('/v1/company/employees/{id}');
      return body.data;
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return null;
      throw error;
    }
  }

  /** A GET with the bearer token; a refused cached token is replaced once. */
  private async get(path: string, query: Record<string, string>): Promise<unknown> {
    const cached = this.token;
    try {
      return await this.api.getJson(path, query);
    } catch (error) {
      if (!isRefusal(error) || cached === null || this.token !== cached) throw error;
      this.token = null;
      this.options.logger.info('Personio refused a cached access token; asking for a new one', { sourceId: this.id });
      return await this.api.getJson(path, query);
    }
  }

  /** The cached token, or a new one from `POST /v1/auth`. */
  private async bearer(): Promise<string> {
    const now = this.options.clock.now().getTime();
    if (this.token && now < this.token.renewAt) return this.token.value;
    const { clientId, clientSecret } = await this.options.credentials();
    if (!clientId || !clientSecret) throw new ConnectorAuthError(`${this.label}: the client id or secret is not set`);
    await this.authPacer.wait();
    const body = await refusalsAsAuthErrors(
      () => this.auth.postJson('/v1/auth', { client_id: clientId, client_secret: clientSecret }),
      (status) => `${this.label}: the client credentials were refused (${status})`,
    );
    const data = isJsonObject(body) && isJsonObject(body.data) ? body.data : null;
    if (!data || typeof data.token !== 'string' || data.token === '') throw this.unexpected('/v1/auth');
    const lifetimeMs = (typeof data.expires_in === 'number' ? data.expires_in : 86_400) * 1000;
    this.token = { value: data.token, renewAt: now + Math.max(0, lifetimeMs - TOKEN_MARGIN_MS) };
    return data.token;
  }

  private dataOf(body: unknown): PersonioEmployee[] {
    if (!isJsonObject(body) || !Array.isArray(body.data)) throw this.unexpected('/v1/company/employees');
    return body.data.filter(isJsonObject);
  }

  private totalOf(body: unknown): number {
    const total = isJsonObject(body) && isJsonObject(body.metadata) ? body.metadata.total_elements : undefined;
    if (typeof total !== 'number') throw this.unexpected('/v1/company/employees');
    return total;
  }

  private unexpected(what: string): Error {
    return new Error(`${this.label}: ${what} answered in an unexpected shape`);
  }
}

function maxStamp(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.max(a, b);
}

/** The cursor after reading `employees`: their newest stamp (whole seconds) and ids, over `since`'s. */
function cursorOf(employees: readonly PersonioEmployee[], since: PersonioCursor | null): PersonioCursor {
  let stamp = since?.stamp ?? null;
  for (const employee of employees) {
    const modified = lastModifiedOf(employee);
    if (modified !== null) stamp = maxStamp(stamp, Math.floor(modified / 1000) * 1000);
  }
  const ids = employees
    .map(personioIdOf)
    .filter((id) => id !== null)
    .map(Number);
  return { stamp, ids: [...new Set([...(since?.ids ?? []), ...ids])] };
}
