/**
 * A fake SuccessFactors Employee Central for connector tests: a node:http server on 127.0.0.1 holding one
 * in-memory company and serving, as SAP documents them:
 *
 * - `GET /odata/v2/<EntitySet>` for PerPerson, PerPersonal, PerEmail, PerPhone, EmpEmployment, EmpJob,
 *   User, PersonEmpTerminationInfo, FODepartment, FOLocation, FOCostCenter, FOCompany and PicklistOption,
 *   in OData v2 JSON (`{ d: { results, __next } }`, `__metadata`, `/Date(ms)/` dates, deferred navigation
 *   properties unless expanded);
 * - `POST /oauth/token` (SAML 2.0 bearer: the signed assertion is verified against the registered
 *   certificate's public key) and HTTP Basic `user@company:password`.
 *
 * EVERY request is validated as OData v2 the way SuccessFactors accepts it: only the entity sets above;
 * only the query options `$select $expand $filter $orderby $top $skip $skiptoken customPageSize paging
 * asOfDate fromDate toDate $format`; `$format=json` (the fake speaks no Atom); `asOfDate` never with
 * `fromDate`/`toDate`; dates `YYYY-MM-DD`; a `$filter` that parses (`odata-filter.ts`); every property and
 * navigation path in `$select`, `$expand`, `$filter` and `$orderby` existing on the entity. Anything else
 * answers 400 with SAP's error body and is recorded in `invalidRequests`, which tests assert stays empty.
 *
 * Effective dating as SuccessFactors does it: PerPersonal and EmpJob are sliced (a slice ends the day
 * before the next one starts); without date options every level is as of `today`; `asOfDate` applies to
 * all levels; `fromDate`/`toDate` range-filter only the top-level entity set (expanded navigation stays as
 * of today). Server paging: `customPageSize` (capped at `maxPageSize`, 1,000 as SuccessFactors), `__next`
 * with an opaque `$skiptoken`.
 *
 * Knobs: `throttle` (answer the Nth OData request with 429 or 503 and Retry-After; SAP's API rate limiting
 * is announced but postponed, so nothing is throttled unless asked), `refuseCredentials` (401 on the API
 * and on the token endpoint), `expireTokens` (issued tokens stop working: the API answers 401 with LGN0006),
 * `maxPageSize`, `tokenLifetimeSeconds`, `corrupt` (a property of one person's entity answers a malformed
 * value). Every change stamps the changed rows with the next `lastModifiedDateTime` of a logical clock (one
 * second per change), so cursors depend on the company's data only.
 */
import { createHash, createVerify, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FilterError, evaluateFilter, filterPaths, parseFilter, type FilterNode } from './odata-filter';
import { ENTITY_MODEL, entityOf, type EntityModel } from './successfactors-model';

const CHANGE_EPOCH = Date.parse('2026-01-01T00:00:00Z');
const END_OF_TIME = '9999-12-31';
const QUERY_OPTIONS: ReadonlySet<string> = new Set([
  '$select',
  '$expand',
  '$filter',
  '$orderby',
  '$top',
  '$skip',
  '$skiptoken',
  'customPageSize',
  'paging',
  'asOfDate',
  'fromDate',
  'toDate',
  '$format',
]);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface FakeJob {
  /** First day the slice is in effect (`YYYY-MM-DD`). */
  readonly start: string;
  readonly title: string;
  readonly department: string;
  readonly location: string;
  readonly costCenter?: string;
  readonly company?: string;
  /** The manager's `userId`, or null (`NO_MANAGER`). */
  readonly managerUserId: string | null;
  /** `emplStatusNav.externalCode`: A, U, P, T… */
  readonly status: string;
  readonly employeeClass?: string;
}

export interface FakePersonInput {
  readonly personIdExternal: string;
  readonly userId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly hireDate: string;
  readonly job: Omit<FakeJob, 'start'>;
}

interface Stamped<T> {
  value: T;
  modified: number;
}

