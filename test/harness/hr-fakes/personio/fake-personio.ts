/**
 * A fake Personio for connector tests: a node:http server on 127.0.0.1 holding one in-memory company and
 * serving, as Personio documents them, the endpoints the connector uses:
 *
 * - `POST /v1/auth` (JSON or form body `client_id`, `client_secret`) → `{ success, data: { token,
 *   expires_in, scope } }`; wrong credentials → 401 with Personio's error body;
 * - `GET /v1/company/employees` with `limit` (capped at `maxPageSize`, Personio's enforced 100) and
 *   `offset` (employees skipped), `email`, `attributes[]` (a projection), and `updated_since` (employees
 *   whose `last_modified_at` is after it; `limit`, `offset` and `email` are then ignored, as documented);
 * - `GET /v1/company/employees/{employee_id}`.
 *
 * EVERY request is first routed and validated against Personio's OpenAPI documents
 * (`test/fixtures/specs/personio-auth.yaml` for `/v1/auth`, `personio-v1.json` for the rest; both have the
 * server `https://api.personio.de/v1`, so `/v1` is stripped before matching) with openapi-backend
 * (`../openapi-validator-process.ts`): an unknown path answers 404, a wrong parameter or body 422 with
 * Personio's error body, and each is recorded in `invalidRequests`, which tests assert stays empty.
 *
 * Rate limits as Personio publishes them: 15 requests per second and 300 per minute on the employee
 * endpoints, 60 per minute on `/v1/auth`; beyond them, 429 with Retry-After (the seconds until a slot
 * frees). They are counted on `rateNow` (real monotonic time by default; a test may make it virtual).
 *
 * Effective dating as Personio does it: an employee has current values and dates. A hire dated later is
 * `onboarding` until its `hire_date`; a termination keeps the status `active` until the last day has
 * passed, then `inactive`; a change dated later (a transfer) is held back and takes effect on its date,
 * when the employee's `last_modified_at` moves (Personio publishes no future-dated attribute values).
 * "Today" and the change stamps come from `clock`.
 *
 * Knobs: `throttle` (answer the Nth request with 429 and Retry-After), `resetRateLimits()`, `revoke()`/`restore()` the API
 * credentials (revoking also invalidates every token issued), `expireTokens()`, `tokenLifetimeSeconds`,
 * `maxPageSize`, and the company itself (`update` can write any attribute value, a malformed one too).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { OpenApiValidator, type ValidationAnswer } from '../openapi-validator-process';

const SPECS = join(__dirname, '..', '..', '..', 'fixtures', 'specs');
export const PERSONIO_AUTH_SPEC = join(SPECS, 'personio-auth.yaml');
/**
 * The v1 document as JSON: the published YAML (kept beside it) has flow sequences the YAML parser of
 * openapi-backend rejects; the JSON is the same document, converted.
 */
export const PERSONIO_V1_SPEC = join(SPECS, 'personio-v1.json');

export const CLIENT_ID = 'fake-personio-client';
export const CLIENT_SECRET = 'fake-personio-secret';

/** An employee as a test hires them: Personio's attribute names, plain values. */
export interface FakePersonioEmployee {
  readonly id: number;
  readonly first_name: string;
  readonly last_name: string;
  readonly preferred_name?: string | null;
  readonly email: string;
  readonly position: string | null;
  readonly department: string | null;
  readonly office: string | null;
  readonly subcompany?: string | null;
  readonly supervisor_id: number | null;
  readonly employment_type?: 'internal' | 'external';
  /** `YYYY-MM-DD`. */
  readonly hire_date: string;
  readonly termination_date?: string | null;
  readonly last_working_day?: string | null;
  /** `leave` only; the others follow from the dates. */
  readonly status?: 'leave' | null;
  readonly cost_center?: string | null;
  /** Custom attributes (`dynamic_<id>`). */
  readonly dynamic?: Readonly<Record<string, string>>;
}

type Values = Record<string, unknown>;

interface Stored {
  values: Values;
  /** Changes dated later, applied on their date. */
  pending: { date: string; values: Values }[];
  lastModified: number;
  created: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly operationId: string | null;
}

export interface InvalidRequest extends RecordedRequest {
  readonly errors: string;
}

interface Limit {
  readonly count: number;
  readonly windowMs: number;
}

const EMPLOYEE_LIMITS: readonly Limit[] = [
  { count: 15, windowMs: 1000 },
  { count: 300, windowMs: 60_000 },
];
const AUTH_LIMITS: readonly Limit[] = [{ count: 60, windowMs: 60_000 }];

