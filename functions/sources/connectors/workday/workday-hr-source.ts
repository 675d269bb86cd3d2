/**
 * The Workday HR source: reads workers with Human_Resources `Get_Workers` over SOAP (Workday Web
 * Services, WS-Security UsernameToken `PasswordText` for an Integration System User `ISU@tenant`) and
 * turns them into canonical workers (`workday-records.ts` holds the field map and the effective dating).
 *
 * - Full read (no stored cursor): every worker as of today (`As_Of_Effective_Date` = today,
 *   `As_Of_Entry_DateTime` = now), `Page`/`Count` followed to `Response_Results/Total_Pages`. An empty
 *   company reads as suspect: absence is never a mass termination.
 * - Delta (a stored cursor): the transaction-log criteria Entra uses for manual updates,
 *   `Transaction_Date_Range_Data/Updated_From` = the cursor … `Updated_Through` = now; partial.
 * - Cursor: the newest `Transaction_Entry_Moment` of the workers read (`Include_Transaction_Log_Data`),
 *   so it comes from Workday's data, and a delta with nothing newer keeps the cursor it was given.
 * - Effective dating: each transaction-log entry effective after today, and a hire date after today, is
 *   re-read by WID with `As_Of_Effective_Date` = that date (Entra's future-hire pattern), one request
 *   per date; those reads become future entries, a future hire date or a scheduled termination. The
 *   effective-dated window (`Effective_From/Through`) is not needed: a change entered earlier was
 *   delivered then as a future entry, and hr2ad applies it on its date.
 * - Deletions: Workday terminates, it does not delete.
 * - Targeted read (`workerIds`): `Request_References` with each id as `Employee_ID` and
 *   `Contingent_Worker_ID`, `Skip_Non_Existing_Instances`; cursor `targeted:<sorted ids>`.
 *
 * Errors come as SOAP faults (HTTP 500): `Client.authenticationError` (or HTTP 401/403) throws
 * "Workday source <id>: the user name or password was refused (…)", so the cycle fails and the cursor
 * does not move; any other fault names its code and message. Workday publishes no numeric rate limits:
 * requests go one at a time, and 429/503 are retried with Retry-After or backoff by the HTTP client.
 */
import type { Clock } from '../../../../shared/ports/clock.port';
import type { HrRead, HrReadRequest, HrSnapshotRead, HrSource } from '../../../../shared/ports/hr-source.port';
import type { Logger } from '../../../../shared/ports/logger.port';
import type { EmployeeType } from '../../../../shared/worker/worker-schema';
import { ConnectorAuthError, refusalsAsAuthErrors, type ConnectorHttpOptions } from '../connector-errors';
import { HttpClient } from '../http-client';
import { hrToday, snapshotOfOutcomes } from '../vendor-records';
import { DEFAULT_EMPLOYEE_TYPES, hireDateOf, transactionLogOf, workerIdsOf, workerToRecord } from './workday-records';
import {
  faultOf,
  getWorkersEnvelope,
  getWorkersPageOf,
  type GetWorkersRequest,
  type WorkerRef,
  type XmlNode,
} from './workday-soap';
import { readAsAsked, type ConnectorReads } from '../connector-read';

/** The largest `Count` Workday documents for a page. */
export const MAX_PAGE_SIZE = 999;
/** The page size Entra uses. */
export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_VERSION = 'v43.0';
/** The cursor of a full read of a company without any transaction-log entry. */
const NO_ENTRIES = '1970-01-01T00:00:00.000Z';

export interface WorkdaySourceOptions {
  readonly id: string;
  /** The worker key's `source` (`workday`). */
  readonly source: string;
  /** The Human_Resources endpoint, `https://{host}/ccx/service/{tenant}/Human_Resources/{version}`. */
  readonly endpoint: string;
  /** The WS version (`v43.0`), the request's `version` attribute. */
  readonly version: string;
  /** `ISU_name@tenant`. */
  readonly username: string;
  /** The password, read from the secret store per read (null: the secret is not set). */
  readonly password: () => Promise<string | null>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Workers per page (`Count`, default 100, at most 999). */
  readonly pageSize?: number;
  /** Lower-case Employee_Type_ID → employee type (default `DEFAULT_EMPLOYEE_TYPES`). */
  readonly employeeTypes?: Readonly<Record<string, EmployeeType>>;
  readonly http?: ConnectorHttpOptions;
}

