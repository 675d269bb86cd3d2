/**
 * A fake HiBob for connector tests: a node:http server on 127.0.0.1 holding one in-memory company and
 * serving, as HiBob documents them (base URL `…/v1`), the endpoints the connector uses:
 *
 * - `GET /v1/company/named-lists` (the `title`, `department` and `payrollEmploymentType` lists; the
 *   tables hold their items' ids, as HiBob's do);
 * - `POST /v1/people/search` (no paging; `showInactive`; a single `root.id` `equals` filter; a
 *   `humanReadable` node), limited to 50 requests a minute: over it, 429 with Retry-After and the
 *   X-RateLimit-* headers;
 * - `GET /v1/bulk/people/{work|lifecycle|employment}` (`limit` rows a page, an opaque `cursor` in
 *   `response_metadata.cursor` until null; `employeeIds` comma-separated). Rows carry `isCurrent` and
 *   `endEffectiveDate` as of the fake's `today`.
 *
 * EVERY request is first routed and validated against HiBob's OpenAPI document
 * (`test/fixtures/specs/hibob-public-api.yml`, body included) with openapi-backend
 * (`../openapi-validator-process.ts`): an unknown path or a wrong parameter answers 400 with HiBob's error
 * body (`{ key, error }`) and is recorded in `invalidRequests`, which tests assert stays empty.
 *
 * Knobs: `throttle` (answer the Nth request with 429 and Retry-After), `token` (change it to refuse the
 * service user), `maxPageSize`, `today`, and the company itself (a malformed employee is one with a bad field).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { OpenApiValidator } from '../openapi-validator-process';

export const HIBOB_SPEC = join(__dirname, '..', '..', '..', 'fixtures', 'specs', 'hibob-public-api.yml');
export const HIBOB_SEARCHES_PER_MINUTE = 50;

export type TableName = 'work' | 'lifecycle' | 'employment';
export type Row = Record<string, unknown>;

export interface FakeEmployeeInput {
  readonly id: string;
  readonly firstName: string;
  readonly surname: string;
  readonly email: string | null;
  /** `work.startDate` (a bad value makes a malformed employee). */
  readonly startDate: string;
}

interface FakeEmployee {
  root: Record<string, unknown>;
  work: Record<string, unknown>;
  tables: Record<TableName, Row[]>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** `search`, `named-lists`, `bulk-work`, `bulk-lifecycle`, `bulk-employment`, or null. */
  readonly operation: string | null;
}

export interface InvalidRequest extends RecordedRequest {
  readonly errors: string;
}

const LIST_NAMES = { title: 'title', department: 'department', employmentType: 'payrollEmploymentType' } as const;

export class FakeHibob {
  serviceUserId = 'SERVICE-1';
  token = 'fake-hibob-token';
  maxPageSize = 200;
  /** HiBob's today, for `isCurrent` (the connector dates rows itself). */
  today: () => string = () => new Date().toISOString().slice(0, 10);
  /** The fake's clock for the search rate limit. */
  now: () => number = () => Date.now();
  readonly requests: RecordedRequest[] = [];
  readonly invalidRequests: InvalidRequest[] = [];
  private readonly employees = new Map<string, FakeEmployee>();
  private readonly lists = new Map<string, Map<string, number>>();
  private readonly throttles: { at: number; retryAfter: string }[] = [];
  private readonly searches: number[] = [];
  private received = 0;
  private ids = 1000;

  private constructor(
    private readonly server: Server,
    private readonly validator: OpenApiValidator,
  ) {}

  static async start(): Promise<FakeHibob> {
    const validator = await OpenApiValidator.start(HIBOB_SPEC);
    const server = createServer();
    const fake = new FakeHibob(server, validator);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL the connector appends `/people/search` and the others to. */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
    await this.validator.stop();
  }

