/**
 * Structural validation of a Get_Workers SOAP request, as Workday's schema has it: a SOAP 1.1 envelope,
 * a `wsse:Security` header with a `UsernameToken` (`PasswordText`), and in the body one
 * `Get_Workers_Request` in `urn:com.workday/bsvc` with a `version` attribute, holding only documented
 * elements in the schema's order. Returns the parsed request, or the first problem found (what Workday
 * would answer as a `Validation_Error`).
 */
import { XMLParser } from 'fast-xml-parser';

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const BSVC = 'urn:com.workday/bsvc';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

/** An element with its namespace resolved. */
interface El {
  readonly ns: string | null;
  readonly local: string;
  /** Attributes by `{ns}local` (unprefixed: `local`). */
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: readonly El[];
  readonly text: string;
}

export interface ParsedGetWorkers {
  readonly username: string;
  readonly password: string;
  readonly version: string;
  readonly references: { readonly type: string; readonly id: string }[] | null;
  readonly skipNonExisting: boolean;
  readonly updated: { from: string; through: string } | null;
  readonly effective: { from: string; through: string } | null;
  readonly asOfEffectiveDate: string | null;
  readonly asOfEntryDateTime: string | null;
  readonly page: number;
  readonly count: number;
  readonly responseGroup: ReadonlySet<string>;
}

export type Validation = { ok: true; request: ParsedGetWorkers } | { ok: false; problem: string; xpath: string };

const REQUEST_CHILDREN = ['Request_References', 'Request_Criteria', 'Response_Filter', 'Response_Group'];
const CRITERIA_CHILDREN = [
  'Transaction_Log_Criteria_Data',
  'Exclude_Inactive_Workers',
  'Exclude_Employees',
  'Exclude_Contingent_Workers',
];
const LOG_CRITERIA_CHILDREN = ['Transaction_Date_Range_Data', 'Transaction_Type_References'];
const RANGE_CHILDREN = ['Updated_From', 'Updated_Through', 'Effective_From', 'Effective_Through'];
const FILTER_CHILDREN = ['As_Of_Effective_Date', 'As_Of_Entry_DateTime', 'Page', 'Count'];
/** Worker_Response_Group, in the schema's order. */
const GROUP_CHILDREN = [
  'Include_Reference',
  'Include_Personal_Information',
  'Include_Additional_Jobs',
  'Include_Employment_Information',
  'Include_Compensation',
  'Include_Organizations',
  'Include_Roles',
  'Include_Management_Chain_Data',
  'Include_Multiple_Managers_in_Management_Chain_Data',
  'Include_Benefit_Enrollments',
  'Include_Benefit_Eligibility',
  'Include_Related_Persons',
  'Include_Qualifications',
  'Include_Employee_Review',
  'Include_Goals',
  'Include_Development_Items',
  'Include_Skills',
  'Include_Photo',
  'Include_Worker_Documents',
  'Include_Transaction_Log_Data',
];
const ID_TYPES = new Set(['WID', 'Employee_ID', 'Contingent_Worker_ID']);
const DATE = /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const BOOLEAN = /^(0|1|true|false)$/;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

type Raw = Record<string, unknown>;

function resolve(raw: Raw, scope: ReadonlyMap<string, string>): El | null {
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (name === undefined || name === '#text' || name.startsWith('?')) return null;
  const rawAttrs = (raw[':@'] ?? {}) as Record<string, string>;
  const names = new Map(scope);
  for (const [key, value] of Object.entries(rawAttrs)) {
    if (key === '@_xmlns') names.set('', value);
    else if (key.startsWith('@_xmlns:')) names.set(key.slice(8), value);
  }
  const [prefix, local] = name.includes(':') ? name.split(':', 2) : ['', name];
  const attrs = new Map<string, string>();
  for (const [key, value] of Object.entries(rawAttrs)) {
    if (key === '@_xmlns' || key.startsWith('@_xmlns:')) continue;
    const attr = key.slice(2);
    const [p, l] = attr.includes(':') ? attr.split(':', 2) : [null, attr];
    attrs.set(p === null ? l! : `{${names.get(p) ?? '?'}}${l}`, value);
  }
  const content = (raw[name] ?? []) as Raw[];
  const children = content.map((c) => resolve(c, names)).filter((c): c is El => c !== null);
  const text = content
    .filter((c) => '#text' in c)
    .map((c) => String(c['#text']))
    .join('');
  return { ns: names.get(prefix!) ?? null, local: local!, attrs, children, text };
}