interface PersonState {
  personIdExternal: string;
  userId: string;
  person: Stamped<null>;
  personal: Stamped<{ start: string; firstName: string; lastName: string; preferredName: string | null }>[];
  emails: Stamped<{ address: string; primary: boolean }>[];
  employment: Stamped<{ start: string; end: string | null; contingent: boolean }>;
  jobs: Stamped<FakeJob & { seq: number }>[];
  user: Stamped<{ username: string; status: string }>;
  /** `Entity.property` → the raw value answered instead (the malformed-record knob). */
  corrupt: Map<string, unknown>;
}

export interface Throttle {
  /** The 1-based number of the OData request (counted from now) to refuse. */
  readonly onRequest: number;
  readonly status: 429 | 503;
  readonly retryAfter: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  /** The entity set read (`PerPerson`), or `oauth/token`. */
  readonly entity: string;
}

export interface InvalidRequest extends RecordedRequest {
  readonly error: string;
}

/** One row being answered: its entity, its properties and how to follow its navigation properties. */
interface Node {
  readonly entity: string;
  readonly key: string;
  readonly props: Record<string, unknown>;
  nav(name: string): Node[] | Node | null;
}

interface DateContext {
  /** Navigation (and non-ranged top levels) as of this day. */
  readonly asOf: string;
  /** Top level only: slices overlapping [from, to]. */
  readonly range: { from: string; to: string } | null;
}

class BadRequest extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const odataDate = (day: string) => `/Date(${Date.parse(`${day}T00:00:00Z`)})/`;
const odataDateTime = (ms: number) => `/Date(${ms}+0000)/`;

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Slices with their end dates: each ends the day before the next starts. */
function withEnds<T extends { start: string }>(slices: readonly Stamped<T>[]): { slice: Stamped<T>; end: string }[] {
  const sorted = [...slices].sort((a, b) => a.value.start.localeCompare(b.value.start));
  return sorted.map((slice, i) => ({
    slice,
    end: sorted[i + 1] ? dayBefore(sorted[i + 1]!.value.start) : END_OF_TIME,
  }));
}

function inEffect(start: string, end: string, ctx: DateContext, topLevel: boolean): boolean {
  if (topLevel && ctx.range) return start <= ctx.range.to && end >= ctx.range.from;
  return start <= ctx.asOf && end >= ctx.asOf;
}

export interface FakeSuccessFactorsOptions {
  readonly companyId: string;
  readonly clientId: string;
  /** The API user the SAML assertion names. */
  readonly apiUserId: string;
  /** The registered certificate's public key. */
  readonly publicKey: KeyObject | string;
  /** Basic auth: `username@companyId` with this password. */
  readonly username: string;
  readonly password: string;
}

