/**
 * HiBob employees (`POST /v1/people/search`) and their history-table rows (`GET /v1/bulk/people/{work,
 * lifecycle,employment}`) → canonical worker records (or row issues).
 *
 * Field map (search response paths; table columns; list-item ids resolved through `GET /v1/company/named-lists`):
 *
 * | Canonical                   | HiBob                                                                      |
 * |-----------------------------|----------------------------------------------------------------------------|
 * | id                          | `id` (`root.id`, the backend id)                                           |
 * | legalName.first / last      | `firstName` / `surname`                                                    |
 * | email                       | `email` (`root.email`)                                                     |
 * | phone.work / phone.mobile   | `work.workPhone` / `work.workMobile`                                       |
 * | hireDate                    | `work.startDate` (a future date is a future hire)                          |
 * | department / title          | work row in effect today: `department` / `title` (list-item ids → names from the `department` / `title` lists); without rows, the search's `humanReadable.work` |
 * | location                    | work row in effect today: `site`; without rows, `work.site`                |
 * | managerId                   | work row in effect today: `reportsTo.id`; without rows, `work.reportsTo.id` |
 * | employeeType                | employment row in effect today: `type` (a `payrollEmploymentType` list item) through `employeeTypes`; none → employee |
 * | employmentStatus            | `terminated` when the lifecycle row in effect today has status `Terminated`, else `active` |
 * | terminationDate             | the day before the `Terminated` lifecycle row's `effectiveDate` (see below) |
 * | customFields.displayName    | `displayName` (HiBob's preferred-name field id is company-specific; map it in expressions) |
 * | customFields.employeeIdInCompany | `work.employeeIdInCompany` (the HR number)                            |
 * | customFields.<name>         | each extra field id the settings ask for (`customFields`), named by its last path segment |
 * | future                      | work and employment rows dated after today, one entry per date             |
 *
 * Termination date: HiBob dates the `Terminated` lifecycle row with the termination date, and its own
 * example of `POST /employees/{id}/terminate` gives `terminationDate: 2025-09-23` with
 * `lastDayOfWork: 2025-09-22`: the row's date is the first day the employee no longer works. hr2ad's
 * `terminationDate` is the last day of work, so it is the row's date minus one day. A termination dated in
 * the future keeps the worker `active` with that `terminationDate`; a later non-terminated row (a rehire)
 * clears it.
 *
 * Effective dating uses the rows' `effectiveDate` against hr2ad's today (the UTC date of the read), not
 * HiBob's `isCurrent`: a row dated today is in effect, whatever HiBob's clock said when it answered.
 */
import { addDays } from '../../../../shared/time/calendar-date';
import {
  customFieldName,
  type EmployeeType,
  type FutureChange,
  type WorkerInput,
} from '../../../../shared/worker/worker-schema';
import {
  FieldProblem,
  employeeTypeNamed,
  isJsonObject,
  recordOutcome,
  vendorDate,
  vendorText as text,
  type RecordOutcome,
} from '../vendor-records';

/** One employee as `/people/search` returns it (machine values plus a `humanReadable` node). */
export type HibobEmployee = Readonly<Record<string, unknown>>;
/** One history-table row: `effectiveDate` plus the table's columns. */
export type HibobRow = Readonly<Record<string, unknown>>;
/** List name → (item id or value → item name). */
export type NamedLists = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** The search fields the connector asks for (each a HiBob field id). */
export const SEARCH_FIELDS = [
  'root.id',
  'root.firstName',
  'root.surname',
  'root.displayName',
  'root.email',
  'work.startDate',
  'work.title',
  'work.department',
  'work.site',
  'work.reportsTo',
  'work.workPhone',
  'work.workMobile',
  'work.employeeIdInCompany',
] as const;

/** Default HiBob employment types (lower case) → canonical employee types. */
export const DEFAULT_EMPLOYEE_TYPES: Readonly<Record<string, EmployeeType>> = {
  permanent: 'employee',
  'full-time': 'employee',
  'part-time': 'employee',
  contractor: 'contractor',
  freelance: 'contractor',
  intern: 'intern',
  internship: 'intern',
  temporary: 'temporary',
  'fixed term': 'temporary',
};

