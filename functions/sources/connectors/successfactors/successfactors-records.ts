/**
 * SuccessFactors Employee Central persons and job slices → canonical worker records (or row issues).
 *
 * Input per person: the `PerPerson` entity with `personalInfoNav`, `emailNav`, `phoneNav` and
 * `employmentNav/userNav` expanded (as of today, or as of the hire date for a pre-hire), and the person's
 * `EmpJob` slices that overlap today or start later (`fromDate=<today>&toDate=9999-12-31`, with
 * `departmentNav`, `locationNav`, `costCenterNav`, `companyNav`, `emplStatusNav`, `employeeClassNav` and
 * `managerUserNav/empInfo` expanded).
 *
 * Field map:
 *
 * | Canonical                   | SuccessFactors                                                                   |
 * |-----------------------------|----------------------------------------------------------------------------------|
 * | id                          | `PerPerson.personIdExternal`                                                     |
 * | legalName.first/middle/last | `PerPersonal.firstName` / `middleName` / `lastName`                              |
 * | preferredName.first         | `PerPersonal.preferredName` (when set)                                           |
 * | email                       | `PerEmail.emailAddress` of the primary e-mail (else the first)                   |
 * | phone.work                  | `PerPhone` primary: `+countryCode areaCode phoneNumber`                          |
 * | hireDate                    | `EmpEmployment.startDate` (a future date is a pre-hire)                          |
 * | terminationDate             | `EmpEmployment.endDate`: SuccessFactors' termination date is the last day worked |
 * | department / location / costCenter / company | `EmpJob` `departmentNav` / `locationNav` / `costCenterNav` / `companyNav` `.name`, else the code |
 * | title                       | `EmpJob.jobTitle`                                                                |
 * | managerId                   | `EmpJob.managerUserNav.empInfo.personIdExternal`, else `EmpJob.managerId` (`NO_MANAGER`: none) |
 * | employmentStatus            | `EmpJob.emplStatusNav.externalCode` (see `EMPLOYMENT_STATUS_CODES`), terminated too once `endDate` has passed |
 * | employeeType                | `contractor` when `EmpEmployment.isContingentWorker`, else `employeeClassNav.externalCode` through `employeeTypes` (default `employee`) |
 * | customFields.<name>         | any other `EmpJob` property of the slice (e.g. `division`, `businessUnit`) and `User` `custom01`–`custom15` |
 * | future                      | `EmpJob` slices starting after today (or after the hire date), one entry per date; a terminating slice is not an entry |
 *
 * Effective dating: the job in effect is the last slice starting on or before today (for a pre-hire, on
 * or before the hire date, so the record carries the hired job). Dates are OData v2 `/Date(ms)/` values,
 * read as UTC calendar dates.
 */
import { addDays, parseCalendarDate } from '../../../../shared/time/calendar-date';
import {
  customFieldName,
  type EmployeeType,
  type EmploymentStatus,
  type FutureChange,
  type WorkerInput,
} from '../../../../shared/worker/worker-schema';
import {
  changedFieldsOf,
  FieldProblem,
  recordOutcome,
  vendorText as text,
  type RecordOutcome,
} from '../vendor-records';

/** One OData entity as the JSON format returns it (navigation properties expanded or deferred). */
export type ODataEntity = Readonly<Record<string, unknown>>;

/** `emplStatusNav.externalCode` → canonical employment status (SAP's standard employee status picklist). */
export const EMPLOYMENT_STATUS_CODES: Readonly<Record<string, EmploymentStatus>> = {
  A: 'active',
  U: 'on-leave',
  P: 'on-leave',
  S: 'on-leave',
  F: 'on-leave',
  T: 'terminated',
  R: 'terminated',
  D: 'terminated',
};

export interface PersonInput {
  readonly person: ODataEntity;
  /** The person's job slices (any order). */
  readonly jobs: readonly ODataEntity[];
}

export interface RecordContext {
  /** The worker key's `source`. */
  readonly source: string;
  /** Today's date `YYYY-MM-DD`. */
  readonly today: string;
  /** `employeeClassNav.externalCode` → employee type; a class not listed is `employee`. */
  readonly employeeTypes: Readonly<Record<string, EmployeeType>>;
}

const KNOWN_JOB_PROPERTIES: ReadonlySet<string> = new Set([
  'userId',
  'seqNumber',
  'startDate',
  'endDate',
  'jobTitle',
  'department',
  'location',
  'costCenter',
  'company',
  'managerId',
  'emplStatus',
  'employeeClass',
  'lastModifiedDateTime',
  'createdDateTime',
]);

const USER_CUSTOM_FIELD = /^custom(0[1-9]|1[0-5])$/;

