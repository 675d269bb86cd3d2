/**
 * The AFAS Profit HR source: reads one customer-defined GetConnector over AFAS's REST services with an
 * App Connector token and turns its rows into canonical workers (`afas-records.ts` holds the field map
 * and the effective-dating rules).
 *
 * Base URL: `https://{environmentNr}.rest.afas.online/ProfitRestServices` (test and accept environments:
 * `resttest` / `restaccept`). Header: `Authorization: AfasToken <base64 of
 * <token><version>1</version><data>…</data></token>>`.
 *
 * - Full read (no stored cursor): `GET /metainfo/get/{connector}` checks the GetConnector has the fields
 *   hr2ad filters and pages on; then the watermark — the newest modified date in HR, one row ordered by
 *   `-Gewijzigd_op` — taken before the data, so a change made during the read is read again next time;
 *   then `GET /connectors/{connector}?skip&take&orderbyfieldids=Medewerker,Begindatum_functie` followed
 *   to the end (a page shorter than `take` is the last). No rows reads as suspect: absence is never a
 *   mass termination.
 * - Delta (a stored cursor, the watermark of the last read): the new watermark; when it has not moved,
 *   nothing changed (no records, the same cursor). Else the ids of the rows modified in
 *   (since, watermark] (`filterfieldids=Gewijzigd_op,Gewijzigd_op&operatortypes=4,3`, comma = AND), then
 *   every row of those employees (`Medewerker` = id, OR-ed with `;`, in batches that keep the URL well
 *   under AFAS's ~2,049 characters). The snapshot is `partial`; the watermark is the new cursor.
 * - AFAS reports no deletions through a GetConnector: an employee that no longer shows is left as it is
 *   (and logged when a delta named it). HR ends employment with `Datum_uit_dienst`, read like any change.
 * - Targeted read (`workerIds`): every row of those ids; the cursor is `targeted:<sorted ids>`.
 *
 * Modified dates carry a `Z` but are the environment's local time; the watermark is kept exactly as AFAS
 * wrote it (without the `Z`) and only ever compared with AFAS's own values, so no zone conversion enters.
 *
 * Throttling: AFAS publishes no rate limit but advises at most 5 simultaneous calls; this source sends
 * one request at a time. 429 and 503 (maintenance) are retried by the shared HTTP client (Retry-After,
 * else exponential backoff with jitter). A refused token (401/403) throws "AFAS source <id>: the token
 * was refused (401)": the cycle fails and the stored cursor does not move.
 */
import type { Clock } from '../../../../shared/ports/clock.port';
import type { HrRead, HrReadRequest, HrSnapshotRead, HrSource } from '../../../../shared/ports/hr-source.port';
import type { Logger } from '../../../../shared/ports/logger.port';
import type { EmployeeType } from '../../../../shared/worker/worker-schema';
import { ConnectorAuthError, type ConnectorHttpOptions } from '../connector-errors';
import { HttpClient, HttpError } from '../http-client';
import { hrToday, isJsonObject } from '../vendor-records';
import {
  DEFAULT_EMPLOYEE_TYPES,
  DEFAULT_FIELD_IDS,
  REQUIRED_FIELDS,
  afasTimestamp,
  rowsToRecords,
  text,
  type AfasFieldIds,
  type AfasRow,
} from './afas-records';
import { readAsAsked, type ConnectorReads } from '../connector-read';

/** hr2ad's largest `take`: AFAS documents none, but answers "Out of memory" on very large ones. */
export const MAX_PAGE_SIZE = 1000;
/** Operator types of AFAS filters (the ones this source uses). */
const OPERATOR = { equals: '1', atMost: '3', after: '4' } as const;
/** Characters of id filter per targeted or delta batch: keeps the URL far below AFAS's ~2,049 limit. */
const MAX_FILTER_CHARS = 1200;

export interface AfasSourceOptions {
  /** The source's configured id (`hr-afas`). */
  readonly id: string;
  /** The worker key's `source` (`afas`). */
  readonly source: string;
  /** `https://12345.rest.afas.online/ProfitRestServices`; `/connectors/…` is appended. */
  readonly baseUrl: string;
  /** The GetConnector's id (`HR2AD_Medewerkers`). */
  readonly connectorId: string;
  /** The token's data (64 hex characters) or the whole `<token>…</token>` XML; null: the secret is not set. */
  readonly token: () => Promise<string | null>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** GetConnector field ids (default `DEFAULT_FIELD_IDS`). */
  readonly fields?: Partial<AfasFieldIds>;
  /** Rows per page, `take` (default and maximum `MAX_PAGE_SIZE`). */
  readonly pageSize?: number;
  /** Lower-case AFAS employee kinds → employee types (default `DEFAULT_EMPLOYEE_TYPES`). */
  readonly employeeTypes?: Readonly<Record<string, EmployeeType>>;
  /** HTTP transport and retry settings (tests inject fetch, sleep and random). */
  readonly http?: ConnectorHttpOptions;
}

