/**
 * The SuccessFactors HR source: reads Employee Central over OData v2 (`<server>/odata/v2/…`, JSON) and
 * turns persons and their job slices into canonical workers (`successfactors-records.ts` holds the field
 * map and the effective-dating rules; `successfactors-auth.ts` the OAuth SAML bearer and Basic auth).
 *
 * - Full read (no stored cursor): every `PerPerson` with `personalInfoNav`, `emailNav`, `phoneNav`,
 *   `employmentNav` and `employmentNav/userNav` expanded, as of today (`asOfDate`, sent explicitly so the
 *   server's day cannot differ from ours), and every `EmpJob`
 *   slice overlapping today or later (`fromDate=<today>&toDate=9999-12-31`: only the top-level entity is
 *   range-filtered, which is why job slices are read on their own). Server paging (`customPageSize`,
 *   `d.__next`) is followed to the end. A company with no persons reads as suspect.
 * - Pre-hires: until the start date SuccessFactors returns only minimal person data, so, as Entra does,
 *   persons whose employment starts after today are read again with `asOfDate=<startDate>`.
 * - Delta (a stored cursor): a change to a job or an e-mail row does not change `PerPerson`'s own
 *   `lastModifiedDateTime`, so each entity is asked which rows changed after the cursor
 *   (`$filter=lastModifiedDateTime gt datetimeoffset'<cursor>'`, `$select` of the key only): `PerPerson`,
 *   `PerPersonal` and `EmpJob` (both over today onwards), `PerEmail`, `PerPhone`, `EmpEmployment`. Those
 *   persons are then read in full, as above, as a `partial` snapshot.
 * - The cursor is the newest `lastModifiedDateTime` the read saw (ISO 8601), so it depends on HR's data
 *   only: reading twice with the same cursor gives the same cursor, and nothing changed gives no records.
 *   Future-dated slices arrive as `future` entries with the read that sees them, so a slice reaching its
 *   date needs no re-read.
 * - Targeted read (`workerIds`): those persons and their slices; the cursor is `targeted:<sorted ids>`.
 * - SuccessFactors has no deleted-person feed: deletions are not reported (a purged person is simply no
 *   longer read, and hr2ad never terminates on absence).
 *
 * A refused credential (401/403) throws "SuccessFactors source <id>: the credentials were refused (401)";
 * with OAuth, a refused token is first dropped and the read tried once more with a new one. Throttling
 * (429, and 503 in maintenance windows) is the HTTP client's job, waiting what `Retry-After` asks.
 */
import type { Clock } from '../../../../shared/ports/clock.port';
import type { HrRead, HrReadRequest, HrSnapshotRead, HrSource } from '../../../../shared/ports/hr-source.port';
import type { Logger } from '../../../../shared/ports/logger.port';
import type { EmployeeType } from '../../../../shared/worker/worker-schema';
import { ConnectorAuthError, isRefusal, type ConnectorHttpOptions } from '../connector-errors';
import { HttpClient, type HttpError } from '../http-client';
import { hrToday, snapshotOfOutcomes } from '../vendor-records';
import { SuccessFactorsAuthorizer, type SuccessFactorsCredentials } from './successfactors-auth';
import { isEntity, odataMillis, personToRecord, resultsOf, type ODataEntity } from './successfactors-records';
import { readAsAsked, type ConnectorReads } from '../connector-read';

/** The most records SuccessFactors serves per page. */
export const MAX_PAGE_SIZE = 1000;
/** SAP recommends at most 500 for large payloads. */
export const DEFAULT_PAGE_SIZE = 500;
/** Ids per `in` list, keeping URLs short. */
const IDS_PER_FILTER = 50;
/** Throttled requests: SAP's KBA 3159263 suggests waiting up to 300 s. */
const MAX_WAIT_MS = 300_000;
const END_OF_TIME = '9999-12-31';

export const PERSON_EXPAND = 'personalInfoNav,emailNav,phoneNav,employmentNav,employmentNav/userNav';
export const JOB_EXPAND =
  'departmentNav,locationNav,costCenterNav,companyNav,emplStatusNav,employeeClassNav,managerUserNav/empInfo';

