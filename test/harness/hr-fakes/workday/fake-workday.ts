/**
 * A fake Workday for connector tests: a node:http server on 127.0.0.1 serving Human_Resources
 * `Get_Workers` over SOAP 1.1 at `/ccx/service/{tenant}/Human_Resources/{version}`, over one in-memory
 * company with a transaction log.
 *
 * - Every request is validated structurally (`workday-request-validator.ts`): a wrong path, method or
 *   envelope, an undocumented element, or elements out of the schema's order answer HTTP 500 with a
 *   `Client.validationError` fault (`Validation_Error` with the XPath) and are recorded in
 *   `invalidRequests`, which tests assert stays empty.
 * - The WS-Security UsernameToken must be `user@tenant` with the password, else a
 *   `Client.authenticationError` fault (HTTP 500), as Workday answers.
 * - Effective dating: each worker has dated job slices and an optional termination (effective the day
 *   after the termination date, when the worker is no longer employed); a request is evaluated as of
 *   its `As_Of_Effective_Date`. Personal data (names, email) is not effective-dated here.
 * - Transaction log: each change is an entry with an effective moment and an entry moment from a
 *   logical clock (one second per change from 2000-01-01), so cursors depend on the data only;
 *   `Updated_From/Through` select workers with an entry entered in (from, through], `Effective_From/
 *   Through` those with an entry effective in the window.
 * - Paging: `Page`/`Count`, `Response_Results` with `Total_Results`, `Total_Pages`, `Page_Results`, `Page`.
 * - Knobs: `throttle` (the Nth request answers 429 or 503 with Retry-After; Workday publishes no
 *   numeric limits, so none is enforced otherwise), `password` (change it to refuse the credentials),
 *   `malformHireDate`, `maxPageSize`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateGetWorkers, type ParsedGetWorkers } from './workday-request-validator';

export interface FakeJob {
  readonly title: string;
  readonly department: string;
  readonly location: string;
  readonly managerId: string | null;
  /** Employee_Type_ID (`Regular`). */
  readonly type: string;
}

export interface FakeWorkerInput {
  readonly id: string;
  readonly first: string;
  readonly last: string;
  readonly email: string;
  readonly hireDate: string;
  readonly job: FakeJob;
  readonly contingent?: boolean;
}

interface LogEntry {
  readonly type: string;
  readonly effective: string;
  readonly entered: string;
}

interface FakeWorker {
  id: string;
  wid: string;
  contingent: boolean;
  first: string;
  last: string;
  email: string;
  hireDate: string;
  slices: { effective: string; job: FakeJob }[];
  termination: { effective: string; date: string } | null;
  log: LogEntry[];
}

export interface Throttle {
  readonly onRequest: number;
  readonly status: 429 | 503;
  readonly retryAfter: string;
}

export interface RecordedRequest {
  readonly path: string;
  /** Whether the request named workers (`Request_References`) rather than listing them. */
  readonly referenced: boolean;
  readonly page: number;
  /** The request as the fake read it (credentials included: this is a test server). */
  readonly request: ParsedGetWorkers;
}

export interface InvalidRequest {
  readonly path: string;
  readonly problem: string;
  readonly xpath: string;
}