type Query = Record<string, string>;

/** The `Authorization` value for an AFAS App Connector token (data only, or the whole XML). */
export function afasAuthorization(token: string): string {
  const trimmed = token.trim();
  const xml = trimmed.startsWith('<token>') ? trimmed : `<token><version>1</version><data>${trimmed}</data></token>`;
  return `AfasToken ${Buffer.from(xml, 'utf8').toString('base64')}`;
}

export class AfasSource implements HrSource {
  readonly id: string;
  private readonly http: HttpClient;
  private readonly pageSize: number;
  private readonly fields: AfasFieldIds;
  private readonly connectorPath: string;

  constructor(private readonly options: AfasSourceOptions) {
    this.id = options.id;
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.fields = { ...DEFAULT_FIELD_IDS, ...options.fields };
    this.connectorPath = `/connectors/${encodeURIComponent(options.connectorId)}`;
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
    try {
      return await readAsAsked(request, this.reads);
    } catch (error) {
      throw this.translated(error);
    }
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
    return `AFAS source ${this.id}`;
  }

  private translated(error: unknown): unknown {
    if (!(error instanceof HttpError)) return error;
    const connector = `GetConnector ${this.options.connectorId}`;
    if (error.status === 401) return new ConnectorAuthError(`${this.label}: the token was refused (401)`);
    if (error.status === 403)
      return new ConnectorAuthError(
        `${this.label}: the token was refused (403: an IP restriction, or the App Connector does not expose ${connector})`,
      );
    if (error.status === 404) return new Error(`${this.label}: ${connector} was not found (404)`);
    if (error.status === 500)
      return new Error(`${this.label}: AFAS refused a request to ${connector} (500; see AFAS's log for the reason)`);
    return error;
  }

  private async authorization(): Promise<string> {
    const token = await this.options.token();
    if (!token) throw new ConnectorAuthError(`${this.label}: the token secret is not set`);
    return afasAuthorization(token);
  }

  private async readAll(): Promise<HrRead> {
    await this.checkFields();
    const watermark = await this.watermark();
    const rows = await this.pages({});
    if (rows.length === 0) return { kind: 'suspect', reason: `${this.label}: AFAS returned no employees` };
    return this.snapshot(rows, watermark ?? '', false);
  }

  private async readChanges(since: string): Promise<HrRead> {
    const watermark = await this.watermark();
    if (watermark === null || watermark <= since) return this.snapshot([], since, true);
    const m = this.fields.modifiedAt;
    const changed = await this.pages({
      filterfieldids: `${m},${m}`,
      filtervalues: `${since},${watermark}`,
      operatortypes: `${OPERATOR.after},${OPERATOR.atMost}`,
    });
    const ids = [...new Set(changed.map((row) => text(row[this.fields.employeeId])).filter((id) => id !== null))];
    const rows = await this.rowsOf(ids);
    this.logGone(ids, rows);
    return this.snapshot(rows, watermark, true);
  }

  /** The employees of the GetConnector's first page (at most `count` rows), read as a targeted read. */
  private async readSample(count: number): Promise<HrRead> {
    await this.checkFields();
    const rows = await this.pages({}, Math.min(count, this.pageSize));
    return this.readTargeted(rows.map((row) => text(row[this.fields.employeeId]) ?? '').filter((id) => id !== ''));
  }

  private async readTargeted(workerIds: readonly string[]): Promise<HrRead> {
    const ids = [...new Set(workerIds)].filter((id) => id !== '' && !/[,;]/.test(id)).sort();
    return this.snapshot(await this.rowsOf(ids), `targeted:${ids.join(',')}`, true);
  }