/** The entities asked what changed, with the key that leads to the person. */
const CHANGE_SOURCES = [
  { entity: 'PerPerson', key: 'personIdExternal', dated: false },
  { entity: 'PerPersonal', key: 'personIdExternal', dated: true },
  { entity: 'PerEmail', key: 'personIdExternal', dated: false },
  { entity: 'PerPhone', key: 'personIdExternal', dated: false },
  { entity: 'EmpEmployment', key: 'personIdExternal', dated: false },
  { entity: 'EmpJob', key: 'userId', dated: true },
] as const;

export interface SuccessFactorsSourceOptions {
  /** The source's configured id (`hr-sf`). */
  readonly id: string;
  /** The worker key's `source` (`successfactors`). */
  readonly source: string;
  /** The API server (`https://api4.successfactors.com`); `/odata/v2/…` and `/oauth/token` are appended. */
  readonly serverUrl: string;
  readonly credentials: SuccessFactorsCredentials;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `customPageSize` (default 500, at most 1,000). */
  readonly pageSize?: number;
  /** `employeeClassNav.externalCode` → employee type (default: every class is `employee`). */
  readonly employeeTypes?: Readonly<Record<string, EmployeeType>>;
  /** HTTP transport and retry settings (tests inject fetch, sleep and random). */
  readonly http?: ConnectorHttpOptions;
}

type Query = Record<string, string>;

interface PersonsRead {
  readonly persons: ODataEntity[];
  readonly jobs: ODataEntity[];
}

