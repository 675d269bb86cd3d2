/**
 * BambooHR employees and history-table rows → canonical worker records (or row issues).
 *
 * Field map (list endpoint `GET /api/v1/employees` fields; `jobInfo` / `employmentStatus` table columns):
 *
 * | Canonical                 | BambooHR                                                                 |
 * |---------------------------|--------------------------------------------------------------------------|
 * | id                        | `employeeId` (BambooHR's internal id)                                    |
 * | legalName.first/middle/last | `firstName` / `middleName` / `lastName`                                |
 * | preferredName.first       | `preferredName` (when set)                                               |
 * | email                     | `workEmail`                                                              |
 * | phone.work / phone.mobile | `workPhone` / `mobilePhone`                                              |
 * | hireDate                  | `hireDate` (a future date is a future hire)                              |
 * | department / title / location | `jobInfo` row in effect today: `department` / `jobTitle` / `location`; without rows, `departmentName` / `jobTitleName` / `locationName` |
 * | managerId                 | `reportsToId` (the rows' `reportsTo` is a display name, so a future manager change is not scheduled) |
 * | employeeType              | `employmentStatus` row in effect today (not `Terminated`) through `employeeTypes`; without rows, `employmentStatusName` |
 * | employmentStatus          | `terminated` when the row in effect today is `Terminated`, else `active` |
 * | terminationDate           | the day before the date of the `Terminated` row (see below)              |
 * | customFields.division     | `jobInfo` `division` (BambooHR has no standard company or cost-center field) |
 * | customFields.<name>       | any other list field or `jobInfo` column not above (e.g. `photoUrl`), when its name is a valid custom field name |
 * | future                    | `jobInfo` and `employmentStatus` rows dated after today, one entry per date |
 *
 * Termination date: BambooHR's `Terminated` status row is dated with the first day the employee is no
 * longer employed (BambooHR shows the termination date as that row's date and the employee works until
 * the day before). hr2ad's `terminationDate` is the last day of work, so it is the row's date minus one
 * day. A termination dated in the future keeps the worker `active` with that `terminationDate`, which is
 * how hr2ad schedules a termination. A later non-terminated row (a rehire) clears it.
 *
 * "Today" is the UTC date of the read; a row dated today is in effect. Empty dates are `0000-00-00`.
 */
import { addDays } from '../../../../shared/time/calendar-date';
import type { EmployeeType, WorkerInput } from '../../../../shared/worker/worker-schema';
import type { FutureChange } from '../../../../shared/worker/worker-schema';
import {
  FieldProblem,
  employeeTypeNamed,
  recordOutcome,
  unmappedFields,
  vendorDate,
  vendorText as text,
  type RecordOutcome,
} from '../vendor-records';

/** One employee as the list endpoint returns it (values are strings or null; extra fields may appear). */
export type BambooEmployee = Readonly<Record<string, unknown>>;
/** One history-table row: `date` plus the table's columns. */
export type BambooRow = Readonly<Record<string, unknown>>;

/** Default BambooHR employment-status names → canonical employee types (matched ignoring case). */
export const DEFAULT_EMPLOYEE_TYPES: Readonly<Record<string, EmployeeType>> = {
  'full-time': 'employee',
  'part-time': 'employee',
  contractor: 'contractor',
  contract: 'contractor',
  intern: 'intern',
  temporary: 'temporary',
  seasonal: 'temporary',
};

/** Optional list fields the connector asks for (each a value of the spec's `EmployeeOptionalField`). */
export const LIST_FIELDS = [
  'middleName',
  'workEmail',
  'workPhone',
  'mobilePhone',
  'hireDate',
  'departmentName',
  'divisionName',
  'locationName',
  'employmentStatusName',
  'reportsToId',
] as const;

const KNOWN_LIST_FIELDS: ReadonlySet<string> = new Set([
  ...LIST_FIELDS,
  'employeeId',
  'firstName',
  'lastName',
  'preferredName',
  'jobTitleName',
  'status',
  '_restrictedFields',
]);
const KNOWN_JOB_COLUMNS: ReadonlySet<string> = new Set([
  'id',
  'employeeId',
  'date',
  'location',
  'department',
  'division',
  'jobTitle',
  'reportsTo',
]);

export interface EmployeeTables {
  readonly jobInfo: readonly BambooRow[];
  readonly employmentStatus: readonly BambooRow[];
}

export interface RecordContext {
  /** The worker key's `source`. */
  readonly source: string;
  /** Today's date `YYYY-MM-DD`. */
  readonly today: string;
  readonly employeeTypes: Readonly<Record<string, EmployeeType>>;
}

/** A BambooHR date: `YYYY-MM-DD`, null for empty / `0000-00-00`, a problem otherwise. */
function dateOf(value: unknown, field: string): string | null {
  const raw = text(value);
  return raw === '0000-00-00' ? null : vendorDate(raw, field, 'YYYY-MM-DD');
}

interface DatedRow {
  readonly date: string;
  readonly row: BambooRow;
}

