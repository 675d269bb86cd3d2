/**
 * The HiBob HR source: reads employees and their work, lifecycle and employment history over HiBob's
 * public API (HTTP Basic with a service user's id and token) and turns them into canonical workers
 * (`hibob-records.ts` holds the field map and the effective-dating rules).
 *
 * HiBob has no "changed since" feed for people, so every scheduled read is a whole read, diffed by hr2ad:
 *
 * - `GET /v1/company/named-lists` (department and title names for the tables' list-item ids);
 * - `POST /v1/people/search` with `showInactive: true` (terminated and future hires included) and
 *   `humanReadable: "APPEND"`: one request, no paging;
 * - `GET /v1/bulk/people/work`, `…/lifecycle`, `…/employment`, each cursor-paged (`limit` ≤ 200,
 *   `response_metadata.cursor` until null) to its end: effective-dated rows for every employee at once.
 *
 * The cursor is a SHA-256 of what HiBob answered (lists, employees, rows, in a stable order), never of the
 * clock: an unchanged company reads with the stored cursor, and the cycle has nothing to do; a changed one
 * is a whole (not partial) snapshot that the planner diffs against what it holds. An employee HiBob no
 * longer returns is simply absent from the snapshot, which hr2ad never reads as a termination; HiBob's API
 * reports no deletions, so none are derived. A company with no employees reads as suspect.
 *
 * A targeted read (`workerIds`, from a webhook) asks the search for those ids (`root.id` `equals`) and the
 * bulk tables for their rows (`employeeIds`, at most 200 per request); its cursor is `targeted:<ids>`.
 *
 * Throttling: HiBob allows 50 people searches per minute; the source spaces its own searches to stay
 * inside that, and a 429 (with or without `Retry-After`) is retried by the HTTP client with backoff.
 * Refused credentials (401/403) throw "HiBob source <id>: the service user was refused (401)": the cycle
 * fails and the stored cursor does not move.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../../../shared/ports/clock.port';
import type { HrRead, HrReadRequest, HrSnapshotRead, HrSource } from '../../../../shared/ports/hr-source.port';
import type { Logger } from '../../../../shared/ports/logger.port';
import type { EmployeeType } from '../../../../shared/worker/worker-schema';
import { ConnectorAuthError, refusalsAsAuthErrors, type ConnectorHttpOptions } from '../connector-errors';
import { HttpClient, basicAuthorization } from '../http-client';
import { hrToday, isJsonObject, snapshotOfOutcomes } from '../vendor-records';
import {
  DEFAULT_EMPLOYEE_TYPES,
  SEARCH_FIELDS,
  employeeToRecord,
  namedListsFrom,
  type HibobEmployee,
  type HibobRow,
} from './hibob-records';
import { readAsAsked, type ConnectorReads } from '../connector-read';

/** The history tables read for effective dating. */
export const TABLES = ['work', 'lifecycle', 'employment'] as const;
export type TableName = (typeof TABLES)[number];
type Tables = Record<TableName, Map<string, HibobRow[]>>;

/** The largest `limit` the bulk table endpoints accept, and the most `employeeIds` per request. */
export const MAX_PAGE_SIZE = 200;
/** HiBob's published limit for `POST /v1/people/search`. */
export const SEARCHES_PER_MINUTE = 50;

export interface HibobSourceOptions {
  /** The source's configured id (`hr-hibob`). */
  readonly id: string;
  /** The worker key's `source` (`hibob`). */
  readonly source: string;
  /** The URL `/…` paths are appended to (default `https://api.hibob.com/v1`). */
  readonly baseUrl: string;
  /** The service user's id (the Basic user name). */
  readonly serviceUserId: string;
  /** The service user's token, read from the secret store per read (null: the secret is not set). */
  readonly token: () => Promise<string | null>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Table rows per page (`limit`) and ids per targeted batch (default and maximum 200). */
  readonly pageSize?: number;
  /** HiBob employment types (lower case) → employee types (default `DEFAULT_EMPLOYEE_TYPES`). */
  readonly employeeTypes?: Readonly<Record<string, EmployeeType>>;
  /** Extra search field ids kept as custom fields (`work.custom.costCenter`). */
  readonly customFields?: readonly string[];
  /** Searches allowed per minute (default HiBob's 50). */
  readonly searchesPerMinute?: number;
  /** HTTP transport and retry settings (tests inject fetch, sleep and random). */
  readonly http?: ConnectorHttpOptions;
}