export class FakeSuccessFactors {
  today = '2026-06-01';
  maxPageSize = 1000;
  tokenLifetimeSeconds = 86_400;
  refuseCredentials = false;
  readonly requests: RecordedRequest[] = [];
  readonly invalidRequests: InvalidRequest[] = [];
  /** Token requests answered, refused ones included. */
  tokenRequests = 0;
  private readonly persons = new Map<string, PersonState>();
  private readonly byUserId = new Map<string, PersonState>();
  /** Persons in key order, kept between requests (sorting 10,000 per page would dominate a benchmark). */
  private sorted: PersonState[] | null = null;
  private readonly tokens = new Set<string>();
  private readonly throttles: { at: number; throttle: Throttle }[] = [];
  private odataReceived = 0;
  private changes = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeSuccessFactorsOptions,
  ) {}

  static async start(options: FakeSuccessFactorsOptions): Promise<FakeSuccessFactors> {
    const server = createServer();
    const fake = new FakeSuccessFactors(server, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The API server URL (`/odata/v2/…` and `/oauth/token` are under it). */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  resetRequests(): void {
    this.requests.length = 0;
    this.tokenRequests = 0;
  }

  throttle(throttle: Throttle): void {
    this.throttles.push({ at: this.odataReceived + throttle.onRequest, throttle });
  }

  /** Issued tokens stop working (as when SuccessFactors expires one early). */
  expireTokens(): void {
    this.tokens.clear();
  }

  // --- the company -------------------------------------------------------------------------------

  hire(input: FakePersonInput): void {
    const stamp = this.nextStamp();
    const s = <T>(value: T): Stamped<T> => ({ value, modified: stamp });
    const state: PersonState = {
      personIdExternal: input.personIdExternal,
      userId: input.userId,
      person: s(null),
      personal: [
        s({ start: input.hireDate, firstName: input.firstName, lastName: input.lastName, preferredName: null }),
      ],
      emails: [s({ address: input.email, primary: true })],
      employment: s({ start: input.hireDate, end: null, contingent: false }),
      jobs: [s({ ...input.job, start: input.hireDate, seq: 1 })],
      user: s({ username: input.userId.toUpperCase(), status: 't' }),
      corrupt: new Map(),
    };
    this.persons.set(input.personIdExternal, state);
    this.byUserId.set(input.userId, state);
    this.sorted = null;
  }

  /** A new EmpJob slice from `job.start` (replacing one that starts the same day). */
  addJob(personIdExternal: string, job: FakeJob): void {
    const person = this.existing(personIdExternal);
    const same = person.jobs.filter((j) => j.value.start === job.start);
    person.jobs = person.jobs.filter((j) => j.value.start !== job.start);
    person.jobs.push({ value: { ...job, seq: same.length + 1 }, modified: this.nextStamp() });
  }

  /** The job slice in effect on `day` (the last starting on or before it). */
  jobOn(personIdExternal: string, day: string): FakeJob {
    const slices = withEnds(this.existing(personIdExternal).jobs);
    const found = slices.filter(({ slice }) => slice.value.start <= day).at(-1) ?? slices[0];
    if (!found) throw new Error(`fake SuccessFactors: ${personIdExternal} has no job`);
    return found.slice.value;
  }

  /** Ends the employment: `lastDay` is SuccessFactors' termination date; status T from the day after. */
  terminate(personIdExternal: string, lastDay: string): void {
    const person = this.existing(personIdExternal);
    person.employment = { value: { ...person.employment.value, end: lastDay }, modified: this.nextStamp() };
    const start = new Date(Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    this.addJob(personIdExternal, { ...this.jobOn(personIdExternal, lastDay), start, status: 'T' });
  }

  setEmail(personIdExternal: string, address: string): void {
    const person = this.existing(personIdExternal);
    person.emails = [{ value: { address, primary: true }, modified: this.nextStamp() }];
  }

  /** Answers `value` for `Entity.property` of this person from now on (e.g. `PerPersonal.firstName`). */
  corrupt(personIdExternal: string, field: string, value: unknown): void {
    const person = this.existing(personIdExternal);
    person.corrupt.set(field, value);
    const stamp = this.nextStamp();
    if (field.startsWith('PerPersonal.')) person.personal.forEach((p) => (p.modified = stamp));
    else if (field.startsWith('EmpJob.')) person.jobs.forEach((j) => (j.modified = stamp));
    else if (field.startsWith('EmpEmployment.')) person.employment.modified = stamp;
    else person.person.modified = stamp;
  }

  private existing(personIdExternal: string): PersonState {
    const person = this.persons.get(personIdExternal);
    if (!person) throw new Error(`fake SuccessFactors has no person ${personIdExternal}`);
    return person;
  }

  private nextStamp(): number {
    return CHANGE_EPOCH + ++this.changes * 1000;
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    if (url.pathname === '/oauth/token') return this.handleToken(req, res, url);
    const entity = url.pathname.startsWith('/odata/v2/') ? url.pathname.slice('/odata/v2/'.length) : '';
    const recorded = { method, path: url.pathname, query: url.search, entity };
    this.odataReceived++;
    const number = this.odataReceived;
    let answer: { status: number; body: unknown };
    try {
      if (method !== 'GET') throw new BadRequest('COE_METHOD_NOT_ALLOWED', `method ${method} is not supported here`);
      const model = entityOf(entity);
      if (!model)
        throw new BadRequest('COE_ENTITY_NOT_FOUND', `[COE0007]invalid entity (or function) name: ${entity} `);
      answer = { status: 200, body: this.query(model, url) };
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      this.invalidRequests.push({ ...recorded, error: error.message });
      return sendError(res, 400, error.code, error.message);
    }
    this.requests.push(recorded);
    const throttled = this.throttles.find((t) => t.at === number);
    if (throttled)
      return sendError(res, throttled.throttle.status, 'COE_GENERAL_SERVER_FAILURE', 'try again later', {
        'retry-after': throttled.throttle.retryAfter,
      });
    const refusal = this.refusal(req.headers.authorization);
    if (refusal) return sendError(res, 401, refusal.code, refusal.message);
    send(res, answer.status, answer.body);
  }

  private refusal(header: string | undefined): { code: string; message: string } | null {
    const failed = {
      code: 'LGN0004',
      message: 'Authentication failed. You have entered an incorrect username or password (status code = 4).',
    };
    if (this.refuseCredentials || !header) return failed;
    if (header.startsWith('Bearer '))
      return this.tokens.has(header.slice(7)) ? null : { code: 'LGN0006', message: 'INTERNAL_TOKEN_EXPIRED' };
    if (!header.startsWith('Basic ')) return failed;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const expected = `${this.options.username}@${this.options.companyId}:${this.options.password}`;
    return decoded === expected ? null : failed;
  }

  private async handleToken(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.search, entity: 'oauth/token' };
    const body = await readBody(req);
    const form = new URLSearchParams(body);
    const problem = this.tokenRequestProblem(req, url, form);
    if (problem) {
      this.invalidRequests.push({ ...recorded, error: problem });
      return send(res, 400, { error: 'invalid_request', error_description: problem });
    }
    this.requests.push(recorded);
    this.tokenRequests++;
    if (this.refuseCredentials || !this.assertionValid(form.get('assertion') ?? ''))
      return send(res, 401, { error: 'invalid_grant', error_description: 'the assertion was not accepted' });
    const token = randomUUID().replace(/-/g, '');
    this.tokens.add(token);
    send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds });
  }

  private tokenRequestProblem(req: IncomingMessage, url: URL, form: URLSearchParams): string | null {
    if (req.method !== 'POST') return `${req.method} /oauth/token: only POST`;
    if (url.search !== '') return '/oauth/token takes its fields in the body, not the query';
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return 'the body must be application/x-www-form-urlencoded';
    const fields = [...form.keys()].sort().join(',');
    if (fields !== 'assertion,client_id,company_id,grant_type') return `unexpected form fields ${fields}`;
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:saml2-bearer') return 'unsupported grant_type';
    if (form.get('company_id') !== this.options.companyId) return 'unknown company_id';
    if (form.get('client_id') !== this.options.clientId) return 'unknown client_id';
    return null;
  }

  /** The assertion's digest and RSA-SHA256 signature, its API key, subject, audience and recipient. */
  private assertionValid(encoded: string): boolean {
    const xml = Buffer.from(encoded, 'base64').toString('utf8');
    const signature =
      /<ds:Signature xmlns:ds="[^"]+">(<ds:SignedInfo[\s\S]*<\/ds:SignedInfo>)<ds:SignatureValue>([^<]+)<\/ds:SignatureValue><\/ds:Signature>/.exec(
        xml,
      );
    if (!signature) return false;
    const [whole, signedInfo, signatureValue] = signature;
    const digest = /<ds:DigestValue>([^<]+)<\/ds:DigestValue>/.exec(signedInfo!)?.[1];
    const unsigned = xml.replace(whole, '');
    if (createHash('sha256').update(unsigned).digest('base64') !== digest) return false;
    if (!createVerify('RSA-SHA256').update(signedInfo!).verify(this.options.publicKey, signatureValue!, 'base64'))
      return false;
    const has = (fragment: string) => xml.includes(fragment);
    return (
      has(`<saml2:AttributeValue>${this.options.clientId}</saml2:AttributeValue>`) &&
      has(`>${this.options.apiUserId}</saml2:NameID>`) &&
      has('<saml2:Audience>www.successfactors.com</saml2:Audience>') &&
      has(`Recipient="${this.baseUrl}/oauth/token"`)
    );
  }

  // --- OData --------------------------------------------------------------------------------------

  private query(model: EntityModel, url: URL): { d: { results: unknown[]; __next?: string } } {
    const params = url.searchParams;
    for (const key of new Set(params.keys())) {
      if (!QUERY_OPTIONS.has(key)) throw new BadRequest('COE_BAD_REQUEST', `unknown query option ${key}`);
      if (params.getAll(key).length > 1) throw new BadRequest('COE_BAD_REQUEST', `query option ${key} given twice`);
    }
    const format = params.get('$format');
    if (format !== 'json') throw new BadRequest('COE_BAD_REQUEST', '$format must be json');
    const ctx = this.dateContext(params);
    const expand = this.paths(model, params.get('$expand'), 'navigation');
    const select = this.paths(model, params.get('$select'), 'any');
    const filter = this.filterOf(model, params.get('$filter'));
    const orderby = this.orderBy(model, params.get('$orderby'));
    const pageSize = this.positive(params, 'customPageSize') ?? this.maxPageSize;
    const top = this.positive(params, '$top');
    const skip = this.positive(params, '$skip') ?? 0;
    const paging = params.get('paging');
    if (paging !== null && paging !== 'snapshot' && paging !== 'cursor')
      throw new BadRequest('COE_BAD_REQUEST', 'paging must be snapshot or cursor');
    let rows = this.topLevel(model, ctx).filter(
      (node) => !filter || evaluateFilter(filter, (path) => valuesAt(node, path)),
    );
    rows = sortRows(rows, orderby);
    rows = rows.slice(skip, top === null ? undefined : skip + top);
    const offset = this.skipToken(params.get('$skiptoken'));
    const limit = Math.min(pageSize, this.maxPageSize);
    const page = rows.slice(offset, offset + limit);
    const results = page.map((node) => this.render(node, expand, select));
    if (offset + limit >= rows.length) return { d: { results } };
    const next = new URLSearchParams(params);
    next.set('$skiptoken', Buffer.from(JSON.stringify({ startRow: offset + limit })).toString('base64url'));
    return { d: { results, __next: `${this.baseUrl}/odata/v2/${model.name}?${next.toString()}` } };
  }

  private dateContext(params: URLSearchParams): DateContext {
    const asOf = params.get('asOfDate');
    const from = params.get('fromDate');
    const to = params.get('toDate');
    for (const [name, value] of [
      ['asOfDate', asOf],
      ['fromDate', from],
      ['toDate', to],
    ] as const)
      if (value !== null && (!DAY.test(value) || Number.isNaN(Date.parse(value))))
        throw new BadRequest('COE_BAD_REQUEST', `${name} must be a date yyyy-MM-dd`);
    if (asOf !== null && (from !== null || to !== null))
      throw new BadRequest('COE_BAD_REQUEST', 'asOfDate cannot be combined with fromDate or toDate');
    if (asOf !== null) return { asOf, range: null };
    if (from === null && to === null) return { asOf: this.today, range: null };
    return { asOf: this.today, range: { from: from ?? '1900-01-01', to: to ?? END_OF_TIME } };
  }

  private positive(params: URLSearchParams, name: string): number | null {
    const raw = params.get(name);
    if (raw === null) return null;
    if (!/^\d+$/.test(raw) || (name === 'customPageSize' && Number(raw) === 0))
      throw new BadRequest('COE_BAD_REQUEST', `${name} must be a positive integer`);
    return Number(raw);
  }

  private skipToken(raw: string | null): number {
    if (raw === null) return 0;
    try {
      const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { startRow?: unknown };
      if (typeof parsed.startRow === 'number') return parsed.startRow;
    } catch {
      // reported below
    }
    throw new BadRequest('COE_BAD_REQUEST', 'invalid $skiptoken');
  }

  /** Comma-separated paths, each checked against the model (`navigation`: every segment a navigation). */
  private paths(model: EntityModel, raw: string | null, kind: 'navigation' | 'any'): string[][] {
    if (raw === null) return [];
    return raw.split(',').map((item) => {
      const path = item.trim().split('/');
      checkPath(model, path, kind === 'navigation');
      return path;
    });
  }

  private filterOf(model: EntityModel, raw: string | null): FilterNode | null {
    if (raw === null) return null;
    try {
      const node = parseFilter(raw);
      for (const path of filterPaths(node)) checkPath(model, path, false);
      return node;
    } catch (error) {
      if (error instanceof FilterError) throw new BadRequest('COE_BAD_REQUEST', `invalid $filter: ${error.message}`);
      throw error;
    }
  }

  private orderBy(model: EntityModel, raw: string | null): { path: string[]; desc: boolean }[] {
    if (raw === null) return [];
    return raw.split(',').map((item) => {
      const [name, direction, ...rest] = item.trim().split(/\s+/);
      if (rest.length > 0 || (direction !== undefined && direction !== 'asc' && direction !== 'desc'))
        throw new BadRequest('COE_BAD_REQUEST', `invalid $orderby item "${item}"`);
      const path = (name ?? '').split('/');
      checkPath(model, path, false);
      return { path, desc: direction === 'desc' };
    });
  }

  private render(node: Node, expand: readonly string[][], select: readonly string[][]): Record<string, unknown> {
    const uri = `${this.baseUrl}/odata/v2/${node.entity}(${node.key})`;
    const out: Record<string, unknown> = { __metadata: { uri, type: `SFOData.${node.entity}` } };
    const selected = new Set(select.map((path) => path[0]!));
    const model = ENTITY_MODEL[node.entity]!;
    for (const [name, value] of Object.entries(node.props))
      if (selected.size === 0 || selected.has(name)) out[name] = value;
    for (const name of Object.keys(model.navigation)) {
      if (selected.size > 0 && !selected.has(name)) continue;
      const deeper = expand.filter((path) => path[0] === name).map((path) => path.slice(1));
      if (deeper.length === 0) {
        out[name] = { __deferred: { uri: `${uri}/${name}` } };
        continue;
      }
      const nested = deeper.filter((path) => path.length > 0);
      const target = node.nav(name);
      if (Array.isArray(target)) out[name] = { results: target.map((t) => this.render(t, nested, [])) };
      else out[name] = target === null ? null : this.render(target, nested, []);
    }
    return out;
  }

  // --- rows ---------------------------------------------------------------------------------------

  private topLevel(model: EntityModel, ctx: DateContext): Node[] {
    this.sorted ??= [...this.persons.values()].sort((a, b) =>
      a.personIdExternal.localeCompare(b.personIdExternal, 'en', { numeric: true }),
    );
    const people = this.sorted;
    switch (model.name) {
      case 'PerPerson':
        return people.map((p) => this.perPerson(p, ctx));
      case 'PerPersonal':
        return people.flatMap((p) => this.personal(p, ctx, true));
      case 'PerEmail':
        return people.flatMap((p) => this.emails(p));
      case 'PerPhone':
        return [];
      case 'EmpEmployment':
        return people.map((p) => this.employment(p, ctx));
      case 'EmpJob':
        return people.flatMap((p) => this.jobs(p, ctx, true));
      case 'User':
        return people.map((p) => this.user(p, ctx));
      case 'PersonEmpTerminationInfo':
        return people.map((p) => this.terminationInfo(p));
      default:
        return this.foundationObjects(model.name);
    }
  }

  private withCorrupt(person: PersonState, entity: string, props: Record<string, unknown>): Record<string, unknown> {
    for (const [field, value] of person.corrupt) {
      const [target, property] = field.split('.');
      if (target === entity && property) props[property] = value;
    }
    return props;
  }

  private perPerson(p: PersonState, ctx: DateContext): Node {
    const props = this.withCorrupt(p, 'PerPerson', {
      personIdExternal: p.personIdExternal,
      personId: String(1000 + Number.parseInt(p.personIdExternal, 10) || 0),
      createdDateTime: odataDateTime(p.person.modified),
      lastModifiedDateTime: odataDateTime(p.person.modified),
    });
    const nav = { asOf: ctx.asOf, range: null };
    return {
      entity: 'PerPerson',
      key: `'${p.personIdExternal}'`,
      props,
      nav: (name) => {
        if (name === 'personalInfoNav') return this.personal(p, nav, false);
        if (name === 'emailNav') return this.emails(p);
        if (name === 'phoneNav') return [];
        if (name === 'employmentNav') return [this.employment(p, nav)];
        if (name === 'personEmpTerminationInfoNav') return this.terminationInfo(p);
        return null;
      },
    };
  }

  private personal(p: PersonState, ctx: DateContext, topLevel: boolean): Node[] {
    return withEnds(p.personal)
      .filter(({ slice, end }) => inEffect(slice.value.start, end, ctx, topLevel))
      .map(({ slice, end }) => ({
        entity: 'PerPersonal',
        key: `personIdExternal='${p.personIdExternal}',startDate=datetime'${slice.value.start}T00:00:00'`,
        props: this.withCorrupt(p, 'PerPersonal', {
          personIdExternal: p.personIdExternal,
          startDate: odataDate(slice.value.start),
          endDate: odataDate(end),
          firstName: slice.value.firstName,
          lastName: slice.value.lastName,
          middleName: null,
          preferredName: slice.value.preferredName,
          displayName: `${slice.value.firstName} ${slice.value.lastName}`,
          createdDateTime: odataDateTime(slice.modified),
          lastModifiedDateTime: odataDateTime(slice.modified),
        }),
        nav: () => null,
      }));
  }

  private emails(p: PersonState): Node[] {
    return p.emails.map((email) => ({
      entity: 'PerEmail',
      key: `emailType='8448',personIdExternal='${p.personIdExternal}'`,
      props: {
        personIdExternal: p.personIdExternal,
        emailType: '8448',
        emailAddress: email.value.address,
        isPrimary: email.value.primary,
        createdDateTime: odataDateTime(email.modified),
        lastModifiedDateTime: odataDateTime(email.modified),
      },
      nav: () => null,
    }));
  }

  private employment(p: PersonState, ctx: DateContext): Node {
    const { value, modified } = p.employment;
    const nav = { asOf: ctx.asOf, range: null };
    return {
      entity: 'EmpEmployment',
      key: `personIdExternal='${p.personIdExternal}',userId='${p.userId}'`,
      props: this.withCorrupt(p, 'EmpEmployment', {
        personIdExternal: p.personIdExternal,
        userId: p.userId,
        startDate: odataDate(value.start),
        endDate: value.end === null ? null : odataDate(value.end),
        originalStartDate: odataDate(value.start),
        isContingentWorker: value.contingent,
        createdDateTime: odataDateTime(modified),
        lastModifiedDateTime: odataDateTime(modified),
      }),
      nav: (name) => {
        if (name === 'jobInfoNav') return this.jobs(p, nav, false);
        if (name === 'userNav') return this.user(p, nav);
        if (name === 'personNav') return this.perPerson(p, nav);
        return null;
      },
    };
  }

  private jobs(p: PersonState, ctx: DateContext, topLevel: boolean): Node[] {
    return withEnds(p.jobs)
      .filter(({ slice, end }) => inEffect(slice.value.start, end, ctx, topLevel))
      .map(({ slice, end }) => this.job(p, slice, end));
  }

  private job(p: PersonState, slice: Stamped<FakeJob & { seq: number }>, end: string): Node {
    const job = slice.value;
    const code = (name: string) =>
      name
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .slice(0, 10);
    const manager = job.managerUserId === null ? undefined : this.byUserId.get(job.managerUserId);
    return {
      entity: 'EmpJob',
      key: `seqNumber=${job.seq}L,startDate=datetime'${job.start}T00:00:00',userId='${p.userId}'`,
      props: this.withCorrupt(p, 'EmpJob', {
        userId: p.userId,
        seqNumber: String(job.seq),
        startDate: odataDate(job.start),
        endDate: odataDate(end),
        jobTitle: job.title,
        department: code(job.department),
        division: 'PROD',
        company: job.company ?? 'NL01',
        location: code(job.location),
        costCenter: job.costCenter ?? 'CC4130',
        managerId: job.managerUserId ?? 'NO_MANAGER',
        emplStatus: statusOptionId(job.status),
        employeeClass: job.employeeClass ?? '1',
        createdDateTime: odataDateTime(slice.modified),
        lastModifiedDateTime: odataDateTime(slice.modified),
      }),
      nav: (name) => {
        if (name === 'departmentNav') return foundation('FODepartment', code(job.department), job.department);
        if (name === 'locationNav') return foundation('FOLocation', code(job.location), job.location);
        if (name === 'costCenterNav') return foundation('FOCostCenter', job.costCenter ?? 'CC4130', 'Cost center');
        if (name === 'companyNav') return foundation('FOCompany', job.company ?? 'NL01', 'Acme');
        if (name === 'emplStatusNav') return picklistOption(statusOptionId(job.status), job.status);
        if (name === 'employeeClassNav')
          return picklistOption(`c${job.employeeClass ?? '1'}`, job.employeeClass ?? '1');
        if (name === 'managerUserNav') return manager ? this.user(manager, { asOf: this.today, range: null }) : null;
        if (name === 'userNav') return this.user(p, { asOf: this.today, range: null });
        return null;
      },
    };
  }

  private user(p: PersonState, ctx: DateContext): Node {
    const { value, modified } = p.user;
    return {
      entity: 'User',
      key: `'${p.userId}'`,
      props: {
        userId: p.userId,
        username: value.username,
        status: value.status,
        email: p.emails[0]?.value.address ?? null,
        custom01: null,
        lastModifiedDateTime: odataDateTime(modified),
      },
      nav: (name) => (name === 'empInfo' ? this.employment(p, ctx) : null),
    };
  }

  private terminationInfo(p: PersonState): Node {
    const ended = p.employment.value.end !== null && p.employment.value.end < this.today;
    return {
      entity: 'PersonEmpTerminationInfo',
      key: `'${p.personIdExternal}'`,
      props: {
        personIdExternal: p.personIdExternal,
        activeEmploymentsCount: ended ? 0 : 1,
        latestTerminationDate: p.employment.value.end === null ? null : odataDate(p.employment.value.end),
      },
      nav: () => null,
    };
  }

  private foundationObjects(entity: string): Node[] {
    const nodes = new Map<string, Node>();
    for (const p of this.persons.values()) {
      for (const { slice, end } of withEnds(p.jobs)) {
        const node = this.job(p, slice, end);
        for (const nav of [
          'departmentNav',
          'locationNav',
          'costCenterNav',
          'companyNav',
          'emplStatusNav',
          'employeeClassNav',
        ]) {
          const target = node.nav(nav) as Node;
          if (target.entity === entity) nodes.set(target.key, target);
        }
      }
    }
    return [...nodes.values()];
  }
}