  get requestCount(): number {
    return this.requests.length;
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  /** Refuses the `onRequest`-th request from now (1-based) with 429 and `Retry-After: retryAfter`. */
  throttle(onRequest: number, retryAfter: string): void {
    this.throttles.push({ at: this.received + onRequest, retryAfter });
  }

  hire(input: FakeEmployeeInput): void {
    const root = { id: input.id, firstName: input.firstName, surname: input.surname, email: input.email };
    const work = { startDate: input.startDate, employeeIdInCompany: Number(input.id) };
    this.employees.set(input.id, { root, work, tables: { work: [], lifecycle: [], employment: [] } });
  }

  update(id: string, root: Record<string, unknown>, work: Record<string, unknown> = {}): void {
    const employee = this.existing(id);
    Object.assign(employee.root, root);
    Object.assign(employee.work, work);
  }

  /** A work row: title and department are names here, stored as their list items' ids. */
  addWork(
    id: string,
    effectiveDate: string,
    job: { title: string; department: string; site: string },
    managerId: string | null,
  ): void {
    this.addRow(id, 'work', {
      effectiveDate,
      title: String(this.itemId(LIST_NAMES.title, job.title)),
      department: String(this.itemId(LIST_NAMES.department, job.department)),
      site: job.site,
      siteId: this.itemId('site', job.site),
      ...(managerId ? { reportsTo: { id: managerId } } : {}),
    });
  }

  addLifecycle(id: string, effectiveDate: string, status: string): void {
    this.addRow(id, 'lifecycle', {
      effectiveDate,
      status,
      employeeStatus: status === 'Terminated' ? 'Inactive' : 'Active',
    });
  }

  addEmployment(id: string, effectiveDate: string, type: string): void {
    this.addRow(id, 'employment', { effectiveDate, type: String(this.itemId(LIST_NAMES.employmentType, type)) });
  }

  remove(id: string): void {
    this.employees.delete(id);
  }

  private addRow(id: string, table: TableName, row: Row): void {
    this.existing(id).tables[table].push({ id: ++this.ids, ...row });
  }

  private existing(id: string): FakeEmployee {
    const employee = this.employees.get(id);
    if (!employee) throw new Error(`fake HiBob has no employee ${id}`);
    return employee;
  }

  private itemId(list: string, name: string): number {
    const items = this.lists.get(list) ?? new Map<string, number>();
    this.lists.set(list, items);
    if (!items.has(name)) items.set(name, ++this.ids);
    return items.get(name)!;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.received++;
    const number = this.received;
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toLowerCase();
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return sendError(res, 400, 'the body is not JSON');
    }
    const path = url.pathname.replace(/^\/v1(?=\/)/, '');
    const checked = await this.validator.validate({
      method,
      path,
      query: url.search.slice(1),
      headers: req.headers as Record<string, string>,
      ...(body !== undefined ? { body } : {}),
    });
    const recorded = {
      method: method.toUpperCase(),
      path: url.pathname,
      query: url.search,
      operation: operationOf(method, path),
    };
    const unrouted = !url.pathname.startsWith('/v1/') || recorded.operation === null;
    if (!checked.valid || unrouted) {
      this.invalidRequests.push({ ...recorded, errors: checked.errors ?? 'no such operation in the OpenAPI document' });
      return sendError(res, 400, 'invalid request');
    }
    this.requests.push(recorded);
    const throttled = this.throttles.find((t) => t.at === number);
    if (throttled) return sendError(res, 429, 'Too many requests', { 'retry-after': throttled.retryAfter });
    if (!this.authorized(req.headers.authorization)) return sendError(res, 401, 'Unauthorized');
    if (recorded.operation === 'search') {
      const wait = this.searchWaitSeconds();
      if (wait > 0) return sendError(res, 429, 'Too many requests', this.rateHeaders(wait));
    }
    const answer = this.answer(recorded.operation!, url.searchParams, body);
    send(res, answer.status, answer.body);
  }

  private authorized(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    return decoded === `${this.serviceUserId}:${this.token}`;
  }

  /** 0 when a search may run now (and counts it), else the seconds until the window frees one. */
  private searchWaitSeconds(): number {
    const now = this.now();
    while (this.searches.length > 0 && this.searches[0]! <= now - 60_000) this.searches.shift();
    if (this.searches.length >= HIBOB_SEARCHES_PER_MINUTE) return Math.ceil((this.searches[0]! + 60_000 - now) / 1000);
    this.searches.push(now);
    return 0;
  }