/** Rows with their dates, oldest first; a row with a bad date is a problem naming the table. */
function datedRows(rows: readonly BambooRow[], table: string): DatedRow[] {
  const dated = rows.map((row) => ({ date: dateOf(row.date, `${table}.date`), row }));
  return dated
    .filter((r): r is DatedRow => r.date !== null)
    .sort((a, b) => a.date.localeCompare(b.date) || String(a.row.id).localeCompare(String(b.row.id)));
}

const employeeTypeOf = (status: string | null, ctx: RecordContext) => employeeTypeNamed(status, ctx.employeeTypes);

const isTerminated = (row: BambooRow) => text(row.employmentStatus)?.toLowerCase() === 'terminated';

function jobFields(row: BambooRow) {
  return { department: text(row.department), title: text(row.jobTitle), location: text(row.location) };
}

/** The worker's custom fields with `row` as the job in effect (a future entry replaces the whole map). */
function customFieldsOf(employee: BambooEmployee, row: BambooRow | undefined): Record<string, string> {
  const division = row ? text(row.division) : text(employee.divisionName);
  return {
    ...unmappedFields(employee, KNOWN_LIST_FIELDS),
    ...(row ? unmappedFields(row, KNOWN_JOB_COLUMNS) : {}),
    ...(division !== null ? { division } : {}),
  };
}

/** Status in effect today: employee type, whether terminated, and the (past or scheduled) termination date. */
function statusOf(employee: BambooEmployee, rows: readonly DatedRow[], ctx: RecordContext) {
  const current = rows.filter((r) => r.date <= ctx.today);
  const inEffect = current.at(-1);
  const lastWorking = [...current].reverse().find((r) => !isTerminated(r.row));
  const typeName = lastWorking ? text(lastWorking.row.employmentStatus) : text(employee.employmentStatusName);
  const employeeType = employeeTypeOf(typeName, ctx);
  if (inEffect && isTerminated(inEffect.row))
    return { employeeType, terminated: true, terminationDate: addDays(inEffect.date, -1) };
  const scheduled = rows.find((r) => r.date > ctx.today && isTerminated(r.row));
  return { employeeType, terminated: false, terminationDate: scheduled ? addDays(scheduled.date, -1) : null };
}

/** One entry per date after today: job changes and employee-type changes (a termination is not an entry). */
function futureChanges(
  jobRows: readonly DatedRow[],
  statusRows: readonly DatedRow[],
  employee: BambooEmployee,
  ctx: RecordContext,
): FutureChange[] {
  const byDate = new Map<string, FutureChange['changes']>();
  const add = (date: string, changes: FutureChange['changes']) =>
    byDate.set(date, { ...(byDate.get(date) ?? {}), ...changes });
  for (const { date, row } of jobRows) {
    if (date > ctx.today) add(date, { ...jobFields(row), customFields: customFieldsOf(employee, row) });
  }
  for (const { date, row } of statusRows) {
    if (date > ctx.today && !isTerminated(row))
      add(date, { employeeType: employeeTypeOf(text(row.employmentStatus), ctx) });
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([effectiveDate, changes]) => ({ effectiveDate, changes }));
}

function required(employee: BambooEmployee, field: string): string {
  const value = text(employee[field]);
  if (value === null) throw new FieldProblem(field, 'is missing');
  return value;
}

function buildRecord(id: string, employee: BambooEmployee, tables: EmployeeTables, ctx: RecordContext): WorkerInput {
  const jobRows = datedRows(tables.jobInfo, 'jobInfo');
  const statusRows = datedRows(tables.employmentStatus, 'employmentStatus');
  const hireDate = dateOf(employee.hireDate, 'hireDate');
  if (hireDate === null) throw new FieldProblem('hireDate', 'is missing');
  const job = jobRows.filter((r) => r.date <= ctx.today).at(-1)?.row;
  const status = statusOf(employee, statusRows, ctx);
  const preferred = text(employee.preferredName);
  return {
    source: ctx.source,
    id,
    legalName: {
      first: required(employee, 'firstName'),
      middle: text(employee.middleName),
      last: required(employee, 'lastName'),
    },
    preferredName: preferred === null ? null : { first: preferred, middle: null, last: null },
    email: text(employee.workEmail),
    phone: { work: text(employee.workPhone), mobile: text(employee.mobilePhone) },
    ...(job
      ? jobFields(job)
      : {
          department: text(employee.departmentName),
          title: text(employee.jobTitleName),
          location: text(employee.locationName),
        }),
    managerId: text(employee.reportsToId),
    employeeType: status.employeeType,
    employmentStatus: status.terminated ? 'terminated' : 'active',
    hireDate,
    terminationDate: status.terminationDate,
    customFields: customFieldsOf(employee, job),
    future: futureChanges(jobRows, statusRows, employee, ctx),
  };
}

/** One employee with its table rows → a record, or a row issue naming the BambooHR id and field. */
export function employeeToRecord(employee: BambooEmployee, tables: EmployeeTables, ctx: RecordContext): RecordOutcome {
  const subject = { noun: 'employee', id: text(employee.employeeId), idField: 'employeeId', source: ctx.source };
  return recordOutcome(subject, (id) => buildRecord(id, employee, tables, ctx));
}