const CHANGE_EPOCH = Date.parse('2000-01-01T00:00:00Z');

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function esc(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export class FakeWorkday {
  readonly tenant = 'acme';
  readonly version = 'v43.0';
  readonly username = 'ISU_hr2ad';
  password = 'fake-workday-password';
  maxPageSize = 999;
  readonly requests: RecordedRequest[] = [];
  readonly invalidRequests: InvalidRequest[] = [];
  private readonly workers = new Map<string, FakeWorker>();
  private readonly throttles: { at: number; throttle: Throttle }[] = [];
  private changes = 0;
  private received = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeWorkday> {
    const server = createServer();
    const fake = new FakeWorkday(server);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The services host (`baseUrl` of the settings). */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get endpointPath(): string {
    return `/ccx/service/${this.tenant}/Human_Resources/${this.version}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  get requestCount(): number {
    return this.requests.length;
  }

  resetRequests(): void {
    this.requests.length = 0;
  }

  throttle(throttle: Throttle): void {
    this.throttles.push({ at: this.received + throttle.onRequest, throttle });
  }

  hire(input: FakeWorkerInput): void {
    const worker: FakeWorker = {
      id: input.id,
      wid: `wid${input.id.padStart(8, '0')}`,
      contingent: input.contingent ?? false,
      first: input.first,
      last: input.last,
      email: input.email,
      hireDate: input.hireDate,
      slices: [{ effective: input.hireDate, job: input.job }],
      termination: null,
      log: [],
    };
    this.workers.set(input.id, worker);
    this.logEntry(worker, input.contingent ? 'Contract Contingent Worker' : 'Hire Employee', input.hireDate);
  }

  /** A job change effective on `date`; fields left out keep their value as of that date. */
  changeJob(id: string, job: Partial<FakeJob>, date: string): void {
    const worker = this.existing(id);
    const before = this.sliceAsOf(worker, date)?.job ?? worker.slices[0]!.job;
    worker.slices.push({ effective: date, job: { ...before, ...job } });
    worker.slices.sort((a, b) => a.effective.localeCompare(b.effective));
    this.logEntry(worker, 'Change Job', date);
  }

  /** Terminate Employee: `date` is the termination date (the last day); effective the day after. */
  terminate(id: string, date: string): void {
    const worker = this.existing(id);
    worker.termination = { effective: dayAfter(date), date };
    this.logEntry(worker, 'Terminate Employee', dayAfter(date));
  }

  /** Change Work Contact Information, effective `today`. */
  changeEmail(id: string, email: string, today: string): void {
    const worker = this.existing(id);
    worker.email = email;
    this.logEntry(worker, 'Change Work Contact Information', today);
  }

  /** Stores a hire date that is not a date (a broken integration upstream). */
  malformHireDate(id: string, today: string): void {
    const worker = this.existing(id);
    worker.hireDate = 'next week';
    this.logEntry(worker, 'Edit Hire Date', today);
  }

  private existing(id: string): FakeWorker {
    const worker = this.workers.get(id);
    if (!worker) throw new Error(`fake Workday has no worker ${id}`);
    return worker;
  }

  private logEntry(worker: FakeWorker, type: string, effective: string): void {
    const entered = new Date(CHANGE_EPOCH + ++this.changes * 1000).toISOString();
    worker.log.push({ type, effective, entered });
  }

  private sliceAsOf(worker: FakeWorker, date: string) {
    return worker.slices.filter((s) => s.effective <= date).at(-1);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.received++;
    const number = this.received;
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method !== 'POST' || path !== this.endpointPath) {
      this.invalidRequests.push({ path, problem: `${req.method} ${path} is not a Workday service`, xpath: '/' });
      return send(res, 404, '');
    }
    const checked = validateGetWorkers(body);
    if (!checked.ok) {
      this.invalidRequests.push({ path, problem: checked.problem, xpath: checked.xpath });
      return send(res, 500, validationFault(checked.problem, checked.xpath));
    }
    const request = checked.request;
    if (request.version !== this.version) {
      this.invalidRequests.push({ path, problem: `version ${request.version} at ${this.version}`, xpath: '/@version' });
      return send(res, 500, validationFault('version does not match the endpoint', '/Get_Workers_Request/@version'));
    }
    this.requests.push({ path, referenced: request.references !== null, page: request.page, request });
    const throttled = this.throttles.find((t) => t.at === number);
    if (throttled) return send(res, throttled.throttle.status, '', { 'retry-after': throttled.throttle.retryAfter });
    if (request.username !== `${this.username}@${this.tenant}` || request.password !== this.password)
      return send(res, 500, fault('SOAP-ENV:Client.authenticationError', 'invalid username or password'));
    const selected = this.select(request);
    if (typeof selected === 'string') return send(res, 500, validationFault(selected, '/Request_References'));
    send(res, 200, this.page(selected, request));
  }

  private select(request: ParsedGetWorkers): FakeWorker[] | string {
    const all = [...this.workers.values()].sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
    if (request.references) {
      const found: FakeWorker[] = [];
      for (const ref of request.references) {
        const worker = all.find((w) => this.matches(w, ref));
        if (!worker && !request.skipNonExisting)
          return `Invalid ID value. '${ref.id}' is not a valid ID value for type = '${ref.type}'`;
        if (worker && !found.includes(worker)) found.push(worker);
      }
      return found;
    }
    const within = (moment: string, window: { from: string; through: string }) =>
      Date.parse(moment) > Date.parse(window.from) && Date.parse(moment) <= Date.parse(window.through);
    return all.filter(
      (w) =>
        (!request.updated || w.log.some((e) => within(e.entered, request.updated!))) &&
        (!request.effective || w.log.some((e) => within(`${e.effective}T00:00:00Z`, request.effective!))),
    );
  }

  private matches(worker: FakeWorker, ref: { type: string; id: string }): boolean {
    if (ref.type === 'WID') return worker.wid === ref.id;
    if (ref.type === 'Contingent_Worker_ID') return worker.contingent && worker.id === ref.id;
    return !worker.contingent && worker.id === ref.id;
  }

  private page(workers: readonly FakeWorker[], request: ParsedGetWorkers): string {
    const count = Math.min(request.count, this.maxPageSize);
    const totalPages = Math.ceil(workers.length / count);
    const slice = workers.slice((request.page - 1) * count, request.page * count);
    const asOf = (request.asOfEffectiveDate ?? new Date().toISOString()).slice(0, 10);
    const results =
      `<wd:Response_Results><wd:Total_Results>${workers.length}</wd:Total_Results>` +
      `<wd:Total_Pages>${totalPages}</wd:Total_Pages><wd:Page_Results>${slice.length}</wd:Page_Results>` +
      `<wd:Page>${request.page}</wd:Page></wd:Response_Results>`;
    const data = slice.map((w) => this.workerXml(w, asOf, request.responseGroup)).join('');
    return envelope(
      `<wd:Get_Workers_Response xmlns:wd="urn:com.workday/bsvc" wd:version="${esc(request.version)}">` +
        `${results}<wd:Response_Data>${data}</wd:Response_Data></wd:Get_Workers_Response>`,
    );
  }

  private workerXml(worker: FakeWorker, asOf: string, group: ReadonlySet<string>): string {
    const idType = worker.contingent ? 'Contingent_Worker_ID' : 'Employee_ID';
    const slice = this.sliceAsOf(worker, asOf);
    const parts = [
      `<wd:Worker_ID>${esc(worker.id)}</wd:Worker_ID><wd:User_ID>${esc(worker.email.split('@')[0]!)}</wd:User_ID>`,
      group.has('Include_Personal_Information') ? this.personalXml(worker) : '',
      group.has('Include_Employment_Information') ? this.employmentXml(worker, asOf, slice?.job) : '',
      group.has('Include_Organizations') && slice ? organizationXml(slice.job.department) : '',
      group.has('Include_Management_Chain_Data') && slice?.job.managerId ? managerXml(slice.job.managerId) : '',
      group.has('Include_Transaction_Log_Data') ? logXml(worker.log) : '',
    ];
    return (
      `<wd:Worker><wd:Worker_Reference><wd:ID wd:type="WID">${esc(worker.wid)}</wd:ID>` +
      `<wd:ID wd:type="${idType}">${esc(worker.id)}</wd:ID></wd:Worker_Reference>` +
      `<wd:Worker_Data>${parts.join('')}</wd:Worker_Data></wd:Worker>`
    );
  }

  private personalXml(worker: FakeWorker): string {
    const usage =
      '<wd:Usage_Data wd:Public="1"><wd:Type_Data wd:Primary="1"><wd:Type_Reference>' +
      '<wd:ID wd:type="Communication_Usage_Type_ID">WORK</wd:ID></wd:Type_Reference></wd:Type_Data></wd:Usage_Data>';
    return (
      `<wd:Personal_Data><wd:Name_Data><wd:Legal_Name_Data>` +
      `<wd:Name_Detail_Data wd:Formatted_Name="${esc(`${worker.first} ${worker.last}`)}">` +
      `<wd:First_Name>${esc(worker.first)}</wd:First_Name><wd:Last_Name>${esc(worker.last)}</wd:Last_Name>` +
      `</wd:Name_Detail_Data></wd:Legal_Name_Data></wd:Name_Data><wd:Contact_Data><wd:Email_Address_Data>` +
      `<wd:Email_Address>${esc(worker.email)}</wd:Email_Address>${usage}</wd:Email_Address_Data>` +
      `</wd:Contact_Data></wd:Personal_Data>`
    );
  }

  private employmentXml(worker: FakeWorker, asOf: string, job: FakeJob | undefined): string {
    const terminated = worker.termination !== null && worker.termination.effective <= asOf;
    const position = job
      ? `<wd:Worker_Job_Data wd:Primary_Job="1"><wd:Position_Data wd:Effective_Date="${esc(worker.hireDate)}">` +
        `<wd:Position_ID>P-${esc(worker.id)}</wd:Position_ID><wd:Business_Title>${esc(job.title)}</wd:Business_Title>` +
        `<wd:Worker_Type_Reference><wd:ID wd:type="Employee_Type_ID">${esc(job.type)}</wd:ID></wd:Worker_Type_Reference>` +
        `<wd:Business_Site_Summary_Data><wd:Location_Reference><wd:ID wd:type="Location_ID">${esc(job.location.toUpperCase())}</wd:ID>` +
        `</wd:Location_Reference><wd:Name>${esc(job.location)}</wd:Name></wd:Business_Site_Summary_Data>` +
        `</wd:Position_Data></wd:Worker_Job_Data>`
      : '';
    const status =
      `<wd:Worker_Status_Data><wd:Active>${terminated || worker.hireDate > asOf ? 0 : 1}</wd:Active>` +
      `<wd:Hire_Date>${esc(worker.hireDate)}</wd:Hire_Date><wd:Terminated>${terminated ? 1 : 0}</wd:Terminated>` +
      (terminated ? `<wd:Termination_Date>${esc(worker.termination!.date)}</wd:Termination_Date>` : '') +
      `</wd:Worker_Status_Data>`;
    return `<wd:Employment_Data>${position}${status}</wd:Employment_Data>`;
  }
}

function organizationXml(department: string): string {
  return (
    `<wd:Organization_Data><wd:Worker_Organization_Data><wd:Organization_Data>` +
    `<wd:Organization_Code>${esc(department.toUpperCase())}</wd:Organization_Code>` +
    `<wd:Organization_Name>${esc(department)}</wd:Organization_Name><wd:Organization_Type_Reference>` +
    `<wd:ID wd:type="Organization_Type_ID">SUPERVISORY</wd:ID></wd:Organization_Type_Reference>` +
    `</wd:Organization_Data></wd:Worker_Organization_Data></wd:Organization_Data>`
  );
}

function managerXml(managerId: string): string {
  return (
    `<wd:Management_Chain_Data><wd:Worker_Supervisory_Management_Chain_Data><wd:Management_Chain_Data>` +
    `<wd:Manager><wd:Worker_Reference><wd:ID wd:type="Employee_ID">${esc(managerId)}</wd:ID></wd:Worker_Reference>` +
    `</wd:Manager></wd:Management_Chain_Data></wd:Worker_Supervisory_Management_Chain_Data></wd:Management_Chain_Data>`
  );
}

function logXml(log: readonly LogEntry[]): string {
  const entries = log.map(
    (e) =>
      `<wd:Transaction_Log_Entry><wd:Transaction_Log_Data>` +
      `<wd:Transaction_Log_Description>${esc(e.type)}</wd:Transaction_Log_Description>` +
      `<wd:Transaction_Effective_Moment>${e.effective}T00:00:00.000Z</wd:Transaction_Effective_Moment>` +
      `<wd:Transaction_Entry_Moment>${e.entered}</wd:Transaction_Entry_Moment>` +
      `</wd:Transaction_Log_Data></wd:Transaction_Log_Entry>`,
  );
  return `<wd:Transaction_Log_Entry_Data>${entries.join('')}</wd:Transaction_Log_Entry_Data>`;
}

function envelope(body: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>${body}</env:Body></env:Envelope>`
  );
}

function fault(code: string, message: string, detail = ''): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">` +
    `<SOAP-ENV:Body><SOAP-ENV:Fault xmlns:wd="urn:com.workday/bsvc"><faultcode>${code}</faultcode>` +
    `<faultstring>${esc(message)}</faultstring>${detail}</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`
  );
}

function validationFault(message: string, xpath: string): string {
  const detail =
    `<detail><wd:Validation_Fault><wd:Validation_Error><wd:Message>${esc(message)}</wd:Message>` +
    `<wd:Detail_Message>${esc(message)}</wd:Detail_Message><wd:Xpath>${esc(xpath)}</wd:Xpath>` +
    `</wd:Validation_Error></wd:Validation_Fault></detail>`;
  return fault('SOAP-ENV:Client.validationError', `Validation error occurred. ${message}`, detail);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...(body ? { 'content-type': 'text/xml; charset=utf-8' } : {}), ...headers });
  res.end(body);
}