/**
 * Spaces searches so that no minute holds more than the allowed number: before a search that would be
 * one too many, it waits until the oldest of the window is a minute old.
 */
class SearchBudget {
  private sent: number[] = [];

  constructor(
    private readonly perMinute: number,
    private readonly now: () => Date,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async take(): Promise<void> {
    const now = this.now().getTime();
    this.sent = this.sent.filter((at) => at > now - 60_000);
    let at = now;
    if (this.sent.length >= this.perMinute) {
      const wait = this.sent[0]! + 60_000 - now;
      await this.sleep(wait);
      at = now + wait;
      this.sent.shift();
    }
    this.sent.push(at);
  }
}

export class HibobSource implements HrSource {
  readonly id: string;
  private readonly http: HttpClient;
  private readonly pageSize: number;
  private readonly searches: SearchBudget;

  constructor(private readonly options: HibobSourceOptions) {
    this.id = options.id;
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const now = options.http?.now ?? (() => options.clock.now());
    const sleep = options.http?.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.http = new HttpClient({
      ...options.http,
      sourceId: this.label,
      baseUrl: options.baseUrl,
      authorization: () => this.authorization(),
      now,
      sleep,
    });
    this.searches = new SearchBudget(options.searchesPerMinute ?? SEARCHES_PER_MINUTE, now, sleep);
  }

  /** HTTP requests sent so far (for the figures). */
  get requestCount(): number {
    return this.http.requestCount;
  }

  async read(request: HrReadRequest = {}): Promise<HrRead> {
    return refusalsAsAuthErrors(
      () => readAsAsked(request, this.reads),
      (status) => `${this.label}: the service user was refused (${status})`,
    );
  }

  /** Its reads, for `readAsAsked`. */
  private get reads(): ConnectorReads<never> {
    return {
      targeted: (workerIds) => this.readTargeted(workerIds),
      sample: (count) => this.readSample(count),
      all: () => this.readAll(),
    };
  }

  private get label(): string {
    return `HiBob source ${this.id}`;
  }

  private async authorization(): Promise<string> {
    const token = await this.options.token();
    if (!token) throw new ConnectorAuthError(`${this.label}: the service user's token secret is not set`);
    return basicAuthorization(this.options.serviceUserId, token);
  }

  private async readAll(): Promise<HrRead> {
    const lists = await this.http.getJson('/company/named-lists');
    const employees = await this.search(null);
    if (employees.length === 0) return { kind: 'suspect', reason: `${this.label}: HiBob returned no employees` };
    const tables = await this.readTables(null);
    const cursor = contentHash({ lists, employees, tables: sortedTables(tables) });
    return this.snapshot(lists, employees, tables, cursor, false);
  }

  /** HiBob's search has no pages: the first `count` employees of one search, read as a targeted read. */
  private async readSample(count: number): Promise<HrRead> {
    const employees = await this.search(null);
    return this.readTargeted(employees.slice(0, count).map((employee) => String(employee.id)));
  }

  private async readTargeted(workerIds: readonly string[]): Promise<HrRead> {
    const ids = [...new Set(workerIds)].filter((id) => /^\d+$/.test(id)).sort();
    const cursor = `targeted:${ids.join(',')}`;
    if (ids.length === 0) return this.snapshot([], [], emptyTables(), cursor, true);
    const lists = await this.http.getJson('/company/named-lists');
    const employees = await this.search(ids);
    const tables = emptyTables();
    for (let start = 0; start < ids.length; start += this.pageSize)
      mergeTables(tables, await this.readTables(ids.slice(start, start + this.pageSize)));
    return this.snapshot(lists, employees, tables, cursor, true);
  }

  private snapshot(
    listsBody: unknown,
    employees: readonly HibobEmployee[],
    tables: Tables,
    cursor: string,
    partial: boolean,
  ): HrSnapshotRead {
    const ctx = {
      source: this.options.source,
      today: hrToday(this.options.clock.now()),
      employeeTypes: this.options.employeeTypes ?? DEFAULT_EMPLOYEE_TYPES,
      lists: namedListsFrom(listsBody),
      customFields: this.options.customFields ?? [],
    };
    const outcomes = employees.map((employee) => {
      const id = typeof employee.id === 'string' ? employee.id : '';
      const own = {
        work: tables.work.get(id) ?? [],
        lifecycle: tables.lifecycle.get(id) ?? [],
        employment: tables.employment.get(id) ?? [],
      };
      return employeeToRecord(employee, own, ctx);
    });
    return snapshotOfOutcomes(outcomes, cursor, partial);
  }