class Invalid extends Error {
  constructor(
    readonly xpath: string,
    message: string,
  ) {
    super(message);
  }
}

function only(el: El, ns: string, allowed: readonly string[], xpath: string, required: readonly string[] = []): void {
  let last = -1;
  for (const child of el.children) {
    const index = allowed.indexOf(child.local);
    if (child.ns !== ns || index < 0) throw new Invalid(`${xpath}/${child.local}`, `unexpected element ${child.local}`);
    if (index <= last) throw new Invalid(`${xpath}/${child.local}`, `element ${child.local} out of the schema's order`);
    last = index;
  }
  for (const name of required)
    if (!el.children.some((c) => c.local === name)) throw new Invalid(`${xpath}/${name}`, `${name} is required`);
}

function child(el: El, local: string): El | undefined {
  return el.children.find((c) => c.local === local);
}

function value(el: El | undefined, pattern: RegExp, xpath: string): string | null {
  if (!el) return null;
  if (el.children.length > 0 || !pattern.test(el.text)) throw new Invalid(xpath, `invalid value '${el.text}'`);
  return el.text;
}

function one(el: El, ns: string, local: string, xpath: string): El {
  if (el.children.length !== 1 || el.children[0]!.ns !== ns || el.children[0]!.local !== local)
    throw new Invalid(`${xpath}/${local}`, `expected exactly one ${local}`);
  return el.children[0]!;
}

function security(header: El): { username: string; password: string } {
  const sec = one(header, WSSE, 'Security', '/Envelope/Header');
  const token = one(sec, WSSE, 'UsernameToken', '/Envelope/Header/Security');
  only(token, WSSE, ['Username', 'Password'], '/Envelope/Header/Security/UsernameToken', ['Username', 'Password']);
  const password = child(token, 'Password')!;
  if (password.attrs.get('Type') !== PASSWORD_TEXT)
    throw new Invalid('/Envelope/Header/Security/UsernameToken/Password/@Type', 'must be PasswordText');
  return { username: child(token, 'Username')!.text, password: password.text };
}

function references(el: El, xpath: string) {
  if (el.children.length === 0) throw new Invalid(`${xpath}/Worker_Reference`, 'Worker_Reference is required');
  for (const ref of el.children)
    if (ref.ns !== BSVC || ref.local !== 'Worker_Reference')
      throw new Invalid(`${xpath}/${ref.local}`, `unexpected element ${ref.local}`);
  return el.children.map((ref) => {
    const id = one(ref, BSVC, 'ID', `${xpath}/Worker_Reference`);
    const type = id.attrs.get(`{${BSVC}}type`) ?? '';
    if (!ID_TYPES.has(type) || id.text === '')
      throw new Invalid(`${xpath}/Worker_Reference/ID`, `invalid ID type '${type}'`);
    return { type, id: id.text };
  });
}

function range(el: El, from: string, through: string, xpath: string) {
  const a = value(child(el, from), DATE_TIME, `${xpath}/${from}`);
  const b = value(child(el, through), DATE_TIME, `${xpath}/${through}`);
  if ((a === null) !== (b === null)) throw new Invalid(`${xpath}/${a === null ? from : through}`, 'is required');
  return a === null ? null : { from: a, through: b! };
}

