/**
 * A fake AFAS Profit for connector tests: a node:http server on 127.0.0.1 holding one in-memory company,
 * exposed through one GetConnector (`HR2AD_Medewerkers`: one row per employee and function period, the
 * employee's fields repeated on each row), served as AFAS documents GetConnector REST:
 *
 * - `GET /ProfitRestServices/connectors/{id}` with `skip` / `take` (default take 100; `-1`/`-1` for all),
 *   `orderbyfieldids` (comma-separated, `-` for descending; required when paging), and
 *   `filterfieldids` / `filtervalues` / `operatortypes` (comma = AND, semicolon = OR; the 15 operators);
 *   answers `{ skip, take, rows }`;
 * - `GET /ProfitRestServices/metainfo/get/{id}`: the GetConnector's fields and their data types.
 *
 * EVERY request is validated first: the `Authorization: AfasToken <base64>` header must decode to
 * `<token><version>1</version><data>64 hex</data></token>`; an unknown path or parameter, a filter whose
 * three lists do not line up, an unknown field or operator, a URL over 2,049 characters, paging without
 * an order… answers AFAS's error (500 with `{externalMessage, errorNumber, profitLogReference}`, 404 for an
 * unknown GetConnector or a long URL, 401 for a malformed token) and is recorded in `invalidRequests`, which
 * tests assert stays empty. A well-formed token that is not the environment's answers 401 (not recorded).
 *
 * AFAS publishes no rate limit but advises at most 5 simultaneous calls: a sixth concurrent request answers
 * 429 with Retry-After. Knobs: `throttle` (answer the Nth request with 503 — maintenance, `retry_after` in
 * the body and the header — or 429), `token` (change it to refuse the connector's), `defaultTake`, and the
 * company itself (`setField` writes any raw value, e.g. a malformed date). Dates are written as AFAS does:
 * `2026-06-15T00:00:00Z`, local time despite the `Z`. Every change stamps the employee's `Gewijzigd_op`
 * with the next second of a logical clock, so cursors depend on HR's data only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_CONNECTOR_ID = 'HR2AD_Medewerkers';

type Value = string | number | boolean | null;
type Fields = Record<string, Value>;
type DataType = 'string' | 'int' | 'date' | 'boolean';

/** The GetConnector's fields (HelloID names), with AFAS data types. */
export const FAKE_FIELDS: Readonly<Record<string, DataType>> = {
  Medewerker: 'string',
  Persoonsnummer: 'string',
  Voornaam: 'string',
  Roepnaam: 'string',
  Voorvoegsel: 'string',
  Achternaam: 'string',
  Email_werk: 'string',
  Telefoonnr_werk: 'string',
  Mobielnr_werk: 'string',
  Organisatorische_eenheid_code: 'string',
  Organisatorische_eenheid_omschrijving: 'string',
  Functie_code: 'string',
  Functie_omschrijving: 'string',
  Kostenplaats_code: 'string',
  Standplaats: 'string',
  Werkgever_code: 'string',
  Medewerkernummer_leidinggevende: 'string',
  Soort_medewerker: 'string',
  Begindatum_functie: 'date',
  Einddatum_functie: 'date',
  Datum_in_dienst: 'date',
  Datum_uit_dienst: 'date',
  Gewijzigd_op: 'date',
};

/** Fields of a function period; the rest are the employee's. */
const PERIOD_FIELDS = new Set([
  'Organisatorische_eenheid_code',
  'Organisatorische_eenheid_omschrijving',
  'Functie_code',
  'Functie_omschrijving',
  'Kostenplaats_code',
  'Standplaats',
  'Werkgever_code',
  'Medewerkernummer_leidinggevende',
  'Soort_medewerker',
]);

export interface FakeHire {
  readonly id: string;
  /** The employee's fields (Voornaam, Achternaam, Email_werk, Datum_in_dienst as YYYY-MM-DD…). */
  readonly person: Fields;
  /** The first function period: its start (YYYY-MM-DD) and fields (Functie_omschrijving, Standplaats…). */
  readonly start: string;
  readonly period: Fields;
}

interface Period {
  start: string;
  end: string | null;
  fields: Fields;
}

interface FakeEmployee {
  person: Fields;
  periods: Period[];
  modified: string;
}

export interface Throttle {
  /** The 1-based number of the request (counted from now) to refuse. */
  readonly onRequest: number;
  readonly status: 429 | 503;
  readonly retryAfterSeconds: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
}

export interface InvalidRequest extends RecordedRequest {
  readonly error: string;
}

const CHANGE_EPOCH = Date.parse('2026-01-01T09:00:00Z');
const MAX_URL_LENGTH = 2049;
const MAX_CONCURRENT = 5;
const PREFIX = '/ProfitRestServices';
const CONNECTOR_PARAMS = new Set([
  'skip',
  'take',
  'orderbyfieldids',
  'filterfieldids',
  'filtervalues',
  'operatortypes',
]);

