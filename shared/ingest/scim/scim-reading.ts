/**
 * Typed reads of SCIM JSON for `workerFromScimUser`. A read stops at the first problem by throwing a
 * `ScimFault`, which the converter (and only it) turns into its result: that keeps each step of the
 * conversion a straight line. Anything else thrown is a bug and is not caught.
 */
import { calendarDateProblem, type CalendarDate } from '../../time/calendar-date';
import { badRequest, quoted, type ScimError, type ScimType } from './scim-error';

export type Json = Record<string, unknown>;

export class ScimFault {
  constructor(readonly error: ScimError) {}
}

export function fault(scimType: ScimType, attribute: string, problem: string): never {
  throw new ScimFault(badRequest(scimType, attribute, problem));
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of `name` in `object`, matched ignoring case as SCIM names are (the exact spelling wins). */
export function member(object: Json, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === lower) return object[key];
  return undefined;
}

/** Schema URNs compare ignoring case, as Microsoft's samples and SCIM clients vary their spelling. */
export function sameUrn(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * A single-valued string attribute; null when absent, null or blank (HR exports write "" for "none").
 * `label` is the SCIM path named in errors.
 */
export function text(object: Json, name: string, label: string): string | null {
  const value = member(object, name);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fault('invalidSyntax', label, 'must be a string');
  return value.trim() === '' ? null : value;
}

/** A complex attribute (`name`, `manager`, an extension); null when absent or null. */
export function complex(object: Json, name: string, label: string): Json | null {
  const value = member(object, name);
  if (value === undefined || value === null) return null;
  if (!isObject(value)) fault('invalidSyntax', label, 'must be an object');
  return value;
}

export function bool(object: Json, name: string, label: string): boolean | null {
  const value = member(object, name);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') fault('invalidSyntax', label, 'must be true or false');
  return value;
}

/** A multi-valued attribute (`emails`, `phoneNumbers`, `addresses`): its items, each an object. */
export function multiValued(object: Json, name: string): Json[] {
  const value = member(object, name);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fault('invalidSyntax', name, 'must be an array');
  return value.map((item, i) => {
    if (!isObject(item)) fault('invalidSyntax', name, `item ${i + 1} must be an object`);
    text(item, 'type', `${name}.type`);
    bool(item, 'primary', `${name}.primary`);
    return item;
  });
}

function typeIs(item: Json, type: string): boolean {
  const value = member(item, 'type');
  return typeof value === 'string' && value.toLowerCase() === type;
}

/** The item of `type` marked primary, else the first of that type, else undefined. */
export function ofType(items: readonly Json[], type: string): Json | undefined {
  const typed = items.filter((item) => typeIs(item, type));
  return typed.find((item) => member(item, 'primary') === true) ?? typed[0];
}

export function primary(items: readonly Json[]): Json | undefined {
  return items.find((item) => member(item, 'primary') === true);
}

/** `2020-01-01`, or a date-time whose calendar date is taken as written (`2021-05-01T00:00:00-05:00` → 2021-05-01). */
const DATE_OR_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A date attribute's calendar date; null when absent, null or "". The zone is not applied: HR wrote the day. */
export function scimDate(value: unknown, label: string): CalendarDate | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') fault('invalidSyntax', label, 'must be a date written as a string');
  const match = DATE_OR_DATE_TIME.exec(value.trim());
  if (!match)
    fault('invalidValue', label, `${quoted(value)} is not a date (2020-01-01) or a date-time (2020-01-01T00:00:00Z)`);
  const date = match[1]!;
  const problem = calendarDateProblem(date);
  if (problem) fault('invalidValue', label, problem);
  return date;
}
