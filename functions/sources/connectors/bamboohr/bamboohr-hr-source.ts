/**
 * The BambooHR HR source: reads employees and their history tables over BambooHR's REST API (HTTP Basic,
 * the API key as user name and `x` as password) and turns them into canonical workers
 * (`bamboohr-records.ts` holds the field map and the effective-dating rules).
 *
 * Base URL: the URL that `/v1/…` is appended to. The default is BambooHR's classic gateway,
 * `https://api.bamboohr.com/api/gateway.php/{companyDomain}`; the OpenAPI document's server
 * `https://{companyDomain}.bamboohr.com` serves the same paths under `/api`, so its base URL is
 * `https://{companyDomain}.bamboohr.com/api`. Paths below are written as the OpenAPI document has them.
 *
 * - Full read (no stored cursor): `GET /api/v1/employees/changed?since=<epoch>` first, for the cursor
 *   (`latest`, the newest `lastChanged` in HR: taken before the data, so a change made during the read
 *   is read again next time); then the cursor-paged `GET /api/v1/employees` followed to its end, and
 *   `GET /api/v1/employees/all/tables/jobInfo` and `…/employmentStatus`. A company with no employees
 *   reads as suspect: absence is never a mass termination.
 * - Delta (a stored cursor): `GET /api/v1/employees/changed?since=<cursor>`; only the ids it names are
 *   re-read (`GET /api/v1/employees?filter[ids][]=…`, and `GET /api/v1/employees/changed/tables/{table}`
 *   with the same `since`, which returns every row of each changed employee). The snapshot is `partial`;
 *   `latest` is the new cursor. Nothing changed → no records and the same cursor, so reading twice with
 *   the same `since` gives the same cursor.
 * - Deleted employees (action `Deleted`, or a changed id the list no longer returns) are left out and
 *   logged: hr2ad never terminates on absence, and the partial snapshot leaves them as they are. HR
 *   terminates a worker with a `Terminated` status row, which is read like any other change.
 * - Targeted read (`workerIds`): those ids from the list endpoint and their own table rows
 *   (`GET /api/v1/employees/{id}/tables/{table}`).
 *
 * A refused key (401/403) throws "BambooHR source <id>: the API key was refused (401)": the cycle fails
 * and the stored cursor does not move, so the next read after the key is fixed catches up. Throttling
 * (503 or 429 with Retry-After) is the HTTP client's job.
 */
import type { Clock } from '../../../../shared/ports/clock.port';
import type { HrRead, HrReadRequest, HrSnapshotRead, HrSource } from '../../../../shared/ports/hr-source.port';
import type { Logger } from '../../../../shared/ports/logger.port';
import type { EmployeeType } from '../../../../shared/worker/worker-schema';
import { ConnectorAuthError, refusalsAsAuthErrors, type ConnectorHttpOptions } from '../connector-errors';
import { HttpClient, basicAuthorization } from '../http-client';
import { hrToday, isJsonObject, snapshotOfOutcomes } from '../vendor-records';
import {
  DEFAULT_EMPLOYEE_TYPES,
  LIST_FIELDS,
  employeeToRecord,
  type BambooEmployee,
  type BambooRow,
  type EmployeeTables,
} from './bamboohr-records';
import { readAsAsked, type ConnectorReads } from '../connector-read';

/** The history tables read for effective dating. */
const TABLES = ['jobInfo', 'employmentStatus'] as const;
type TableName = (typeof TABLES)[number];
type RowsByEmployee = ReadonlyMap<string, readonly BambooRow[]>;

/** The largest `page[limit]` the OpenAPI document accepts. */
export const MAX_PAGE_SIZE = 100;

/** `since` for a full read: before any change HR can hold. */
const EPOCH = '1970-01-01T00:00:00+00:00';

export interface BambooHrSourceOptions {
  /** The source's configured id (`hr-bamboo`). */
  readonly id: string;
  /** The worker key's `source` (`bamboohr`). */
  readonly source: string;
  /** E.g. `https://api.bamboohr.com/api/gateway.php/acme`; paths `/v1/…` are appended... see `bamboohrBaseUrl`. */
  readonly baseUrl: string;
  /** The API key, read from the secret store per read (null: the secret is not set). */
  readonly apiKey: () => Promise<string | null>;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * `page[limit]` of the list endpoint, and the ids per `filter[ids]` batch (default and maximum 100:
   * the endpoint's text allows 2,500, but its parameter schema combines that with the shared cursor
   * schema's maximum of 100, and the document is what requests are checked against).
   */
  readonly pageSize?: number;
  /** BambooHR employment-status names (lower case) → employee types (default `DEFAULT_EMPLOYEE_TYPES`). */
  readonly employeeTypes?: Readonly<Record<string, EmployeeType>>;
  /** HTTP transport and retry settings (tests inject fetch, sleep and random). */
  readonly http?: ConnectorHttpOptions;
}

interface ChangedEmployees {
  readonly latest: string | null;
  readonly employees: ReadonlyMap<string, string>;
}

export class BambooHrSource implements HrSource {
  readonly id: string;
  private readonly http: HttpClient;
  private readonly pageSize: number;

