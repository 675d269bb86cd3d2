/**
 * The common case of `workerSchema`, without the schema: a record whose every value is already as the
 * schema would store it (trimmed, no control characters, within its limits) parses to itself with the
 * defaults filled in. Checking that directly costs a fraction of a full parse, and a snapshot is almost
 * all such records. Anything else — a value to trim, a problem to report, an effective-dated entry, a
 * list in a custom field — is left to the schema, which stays the one definition of a valid worker.
 */
import { calendarDateProblem } from '../time/calendar-date';
import {
  controlCharacterProblem,
  CUSTOM_FIELD_NAME,
  EMAIL_ADDRESS,
  EMPLOYEE_TYPES,
  EMPLOYMENT_STATUSES,
  SOURCE_NAME,
  WORKER_FIELDS,
  type Worker,
} from './worker-schema';

type Raw = Record<string, unknown>;

const EMPLOYEE_TYPE_SET: ReadonlySet<unknown> = new Set(EMPLOYEE_TYPES);
const EMPLOYMENT_STATUS_SET: ReadonlySet<unknown> = new Set(EMPLOYMENT_STATUSES);

/** Thrown inside this module when a record needs the schema; never escapes it. */
const NOT_PLAIN = Symbol('not plain');

/**
 * What `workerSchema.parse(raw)` gives, when `raw` is plainly valid; undefined when it is not, or might not
 * be (the schema then decides, and says why).
 */
export function plainWorker(raw: Raw): Worker | undefined {
  try {
    return plainFields(raw);
  } catch (signal) {
    if (signal === NOT_PLAIN) return undefined;
    throw signal;
  }
}

function plainFields(raw: Raw): Worker {
  for (const key in raw) if (!WORKER_FIELDS.has(key)) throw NOT_PLAIN;
  if (typeof raw.source !== 'string' || !SOURCE_NAME.test(raw.source)) throw NOT_PLAIN;
  return {
    source: raw.source,
    id: text(raw.id, 128),
    legalName: legalName(raw.legalName),
    preferredName: raw.preferredName == null ? null : preferredName(raw.preferredName),
    email: raw.email == null ? null : email(raw.email),
    phone: phone(raw.phone),
    department: optionalText(raw.department),
    title: optionalText(raw.title),
    costCenter: optionalText(raw.costCenter),
    location: optionalText(raw.location),
    company: optionalText(raw.company),
    managerId: optionalText(raw.managerId),
    employeeType: member(raw.employeeType, EMPLOYEE_TYPE_SET),
    employmentStatus: member(raw.employmentStatus, EMPLOYMENT_STATUS_SET),
    hireDate: date(raw.hireDate),
    terminationDate: raw.terminationDate == null ? null : date(raw.terminationDate),
    timeZone: raw.timeZone == null ? null : string(raw.timeZone),
    previousId: optionalText(raw.previousId),
    customFields: customFields(raw.customFields),
    future: noFuture(raw.future),
  };
}

function string(value: unknown): string {
  if (typeof value !== 'string') throw NOT_PLAIN;
  return value;
}

/** Free text as the schema keeps it: nothing to trim, no control character, 1 to `max` characters. */
function text(value: unknown, max = 1024): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > max ||
    value.trim() !== value ||
    controlCharacterProblem(value) !== null
  )
    throw NOT_PLAIN;
  return value;
}

function optionalText(value: unknown): string | null {
  return value == null ? null : text(value);
}

/** An object holding only `names` (a strict object's keys). */
function plainObject(value: unknown, names: readonly string[]): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw NOT_PLAIN;
  for (const key in value) if (!names.includes(key)) throw NOT_PLAIN;
  return value as Raw;
}

const NAME_PARTS: readonly string[] = ['first', 'middle', 'last'];

function legalName(value: unknown): Worker['legalName'] {
  const name = plainObject(value, NAME_PARTS);
  return { first: text(name.first), middle: optionalText(name.middle), last: text(name.last) };
}

function preferredName(value: unknown): NonNullable<Worker['preferredName']> {
  const name = plainObject(value, NAME_PARTS);
  return { first: optionalText(name.first), middle: optionalText(name.middle), last: optionalText(name.last) };
}

function email(value: unknown): string {
  if (typeof value !== 'string' || value.length > 256 || !EMAIL_ADDRESS.test(value)) throw NOT_PLAIN;
  return text(value, 256);
}

function phone(value: unknown): Worker['phone'] {
  if (value === undefined) return { work: null, mobile: null };
  const phones = plainObject(value, ['work', 'mobile']);
  return { work: optionalText(phones.work), mobile: optionalText(phones.mobile) };
}

function member<T>(value: unknown, members: ReadonlySet<unknown>): T {
  if (!members.has(value)) throw NOT_PLAIN;
  return value as T;
}

function date(value: unknown): string {
  if (typeof value !== 'string' || calendarDateProblem(value) !== null) throw NOT_PLAIN;
  return value;
}

/** Custom fields with single values (a list is copied by the schema: it decides those). */
function customFields(value: unknown): Worker['customFields'] {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) throw NOT_PLAIN;
  const fields: Worker['customFields'] = {};
  for (const name of Object.keys(value)) {
    const field = (value as Raw)[name];
    const single = typeof field === 'string' || typeof field === 'boolean' || field === null || Number.isFinite(field);
    if (!CUSTOM_FIELD_NAME.test(name) || !single) throw NOT_PLAIN;
    fields[name] = field as string | number | boolean | null;
  }
  return fields;
}

/** No effective-dated entries (entries are the schema's to read). */
function noFuture(value: unknown): Worker['future'] {
  if (value !== undefined && !(Array.isArray(value) && value.length === 0)) throw NOT_PLAIN;
  return [];
}