export interface EmployeeTables {
  readonly work: readonly HibobRow[];
  readonly lifecycle: readonly HibobRow[];
  readonly employment: readonly HibobRow[];
}

export interface RecordContext {
  /** The worker key's `source`. */
  readonly source: string;
  /** Today's date `YYYY-MM-DD`. */
  readonly today: string;
  readonly employeeTypes: Readonly<Record<string, EmployeeType>>;
  readonly lists: NamedLists;
  /** Extra search field ids kept as custom fields (`work.custom.costCenter`). */
  readonly customFields: readonly string[];
}

/** The value at a dotted path (`work.reportsTo.id`); `root.` names the employee itself. */
export function valueAt(employee: HibobEmployee, path: string): unknown {
  const parts = path.replace(/^root\./, '').split('.');
  let value: unknown = employee;
  for (const part of parts) value = isJsonObject(value) ? value[part] : undefined;
  return value;
}

/** A HiBob date: `YYYY-MM-DD` (a date-time keeps its date), null when empty, a problem otherwise. */
const dateOf = (value: unknown, field: string) => vendorDate(text(value), field, 'YYYY-MM-DD');

interface DatedRow {
  readonly date: string;
  readonly row: HibobRow;
}

/** Rows with their dates, oldest first (same date: by row id); a bad date is a problem naming the table. */
function datedRows(rows: readonly HibobRow[], table: string): DatedRow[] {
  const dated = rows.map((row) => ({ date: dateOf(row.effectiveDate, `${table}.effectiveDate`), row }));
  return dated
    .filter((r): r is DatedRow => r.date !== null)
    .sort((a, b) => a.date.localeCompare(b.date) || Number(a.row.id ?? 0) - Number(b.row.id ?? 0));
}

const inEffect = (rows: readonly DatedRow[], today: string) => rows.filter((r) => r.date <= today).at(-1);

/** A list item's name (`department`, `title`…); a value the list does not hold is kept as it is. */
function listName(lists: NamedLists, list: string, value: unknown): string | null {
  const raw = text(value);
  return raw === null ? null : (lists.get(list)?.get(raw) ?? raw);
}

function workFields(row: HibobRow, ctx: RecordContext) {
  return {
    department: listName(ctx.lists, 'department', row.department),
    title: listName(ctx.lists, 'title', row.title),
    location: text(row.site),
    managerId: isJsonObject(row.reportsTo) ? text(row.reportsTo.id) : null,
  };
}

/** Work fields from the search itself, for an employee whose work history the service user cannot see. */
function searchWorkFields(employee: HibobEmployee, ctx: RecordContext) {
  const named = (path: string, list: string) =>
    text(valueAt(employee, `humanReadable.${path}`)) ?? listName(ctx.lists, list, valueAt(employee, path));
  return {
    department: named('work.department', 'department'),
    title: named('work.title', 'title'),
    location: text(valueAt(employee, 'work.site')),
    managerId: text(valueAt(employee, 'work.reportsTo.id')),
  };
}

function employeeTypeOf(row: HibobRow | undefined, ctx: RecordContext): EmployeeType {
  const name = row ? listName(ctx.lists, 'payrollEmploymentType', row.type) : null;
  return employeeTypeNamed(name, ctx.employeeTypes);
}

const isTerminated = (row: HibobRow) => text(row.status)?.toLowerCase() === 'terminated';

/** Whether terminated today, and the last day of work (past, or scheduled). */
function lifecycleOf(rows: readonly DatedRow[], today: string) {
  const current = inEffect(rows, today);
  if (current && isTerminated(current.row)) return { terminated: true, terminationDate: addDays(current.date, -1) };
  const scheduled = rows.find((r) => r.date > today && isTerminated(r.row));
  return { terminated: false, terminationDate: scheduled ? addDays(scheduled.date, -1) : null };
}

