/**
 * Workday Web Services (SOAP 1.1) for Human_Resources `Get_Workers`: the request envelope with its
 * WS-Security UsernameToken (`PasswordText`) header, and the parsing of the response and of SOAP faults.
 *
 * The envelope is a template: every value put into it goes through `escapeXml`, so a password or an id
 * with `<` or `&` cannot change the document. Elements of `Get_Workers_Request` are written in the order
 * of Workday's schema (Request_References, Request_Criteria, Response_Filter, Response_Group).
 */
import { XMLParser } from 'fast-xml-parser';
import { vendorText } from '../vendor-records';

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const BSVC_NS = 'urn:com.workday/bsvc';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const PASSWORD_TEXT =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

/** The Response_Group flags the connector asks for, in the schema's order. */
export const RESPONSE_GROUP = [
  'Include_Reference',
  'Include_Personal_Information',
  'Include_Employment_Information',
  'Include_Organizations',
  'Include_Management_Chain_Data',
  'Include_Transaction_Log_Data',
] as const;

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A worker reference: `WID`, `Employee_ID` or `Contingent_Worker_ID`. */
export interface WorkerRef {
  readonly type: 'WID' | 'Employee_ID' | 'Contingent_Worker_ID';
  readonly id: string;
}

export interface GetWorkersRequest {
  /** The API version (`v43.0`), the request's `bsvc:version`. */
  readonly version: string;
  /** Only these workers (non-existing ones skipped); absent: every worker the criteria select. */
  readonly workers?: readonly WorkerRef[];
  /** Transaction-log window on entry moments (a delta). */
  readonly updated?: { readonly from: string; readonly through: string };
  /** `As_Of_Effective_Date` (YYYY-MM-DD) and `As_Of_Entry_DateTime` (ISO date-time). */
  readonly asOfEffectiveDate: string;
  readonly asOfEntryDateTime: string;
  readonly page: number;
  readonly count: number;
}

export interface UsernameToken {
  /** `ISU_name@tenant`. */
  readonly username: string;
  readonly password: string;
}

function element(name: string, value: string): string {
  return `<bsvc:${name}>${escapeXml(value)}</bsvc:${name}>`;
}

function references(workers: readonly WorkerRef[]): string {
  const refs = workers.map(
    (w) =>
      `<bsvc:Worker_Reference><bsvc:ID bsvc:type="${escapeXml(w.type)}">${escapeXml(w.id)}</bsvc:ID></bsvc:Worker_Reference>`,
  );
  return `<bsvc:Request_References bsvc:Skip_Non_Existing_Instances="true">${refs.join('')}</bsvc:Request_References>`;
}

function criteria(updated: NonNullable<GetWorkersRequest['updated']>): string {
  const range = element('Updated_From', updated.from) + element('Updated_Through', updated.through);
  return (
    '<bsvc:Request_Criteria><bsvc:Transaction_Log_Criteria_Data><bsvc:Transaction_Date_Range_Data>' +
    range +
    '</bsvc:Transaction_Date_Range_Data></bsvc:Transaction_Log_Criteria_Data></bsvc:Request_Criteria>'
  );
}

/** The whole SOAP envelope of one Get_Workers page. */
export function getWorkersEnvelope(request: GetWorkersRequest, token: UsernameToken): string {
  const filter =
    element('As_Of_Effective_Date', request.asOfEffectiveDate) +
    element('As_Of_Entry_DateTime', request.asOfEntryDateTime) +
    element('Page', String(request.page)) +
    element('Count', String(request.count));
  const group = RESPONSE_GROUP.map((flag) => element(flag, '1')).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV_NS}" xmlns:bsvc="${BSVC_NS}">` +
    `<soapenv:Header><wsse:Security xmlns:wsse="${WSSE_NS}"><wsse:UsernameToken>` +
    `<wsse:Username>${escapeXml(token.username)}</wsse:Username>` +
    `<wsse:Password Type="${PASSWORD_TEXT}">${escapeXml(token.password)}</wsse:Password>` +
    `</wsse:UsernameToken></wsse:Security></soapenv:Header>` +
    `<soapenv:Body><bsvc:Get_Workers_Request bsvc:version="${escapeXml(request.version)}">` +
    (request.workers ? references(request.workers) : '') +
    (request.updated ? criteria(request.updated) : '') +
    `<bsvc:Response_Filter>${filter}</bsvc:Response_Filter>` +
    `<bsvc:Response_Group>${group}</bsvc:Response_Group>` +
    `</bsvc:Get_Workers_Request></soapenv:Body></soapenv:Envelope>`
  );
}