/** Personio writes dates as local midnight with the company's offset. */
const DATE_SUFFIX = 'T00:00:00+01:00';

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

export class FakePersonio {
  clientId = CLIENT_ID;
  clientSecret = CLIENT_SECRET;
  tokenLifetimeSeconds = 86_400;
  maxPageSize = 100;
  /** What rate limits are counted on (ms, monotonic). */
  rateNow: () => number = () => performance.now();
  /** The company's today and change stamps. */
  clock: () => Date = () => new Date();
  readonly requests: RecordedRequest[] = [];
  readonly invalidRequests: InvalidRequest[] = [];
  /** Tokens issued: value → expiry (epoch ms on `clock`). */
  private readonly tokens = new Map<string, number>();
  private readonly employees = new Map<number, Stored>();
  private readonly throttles: { at: number; retryAfter: string }[] = [];
  private readonly hits = { employees: [] as number[], auth: [] as number[] };
  private received = 0;
  private issued = 0;
  private lastStamp = 0;

  private constructor(
    private readonly server: Server,
    private readonly authValidator: OpenApiValidator,
    private readonly v1Validator: OpenApiValidator,
  ) {}

  static async start(): Promise<FakePersonio> {
    const [auth, v1] = await Promise.all([
      OpenApiValidator.start(PERSONIO_AUTH_SPEC),
      OpenApiValidator.start(PERSONIO_V1_SPEC),
    ]);
    const server = createServer();
    const fake = new FakePersonio(server, auth, v1);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL the connector appends `/v1/…` to. */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
    await Promise.all([this.authValidator.stop(), this.v1Validator.stop()]);
  }