/** `'a','b'` for an OData `in` list (quotes doubled inside). */
function quoted(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export class SuccessFactorsSource implements HrSource {
  readonly id: string;
  private readonly http: HttpClient;
  private readonly auth: SuccessFactorsAuthorizer;
  private readonly pageSize: number;

  constructor(private readonly options: SuccessFactorsSourceOptions) {
    this.id = options.id;
    this.pageSize = Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const serverUrl = options.serverUrl.replace(/\/+$/, '');
    this.auth = new SuccessFactorsAuthorizer({
      label: this.label,
      serverUrl,
      credentials: options.credentials,
      clock: options.clock,
      ...(options.http?.fetch ? { fetch: options.http.fetch } : {}),
      ...(options.http?.timeoutMs ? { timeoutMs: options.http.timeoutMs } : {}),
    });
    this.http = new HttpClient({
      maxWaitMs: MAX_WAIT_MS,
      ...options.http,
      sourceId: this.label,
      baseUrl: `${serverUrl}/odata/v2`,
      authorization: () => this.auth.authorization(),
      now: options.http?.now ?? (() => options.clock.now()),
    });
  }

  /** HTTP requests sent so far, token requests included (for the figures). */
  get requestCount(): number {
    return this.http.requestCount + this.auth.tokenRequests;
  }

  async read(request: HrReadRequest = {}): Promise<HrRead> {
    try {
      return await this.readOnce(request);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      if (this.auth.dropToken()) {
        try {
          return await this.readOnce(request);
        } catch (retryError) {
          if (!isRefusal(retryError)) throw retryError;
          throw this.refused(retryError);
        }
      }
      throw this.refused(error);
    }
  }

  /** Its reads, for `readAsAsked`. */
  private get reads(): ConnectorReads<number> {
    return {
      targeted: (workerIds) => this.readTargeted(workerIds),
      sample: (count) => this.readSample(count),
      changes: (since) => this.readChanges(since),
      all: () => this.readAll(),
    };
  }

  private get label(): string {
    return `SuccessFactors source ${this.id}`;
  }

  private get today(): string {
    return hrToday(this.options.clock.now());
  }

  private refused(error: HttpError): ConnectorAuthError {
    return new ConnectorAuthError(`${this.label}: the credentials were refused (${error.status})`);
  }

  private readOnce(request: HrReadRequest): Promise<HrRead> {
    return readAsAsked(request, this.reads, (since) => {
      const ms = Date.parse(since);
      if (!Number.isNaN(ms)) return ms;
      this.options.logger.warn('SuccessFactors cursor unreadable; reading everything', { sourceId: this.id });
      return null;
    });
  }

  private async readAll(): Promise<HrRead> {
    const persons = await this.pages('/PerPerson', this.personQuery({}));
    if (persons.length === 0) return { kind: 'suspect', reason: `${this.label}: SuccessFactors returned no persons` };
    const jobs = await this.pages('/EmpJob', { $expand: JOB_EXPAND, ...this.fromToday() });
    const read = await this.withPreHires({ persons, jobs });
    return this.snapshot(read, newestChange([...read.persons, ...read.jobs], 0), false);
  }

  private async readChanges(since: number): Promise<HrRead> {
    const personIds = new Set<string>();
    const userIds = new Set<string>();
    let newest = since;
    for (const { entity, key, dated } of CHANGE_SOURCES) {
      const rows = await this.pages(`/${entity}`, {
        $filter: `lastModifiedDateTime gt datetimeoffset'${new Date(since).toISOString()}'`,
        $select: `${key},lastModifiedDateTime`,
        ...(dated ? this.fromToday() : {}),
      });
      newest = newestChange(rows, newest);
      for (const row of rows) {
        const id = stringOf(row[key]);
        if (id !== null) (key === 'userId' ? userIds : personIds).add(id);
      }
    }
    if (personIds.size === 0 && userIds.size === 0) return this.snapshot({ persons: [], jobs: [] }, since, true);
    const read = await this.readPersons([...personIds].sort(), [...userIds].sort());
    return this.snapshot(read, newest, true);
  }

  /** The persons of the first PerPerson page (at most `count`), read as a targeted read. */
  private async readSample(count: number): Promise<HrRead> {
    const persons = await this.pages('/PerPerson', this.personQuery({}), Math.min(count, this.pageSize));
    return this.readTargeted(persons.map((p) => stringOf(p.personIdExternal)).filter((id) => id !== null));
  }

  private async readTargeted(workerIds: readonly string[]): Promise<HrRead> {
    const ids = [...new Set(workerIds)].sort();
    const read = ids.length === 0 ? { persons: [], jobs: [] } : await this.readPersons(ids, []);
    return { ...this.snapshot(read, 0, true), cursor: `targeted:${ids.join(',')}` };
  }

  /** The persons with these ids or these employments' user ids, their job slices, pre-hires as of their start. */
  private async readPersons(personIds: readonly string[], userIds: readonly string[]): Promise<PersonsRead> {
    const persons: ODataEntity[] = [];
    for (const batch of chunks(personIds, IDS_PER_FILTER))
      persons.push(
        ...(await this.pages('/PerPerson', this.personQuery({ $filter: `personIdExternal in ${quoted(batch)}` }))),
      );
    const known = new Set(persons.map((p) => stringOf(p.personIdExternal)));
    for (const batch of chunks(userIds, IDS_PER_FILTER)) {
      const filter = `employmentNav/userId in ${quoted(batch)}`;
      const found = await this.pages('/PerPerson', this.personQuery({ $filter: filter }));
      persons.push(...found.filter((p) => !known.has(stringOf(p.personIdExternal))));
    }
    const jobs: ODataEntity[] = [];
    for (const batch of chunks(userIdsOf(persons), IDS_PER_FILTER))
      jobs.push(
        ...(await this.pages('/EmpJob', {
          $expand: JOB_EXPAND,
          $filter: `userId in ${quoted(batch)}`,
          ...this.fromToday(),
        })),
      );
    return this.withPreHires({ persons, jobs });
  }

  /** Persons whose employment starts after today, read again as of that date (their data is minimal before). */
  private async withPreHires(read: PersonsRead): Promise<PersonsRead> {
    const byStart = new Map<string, string[]>();
    for (const person of read.persons) {
      const start = preHireStart(person, this.today);
      const id = stringOf(person.personIdExternal);
      if (start !== null && id !== null) byStart.set(start, [...(byStart.get(start) ?? []), id]);
    }
    if (byStart.size === 0) return read;
    const asOf = new Map<string, ODataEntity>();
    for (const [start, ids] of [...byStart.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      for (const batch of chunks(ids, IDS_PER_FILTER)) {
        const query = { $expand: PERSON_EXPAND, $filter: `personIdExternal in ${quoted(batch)}`, asOfDate: start };
        for (const person of await this.pages('/PerPerson', query)) asOf.set(String(person.personIdExternal), person);
      }
    }
    const persons = read.persons.map((p) => asOf.get(String(p.personIdExternal)) ?? p);
    return { persons, jobs: read.jobs };
  }

  /** PerPerson as of today, said explicitly so the server's "today" (its own zone) never differs from ours. */
  private personQuery(query: Query): Query {
    return { $expand: PERSON_EXPAND, asOfDate: this.today, ...query };
  }

  private fromToday(): Query {
    return { fromDate: this.today, toDate: END_OF_TIME };
  }

  /** Every entity of `path` with `query`, following `d.__next` to the end; or only a first page of `onePage`. */
  private async pages(path: string, query: Query, onePage?: number): Promise<ODataEntity[]> {
    const entities: ODataEntity[] = [];
    const seen = new Set<string>();
    let next: { path: string; query: Query } | null = {
      path,
      query: { $format: 'json', customPageSize: String(onePage ?? this.pageSize), ...query },
    };
    while (next !== null) {
      const body = await this.http.getJson(next.path, next.query);
      const d = isEntity(body) ? body.d : null;
      if (!isEntity(d) || !Array.isArray(d.results))
        throw new Error(`${this.label}: ${path} answered in an unexpected shape`);
      entities.push(...d.results.filter(isEntity));
      if (onePage !== undefined) return entities;
      const link = stringOf(d.__next);
      if (link !== null && seen.has(link)) throw new Error(`${this.label}: ${path} repeats its next-page link`);
      if (link !== null) seen.add(link);
      next = link === null ? null : this.nextPage(link, path);
    }
    return entities;
  }

  /** `__next` as a path under our own base URL: the server's host is never trusted with the credentials. */
  private nextPage(link: string, path: string): { path: string; query: Query } {
    const url = new URL(link, 'https://successfactors.invalid/odata/v2/');
    const at = url.pathname.indexOf('/odata/v2/');
    const nextPath = at >= 0 ? url.pathname.slice(at + '/odata/v2'.length) : path;
    return { path: nextPath, query: Object.fromEntries(url.searchParams) };
  }

  private snapshot(read: PersonsRead, newest: number, partial: boolean): HrSnapshotRead {
    const ctx = { source: this.options.source, today: this.today, employeeTypes: this.options.employeeTypes ?? {} };
    const jobsByUser = new Map<string, ODataEntity[]>();
    for (const job of read.jobs) {
      const userId = String(job.userId ?? '');
      jobsByUser.set(userId, [...(jobsByUser.get(userId) ?? []), job]);
    }
    const outcomes = read.persons.map((person) => {
      const jobs = userIdsOf([person]).flatMap((userId) => jobsByUser.get(userId) ?? []);
      return personToRecord({ person, jobs }, ctx);
    });
    return snapshotOfOutcomes(outcomes, new Date(newest).toISOString(), partial);
  }
}

function userIdsOf(persons: readonly ODataEntity[]): string[] {
  const ids = persons.flatMap((p) => resultsOf(p.employmentNav).map((e) => stringOf(e.userId)));
  return [...new Set(ids.filter((id): id is string => id !== null))].sort();
}

/** The start date (`YYYY-MM-DD`) of a person's employment when it is after today, else null. */
function preHireStart(person: ODataEntity, today: string): string | null {
  const starts = resultsOf(person.employmentNav).map((e) => odataMillis(e.startDate));
  const latest = Math.max(...starts.filter((s): s is number => s !== null));
  if (!Number.isFinite(latest)) return null;
  const day = new Date(latest).toISOString().slice(0, 10);
  return day > today ? day : null;
}

/** The newest `lastModifiedDateTime` of the entities and their expanded navigation rows, or `floor`. */
function newestChange(entities: readonly ODataEntity[], floor: number): number {
  let newest = floor;
  const visit = (entity: ODataEntity) => {
    const modified = odataMillis(entity.lastModifiedDateTime);
    if (modified !== null && modified > newest) newest = modified;
    for (const value of Object.values(entity)) {
      if (isEntity(value) && Array.isArray(value.results)) resultsOf(value).forEach(visit);
      else if (isEntity(value) && !('uri' in value)) visit(value);
    }
  };
  entities.forEach(visit);
  return newest;
}