export function isEntity(value: unknown): value is ODataEntity {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entities of an expanded collection (`{ results: [...] }`), or [] when deferred or absent. */
export function resultsOf(value: unknown): ODataEntity[] {
  if (!isEntity(value) || !Array.isArray(value.results)) return [];
  return value.results.filter(isEntity);
}

const ODATA_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** An OData v2 `/Date(ms)/` (optionally with an offset) → epoch ms, or null when it is not one. */
export function odataMillis(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = ODATA_DATE.exec(value);
  return match ? Number(match[1]) : null;
}

/** A date field as `YYYY-MM-DD`; null when absent; a problem when it is not an OData date. */
function dateOf(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  const millis = odataMillis(value);
  if (millis === null || !Number.isFinite(new Date(millis).getTime()))
    throw new FieldProblem(field, 'is not an OData date (expected /Date(milliseconds)/)');
  const day = new Date(millis).toISOString().slice(0, 10);
  // A date hr2ad cannot compute with (outside 1900–2999) quarantines this person, not the whole read.
  if (parseCalendarDate(day) === null) throw new FieldProblem(field, `is ${day}, outside the years 1900–2999`);
  return day;
}

function required(entity: ODataEntity, property: string, field: string): string {
  const value = text(entity[property]);
  if (value === null) throw new FieldProblem(field, 'is missing');
  return value;
}

/** A foreign object's `name`, else the code the slice holds. */
function named(job: ODataEntity, property: string, nav: string): string | null {
  const object = job[nav];
  return (isEntity(object) ? text(object.name) : null) ?? text(job[property]);
}

function externalCode(job: ODataEntity, nav: string): string | null {
  const option = job[nav];
  return isEntity(option) ? text(option.externalCode) : null;
}

function managerOf(job: ODataEntity): string | null {
  const user = job.managerUserNav;
  const employment = isEntity(user) ? user.empInfo : null;
  const person = isEntity(employment) ? text(employment.personIdExternal) : null;
  const manager = person ?? text(job.managerId);
  return manager === 'NO_MANAGER' ? null : manager;
}

/** A scalar property as a custom value (`/Date(ms)/` as `YYYY-MM-DD`); null for navigation and metadata. */
function customValueOf(value: unknown): string | number | boolean | null {
  if (typeof value === 'boolean' || typeof value === 'number') return value;
  const scalar = text(value);
  if (scalar === null) return null;
  const millis = odataMillis(scalar);
  return millis === null ? scalar : new Date(millis).toISOString().slice(0, 10);
}

function customFieldsOf(job: ODataEntity, user: ODataEntity | null): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {};
  const add = (name: string, value: unknown) => {
    const custom = customValueOf(value);
    if (custom !== null && customFieldName.safeParse(name).success) fields[name] = custom;
  };
  for (const [name, value] of Object.entries(job)) if (!KNOWN_JOB_PROPERTIES.has(name)) add(name, value);
  for (const [name, value] of Object.entries(user ?? {})) if (USER_CUSTOM_FIELD.test(name)) add(name, value);
  return fields;
}

interface Slice {
  readonly start: string;
  readonly seq: number;
  readonly job: ODataEntity;
}

function slicesOf(jobs: readonly ODataEntity[]): Slice[] {
  const slices = jobs.map((job) => ({
    start: dateOf(job.startDate, 'EmpJob.startDate') ?? '',
    seq: Number(text(job.seqNumber) ?? 0),
    job,
  }));
  if (slices.some((s) => s.start === '')) throw new FieldProblem('EmpJob.startDate', 'is missing');
  return slices.sort((a, b) => a.start.localeCompare(b.start) || a.seq - b.seq);
}

function statusCodeOf(job: ODataEntity): EmploymentStatus {
  const code = externalCode(job, 'emplStatusNav');
  if (code === null) throw new FieldProblem('EmpJob.emplStatus', 'has no status code (emplStatusNav.externalCode)');
  const status = EMPLOYMENT_STATUS_CODES[code.toUpperCase()];
  if (!status) throw new FieldProblem('EmpJob.emplStatus', `has an unknown status code "${code}"`);
  return status;
}

function employeeTypeOf(employment: ODataEntity, job: ODataEntity, ctx: RecordContext): EmployeeType {
  if (employment.isContingentWorker === true) return 'contractor';
  const employeeClass = externalCode(job, 'employeeClassNav') ?? text(job.employeeClass);
  return (employeeClass !== null ? ctx.employeeTypes[employeeClass] : undefined) ?? 'employee';
}

function jobFields(job: ODataEntity, employment: ODataEntity, user: ODataEntity | null, ctx: RecordContext) {
  return {
    department: named(job, 'department', 'departmentNav'),
    title: text(job.jobTitle),
    location: named(job, 'location', 'locationNav'),
    costCenter: named(job, 'costCenter', 'costCenterNav'),
    company: named(job, 'company', 'companyNav'),
    managerId: managerOf(job),
    employeeType: employeeTypeOf(employment, job, ctx),
    customFields: customFieldsOf(job, user),
  };
}