  get requestCount(): number {
    return this.requests.length;
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  /** Answers the `onRequest`-th request from now (1: the next) with 429 and `Retry-After: retryAfter`. */
  throttle(onRequest: number, retryAfter: string): void {
    this.throttles.push({ at: this.received + onRequest, retryAfter });
  }

  /** Forgets the requests counted for the rate limits (when a test restarts `rateNow`). */
  resetRateLimits(): void {
    this.hits.employees.length = 0;
    this.hits.auth.length = 0;
  }

  /** Refuses the credentials and every token issued so far. */
  revoke(): void {
    this.clientSecret = 'revoked';
    this.tokens.clear();
  }

  restore(): void {
    this.clientSecret = CLIENT_SECRET;
  }

  /** Every token issued so far stops working (as if its 24 hours had passed). */
  expireTokens(): void {
    this.tokens.clear();
  }

  hire(input: FakePersonioEmployee): void {
    const now = this.stamp();
    this.employees.set(input.id, { values: { ...input }, pending: [], lastModified: now, created: now });
  }

  /** Changes attributes now (`date` today or earlier), or on `date` when it is later. */
  update(id: number, values: Values, date?: string): void {
    const employee = this.existing(id);
    if (date !== undefined && date > this.today()) {
      employee.pending.push({ date, values });
      return;
    }
    Object.assign(employee.values, values);
    employee.lastModified = this.stamp();
  }

  /** Changes attributes now without moving `last_modified_at`: a change `updated_since` does not report. */
  updateUnstamped(id: number, values: Values): void {
    Object.assign(this.existing(id).values, values);
  }

  /** Deletes the employee record: Personio's lists simply no longer have it. */
  delete(id: number): void {
    this.existing(id);
    this.employees.delete(id);
  }

  private existing(id: number): Stored {
    const employee = this.employees.get(id);
    if (!employee) throw new Error(`fake Personio has no employee ${id}`);
    return employee;
  }

  private today(): string {
    return this.clock().toISOString().slice(0, 10);
  }

  /** The next change stamp: now, or a second after the last one (stamps never repeat). */
  private stamp(): number {
    const now = Math.floor(this.clock().getTime() / 1000) * 1000;
    this.lastStamp = Math.max(now, this.lastStamp + 1000);
    return this.lastStamp;
  }

  /** Dated changes whose day has come take effect now. */
  private applyDue(): void {
    const today = this.today();
    for (const employee of this.employees.values()) {
      const due = employee.pending.filter((p) => p.date <= today).sort((a, b) => a.date.localeCompare(b.date));
      if (due.length === 0) continue;
      for (const change of due) Object.assign(employee.values, change.values);
      employee.pending = employee.pending.filter((p) => p.date > today);
      employee.lastModified = this.stamp();
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.received++;
    const number = this.received;
    const url = new URL(req.url ?? '/', 'http://fake');
    const rawBody = await readBody(req);
    const method = (req.method ?? 'GET').toLowerCase();
    const isAuth = url.pathname === '/v1/auth';
    const checked = await this.validate(req, url, method, rawBody, isAuth);
    const recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      operationId: checked.operationId,
    };
    if (!checked.valid) {
      const errors = checked.errors ?? 'no such operation in the OpenAPI documents';
      this.invalidRequests.push({ ...recorded, errors });
      const status = checked.operationId === null ? 404 : 422;
      return send(res, { status, body: failure(status, checked.operationId === null ? 'Not found' : errors) });
    }
    this.requests.push(recorded);
    const throttled = this.throttles.find((t) => t.at === number);
    if (throttled) return send(res, tooMany(throttled.retryAfter));
    const limited = this.rateLimited(
      isAuth ? this.hits.auth : this.hits.employees,
      isAuth ? AUTH_LIMITS : EMPLOYEE_LIMITS,
    );
    if (limited) return send(res, limited);
    if (isAuth) return send(res, this.authenticate(parseBody(req.headers['content-type'], rawBody)));
    const refused = this.refusal(req.headers.authorization);
    if (refused) return send(res, refused);
    this.applyDue();
    send(res, this.answer(checked));
  }

  private validate(req: IncomingMessage, url: URL, method: string, rawBody: string, isAuth: boolean) {
    const request = {
      method,
      path: url.pathname.replace(/^\/v1(?=\/)/, ''),
      query: url.search.slice(1),
      headers: req.headers as Record<string, string>,
      body: rawBody === '' ? undefined : parseBody(req.headers['content-type'], rawBody),
    };
    if (!url.pathname.startsWith('/v1/')) return Promise.resolve(noRoute());
    return (isAuth ? this.authValidator : this.v1Validator).validate(request);
  }

  /** 429 with the seconds until every limit has room, or null (and the request counted). */
  private rateLimited(hits: number[], limits: readonly Limit[]): Answer | null {
    const now = this.rateNow();
    const longest = Math.max(...limits.map((l) => l.windowMs));
    while (hits.length > 0 && hits[0]! <= now - longest) hits.shift();
    let waitMs = 0;
    for (const limit of limits) {
      const inWindow = hits.filter((t) => t > now - limit.windowMs);
      if (inWindow.length >= limit.count)
        waitMs = Math.max(waitMs, inWindow[inWindow.length - limit.count]! + limit.windowMs - now);
    }
    if (waitMs > 0) return tooMany(String(Math.max(1, Math.ceil(waitMs / 1000))));
    hits.push(now);
    return null;
  }

  private authenticate(body: Values): Answer {
    if (body.client_id !== this.clientId || body.client_secret !== this.clientSecret)
      return { status: 401, body: failure(401, "You didn't provide valid API credentials.") };
    const token = `papi-${++this.issued}-${Math.random().toString(36).slice(2)}`;
    this.tokens.set(token, this.clock().getTime() + this.tokenLifetimeSeconds * 1000);
    const data = { token, expires_in: this.tokenLifetimeSeconds, scope: 'employees:read' };
    return { status: 200, body: { success: true, data } };
  }

  private refusal(header: string | undefined): Answer | null {
    if (!header?.startsWith('Bearer ')) return { status: 401, body: failure(401, 'Authorization is not provided') };
    const expires = this.tokens.get(header.slice(7));
    if (expires === undefined || expires <= this.clock().getTime())
      return { status: 401, body: failure(401, 'Provided authorization is not valid') };
    return null;
  }

  private answer(checked: ValidationAnswer): Answer {
    if (checked.operationId === null) return { status: 404, body: failure(404, 'Not found') };
    const employeeId = checked.params.employee_id;
    if (employeeId !== undefined) return this.one(Number(employeeId));
    return { status: 200, body: this.list(checked.query) };
  }

  private one(id: number): Answer {
    const employee = this.employees.get(id);
    if (!employee) return { status: 404, body: failure(404, 'Employee not found') };
    return { status: 200, body: { success: true, data: this.shown(id, employee, null) } };
  }

  private list(query: Record<string, unknown>) {
    const projection = query['attributes[]'] ?? query.attributes;
    const attributes = projection === undefined ? null : [projection].flat().map(String);
    let matching = [...this.employees.entries()].sort(([a], [b]) => a - b);
    if (typeof query.updated_since === 'string') {
      const since = personioTime(query.updated_since);
      matching = matching.filter(([, e]) => e.lastModified > since);
      const data = matching.map(([id, e]) => this.shown(id, e, attributes));
      const metadata = { total_elements: data.length, current_page: 0, total_pages: 1 };
      return { success: true, metadata, offset: 0, limit: data.length, data };
    }
    if (typeof query.email === 'string') matching = matching.filter(([, e]) => e.values.email === query.email);
    const limit = Math.min(Number(query.limit ?? 10), this.maxPageSize);
    const offset = Number(query.offset ?? 0);
    const data = matching.slice(offset, offset + limit).map(([id, e]) => this.shown(id, e, attributes));
    const metadata = {
      total_elements: matching.length,
      current_page: Math.floor(offset / limit),
      total_pages: Math.ceil(matching.length / limit),
    };
    return { success: true, metadata, offset, limit, data };
  }

  /** One employee as v1 shows it: every attribute `{ label, value, type, universal_id }`. */
  private shown(id: number, employee: Stored, only: readonly string[] | null) {
    const v = employee.values;
    const named = (type: string, name: unknown) =>
      name === null || name === undefined ? null : { type, attributes: { id: idOf(String(name)), name } };
    const date = (value: unknown) =>
      typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}${DATE_SUFFIX}` : (value ?? null);
    const values: Values = {
      id,
      first_name: v.first_name,
      last_name: v.last_name,
      preferred_name: v.preferred_name ?? `${String(v.first_name)} ${String(v.last_name)}`,
      email: v.email,
      gender: 'diverse',
      status: this.statusOf(v),
      position: v.position,
      supervisor:
        v.supervisor_id === null || v.supervisor_id === undefined
          ? null
          : { type: 'Employee', attributes: { id: attribute('id', v.supervisor_id, 'integer') } },
      employment_type: v.employment_type ?? 'internal',
      hire_date: date(v.hire_date),
      contract_end_date: null,
      termination_date: date(v.termination_date),
      last_working_day: date(v.last_working_day),
      termination_type: null,
      created_at: isoTime(employee.created),
      last_modified_at: isoTime(employee.lastModified),
      subcompany: named('Subcompany', v.subcompany),
      office: named('Office', v.office),
      department: named('Department', v.department),
      cost_centers: v.cost_center
        ? [
            {
              type: 'CostCenter',
              attributes: { id: idOf(String(v.cost_center)), name: v.cost_center, percentage: 100 },
            },
          ]
        : [],
      ...(v.dynamic as Values | undefined),
    };
    const shown = Object.entries(values).filter(([name]) => only === null || name === 'id' || only.includes(name));
    const attributes = Object.fromEntries(shown.map(([name, value]) => [name, attribute(name, value, typeOf(name))]));
    return { type: 'Employee', attributes };
  }

  /** Personio's status: onboarding before the hire date, inactive after the last day, else active (or leave). */
  private statusOf(values: Values): string {
    const today = this.today();
    const lastDay = (values.last_working_day ?? values.termination_date) as string | null | undefined;
    if (typeof lastDay === 'string' && lastDay < today) return 'inactive';
    if (typeof values.hire_date === 'string' && values.hire_date > today) return 'onboarding';
    return values.status === 'leave' ? 'leave' : 'active';
  }
}

function attribute(name: string, value: unknown, type = 'standard') {
  return { label: name.replace(/_/g, ' '), value, type, universal_id: name };
}

function typeOf(name: string): string {
  if (name === 'id') return 'integer';
  return /_date$|_day$|_at$/.test(name) ? 'date' : 'standard';
}

/** A stable numeric id for a named object (office, department…). */
function idOf(name: string): number {
  let hash = 7;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000;
  return hash;
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** `updated_since` as Personio reads it: ISO 8601 (UTC when it has no offset) or a date. */
function personioTime(text: string): number {
  const withZone = /T/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? 0 : ms;
}

function failure(code: number, message: string) {
  return { success: false, error: { code, message } };
}

function tooMany(retryAfter: string): Answer {
  return { status: 429, body: failure(429, 'Too many requests'), headers: { 'retry-after': retryAfter } };
}

function noRoute(): ValidationAnswer {
  return { operationId: null, valid: false, errors: null, params: {}, query: {} };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(contentType: string | undefined, raw: string): Values {
  if (raw === '') return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Values) : {};
  } catch {
    return {};
  }
}

function send(res: ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(text);
}