  private snapshot(rows: readonly AfasRow[], cursor: string, partial: boolean): HrSnapshotRead {
    const ctx = {
      source: this.options.source,
      today: hrToday(this.options.clock.now()),
      fields: this.fields,
      employeeTypes: this.options.employeeTypes ?? DEFAULT_EMPLOYEE_TYPES,
    };
    const { records, locations, rowIssues } = rowsToRecords(rows, ctx);
    return { kind: 'snapshot', records, locations, rowIssues, cursor, ...(partial ? { partial: true } : {}) };
  }

  /** Fails the read naming the fields hr2ad needs that the GetConnector lacks (GetConnectors are customer-defined). */
  private async checkFields(): Promise<void> {
    const path = `/metainfo/get/${encodeURIComponent(this.options.connectorId)}`;
    const body = await this.http.getJson(path);
    if (!isJsonObject(body) || !Array.isArray(body.fields)) throw this.unexpected(path);
    const present = new Set(body.fields.map((field) => (isJsonObject(field) ? field.id : undefined)));
    const missing = REQUIRED_FIELDS.map((key) => this.fields[key]).filter((id) => !present.has(id));
    if (missing.length > 0)
      throw new Error(
        `${this.label}: GetConnector ${this.options.connectorId} lacks the fields ${missing.join(', ')} (see fields in the settings)`,
      );
  }

  /** The newest modified date in the GetConnector (local time, as AFAS writes it), or null without rows. */
  private async watermark(): Promise<string | null> {
    const body = await this.http.getJson(this.connectorPath, {
      skip: '0',
      take: '1',
      orderbyfieldids: `-${this.fields.modifiedAt}`,
    });
    const row = this.rowsIn(body)[0];
    if (row === undefined) return null;
    const stamp = afasTimestamp(row[this.fields.modifiedAt]);
    if (stamp === null) throw new Error(`${this.label}: the newest row's ${this.fields.modifiedAt} is not a date`);
    return stamp;
  }

  /** Every row of these employees, a batch of OR-ed id filters at a time. */
  private async rowsOf(ids: readonly string[]): Promise<AfasRow[]> {
    const rows: AfasRow[] = [];
    const field = this.fields.employeeId;
    for (const batch of idBatches(ids, field)) {
      rows.push(
        ...(await this.pages({
          filterfieldids: batch.map(() => field).join(';'),
          filtervalues: batch.join(';'),
          operatortypes: batch.map(() => OPERATOR.equals).join(';'),
        })),
      );
    }
    return rows;
  }

  /** The GetConnector's rows matching `filter`, page by page until a page is short; or only the first `onePage` rows. */
  private async pages(filter: Query, onePage?: number): Promise<AfasRow[]> {
    const rows: AfasRow[] = [];
    const order = `${this.fields.employeeId},${this.fields.functionStart}`;
    const take = onePage ?? this.pageSize;
    for (let skip = 0; ; skip += take) {
      const query = { ...filter, skip: String(skip), take: String(take), orderbyfieldids: order };
      const page = this.rowsIn(await this.http.getJson(this.connectorPath, query));
      rows.push(...page);
      if (onePage !== undefined || page.length < take) return rows;
    }
  }

  private rowsIn(body: unknown): AfasRow[] {
    if (!isJsonObject(body) || !Array.isArray(body.rows)) throw this.unexpected(this.connectorPath);
    return body.rows.filter(isJsonObject);
  }

  private logGone(ids: readonly string[], rows: readonly AfasRow[]): void {
    const found = new Set(rows.map((row) => text(row[this.fields.employeeId])));
    for (const id of ids) {
      if (!found.has(id))
        this.options.logger.info('AFAS employee no longer in the GetConnector; the worker is left as it is', {
          sourceId: this.id,
          employeeId: id,
        });
    }
  }

  private unexpected(what: string): Error {
    return new Error(`${this.label}: ${what} answered in an unexpected shape`);
  }
}

/** Ids in batches whose `;`-joined filter (field, value, operator each) stays under `MAX_FILTER_CHARS` once encoded. */
function idBatches(ids: readonly string[], field: string): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let size = 0;
  for (const id of ids) {
    const cost = encodeURIComponent(field).length + encodeURIComponent(id).length + 1 + 3 * '%3B'.length;
    if (batch.length > 0 && size + cost > MAX_FILTER_CHARS) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(id);
    size += cost;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** The production base URL of an AFAS environment (`12345` → `https://12345.rest.afas.online/ProfitRestServices`). */
export function afasBaseUrl(environment: string): string {
  return `https://${encodeURIComponent(environment)}.rest.afas.online/ProfitRestServices`;
}