/** A parsed XML element: child elements by local name, attributes as `@_name`, text as `#text`. */
export type XmlNode = { readonly [name: string]: unknown };

/** Elements that may repeat: always parsed as arrays, so one and many read alike. */
const REPEATING: ReadonlySet<string> = new Set([
  'Worker',
  'ID',
  'Worker_Job_Data',
  'Worker_Organization_Data',
  'Organization_Data',
  'Email_Address_Data',
  'Phone_Data',
  'Management_Chain_Data',
  'Worker_Supervisory_Management_Chain_Data',
  'Transaction_Log_Entry',
  'Worker_Reference',
  'Validation_Error',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATING.has(name),
});

export function parseXml(text: string): XmlNode {
  return parser.parse(text) as XmlNode;
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The child elements called `name` (none, one or many). */
export function childrenOf(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!node) return [];
  const value = node[name];
  const list = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
  return list.map((item) => (isNode(item) ? item : { '#text': item }));
}

/** The first child element at the end of `path`. */
export function childOf(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current = node;
  for (const name of path) current = childrenOf(current, name)[0];
  return current;
}

/** The trimmed text of an element (or of an attribute value), null when empty or absent. */
export function textOf(value: unknown): string | null {
  return vendorText(isNode(value) ? value['#text'] : value, { booleans: true });
}

/** The `ID` child of a reference with `type` (`Employee_ID`, `WID`…). */
export function idOf(reference: XmlNode | undefined, type: string): string | null {
  const found = childrenOf(reference, 'ID').find((id) => textOf(id['@_type']) === type);
  return found ? textOf(found) : null;
}

export interface SoapFault {
  /** `SOAP-ENV:Client.authenticationError` → `Client.authenticationError`. */
  readonly code: string;
  readonly message: string;
}

export interface GetWorkersPage {
  readonly workers: readonly XmlNode[];
  readonly totalPages: number;
}

function bodyOf(text: string): XmlNode | undefined {
  return childOf(parseXml(text), 'Envelope', 'Body');
}

/** The fault a SOAP answer holds, or null. */
export function faultOf(text: string): SoapFault | null {
  let body: XmlNode | undefined;
  try {
    body = bodyOf(text);
  } catch {
    return null;
  }
  const fault = childOf(body, 'Fault');
  if (!fault) return null;
  const code = (textOf(fault.faultcode) ?? '').replace(/^[^:]*:/, '');
  const detail = childOf(fault, 'detail', 'Validation_Fault', 'Validation_Error', 'Message');
  return { code, message: textOf(detail) ?? textOf(fault.faultstring) ?? '' };
}

/** A Get_Workers_Response page: its workers and `Response_Results/Total_Pages`; null when not one. */
export function getWorkersPageOf(text: string): GetWorkersPage | null {
  const response = childOf(bodyOf(text), 'Get_Workers_Response');
  if (!response) return null;
  const totalPages = Number(textOf(childOf(response, 'Response_Results', 'Total_Pages')) ?? '0');
  if (!Number.isInteger(totalPages) || totalPages < 0) return null;
  return { workers: childrenOf(childOf(response, 'Response_Data'), 'Worker'), totalPages };
}
