/**
 * The canonical worker: what every HR connector (Workday, SuccessFactors, BambooHR, HiBob, Personio,
 * CSV…) turns its records into, and the only shape the mapping and the planner read.
 *
 * Absent values are `null` after parsing (never `undefined`), so two records can be compared field by
 * field and a stored record reads back exactly as it was written.
 */
import { z } from 'zod';
import { calendarDateProblem } from '../time/calendar-date';

/**
 * A string that `problemOf` finds nothing wrong with (it gives a message, or null). The issue goes on as
 * a refinement's does, so the checks after it still run; unlike `superRefine`, nothing is allocated for
 * a value that passes (a snapshot checks a million of them).
 */
function checkedString(problemOf: (value: string) => string | null) {
  return z.string().check((ctx) => {
    const problem = problemOf(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value, continue: true });
  });
}

/** An HR system's name (`workday`, `sap.sf`): the first half of a worker key. */
export const SOURCE_NAME = /^[a-z][a-z0-9._-]{0,63}$/;
/** What the schema takes for an e-mail address: something@something.something, no spaces. */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** What a custom field may be called (see `customFieldName`). */
export const CUSTOM_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** A calendar date `YYYY-MM-DD` (a day in the worker's own time zone). */
export const calendarDate = checkedString(calendarDateProblem);

// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why `value` may not be stored: it holds a C0 or C1 control character (U+0000–U+001F, U+007F–U+009F),
 * named with its 1-based position in `value` counted in characters, or null when it holds none.
 * Whitespace controls at either end (tab, line feed, carriage return…) do not count: the schema trims
 * them, so they never reach AD. Inside a value they are a sign of a broken export (a name split over
 * two lines, a NUL from a fixed-width file) and would be written to AD as they are.
 */
export function controlCharacterProblem(value: string): string | null {
  if (!CONTROL_CHARACTER.test(value)) return null;
  const start = value.length - value.trimStart().length;
  const end = value.trimEnd().length;
  let found: string | undefined;
  let position = 0;
  let more = 0;
  let offset = 0;
  let index = 0;
  for (const ch of value) {
    index++;
    if (offset >= start && offset < end && CONTROL_CHARACTER.test(ch)) {
      if (found === undefined) {
        found = ch;
        position = index;
      } else more++;
    }
    offset += ch.length;
  }
  if (found === undefined) return null;
  const others = more === 0 ? '' : ` (and ${more} more)`;
  return `contains control character ${codePointName(found)} at position ${position}${others}`;
}

/** A string without control characters inside it (checked before trimming, so positions are HR's). */
function withoutControlCharacters() {
  return checkedString(controlCharacterProblem);
}

/**
 * Free text from HR: every name field (legal and preferred first, middle and last), the manager's and
 * previous ids, phones and the organisation fields. Custom fields are not checked here: they are opaque
 * until a mapping writes one, and then the planner checks the written value against AD's rules.
 */
const text = withoutControlCharacters().trim().min(1, 'may not be empty').max(1024);
const optionalText = text.nullable().default(null);

/** Kinds of worker; conversions between them (contractor → employee) are lifecycle events. */
export const EMPLOYEE_TYPES = ['employee', 'contractor', 'intern', 'temporary', 'other'] as const;
export type EmployeeType = (typeof EMPLOYEE_TYPES)[number];

/**
 * Employment status as HR states it. `terminated` needs a termination date (the last day of work);
 * `rescinded` is a hire cancelled before it took effect. A leave of absence keeps the account.
 */
export const EMPLOYMENT_STATUSES = ['active', 'on-leave', 'terminated', 'rescinded'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

/** A custom field's value: the same shapes the expression language reads. */
export const customValue = z.union([z.string(), z.number().finite(), z.boolean(), z.null(), z.array(z.string())]);
export type CustomValue = z.infer<typeof customValue>;

/** Custom field names are attribute names in expressions (`[BadgeNumber]`). */
export const customFieldName = z
  .string()
  .regex(CUSTOM_FIELD_NAME, 'must start with a letter and hold only letters, digits and "_" (at most 64)');

const personName = z.strictObject({
  first: text,
  middle: optionalText,
  last: text,
});

/** Preferred names; a part left out falls back to the legal one. */
const preferredName = z.strictObject({
  first: optionalText,
  middle: optionalText,
  last: optionalText,
});

const phones = z.strictObject({
  work: optionalText,
  mobile: optionalText,
});

const email = withoutControlCharacters().trim().max(256).regex(EMAIL_ADDRESS, 'must be an e-mail address');

/** Fields that can change over time, and so can appear in an effective-dated entry. */
const changeableFields = {
  legalName: personName,
  preferredName: preferredName.nullable(),
  email: email.nullable(),
  phone: phones,
  department: text.nullable(),
  title: text.nullable(),
  costCenter: text.nullable(),
  location: text.nullable(),
  company: text.nullable(),
  managerId: text.nullable(),
  employeeType: z.enum(EMPLOYEE_TYPES),
  timeZone: z.string().nullable(),
  customFields: z.record(customFieldName, customValue),
};

/**
 * A change HR has recorded that takes effect later (a transfer, a promotion, a conversion): the
 * fields in `changes` replace the current ones from the start of `effectiveDate` in the worker's zone.
 * A termination is not an entry: it is `terminationDate`.
 */
export const futureChange = z.strictObject({
  effectiveDate: calendarDate,
  changes: z.strictObject(changeableFields).partial(),
});
export type FutureChange = z.infer<typeof futureChange>;

export const workerSchema = z.strictObject({
  /** The HR system the record comes from (`workday`, `bamboohr`, …); with `id`, the worker key. */
  source: z.string().regex(SOURCE_NAME, 'must be a lower-case name such as "workday" (letters, digits, ".", "_", "-")'),
  /** The worker's id in that HR system (Workday WorkerID, SuccessFactors personIdExternal, …). */
  id: withoutControlCharacters().trim().min(1, 'may not be empty').max(128),
  legalName: personName,
  preferredName: preferredName.nullable().default(null),
  email: email.nullable().default(null),
  phone: phones.default({ work: null, mobile: null }),
  department: optionalText,
  title: optionalText,
  costCenter: optionalText,
  location: optionalText,
  company: optionalText,
  /** The manager's id in the same HR system. */
  managerId: optionalText,
  employeeType: z.enum(EMPLOYEE_TYPES),
  employmentStatus: z.enum(EMPLOYMENT_STATUSES),
  /** First day of work, in the worker's zone. */
  hireDate: calendarDate,
  /** Last day of work, in the worker's zone; the account is disabled at the end of that day. */
  terminationDate: calendarDate.nullable().default(null),
  /** IANA zone; when null, derived from `location` through the configured table, else the default. */
  timeZone: z.string().nullable().default(null),
  /** The worker's id before a rehire or conversion that gave them a new one. */
  previousId: optionalText,
  customFields: z.record(customFieldName, customValue).default({}),
  /** Changes that take effect later, in any order (they are applied by date). */
  future: z.array(futureChange).max(50).default([]),
});

/** The fields of a worker, in the schema's order (the order a parsed worker's keys come in). */
export const WORKER_FIELDS: ReadonlySet<string> = new Set(Object.keys(workerSchema.shape));

/** A worker as connectors write it (optional fields may be left out). */
export type WorkerInput = z.input<typeof workerSchema>;
/** A validated worker, every optional field present (null when absent). */
export type Worker = z.infer<typeof workerSchema>;
/** The fields an effective-dated entry may change. */
export type WorkerChanges = FutureChange['changes'];