  constructor(private readonly options: BambooHrSourceOptions) {
    this.id = options.id;
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.http = new HttpClient({
      ...options.http,
      sourceId: this.label,
      baseUrl: options.baseUrl,
      authorization: () => this.authorization(),
      now: options.http?.now ?? (() => options.clock.now()),
    });
  }

  /** HTTP requests sent so far (for the figures). */
  get requestCount(): number {
    return this.http.requestCount;
  }

  async read(request: HrReadRequest = {}): Promise<HrRead> {
    return refusalsAsAuthErrors(
      () => readAsAsked(request, this.reads),
      (status) => `${this.label}: the API key was refused (${status})`,
    );
  }

  /** Its reads, for `readAsAsked`. */
  private get reads(): ConnectorReads<string> {
    return {
      targeted: (workerIds) => this.readTargeted(workerIds),
      sample: (count) => this.readSample(count),
      changes: (since) => this.readChanges(since),
      all: () => this.readAll(),
    };
  }

  private get label(): string {
    return `BambooHR source ${this.id}`;
  }

  private async authorization(): Promise<string> {
    const key = await this.options.apiKey();
    if (!key) throw new ConnectorAuthError(`${this.label}: the API key secret is not set`);
    return basicAuthorization(key, 'x');
  }

  private async readAll(): Promise<HrRead> {
    const { latest } = await this.changedSince(EPOCH);
    const employees = await this.listEmployees([]);
    if (employees.length === 0) return { kind: 'suspect', reason: `${this.label}: BambooHR returned no employees` };
    const tables = await this.allTables(
      TABLES.map((table) => `/v1/employees/all/tables/${table}`),
      {},
    );
    return this.snapshot(employees, tables, latest ?? EPOCH, false);
  }

  private async readChanges(since: string): Promise<HrRead> {
    const changed = await this.changedSince(since);
    if (changed.employees.size === 0) return this.snapshot([], emptyTables(), since, true);
    const ids = [...changed.employees.keys()];
    const employees = await this.listEmployees(ids);
    const paths = TABLES.map((table) => `/v1/employees/changed/tables/${table}`);
    const tables = await this.allTables(paths, { since });
    this.logGone(ids, employees, changed.employees);
    return this.snapshot(employees, tables, changed.latest ?? since, true);
  }

  /** The employees of the list's first page (at most `count`), read as a targeted read. */
  private async readSample(count: number): Promise<HrRead> {
    const first = await this.listPages({}, Math.min(count, this.pageSize));
    return this.readTargeted(first.map((employee) => String(employee.employeeId)));
  }

  private async readTargeted(workerIds: readonly string[]): Promise<HrRead> {
    const ids = [...new Set(workerIds)].filter((id) => /^\d+$/.test(id)).sort();
    const employees = ids.length === 0 ? [] : await this.listEmployees(ids);
    const tables = emptyTables();
    for (const employee of employees) {
      const id = String(employee.employeeId);
      for (const table of TABLES) {
        const rows = await this.http.getJson(`/v1/employees/${encodeURIComponent(id)}/tables/${table}`);
        tables[table].set(id, this.rowsOf(rows, table));
      }
    }
    return this.snapshot(employees, tables, `targeted:${ids.join(',')}`, true);
  }

  private snapshot(
    employees: readonly BambooEmployee[],
    tables: Record<TableName, RowsByEmployee>,
    cursor: string,
    partial: boolean,
  ): HrSnapshotRead {
    const ctx = {
      source: this.options.source,
      today: hrToday(this.options.clock.now()),
      employeeTypes: this.options.employeeTypes ?? DEFAULT_EMPLOYEE_TYPES,
    };
    const outcomes = employees.map((employee) => {
      const id = String(employee.employeeId ?? '');
      const own: EmployeeTables = {
        jobInfo: tables.jobInfo.get(id) ?? [],
        employmentStatus: tables.employmentStatus.get(id) ?? [],
      };
      return employeeToRecord(employee, own, ctx);
    });
    return snapshotOfOutcomes(outcomes, cursor, partial);
  }

