/**
 * Validation of HR records into canonical workers. Every problem of a record is reported at once, each
 * naming the worker key and the field path, so one look at a quarantined record says what to fix in HR.
 */
import type { z } from 'zod';
import { calendarDateProblem } from '../time/calendar-date';
import { ZoneCalendar } from '../time/zoned-time';
import { isReservedAttributeName, workerKeyOf } from './worker-attributes';
import { deepEqual } from '../util/deep-equal';
import { issuesFromZod, ROOT_PATH, type Issue, type Result } from '../util/result';
import { plainWorker } from './plain-worker';
import { WORKER_FIELDS, workerSchema, type Worker } from './worker-schema';
import {
  defaultTimeZoneSettings,
  resolveTimeZone,
  type ResolvedTimeZone,
  type TimeZoneSettings,
} from './worker-time-zone';

/** One problem with one field of one record. */
export interface WorkerIssue extends Issue {
  /** `source:id`, or `(unknown worker)` when the record does not say. */
  readonly workerKey: string;
}

/** A record that passed validation, with the zone its dates are read in. */
export interface ValidatedWorker {
  readonly workerKey: string;
  readonly worker: Worker;
  readonly timeZone: ResolvedTimeZone;
}

/** The core's `Result`; both sides also say the worker key (the claimed one, for an invalid record). */
export type WorkerValidation = Result<ValidatedWorker, WorkerIssue> & { readonly workerKey: string };

export const UNKNOWN_WORKER = '(unknown worker)';

/** The key a raw record claims, for messages, even when the record is otherwise invalid. */
export function claimedWorkerKey(input: unknown): string {
  if (input && typeof input === 'object') {
    const { source, id } = input as { source?: unknown; id?: unknown };
    if (typeof source === 'string' && typeof id === 'string' && source && id) return `${source}:${id}`;
    if (typeof id === 'string' && id) return `?:${id}`;
  }
  return UNKNOWN_WORKER;
}

function fromZod(workerKey: string, error: z.ZodError): WorkerIssue[] {
  return issuesFromZod(error).map((issue) => ({ workerKey, ...issue }));
}

type Raw = Record<string, unknown>;

function asRecord(value: unknown): Raw | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : undefined;
}

/** A date field's value when it is a valid date, else undefined (its own problem is reported by the schema). */
function validDate(value: unknown): string | undefined {
  return typeof value === 'string' && calendarDateProblem(value) === null ? value : undefined;
}

/** Checks that need several fields, run on the raw input so they add to, not wait for, schema problems. */
function crossFieldIssues(workerKey: string, raw: Raw, calendar: ZoneCalendar): WorkerIssue[] {
  const issues: WorkerIssue[] = [];
  function add(path: string, message: string): void {
    issues.push({ workerKey, path, message });
  }
  const hire = validDate(raw.hireDate);
  const termination = validDate(raw.terminationDate);

  if (hire && termination && termination < hire) {
    add('terminationDate', `the last day of work ${termination} is before the hire date ${hire}`);
  }
  if (raw.employmentStatus === 'terminated' && (raw.terminationDate === null || raw.terminationDate === undefined)) {
    add('terminationDate', 'a terminated worker needs a termination date (the last day of work)');
  }
  if (raw.timeZone !== null && raw.timeZone !== undefined) {
    const problem = calendar.timeZoneProblem(raw.timeZone);
    if (problem) add('timeZone', problem);
  }
  if (typeof raw.id === 'string' && raw.managerId === raw.id) add('managerId', 'a worker cannot be their own manager');

  const custom = asRecord(raw.customFields);
  if (custom) {
    for (const name of Object.keys(custom)) {
      if (isReservedAttributeName(name))
        add(`customFields.${name}`, `"${name}" is the name of a built-in attribute; rename the custom field`);
    }
  }

  if (Array.isArray(raw.future)) {
    const seen = new Map<string, number>();
    raw.future.forEach((entry: unknown, i: number) => {
      const e = asRecord(entry);
      if (!e) return;
      const date = validDate(e.effectiveDate);
      if (date) {
        const first = seen.get(date);
        if (first !== undefined)
          add(`future.${i}.effectiveDate`, `${date} already has an entry (future.${first}); merge the two`);
        else seen.set(date, i);
        if (hire && date < hire) add(`future.${i}.effectiveDate`, `${date} is before the hire date ${hire}`);
        if (termination && date > termination)
          add(`future.${i}.effectiveDate`, `${date} is after the last day of work ${termination}`);
      }
      const changes = asRecord(e.changes);
      if (changes) {
        if (Object.keys(changes).length === 0)
          add(`future.${i}.changes`, 'an effective-dated entry must change at least one field');
        if (changes.timeZone !== null && changes.timeZone !== undefined) {
          const problem = calendar.timeZoneProblem(changes.timeZone);
          if (problem) add(`future.${i}.changes.timeZone`, problem);
        }
        if (typeof raw.id === 'string' && changes.managerId === raw.id)
          add(`future.${i}.changes.managerId`, 'a worker cannot be their own manager');
        const futureCustom = asRecord(changes.customFields);
        if (futureCustom) {
          for (const name of Object.keys(futureCustom)) {
            if (isReservedAttributeName(name))
              add(
                `future.${i}.changes.customFields.${name}`,
                `"${name}" is the name of a built-in attribute; rename the custom field`,
              );
          }
        }
      }
    });
  }

  // Zones from the location table and the default are configuration, checked when it loads.
  return issues;
}