function criteria(el: El, xpath: string) {
  only(el, BSVC, CRITERIA_CHILDREN, xpath);
  for (const flag of CRITERIA_CHILDREN.slice(1)) value(child(el, flag), BOOLEAN, `${xpath}/${flag}`);
  const log = child(el, 'Transaction_Log_Criteria_Data');
  if (!log) return { updated: null, effective: null };
  only(log, BSVC, LOG_CRITERIA_CHILDREN, `${xpath}/Transaction_Log_Criteria_Data`);
  const dates = child(log, 'Transaction_Date_Range_Data');
  if (!dates) return { updated: null, effective: null };
  const at = `${xpath}/Transaction_Log_Criteria_Data/Transaction_Date_Range_Data`;
  only(dates, BSVC, RANGE_CHILDREN, at);
  return {
    updated: range(dates, 'Updated_From', 'Updated_Through', at),
    effective: range(dates, 'Effective_From', 'Effective_Through', at),
  };
}

function getWorkers(request: El, credentials: { username: string; password: string }): ParsedGetWorkers {
  const xpath = '/Envelope/Body/Get_Workers_Request';
  const version = request.attrs.get(`{${BSVC}}version`) ?? request.attrs.get('version');
  if (!version || !/^v\d+(\.\d+)?$/.test(version)) throw new Invalid(`${xpath}/@version`, 'a version is required');
  only(request, BSVC, REQUEST_CHILDREN, xpath);
  const refs = child(request, 'Request_References');
  const skip = refs?.attrs.get(`{${BSVC}}Skip_Non_Existing_Instances`) ?? 'false';
  if (!BOOLEAN.test(skip))
    throw new Invalid(`${xpath}/Request_References/@Skip_Non_Existing_Instances`, 'not a boolean');
  const crit = child(request, 'Request_Criteria');
  const windows = crit ? criteria(crit, `${xpath}/Request_Criteria`) : { updated: null, effective: null };
  const filter = child(request, 'Response_Filter');
  if (filter) only(filter, BSVC, FILTER_CHILDREN, `${xpath}/Response_Filter`);
  const at = (name: string, pattern: RegExp) =>
    filter ? value(child(filter, name), pattern, `${xpath}/Response_Filter/${name}`) : null;
  const page = Number(at('Page', /^[1-9]\d*$/) ?? '1');
  const count = Number(at('Count', /^[1-9]\d*$/) ?? '100');
  if (count > 999) throw new Invalid(`${xpath}/Response_Filter/Count`, 'Count may be at most 999');
  const group = child(request, 'Response_Group');
  if (group) {
    only(group, BSVC, GROUP_CHILDREN, `${xpath}/Response_Group`);
    for (const flag of group.children) value(flag, BOOLEAN, `${xpath}/Response_Group/${flag.local}`);
  }
  return {
    ...credentials,
    version,
    references: refs ? references(refs, `${xpath}/Request_References`) : null,
    skipNonExisting: skip === '1' || skip === 'true',
    ...windows,
    asOfEffectiveDate: at('As_Of_Effective_Date', DATE),
    asOfEntryDateTime: at('As_Of_Entry_DateTime', DATE_TIME),
    page,
    count,
    responseGroup: new Set(
      (group?.children ?? []).filter((f) => f.text === '1' || f.text === 'true').map((f) => f.local),
    ),
  };
}

export function validateGetWorkers(body: string): Validation {
  try {
    const parsed = parser.parse(body, true) as Raw[];
    const root = parsed.map((r) => resolve(r, new Map())).find((e): e is El => e !== null);
    if (!root || root.ns !== SOAP || root.local !== 'Envelope') throw new Invalid('/', 'not a SOAP 1.1 envelope');
    only(root, SOAP, ['Header', 'Body'], '/Envelope', ['Header', 'Body']);
    const credentials = security(child(root, 'Header')!);
    const request = one(child(root, 'Body')!, BSVC, 'Get_Workers_Request', '/Envelope/Body');
    return { ok: true, request: getWorkers(request, credentials) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, problem: error.message, xpath: error.xpath };
    return { ok: false, problem: `not well-formed XML (${(error as Error).message})`, xpath: '/' };
  }
}