type Query = Omit<GetWorkersRequest, 'version' | 'page' | 'count'>;

export class WorkdaySource implements HrSource {
  readonly id: string;
  private readonly http: HttpClient;
  private readonly pageSize: number;
  private readonly path: string;

  constructor(private readonly options: WorkdaySourceOptions) {
    this.id = options.id;
    this.pageSize = Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const url = new URL(options.endpoint);
    this.path = url.pathname;
    this.http = new HttpClient({
      ...options.http,
      sourceId: this.label,
      baseUrl: url.origin,
      now: options.http?.now ?? (() => options.clock.now()),
    });
  }

  /** HTTP requests sent so far (for the figures). */
  get requestCount(): number {
    return this.http.requestCount;
  }

  private get label(): string {
    return `Workday source ${this.id}`;
  }

  async read(request: HrReadRequest = {}): Promise<HrRead> {
    return refusalsAsAuthErrors(
      () => readAsAsked(request, this.reads),
      (status) => `${this.label}: the user name or password was refused (${status})`,
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

  private async readAll(): Promise<HrRead> {
    const workers = await this.getWorkers(this.asOfNow());
    if (workers.length === 0) return { kind: 'suspect', reason: `${this.label}: Workday returned no workers` };
    return this.snapshot(workers, await this.laterReads(workers), this.newestEntry(workers, NO_ENTRIES), false);
  }

  private async readChanges(since: string): Promise<HrRead> {
    const now = this.options.clock.now().toISOString();
    const returned = await this.getWorkers({ ...this.asOfNow(), updated: { from: since, through: now } });
    // Entries at the cursor itself were read last time: only newer ones make a worker changed.
    const sinceMs = Date.parse(since);
    const workers = returned.filter((w) => transactionLogOf(w).entered.some((e) => Date.parse(e) > sinceMs));
    return this.snapshot(workers, await this.laterReads(workers), this.newestEntry(workers, since), true);
  }

  private async readTargeted(workerIds: readonly string[]): Promise<HrRead> {
    const ids = [...new Set(workerIds)].sort();
    const refs = ids.flatMap((id): WorkerRef[] => [
      { type: 'Employee_ID', id },
      { type: 'Contingent_Worker_ID', id },
    ]);
    const workers = ids.length === 0 ? [] : await this.getWorkers({ ...this.asOfNow(), workers: refs });
    return this.snapshot(workers, await this.laterReads(workers), `targeted:${ids.join(',')}`, true);
  }

  /** The workers of the first page (at most `count`), as a targeted read of them would give them. */
  private async readSample(count: number): Promise<HrRead> {
    const request = {
      ...this.asOfNow(),
      version: this.options.version,
      page: 1,
      count: Math.min(count, this.pageSize),
    };
    const { workers } = await this.getWorkersPage(request);
    const ids = workers.map((worker) => workerIdsOf(worker).id).filter((id) => id !== null);
    return this.snapshot(workers, await this.laterReads(workers), `targeted:${ids.sort().join(',')}`, true);
  }

  private asOfNow(): Query {
    const now = this.options.clock.now();
    return { asOfEffectiveDate: this.today(), asOfEntryDateTime: now.toISOString() };
  }

  private today(): string {
    return hrToday(this.options.clock.now());
  }

  /** The newest entry moment of the workers' transaction logs, or `fallback` when none is newer. */
  private newestEntry(workers: readonly XmlNode[], fallback: string): string {
    let newest = fallback;
    for (const worker of workers) {
      for (const moment of transactionLogOf(worker).entered)
        if (Date.parse(moment) > Date.parse(newest)) newest = moment;
    }
    return newest;
  }

  /** Each worker re-read as of its future effective dates: WID → date → worker element. */
  private async laterReads(workers: readonly XmlNode[]): Promise<Map<string, Map<string, XmlNode>>> {
    const today = this.today();
    const widsByDate = new Map<string, string[]>();
    for (const worker of workers) {
      const { wid } = workerIdsOf(worker);
      if (wid === null) continue;
      const dates = new Set(transactionLogOf(worker).effective.filter((d) => d > today));
      const hire = safeHireDate(worker);
      if (hire !== null && hire > today) dates.add(hire);
      for (const date of dates) widsByDate.set(date, [...(widsByDate.get(date) ?? []), wid]);
    }
    const later = new Map<string, Map<string, XmlNode>>();
    if (widsByDate.size > 0)
      this.options.logger.debug('Workday future-dated events re-read as of their dates', {
        sourceId: this.id,
        dates: widsByDate.size,
      });
    for (const [date, wids] of [...widsByDate.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const refs = wids.map((id): WorkerRef => ({ type: 'WID', id }));
      const asOf = { asOfEffectiveDate: date, asOfEntryDateTime: this.options.clock.now().toISOString() };
      for (const worker of await this.getWorkers({ ...asOf, workers: refs })) {
        const { wid } = workerIdsOf(worker);
        if (wid === null) continue;
        const dates = later.get(wid) ?? new Map<string, XmlNode>();
        later.set(wid, dates.set(date, worker));
      }
    }
    return later;
  }

  private snapshot(
    workers: readonly XmlNode[],
    later: ReadonlyMap<string, ReadonlyMap<string, XmlNode>>,
    cursor: string,
    partial: boolean,
  ): HrSnapshotRead {
    const ctx = {
      source: this.options.source,
      today: this.today(),
      employeeTypes: this.options.employeeTypes ?? DEFAULT_EMPLOYEE_TYPES,
    };
    const outcomes = workers.map((worker) =>
      workerToRecord(worker, later.get(workerIdsOf(worker).wid ?? '') ?? new Map(), ctx),
    );
    return snapshotOfOutcomes(outcomes, cursor, partial);
  }

  /** Every page of one Get_Workers query. */
  private async getWorkers(query: Query): Promise<XmlNode[]> {
    const workers: XmlNode[] = [];
    for (let page = 1, totalPages = 1; page <= totalPages; page++) {
      const found = await this.getWorkersPage({ ...query, version: this.options.version, page, count: this.pageSize });
      workers.push(...found.workers);
      totalPages = found.totalPages;
    }
    return workers;
  }

  private async getWorkersPage(request: GetWorkersRequest) {
    const password = await this.options.password();
    if (!password) throw new ConnectorAuthError(`${this.label}: the password secret is not set`);
    const envelope = getWorkersEnvelope(request, { username: this.options.username, password });
    const headers = { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml', soapaction: '""' };
    const answer = await this.http.postText(this.path, envelope, headers, [500]);
    const fault = faultOf(answer.text);
    if (fault) throw this.faultError(fault.code, fault.message);
    const page = answer.status === 200 ? getWorkersPageOf(answer.text) : null;
    if (!page) throw new Error(`${this.label}: Get_Workers answered HTTP ${answer.status} in an unexpected shape`);
    return page;
  }

  private faultError(code: string, message: string): Error {
    if (/authentication/i.test(code))
      return new ConnectorAuthError(`${this.label}: the user name or password was refused (SOAP fault ${code})`);
    // Workday's own words help (a validation fault names the element); a long one is cut, never the request.
    const said = message.length > 300 ? `${message.slice(0, 300)}…` : message;
    return new Error(`${this.label}: Get_Workers answered the SOAP fault ${code}: ${said}`);
  }
}

/** The hire date when it reads as a date (a malformed one becomes a row issue later, not here). */
function safeHireDate(worker: XmlNode): string | null {
  try {
    return hireDateOf(worker);
  } catch {
    return null;
  }
}