/**
 * Validates an HR record. `settings` decides where the worker's time zone comes from (HR's zone, the
 * location table, or the default).
 */
export function validateWorker(
  input: unknown,
  settings: TimeZoneSettings = defaultTimeZoneSettings(),
  calendar: ZoneCalendar = new ZoneCalendar(),
): WorkerValidation {
  const claimed = claimedWorkerKey(input);
  const raw = asRecord(input);
  if (!raw)
    return {
      ok: false,
      workerKey: claimed,
      issues: [{ workerKey: claimed, path: ROOT_PATH, message: 'must be an object' }],
    };
  // Most records are plainly valid, and checked as such directly; the schema reads the rest.
  const plain = plainWorker(raw);
  const parsed = plain ? ({ success: true, data: plain } as const) : workerSchema.safeParse(input);
  const issues = [
    ...(parsed.success ? [] : fromZod(claimed, parsed.error)),
    ...crossFieldIssues(claimed, raw, calendar),
  ];
  if (!parsed.success || issues.length > 0) return { ok: false, workerKey: claimed, issues };
  const worker = parsed.data;
  const workerKey = workerKeyOf(worker);
  return { ok: true, workerKey, value: { workerKey, worker, timeZone: resolveTimeZone(worker, settings) } };
}

/** Text fields: equal, or left out where the schema stored null. */
function sameText(raw: unknown, stored: string | null): boolean {
  return raw === stored || (raw === undefined && stored === null);
}

function sameName(
  raw: unknown,
  stored: { first: string | null; middle: string | null; last: string | null } | null,
): boolean {
  if (raw === undefined || raw === null)
    return (
      stored === null || (raw === undefined && stored.first === null && stored.middle === null && stored.last === null)
    );
  if (typeof raw !== 'object' || stored === null) return false;
  const r = raw as Record<string, unknown>;
  for (const key in r) if (key !== 'first' && key !== 'middle' && key !== 'last' && r[key] !== undefined) return false;
  return sameText(r.first, stored.first) && sameText(r.middle, stored.middle) && sameText(r.last, stored.last);
}

function samePhone(raw: unknown, stored: Worker['phone']): boolean {
  if (raw === undefined) return stored.work === null && stored.mobile === null;
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Record<string, unknown>;
  for (const key in r) if (key !== 'work' && key !== 'mobile' && r[key] !== undefined) return false;
  return sameText(r.work, stored.work) && sameText(r.mobile, stored.mobile);
}

function sameJson(raw: unknown, stored: unknown): boolean {
  if (raw === stored) return true;
  if (typeof raw !== 'object' || typeof stored !== 'object' || raw === null || stored === null) return false;
  if (Array.isArray(raw) !== Array.isArray(stored)) return false;
  return deepEqual(raw, stored);
}

/**
 * True when parsing `input` would give exactly `stored` (a record validated before): every field is
 * equal, or left out where `stored` holds the schema's default. An HR snapshot mostly repeats what was
 * stored, and this lets a cycle skip validating what has not changed. Field by field, because it runs
 * for every worker of every cycle.
 */
export function isStoredRecord(input: unknown, stored: Worker): boolean {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  const r = input as Record<string, unknown>;
  if (
    r.id !== stored.id ||
    r.source !== stored.source ||
    r.hireDate !== stored.hireDate ||
    r.employeeType !== stored.employeeType ||
    r.employmentStatus !== stored.employmentStatus ||
    !sameText(r.department, stored.department) ||
    !sameText(r.title, stored.title) ||
    !sameText(r.costCenter, stored.costCenter) ||
    !sameText(r.location, stored.location) ||
    !sameText(r.company, stored.company) ||
    !sameText(r.managerId, stored.managerId) ||
    !sameText(r.email, stored.email) ||
    !sameText(r.terminationDate, stored.terminationDate) ||
    !sameText(r.timeZone, stored.timeZone) ||
    !sameText(r.previousId, stored.previousId) ||
    !sameName(r.legalName, stored.legalName) ||
    !sameName(r.preferredName, stored.preferredName) ||
    !samePhone(r.phone, stored.phone)
  ) {
    return false;
  }
  if (
    r.customFields === undefined
      ? Object.keys(stored.customFields).length > 0
      : !sameJson(r.customFields, stored.customFields)
  )
    return false;
  if (r.future === undefined ? stored.future.length > 0 : !sameJson(r.future, stored.future)) return false;
  for (const key in r) if (!WORKER_FIELDS.has(key) && r[key] !== undefined) return false;
  return true;
}