/** SAP's standard employee status picklist: option ids as the fake numbers them. */
function statusOptionId(code: string): string {
  return String(6020 + Math.max(0, 'AUPTRDSF'.indexOf(code)));
}

function foundation(entity: string, externalCode: string, name: string): Node {
  return {
    entity,
    key: `externalCode='${externalCode}',startDate=datetime'1900-01-01T00:00:00'`,
    props: { externalCode, name, description: name, status: 'A', startDate: odataDate('1900-01-01') },
    nav: () => null,
  };
}

function picklistOption(id: string, externalCode: string): Node {
  return { entity: 'PicklistOption', key: id, props: { id, externalCode, status: 'ACTIVE' }, nav: () => null };
}

/** Checks a path against the model: navigation segments, then (unless `navigationOnly`) a property last. */
function checkPath(model: EntityModel, path: readonly string[], navigationOnly: boolean): void {
  let current = model;
  path.forEach((segment, i) => {
    const last = i === path.length - 1;
    const target = current.navigation[segment];
    if (target) {
      current = ENTITY_MODEL[target.entity]!;
      return;
    }
    if (!navigationOnly && last && current.properties.has(segment)) return;
    throw new BadRequest('COE_PROPERTY_NOT_FOUND', `[COE0021]invalid property names: ${current.name}/${segment}`);
  });
}

function valuesAt(node: Node, path: readonly string[]): unknown[] {
  const [head, ...rest] = path;
  if (head === undefined) return [];
  if (rest.length === 0 && head in node.props) return [node.props[head]];
  const target = node.nav(head);
  const targets = Array.isArray(target) ? target : target === null ? [] : [target];
  return targets.flatMap((t) => valuesAt(t, rest));
}

function sortRows(rows: Node[], orderby: readonly { path: string[]; desc: boolean }[]): Node[] {
  if (orderby.length === 0) return rows;
  const key = (node: Node, path: string[]) => String(valuesAt(node, path)[0] ?? '');
  return [...rows].sort((a, b) => {
    for (const { path, desc } of orderby) {
      const order = key(a, path).localeCompare(key(b, path));
      if (order !== 0) return desc ? -order : order;
    }
    return 0;
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
  res.end(text);
}

/** SAP's OData v2 error body (KBA 2546923). */
function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  send(res, status, { error: { code, message: { lang: 'en-US', value: message } } }, headers);
}