function customFieldsOf(employee: HibobEmployee, ctx: RecordContext): Record<string, string> {
  const fields: Record<string, string> = {};
  const keep = (name: string, value: unknown) => {
    const scalar = text(value);
    if (scalar !== null && customFieldName.safeParse(name).success) fields[name] = scalar;
  };
  keep('displayName', employee.displayName);
  keep('employeeIdInCompany', valueAt(employee, 'work.employeeIdInCompany'));
  for (const path of ctx.customFields) keep(path.split('.').at(-1) ?? path, valueAt(employee, path));
  return fields;
}

/** One entry per date after today: work changes and employee-type changes (a termination is not an entry). */
function futureChanges(work: readonly DatedRow[], employment: readonly DatedRow[], ctx: RecordContext): FutureChange[] {
  const byDate = new Map<string, FutureChange['changes']>();
  const add = (date: string, changes: FutureChange['changes']) =>
    byDate.set(date, { ...(byDate.get(date) ?? {}), ...changes });
  for (const { date, row } of work) if (date > ctx.today) add(date, workFields(row, ctx));
  for (const { date, row } of employment) if (date > ctx.today) add(date, { employeeType: employeeTypeOf(row, ctx) });
  return [...byDate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([effectiveDate, changes]) => ({ effectiveDate, changes }));
}

function required(employee: HibobEmployee, field: string, path: string): string {
  const value = text(valueAt(employee, path));
  if (value === null) throw new FieldProblem(field, 'is missing');
  return value;
}

function buildRecord(id: string, employee: HibobEmployee, tables: EmployeeTables, ctx: RecordContext): WorkerInput {
  const hireDate = dateOf(valueAt(employee, 'work.startDate'), 'work.startDate');
  if (hireDate === null) throw new FieldProblem('work.startDate', 'is missing');
  const work = datedRows(tables.work, 'work');
  const employment = datedRows(tables.employment, 'employment');
  const lifecycle = lifecycleOf(datedRows(tables.lifecycle, 'lifecycle'), ctx.today);
  const job = inEffect(work, ctx.today);
  return {
    source: ctx.source,
    id,
    legalName: {
      first: required(employee, 'root.firstName', 'firstName'),
      middle: null,
      last: required(employee, 'root.surname', 'surname'),
    },
    preferredName: null,
    email: text(employee.email),
    phone: { work: text(valueAt(employee, 'work.workPhone')), mobile: text(valueAt(employee, 'work.workMobile')) },
    ...(job ? workFields(job.row, ctx) : searchWorkFields(employee, ctx)),
    employeeType: employeeTypeOf(inEffect(employment, ctx.today)?.row, ctx),
    employmentStatus: lifecycle.terminated ? 'terminated' : 'active',
    hireDate,
    terminationDate: lifecycle.terminationDate,
    customFields: customFieldsOf(employee, ctx),
    future: futureChanges(work, employment, ctx),
  };
}

/** One employee with its table rows → a record, or a row issue naming the HiBob id and field. */
export function employeeToRecord(employee: HibobEmployee, tables: EmployeeTables, ctx: RecordContext): RecordOutcome {
  const subject = { noun: 'employee', id: text(employee.id), idField: 'root.id', source: ctx.source };
  return recordOutcome(subject, (id) => buildRecord(id, employee, tables, ctx));
}

/** `GET /company/named-lists` → list name → (item id and value → name), nested items included. */
export function namedListsFrom(body: unknown): NamedLists {
  const lists = new Map<string, Map<string, string>>();
  if (!Array.isArray(body)) return lists;
  const addItems = (into: Map<string, string>, items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const item of items.filter(isJsonObject)) {
      const name = text(item.name) ?? text(item.value);
      if (name === null) continue;
      for (const key of [text(item.id), text(item.value)]) if (key !== null) into.set(key, name);
      addItems(into, item.children);
    }
  };
  for (const list of body.filter(isJsonObject)) {
    const name = text(list.name);
    if (name === null) continue;
    const items = new Map<string, string>();
    addItems(items, list.items);
    lists.set(name, items);
  }
  return lists;
}