  private async changedSince(since: string): Promise<ChangedEmployees> {
    const body = await this.http.getJson('/v1/employees/changed', { since });
    if (!isJsonObject(body) || !isJsonObject(body.employees)) throw this.unexpected('/v1/employees/changed');
    const employees = new Map<string, string>();
    for (const [id, change] of Object.entries(body.employees))
      employees.set(id, isJsonObject(change) && typeof change.action === 'string' ? change.action : 'Updated');
    return { latest: typeof body.latest === 'string' && body.latest !== '' ? body.latest : null, employees };
  }

  /** Every employee (no ids), or those ids, following the list's cursor to its end. */
  private async listEmployees(ids: readonly string[]): Promise<BambooEmployee[]> {
    const employees: BambooEmployee[] = [];
    for (let start = 0; start === 0 || start < ids.length; start += this.pageSize) {
      const batch = ids.slice(start, start + this.pageSize);
      employees.push(...(await this.listPages(batch.length > 0 ? { 'filter[ids][]': batch } : {})));
    }
    return employees;
  }

  /** The list's pages matching `filter`, followed to the end; or only the first `onePage` employees. */
  private async listPages(filter: Record<string, readonly string[]>, onePage?: number): Promise<BambooEmployee[]> {
    const employees: BambooEmployee[] = [];
    const seen = new Set<string>();
    let after: string | null = null;
    do {
      const query = {
        ...filter,
        fields: LIST_FIELDS,
        'page[limit]': String(onePage ?? this.pageSize),
        ...(after !== null ? { 'page[after]': after } : {}),
      };
      const body = await this.http.getJson('/v1/employees', query);
      if (!isJsonObject(body) || !Array.isArray(body.data)) throw this.unexpected('/v1/employees');
      employees.push(...body.data.filter(isJsonObject));
      if (onePage !== undefined) return employees;
      const next: unknown = isJsonObject(body.meta) && isJsonObject(body.meta.page) ? body.meta.page.nextCursor : null;
      after = next === null || next === undefined || next === '' ? null : String(next);
      if (after !== null && seen.has(after))
        throw new Error(`${this.label}: the employee list repeats its page cursor`);
      if (after !== null) seen.add(after);
    } while (after !== null);
    return employees;
  }

  /** The tables at `paths` (in `TABLES` order), grouped by employee id. */
  private async allTables(
    paths: readonly string[],
    query: Record<string, string>,
  ): Promise<Record<TableName, Map<string, BambooRow[]>>> {
    const tables = emptyTables();
    for (const [index, table] of TABLES.entries()) {
      const body = await this.http.getJson(paths[index]!, query);
      if (Array.isArray(body)) groupRows(this.rowsOf(body, table), tables[table]);
      else if (isJsonObject(body) && isJsonObject(body.employees)) {
        for (const [id, entry] of Object.entries(body.employees))
          tables[table].set(id, isJsonObject(entry) ? this.rowsOf(entry.rows, table) : []);
      } else throw this.unexpected(paths[index]!);
    }
    return tables;
  }

  private rowsOf(value: unknown, table: string): BambooRow[] {
    if (!Array.isArray(value)) throw this.unexpected(`table ${table}`);
    return value.filter(isJsonObject);
  }

  private logGone(ids: readonly string[], employees: readonly BambooEmployee[], actions: ReadonlyMap<string, string>) {
    const found = new Set(employees.map((e) => String(e.employeeId)));
    for (const id of ids) {
      if (!found.has(id))
        this.options.logger.info('BambooHR employee no longer listed; the worker is left as it is', {
          sourceId: this.id,
          employeeId: id,
          action: actions.get(id),
        });
    }
  }

  private unexpected(what: string): Error {
    return new Error(`${this.label}: ${what} answered in an unexpected shape`);
  }
}

function emptyTables(): Record<TableName, Map<string, BambooRow[]>> {
  return { jobInfo: new Map(), employmentStatus: new Map() };
}

function groupRows(rows: readonly BambooRow[], into: Map<string, BambooRow[]>): void {
  for (const row of rows) {
    const id = String(row.employeeId ?? '');
    const list = into.get(id) ?? [];
    list.push(row);
    into.set(id, list);
  }
}

/** The documented default base URL for a company: the classic gateway. */
export function bamboohrBaseUrl(companyDomain: string): string {
  return `https://api.bamboohr.com/api/gateway.php/${encodeURIComponent(companyDomain)}`;
}
