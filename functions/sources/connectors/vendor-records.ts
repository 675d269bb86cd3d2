/**
 * What every connector's record mapping shares: a problem with one field of one vendor record, the
 * outcome of mapping one record (a canonical record with its location, or a row issue naming the field),
 * and the readers for the text and dates vendors send.
 */
import type { HrSnapshotRead, SourceRowIssue } from '../../../shared/ports/hr-source.port';
import { calendarDateProblem, earliestDateAt, type CalendarDate } from '../../../shared/time/calendar-date';
import { deepEqual } from '../../../shared/util/deep-equal';
import { customFieldName, type EmployeeType, type WorkerInput } from '../../../shared/worker/worker-schema';

/** A problem with one field of one vendor record, turned into a row issue by `recordOutcome`. */
export class FieldProblem extends Error {
  constructor(
    /** The field as the vendor names it (`hireDate`, `Employment_Data/Worker_Status_Data/Hire_Date`). */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** One vendor record mapped: a canonical record and where it came from, or a row issue. */
export type RecordOutcome =
  | { readonly kind: 'record'; readonly record: WorkerInput; readonly location: string }
  | { readonly kind: 'issue'; readonly issue: SourceRowIssue };

/** The vendor record an outcome is about. */
export interface VendorRecordSubject {
  /** What the vendor calls the record, opening its location: `employee`, `worker`, `PerPerson`. */
  readonly noun: string;
  /** The vendor's id of the record (the canonical id), or null when the record has none. */
  readonly id: string | null;
  /** The vendor's name of the id field, named by the issue when the id is missing. */
  readonly idField: string;
  /** The worker key's `source`. */
  readonly source: string;
  /** The location of a record without an id (default `<noun> (no id)`). */
  readonly locationWithoutId?: string;
}

/**
 * The day a connector splits HR's dated rows at. What is dated on or before it is in effect in every zone and
 * is a current value; what is dated after it becomes a future change, which the planner applies at the
 * worker's own local midnight. So it is the earliest date anywhere (UTC−12), never the UTC date: a change
 * dated tomorrow in New York but today in UTC waits for New York's midnight.
 */
export function hrToday(now: Date): CalendarDate {
  return earliestDateAt(now);
}

/**
 * A record built by `build`, or a row issue: a missing id, or a `FieldProblem` thrown while building
 * (any other error is a fault, not a bad record, and propagates).
 */
export function recordOutcome(subject: VendorRecordSubject, build: (id: string) => WorkerInput): RecordOutcome {
  const { noun, id, idField, source } = subject;
  if (id === null) {
    const location = subject.locationWithoutId ?? `${noun} (no id)`;
    return {
      kind: 'issue',
      issue: { location, workerId: null, workerKey: null, field: idField, message: 'is missing' },
    };
  }
  const location = `${noun} ${id}`;
  try {
    return { kind: 'record', record: build(id), location };
  } catch (error) {
    if (!(error instanceof FieldProblem)) throw error;
    const issue = { location, workerId: id, workerKey: `${source}:${id}`, field: error.field, message: error.message };
    return { kind: 'issue', issue };
  }
}

/**
 * A vendor value as text: a string trimmed (null when blank), a finite number written out, else null.
 * `booleans` also writes `true`/`false` out, for a vendor whose custom fields may be booleans (AFAS).
 */
export function vendorText(value: unknown, options: { readonly booleans?: boolean } = {}): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean' && options.booleans) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A text starting with a date: `2026-03-01`, `2026-03-01T00:00:00+01:00`. */
const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})/;

/**
 * The calendar date a vendor's date text holds (null when there is no text). The text must match `form`,
 * whose first group is the date (default: any text starting `YYYY-MM-DD`), and the date must be a real
 * one (`2026-02-30` is not); otherwise a `FieldProblem` on `field` says which form was `expected`.
 */
export function vendorDate(raw: string | null, field: string, expected: string, form = DATE_PREFIX): string | null {
  if (raw === null) return null;
  const day = form.exec(raw)?.[1];
  if (day === undefined || calendarDateProblem(day) !== null)
    throw new FieldProblem(field, `is not a date (expected ${expected})`);
  return day;
}

/** The employee type a vendor's type name maps to in `types` (lower-case keys): none → employee, unlisted → other. */
export function employeeTypeNamed(name: string | null, types: Readonly<Record<string, EmployeeType>>): EmployeeType {
  if (name === null) return 'employee';
  return types[name.toLowerCase()] ?? 'other';
}

/**
 * The fields of a vendor record outside the field map (`known`), as custom fields: those whose name is a
 * valid custom field name and whose value `scalarOf` reads as text (default `vendorText`).
 */
export function unmappedFields(
  fields: Readonly<Record<string, unknown>>,
  known: ReadonlySet<string>,
  scalarOf: (value: unknown) => string | null = vendorText,
): Record<string, string> {
  const custom: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (known.has(name) || !customFieldName.safeParse(name).success) continue;
    const scalar = scalarOf(value);
    if (scalar !== null) custom[name] = scalar;
  }
  return custom;
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The fields of `after` that differ from `before`: what a future change holds. Repeating an unchanged field
 * would read as a change of it (an employee type repeated in every period would make each a conversion).
 */
export function changedFieldsOf<T extends Readonly<Record<string, unknown>>>(before: T, after: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (!deepEqual(before[key], after[key])) changes[key] = after[key];
  }
  return changes;
}

/** A read's records and row issues from its outcomes, in order, with the read's cursor. */
export function snapshotOfOutcomes(
  outcomes: Iterable<RecordOutcome>,
  cursor: string,
  partial: boolean,
): HrSnapshotRead {
  const records: unknown[] = [];
  const locations: string[] = [];
  const rowIssues: SourceRowIssue[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === 'issue') rowIssues.push(outcome.issue);
    else {
      records.push(outcome.record);
      locations.push(outcome.location);
    }
  }
  return { kind: 'snapshot', records, locations, rowIssues, cursor, ...(partial ? { partial: true } : {}) };
}