/** The employment the worker is read from: the one that started last. */
function employmentOf(person: ODataEntity): ODataEntity {
  const employments = resultsOf(person.employmentNav);
  const dated = employments.map((e) => ({ e, start: dateOf(e.startDate, 'EmpEmployment.startDate') ?? '' }));
  const latest = dated.sort((a, b) => a.start.localeCompare(b.start)).at(-1);
  if (!latest) throw new FieldProblem('employmentNav', 'has no employment');
  return latest.e;
}

function primaryOf(entities: readonly ODataEntity[]): ODataEntity | undefined {
  return entities.find((e) => e.isPrimary === true) ?? entities[0];
}

function phoneOf(person: ODataEntity): string | null {
  const phone = primaryOf(resultsOf(person.phoneNav));
  if (!phone) return null;
  const country = text(phone.countryCode);
  const parts = [
    country === null ? null : `+${country.replace(/^\+/, '')}`,
    text(phone.areaCode),
    text(phone.phoneNumber),
  ];
  const number = parts.filter((p) => p !== null).join(' ');
  return text(phone.phoneNumber) === null ? null : number;
}

function statusOf(
  current: ODataEntity,
  slices: readonly Slice[],
  endDate: string | null,
  ctx: RecordContext,
): { employmentStatus: EmploymentStatus; terminationDate: string | null } {
  const status = statusCodeOf(current);
  if (status === 'terminated') {
    const terminating = slices.find((s) => s.job === current)!;
    return { employmentStatus: 'terminated', terminationDate: endDate ?? addDays(terminating.start, -1) };
  }
  if (endDate !== null && endDate < ctx.today) return { employmentStatus: 'terminated', terminationDate: endDate };
  const scheduled = slices.find((s) => s.start > ctx.today && statusCodeOf(s.job) === 'terminated');
  return { employmentStatus: status, terminationDate: endDate ?? (scheduled ? addDays(scheduled.start, -1) : null) };
}

function buildRecord(id: string, input: PersonInput, ctx: RecordContext): WorkerInput {
  const { person } = input;
  const personal = resultsOf(person.personalInfoNav)[0];
  if (!personal) throw new FieldProblem('personalInfoNav', 'has no personal information in effect');
  const employment = employmentOf(person);
  const user = isEntity(employment.userNav) ? employment.userNav : null;
  const hireDate = dateOf(employment.startDate, 'EmpEmployment.startDate');
  if (hireDate === null) throw new FieldProblem('EmpEmployment.startDate', 'is missing');
  const endDate = dateOf(employment.endDate, 'EmpEmployment.endDate');
  const asOf = hireDate > ctx.today ? hireDate : ctx.today;
  const slices = slicesOf(input.jobs);
  const current = slices.filter((s) => s.start <= asOf).at(-1);
  if (!current) throw new FieldProblem('EmpJob', `has no job in effect on ${asOf}`);
  const preferred = text(personal.preferredName);
  return {
    source: ctx.source,
    id,
    legalName: {
      first: required(personal, 'firstName', 'PerPersonal.firstName'),
      middle: text(personal.middleName),
      last: required(personal, 'lastName', 'PerPersonal.lastName'),
    },
    preferredName: preferred === null ? null : { first: preferred, middle: null, last: null },
    email: text(primaryOf(resultsOf(person.emailNav))?.emailAddress),
    phone: { work: phoneOf(person), mobile: null },
    ...jobFields(current.job, employment, user, ctx),
    ...statusOf(current.job, slices, endDate, ctx),
    hireDate,
    future: futureChanges(slices, asOf, employment, user, ctx),
  };
}

/** One entry per date after `asOf`; a slice that terminates is `terminationDate`, not an entry. */
function futureChanges(
  slices: readonly Slice[],
  asOf: string,
  employment: ODataEntity,
  user: ODataEntity | null,
  ctx: RecordContext,
): FutureChange[] {
  const byDate = new Map<string, FutureChange['changes']>();
  let before: ReturnType<typeof jobFields> | null = null;
  for (const { start, job } of slices) {
    const fields = jobFields(job, employment, user, ctx);
    const previous = before;
    before = fields;
    if (start <= asOf || statusCodeOf(job) === 'terminated' || previous === null) continue;
    // Only what the slice changes: a repeated employee type would read as a conversion.
    byDate.set(start, changedFieldsOf(previous, fields));
  }
  return [...byDate.entries()].map(([effectiveDate, changes]) => ({ effectiveDate, changes }));
}

/** One person with their job slices → a record, or a row issue naming the `personIdExternal` and field. */
export function personToRecord(input: PersonInput, ctx: RecordContext): RecordOutcome {
  const subject = {
    noun: 'PerPerson',
    id: text(input.person.personIdExternal),
    idField: 'personIdExternal',
    source: ctx.source,
  };
  return recordOutcome(subject, (id) => buildRecord(id, input, ctx));
}