  /** Every employee, active or not (ids null), or only those ids. */
  private async search(ids: readonly string[] | null): Promise<HibobEmployee[]> {
    const filters = ids ? [{ fieldPath: 'root.id', operator: 'equals', values: ids }] : undefined;
    const fields = [...SEARCH_FIELDS, ...(this.options.customFields ?? [])];
    await this.searches.take();
    const body = await this.http.postJson('/people/search', {
      fields,
      ...(filters ? { filters } : {}),
      showInactive: true,
      humanReadable: 'APPEND',
    });
    if (!isJsonObject(body) || !Array.isArray(body.employees)) throw this.unexpected('/people/search');
    return body.employees.filter(isJsonObject).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  }

  /** The three tables (every employee, or those ids), each followed to its last page. */
  private async readTables(ids: readonly string[] | null): Promise<Tables> {
    const tables = emptyTables();
    for (const table of TABLES) {
      let cursor: string | null = null;
      const seen = new Set<string>();
      do {
        const query: Record<string, string> = {
          limit: String(this.pageSize),
          ...(ids ? { employeeIds: ids.join(',') } : {}),
          ...(cursor !== null ? { cursor } : {}),
        };
        const path = `/bulk/people/${table}`;
        const body = await this.http.getJson(path, query);
        if (!isJsonObject(body) || !Array.isArray(body.results)) throw this.unexpected(path);
        addResults(body.results, tables[table]);
        this.logRefused(table, body.errors);
        const next: unknown = isJsonObject(body.response_metadata) ? body.response_metadata.cursor : null;
        cursor = typeof next === 'string' && next !== '' ? next : null;
        if (cursor !== null && seen.has(cursor)) throw new Error(`${this.label}: ${path} repeats its page cursor`);
        if (cursor !== null) seen.add(cursor);
      } while (cursor !== null);
    }
    return tables;
  }

  /** Employees whose rows the service user may not see (HiBob lists them under `errors`). */
  private logRefused(table: TableName, errors: unknown): void {
    if (!Array.isArray(errors) || errors.length === 0) return;
    this.options.logger.warn('HiBob withheld table rows of some employees (service user permissions)', {
      sourceId: this.id,
      table,
      employees: errors.length,
    });
  }

  private unexpected(what: string): Error {
    return new Error(`${this.label}: ${what} answered in an unexpected shape`);
  }
}

function emptyTables(): Tables {
  return { work: new Map(), lifecycle: new Map(), employment: new Map() };
}

/**
 * Adds one page's `results` (`{ employeeId, values: [row…] }`) to `into`. The generated document nests
 * rows one level deeper (`values: [{ values: [row…] }]`); both shapes are read.
 */
function addResults(results: readonly unknown[], into: Map<string, HibobRow[]>): void {
  for (const result of results.filter(isJsonObject)) {
    const id = typeof result.employeeId === 'string' ? result.employeeId : String(result.employeeId ?? '');
    const values = Array.isArray(result.values) ? result.values.filter(isJsonObject) : [];
    const rows = values.flatMap((v) =>
      v.effectiveDate === undefined && Array.isArray(v.values) ? v.values.filter(isJsonObject) : [v],
    );
    into.set(id, [...(into.get(id) ?? []), ...rows]);
  }
}

function mergeTables(into: Tables, from: Tables): void {
  for (const table of TABLES) for (const [id, rows] of from[table]) into[table].set(id, rows);
}

/** The tables as plain data in a stable order, for the content hash. */
function sortedTables(tables: Tables): Record<TableName, [string, HibobRow[]][]> {
  const sorted = (map: Map<string, HibobRow[]>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return { work: sorted(tables.work), lifecycle: sorted(tables.lifecycle), employment: sorted(tables.employment) };
}

/** JSON with object keys sorted, so equal data hashes equally whatever order HiBob sent keys in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function contentHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(stableJson(value)).digest('hex')}`;
}
