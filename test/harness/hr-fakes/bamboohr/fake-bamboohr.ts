/**
 * A fake BambooHR for connector tests: a node:http server on 127.0.0.1 holding one in-memory company and
 * serving, as BambooHR documents them, the endpoints the connector uses:
 *
 * - `GET /api/v1/employees` (cursor paging: `page[limit]`, `page[after]` = the last employee id of the
 *   previous page; `filter[ids][]`; `fields`), capped at `maxPageSize`;
 * - `GET /api/v1/employees/changed?since=` (ids changed strictly after `since`, with Inserted / Updated /
 *   Deleted; `latest` is the newest `lastChanged` returned, or `since` when nothing changed);
 * - `GET /api/v1/employees/changed/tables/{table}?since=` (every row of each changed employee);
 * - `GET /api/v1/employees/{id|all}/tables/{table}`.
 *
 * EVERY request is first routed and validated against BambooHR's OpenAPI document
 * (`test/fixtures/specs/bamboohr-public.yaml`) with openapi-backend (`../openapi-validator-process.ts`):
 * an unknown path or a wrong parameter answers 400 and is recorded in `invalidRequests`, which tests
 * assert stays empty.
 *
 * Knobs: `maxPageSize`, `throttle` (answer the Nth request with 503 or 429 and Retry-After), `apiKey`
 * (change it to refuse the connector's key), and the company itself (a malformed employee is just one
 * with a bad field). Every change stamps the employee with the next `lastChanged` of a logical clock
 * (one second per change), so cursors depend on HR's data only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { OpenApiValidator } from '../openapi-validator-process';

export const BAMBOOHR_SPEC = join(__dirname, '..', '..', '..', 'fixtures', 'specs', 'bamboohr-public.yaml');

type Row = Record<string, string | null>;

export interface FakeEmployeeInput {
  readonly id: string;
  /** List-endpoint fields: firstName, lastName, preferredName, workEmail, hireDate, reportsToId, … */
  readonly fields: Record<string, string | null>;
  readonly jobInfo?: readonly Row[];
  readonly employmentStatus?: readonly Row[];
}

interface FakeEmployee {
  fields: Record<string, string | null>;
  tables: { jobInfo: Row[]; employmentStatus: Row[] };
  lastChanged: string;
  action: 'Inserted' | 'Updated' | 'Deleted';
  deleted: boolean;
}

export type TableName = 'jobInfo' | 'employmentStatus';

export interface Throttle {
  /** The 1-based number of the request (counted from now) to refuse. */
  readonly onRequest: number;
  readonly status: 429 | 503;
  /** The Retry-After header value (seconds or an HTTP date). */
  readonly retryAfter: string;
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

const DEFAULT_FIELDS = ['employeeId', 'firstName', 'lastName', 'preferredName', 'photoUrl', 'jobTitleName', 'status'];
const CHANGE_EPOCH = Date.parse('2026-01-01T00:00:00Z');

export class FakeBambooHr {
  /** The key the fake accepts as the Basic user name. */
  apiKey = 'fake-bamboohr-key';
  maxPageSize = 2500;
  readonly requests: RecordedRequest[] = [];
  readonly invalidRequests: InvalidRequest[] = [];
  private readonly employees = new Map<string, FakeEmployee>();
  private readonly throttles: { at: number; throttle: Throttle }[] = [];
  private changes = 0;
  /** Every request received, valid or not: what `throttle` counts. */
  private received = 0;
  private rowIds = 0;

  private constructor(
    private readonly server: Server,
    private readonly validator: OpenApiValidator,
  ) {}