  private rateHeaders(wait: number): Record<string, string> {
    return {
      'retry-after': String(wait),
      'x-ratelimit-limit': String(HIBOB_SEARCHES_PER_MINUTE),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil(this.now() / 1000) + wait),
    };
  }

  private answer(operation: string, query: URLSearchParams, body: unknown): { status: number; body: unknown } {
    if (operation === 'search') return { status: 200, body: this.search(body as SearchBody) };
    if (operation === 'named-lists') return { status: 200, body: this.namedLists() };
    return this.bulk(operation.slice('bulk-'.length) as TableName, query);
  }

  private search(request: SearchBody) {
    const filter = request.filters?.[0];
    if (filter && (filter.fieldPath !== 'root.id' || filter.operator !== 'equals' || !filter.values?.length))
      return { employees: [] };
    const ids = filter ? new Set(filter.values) : null;
    const employees = [...this.employees.values()]
      .filter((e) => ids === null || ids.has(String(e.root.id)))
      .filter((e) => request.showInactive === true || !this.inactive(e))
      .map((e) => this.searched(e, request.humanReadable === 'APPEND'));
    return { employees };
  }

  private inactive(employee: FakeEmployee): boolean {
    const current = this.current(employee.tables.lifecycle);
    return current?.status === 'Terminated' || String(employee.work.startDate) > this.today();
  }

  private searched(employee: FakeEmployee, humanReadable: boolean) {
    const job = this.current(employee.tables.work);
    const work = {
      ...employee.work,
      ...(job
        ? {
            title: job.title,
            department: job.department,
            site: job.site,
            siteId: job.siteId,
            reportsTo: job.reportsTo ?? null,
          }
        : {}),
    };
    const named = (list: string, id: unknown) =>
      [...(this.lists.get(list) ?? new Map<string, number>()).entries()].find(([, item]) => String(item) === id)?.[0];
    const readable = {
      work: { title: named(LIST_NAMES.title, work.title), department: named(LIST_NAMES.department, work.department) },
    };
    const displayName = `${String(employee.root.firstName)} ${String(employee.root.surname)}`;
    return { ...employee.root, displayName, work, ...(humanReadable ? { humanReadable: readable } : {}) };
  }

  /** The row in effect on the fake's today. */
  private current(rows: readonly Row[]): Row | undefined {
    return [...rows]
      .filter((r) => String(r.effectiveDate) <= this.today())
      .sort(byDate)
      .at(-1);
  }

  private namedLists() {
    return [...this.lists.entries()].map(([name, items]) => ({
      name,
      items: [...items.entries()].map(([value, id]) => ({ id, value, name: value, archived: false, children: [] })),
    }));
  }

  /** Every row of the table (or of `employeeIds`), employee by employee, `limit` rows a page. */
  private bulk(table: TableName, query: URLSearchParams): { status: number; body: unknown } {
    const limit = Math.min(Number(query.get('limit') ?? 50), this.maxPageSize);
    const offset = query.get('cursor') === null ? 0 : Number(Buffer.from(query.get('cursor')!, 'base64url').toString());
    const wanted = query.get('employeeIds')?.split(',') ?? null;
    const rows = [...this.employees.entries()]
      .filter(([id]) => wanted === null || wanted.includes(id))
      .sort(([a], [b]) => Number(a) - Number(b))
      .flatMap(([id, e]) => this.dated(e.tables[table]).map((row) => ({ id, row })));
    const page = rows.slice(offset, offset + limit);
    const results: { employeeId: string; values: Row[] }[] = [];
    for (const { id, row } of page) {
      const last = results.at(-1);
      if (last?.employeeId === id) last.values.push(row);
      else results.push({ employeeId: id, values: [row] });
    }
    const more = offset + limit < rows.length;
    const cursor = more ? Buffer.from(String(offset + limit)).toString('base64url') : null;
    return { status: 200, body: { results, response_metadata: { cursor }, errors: [] } };
  }

  /** Rows oldest first with HiBob's `isCurrent` and `endEffectiveDate` as of today. */
  private dated(rows: readonly Row[]): Row[] {
    const sorted = [...rows].sort(byDate);
    const current = this.current(sorted);
    return sorted.map((row, i) => ({
      ...row,
      isCurrent: row === current,
      endEffectiveDate: sorted[i + 1]?.effectiveDate ?? null,
    }));
  }
}

interface SearchBody {
  readonly fields?: readonly string[];
  readonly filters?: readonly { fieldPath?: string; operator?: string; values?: readonly string[] }[];
  readonly showInactive?: boolean;
  readonly humanReadable?: string;
}

function byDate(a: Row, b: Row): number {
  return String(a.effectiveDate).localeCompare(String(b.effectiveDate)) || Number(a.id) - Number(b.id);
}

function operationOf(method: string, path: string): string | null {
  if (method === 'post' && path === '/people/search') return 'search';
  if (method === 'get' && path === '/company/named-lists') return 'named-lists';
  const bulk = /^\/bulk\/people\/(work|lifecycle|employment)$/.exec(path);
  return method === 'get' && bulk ? `bulk-${bulk[1]}` : null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === null ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), ...headers });
  res.end(text);
}

/** HiBob's documented error body. */
function sendError(res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}): void {
  send(res, status, { key: randomUUID(), error }, headers);
}