/** A request AFAS would refuse: the status and message it answers with. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class FakeAfas {
  /** The App Connector token's data the environment accepts. */
  token = 'a1b2c3d4'.repeat(8).toUpperCase();
  /** `take` when a request gives none (AFAS: 100). */
  defaultTake = 100;
  readonly requests: RecordedRequest[] = [];
  readonly invalidRequests: InvalidRequest[] = [];
  /** Requests refused for being over the concurrency limit. */
  rateLimited = 0;
  private readonly employees = new Map<string, FakeEmployee>();
  private readonly throttles: { at: number; throttle: Throttle }[] = [];
  private changes = 0;
  private received = 0;
  private inFlight = 0;
  /** While set, requests wait on it before being answered (to hold several in flight at once). */
  private gate: Promise<void> | null = null;
  private inFlightWaiters: { count: number; resolve: () => void }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeAfas> {
    const server = createServer();
    const fake = new FakeAfas(server);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL the connector appends `/connectors/…` to. */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${PREFIX}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  get requestCount(): number {
    return this.requests.length;
  }

  /** Requests of the GetConnector's rows (not its metainfo). */
  get connectorRequests(): number {
    return this.requests.filter((r) => r.path.startsWith(`${PREFIX}/connectors/`)).length;
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  /** Holds every request until the returned function is called. */
  hold(): () => void {
    let release = () => {};
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  /** Resolves once `count` requests are in flight. */
  inFlightReaches(count: number): Promise<void> {
    if (this.inFlight >= count) return Promise.resolve();
    return new Promise((resolve) => this.inFlightWaiters.push({ count, resolve }));
  }

  throttle(throttle: Throttle): void {
    this.throttles.push({ at: this.received + throttle.onRequest, throttle });
  }

  /** The newest `Gewijzigd_op` stamped so far, as AFAS writes it. */
  get latestChange(): string {
    return this.stamp(this.changes);
  }

  hire(input: FakeHire): void {
    const employee = {
      person: { ...input.person },
      periods: [{ start: input.start, end: null, fields: { ...input.period } }],
      modified: '',
    };
    this.employees.set(input.id, employee);
    this.touch(employee);
  }

  /** A new function period from `start` (YYYY-MM-DD); the one before it ends the day before, as AFAS does. */
  addPeriod(id: string, start: string, fields: Fields): void {
    const employee = this.existing(id);
    const before = employee.periods.filter((p) => p.start < start).at(-1);
    if (!before) throw new Error(`fake AFAS: employee ${id} has no period before ${start}`);
    const after = employee.periods.find((p) => p.start > start);
    before.end = dayBefore(start);
    employee.periods.push({
      start,
      end: after ? dayBefore(after.start) : null,
      fields: { ...before.fields, ...fields },
    });
    employee.periods.sort((a, b) => a.start.localeCompare(b.start));
    this.touch(employee);
  }

  /** Employment ends after `lastDay` (Datum_uit_dienst, inclusive); the open period ends with it. */
  terminate(id: string, lastDay: string): void {
    const employee = this.existing(id);
    employee.person.Datum_uit_dienst = lastDay;
    const open = employee.periods.filter((p) => p.end === null || p.end > lastDay);
    for (const period of open) if (period.start <= lastDay) period.end = lastDay;
    this.touch(employee);
  }

  /** Writes a raw value into every row of the employee (a person field) or its periods (a period field). */
  setField(id: string, field: string, value: Value): void {
    const employee = this.existing(id);
    if (PERIOD_FIELDS.has(field)) for (const period of employee.periods) period.fields[field] = value;
    else employee.person[field] = value;
    this.touch(employee);
  }

  private existing(id: string): FakeEmployee {
    const employee = this.employees.get(id);
    if (!employee) throw new Error(`fake AFAS has no employee ${id}`);
    return employee;
  }

  private touch(employee: FakeEmployee): void {
    employee.modified = this.stamp(++this.changes);
  }

  /** The logical clock as AFAS writes timestamps: local time with a `Z`. */
  private stamp(n: number): string {
    return new Date(CHANGE_EPOCH + n * 1000).toISOString().replace('.000Z', 'Z');
  }

  /** The GetConnector's rows: one per employee and function period. */
  private rows(): Fields[] {
    return [...this.employees.entries()].flatMap(([id, e]) =>
      e.periods.map((period) => ({
        Medewerker: id,
        ...Object.fromEntries(Object.entries(e.person).map(([k, v]) => [k, asAfasValue(k, v)])),
        ...period.fields,
        Begindatum_functie: asAfasValue('Begindatum_functie', period.start),
        Einddatum_functie: asAfasValue('Einddatum_functie', period.end),
        Gewijzigd_op: e.modified,
      })),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.received++;
    const number = this.received;
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.search };
    this.inFlight++;
    for (const waiter of this.inFlightWaiters.filter((w) => w.count <= this.inFlight)) waiter.resolve();
    try {
      if (this.inFlight > MAX_CONCURRENT) {
        this.rateLimited++;
        return send(res, 429, afasError('Too many simultaneous requests'), { 'retry-after': '1' });
      }
      await (this.gate ?? new Promise((resolve) => setImmediate(resolve)));
      this.answer(req, url, recorded, number, res);
    } finally {
      this.inFlight--;
    }
  }

  private answer(req: IncomingMessage, url: URL, recorded: RecordedRequest, number: number, res: ServerResponse): void {
    try {
      this.validate(req, url);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.invalidRequests.push({ ...recorded, error: error.message });
      return send(res, error.status, afasError(error.message));
    }
    this.requests.push(recorded);
    const throttled = this.throttles.find((t) => t.at === number)?.throttle;
    if (throttled) {
      const body =
        throttled.status === 503
          ? { error: { message: 'Maintenance' }, retry_after: throttled.retryAfterSeconds }
          : afasError('Too many requests');
      return send(res, throttled.status, body, { 'retry-after': String(throttled.retryAfterSeconds) });
    }
    if (this.tokenData(req.headers.authorization) !== this.token) return send(res, 401, afasError('Unauthorized'));
    if (url.pathname.startsWith(`${PREFIX}/metainfo/`)) return send(res, 200, this.metainfo(FAKE_CONNECTOR_ID));
    send(res, 200, this.connectorPage(url.searchParams));
  }

  /** Throws a `Refusal` for anything AFAS would not accept as sent. */
  private validate(req: IncomingMessage, url: URL): void {
    if ((req.url ?? '').length > MAX_URL_LENGTH) throw new Refusal(404, 'URL too long');
    if (req.method !== 'GET') throw new Refusal(500, `method ${req.method} not allowed`);
    if (this.tokenData(req.headers.authorization) === null) throw new Refusal(401, 'malformed AfasToken header');
    const parts = url.pathname.split('/');
    const route = parts.slice(0, -1).join('/');
    const id = decodeURIComponent(parts.at(-1) ?? '');
    if (route !== `${PREFIX}/connectors` && route !== `${PREFIX}/metainfo/get`)
      throw new Refusal(500, `no such route ${url.pathname}`);
    if (id !== FAKE_CONNECTOR_ID) throw new Refusal(404, `unknown GetConnector ${id}`);
    if (route === `${PREFIX}/metainfo/get`) {
      if (url.search !== '') throw new Refusal(500, 'metainfo takes no parameters');
      return;
    }
    validateConnectorQuery(url.searchParams);
  }

  /** The token's data when the header is a well-formed AfasToken, else null. */
  private tokenData(header: string | undefined): string | null {
    const match = /^AfasToken ([A-Za-z0-9+/]+=*)$/.exec(header ?? '');
    if (!match) return null;
    const xml = Buffer.from(match[1]!, 'base64').toString('utf8');
    return /^<token><version>1<\/version><data>([0-9A-Fa-f]{64})<\/data><\/token>$/.exec(xml)?.[1] ?? null;
  }

  private metainfo(id: string) {
    const fields = Object.entries(FAKE_FIELDS).map(([fieldId, dataType]) => ({
      id: fieldId,
      fieldId: `U${fieldId.length}`,
      dataType,
      label: fieldId.replace(/_/g, ' '),
      length: dataType === 'string' ? 255 : 0,
      controlType: dataType === 'date' ? 4 : 1,
      decimals: 0,
      decimalsFieldId: '',
    }));
    return { name: id, description: 'Medewerkers met functies (alle perioden)', fields };
  }

  private connectorPage(params: URLSearchParams) {
    const skip = Number(params.get('skip') ?? 0);
    const take = Number(params.get('take') ?? this.defaultTake);
    const filter = parseFilter(params);
    const rows = this.rows().filter((row) => matches(row, filter));
    const order = params.get('orderbyfieldids');
    if (order) rows.sort(comparator(order));
    const page = skip === -1 ? rows : rows.slice(skip, skip + take);
    return { skip, take, rows: page };
  }
}

/** Date fields as AFAS writes them: `YYYY-MM-DDT00:00:00Z` (local time). */
function asAfasValue(field: string, value: Value): Value {
  if (FAKE_FIELDS[field] === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))
    return `${value}T00:00:00Z`;
  return value;
}

function afasError(message: string) {
  return { externalMessage: message, errorNumber: -2147180999, profitLogReference: '3A4C0D2E9F' };
}

interface Condition {
  readonly field: string;
  readonly value: string;
  readonly operator: number;
}
/** OR of ANDs. */
type Filter = readonly (readonly Condition[])[];

function validateConnectorQuery(params: URLSearchParams): void {
  for (const key of params.keys()) {
    if (!CONNECTOR_PARAMS.has(key)) throw new Refusal(500, `unknown parameter ${key}`);
    if (params.getAll(key).length > 1) throw new Refusal(500, `parameter ${key} given twice`);
  }
  const skip = params.get('skip');
  const take = params.get('take');
  for (const [name, value] of [
    ['skip', skip],
    ['take', take],
  ] as const) {
    if (value !== null && !/^(-1|\d+)$/.test(value)) throw new Refusal(500, `${name} must be a whole number`);
  }
  if ((skip === '-1') !== (take === '-1')) throw new Refusal(500, 'skip=-1 goes with take=-1');
  if (take === '0') throw new Refusal(500, 'take must be positive');
  const order = params.get('orderbyfieldids');
  if ((skip !== null || take !== null) && !order) throw new Refusal(500, 'paging needs orderbyfieldids');
  for (const field of order?.split(',') ?? []) knownField(field.replace(/^-/, ''));
  parseFilter(params);
}

function knownField(field: string): void {
  if (!(field in FAKE_FIELDS)) throw new Refusal(500, `unknown field ${field}`);
}

/** The filter as AFAS reads it: `;` separates OR groups, `,` AND conditions; the three lists must line up. */
function parseFilter(params: URLSearchParams): Filter {
  const fields = params.get('filterfieldids');
  const values = params.get('filtervalues');
  const operators = params.get('operatortypes');
  if (fields === null && values === null && operators === null) return [];
  if (fields === null || values === null || operators === null)
    throw new Refusal(500, 'filterfieldids, filtervalues and operatortypes go together');
  const [f, v, o] = [fields, values, operators].map((list) => list.split(';').map((group) => group.split(',')));
  if (f!.length !== v!.length || f!.length !== o!.length) throw new Refusal(500, 'filter groups do not line up');
  return f!.map((group, g) => {
    if (group.length !== v![g]!.length || group.length !== o![g]!.length)
      throw new Refusal(500, 'filter conditions do not line up');
    return group.map((field, c) => {
      knownField(field);
      const operator = Number(o![g]![c]);
      if (!Number.isInteger(operator) || operator < 1 || operator > 15)
        throw new Refusal(500, `unknown operator ${o![g]![c]}`);
      return { field, value: v![g]![c]!, operator };
    });
  });
}

function matches(row: Fields, filter: Filter): boolean {
  return filter.length === 0 || filter.some((group) => group.every((condition) => holds(row, condition)));
}

/** A date or timestamp as a comparable local `YYYY-MM-DDTHH:mm:ss`. */
function localStamp(value: string): string {
  const bare = value.replace(/Z$/, '').replace(/\.\d+$/, '');
  return bare.length === 10 ? `${bare}T00:00:00` : bare;
}

function comparable(field: string, value: Value): string | number | null {
  if (value === null || value === '') return null;
  if (FAKE_FIELDS[field] === 'date') return localStamp(String(value));
  if (FAKE_FIELDS[field] === 'int') return Number(value);
  return String(value).toLowerCase();
}

function holds(row: Fields, { field, value, operator }: Condition): boolean {
  const raw = row[field] ?? null;
  if (operator === 8) return raw === null || raw === '';
  if (operator === 9) return !(raw === null || raw === '');
  if (operator === 15)
    return Object.values(row).some((v) =>
      String(v ?? '')
        .toLowerCase()
        .includes(value.toLowerCase()),
    );
  const actual = comparable(field, raw);
  const wanted = comparable(field, value);
  if (actual === null || wanted === null) return operator === 7 && actual !== wanted;
  const text = String(actual);
  const needle = String(wanted);
  switch (operator) {
    case 1:
      return actual === wanted;
    case 2:
      return actual >= wanted;
    case 3:
      return actual <= wanted;
    case 4:
      return actual > wanted;
    case 5:
      return actual < wanted;
    case 6:
      return text.includes(needle);
    case 7:
      return actual !== wanted;
    case 10:
      return text.startsWith(needle);
    case 11:
      return !text.includes(needle);
    case 12:
      return !text.startsWith(needle);
    case 13:
      return text.endsWith(needle);
    default:
      return !text.endsWith(needle);
  }
}

function comparator(order: string) {
  const keys = order.split(',').map((key) => ({ field: key.replace(/^-/, ''), descending: key.startsWith('-') }));
  return (a: Fields, b: Fields): number => {
    for (const { field, descending } of keys) {
      const x = comparable(field, a[field] ?? null);
      const y = comparable(field, b[field] ?? null);
      const order = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  };
}

function dayBefore(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