  static async start(): Promise<FakeBambooHr> {
    const validator = await OpenApiValidator.start(BAMBOOHR_SPEC);
    const server = createServer();
    const fake = new FakeBambooHr(server, validator);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL the connector appends `/v1/…` to (the spec's server serves them under `/api`). */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
    await this.validator.stop();
  }

  /** Requests answered since the last `resetRequests`. */
  get requestCount(): number {
    return this.requests.length;
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  /** Refuses the `onRequest`-th request from now with `status` and Retry-After. */
  throttle(throttle: Throttle): void {
    this.throttles.push({ at: this.received + throttle.onRequest, throttle });
  }

  /** The newest `lastChanged` stamped so far. */
  get latestChange(): string {
    return this.stamp(this.changes);
  }

  hire(input: FakeEmployeeInput): void {
    const tables = {
      jobInfo: (input.jobInfo ?? []).map((row) => this.row(input.id, row)),
      employmentStatus: (input.employmentStatus ?? []).map((row) => this.row(input.id, row)),
    };
    const employee = {
      fields: { ...input.fields },
      tables,
      lastChanged: '',
      action: 'Inserted' as const,
      deleted: false,
    };
    this.employees.set(input.id, employee);
    this.touch(employee, 'Inserted');
  }

  update(id: string, fields: Record<string, string | null>): void {
    const employee = this.existing(id);
    Object.assign(employee.fields, fields);
    this.touch(employee, 'Updated');
  }

  addRow(id: string, table: TableName, row: Row): void {
    const employee = this.existing(id);
    employee.tables[table].push(this.row(id, row));
    this.touch(employee, 'Updated');
  }

  delete(id: string): void {
    const employee = this.existing(id);
    employee.deleted = true;
    this.touch(employee, 'Deleted');
  }

  private existing(id: string): FakeEmployee {
    const employee = this.employees.get(id);
    if (!employee || employee.deleted) throw new Error(`fake BambooHR has no employee ${id}`);
    return employee;
  }

  private touch(employee: FakeEmployee, action: FakeEmployee['action']): void {
    employee.lastChanged = this.stamp(++this.changes);
    employee.action = employee.action === 'Inserted' && action === 'Updated' ? 'Inserted' : action;
  }

  private stamp(n: number): string {
    return new Date(CHANGE_EPOCH + n * 1000).toISOString().replace('.000Z', '+00:00');
  }

  private row(employeeId: string, row: Row): Row {
    return { id: String(++this.rowIds), employeeId, ...row };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.received++;
    const number = this.received;
    const url = new URL(req.url ?? '/', 'http://fake');
    const checked = await this.validator.validate({
      method: (req.method ?? 'GET').toLowerCase(),
      path: url.pathname,
      query: url.search.slice(1),
      headers: req.headers as Record<string, string>,
    });
    const recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      operationId: checked.operationId,
    };
    if (!checked.valid) {
      this.invalidRequests.push({ ...recorded, errors: checked.errors ?? 'no such operation in the OpenAPI document' });
      return send(res, 400, null, { 'x-bamboohr-error-message': 'invalid request' });
    }
    this.requests.push(recorded);
    const throttled = this.throttles.find((t) => t.at === number);
    if (throttled) return send(res, throttled.throttle.status, null, { 'retry-after': throttled.throttle.retryAfter });
    if (!this.authorized(req.headers.authorization)) return send(res, 401, null);
    if (!String(req.headers.accept ?? '').includes('application/json')) return send(res, 406, null);
    const answer = this.answer(checked.operationId ?? '', checked.params, checked.query);
    send(res, answer.status, answer.body);
  }

  private authorized(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const [user] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    return user === this.apiKey;
  }

  private answer(operationId: string, params: Record<string, string>, query: Query): Answer {
    switch (operationId) {
      case 'list-employees':
        return { status: 200, body: this.list(query) };
      case 'get-changed-employee-ids':
        return { status: 200, body: this.changedIds(String(query.since)) };
      case 'get-changed-employee-table-data':
        return this.changedTable(params.table ?? '', String(query.since));
      case 'get-employee-table-data':
        return this.table(params.id ?? '', params.table ?? '');
      default:
        return { status: 501, body: null };
    }
  }

  private live(): [string, FakeEmployee][] {
    return [...this.employees.entries()].filter(([, e]) => !e.deleted).sort(([a], [b]) => Number(a) - Number(b));
  }

  private list(query: Query) {
    const page = (query.page ?? {}) as Record<string, string>;
    const filter = (query.filter ?? {}) as Record<string, string[] | string>;
    const limit = Math.min(Number(page.limit ?? 250), this.maxPageSize);
    const after = page.after === undefined ? null : Number(page.after);
    const ids = filter.ids === undefined ? null : new Set([filter.ids].flat().map(String));
    const fields = [query.fields ?? []].flat().map(String);
    const matching = this.live().filter(([id]) => ids === null || ids.has(id));
    const rest = matching.filter(([id]) => after === null || Number(id) > after);
    const slice = rest.slice(0, limit);
    const more = rest.length > slice.length;
    return {
      data: slice.map(([id, e]) => this.listed(id, e, fields)),
      meta: {
        total: matching.length,
        page: { limit, nextCursor: more ? Number(slice.at(-1)![0]) : null, prevCursor: null },
      },
      _links: { self: { href: `/api/v1/employees` } },
    };
  }

  private listed(id: string, employee: FakeEmployee, fields: readonly string[]) {
    const out: Record<string, unknown> = { _restrictedFields: [] };
    for (const name of [...DEFAULT_FIELDS, ...fields]) out[name] = employee.fields[name] ?? null;
    out.employeeId = id;
    return out;
  }

  private changedSince(since: string): [string, FakeEmployee][] {
    const after = Date.parse(since);
    return [...this.employees.entries()].filter(([, e]) => Date.parse(e.lastChanged) > after);
  }

  private changedIds(since: string) {
    const changed = this.changedSince(since);
    const latest =
      changed
        .map(([, e]) => e.lastChanged)
        .sort()
        .at(-1) ?? since;
    const employees = Object.fromEntries(
      changed.map(([id, e]) => [id, { id, action: e.action, lastChanged: e.lastChanged }]),
    );
    return { latest, employees };
  }

  private changedTable(table: string, since: string): Answer {
    if (!isTable(table)) return { status: 404, body: null };
    const changed = this.changedSince(since).filter(([, e]) => !e.deleted);
    const employees = Object.fromEntries(
      changed.map(([id, e]) => [id, { lastChanged: e.lastChanged, rows: e.tables[table] }]),
    );
    return { status: 200, body: { table, employees } };
  }

  private table(id: string, table: string): Answer {
    if (!isTable(table)) return { status: 404, body: null };
    if (id === 'all') return { status: 200, body: this.live().flatMap(([, e]) => e.tables[table]) };
    const employee = this.employees.get(id);
    if (!employee || employee.deleted) return { status: 404, body: null };
    return { status: 200, body: employee.tables[table] };
  }
}

type Query = Record<string, unknown>;
type Answer = { status: number; body: unknown };

function isTable(table: string): table is TableName {
  return table === 'jobInfo' || table === 'employmentStatus';
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === null ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), ...headers });
  res.end(text);
}
