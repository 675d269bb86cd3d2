/**
 * Personio employees (Personnel Data API v1, `GET /v1/company/employees`) → canonical worker records (or
 * row issues). Each attribute comes as `attributes.<name> = { label, value, type, universal_id }`.
 *
 * Field map:
 *
 * | Canonical              | Personio v1 attribute (`.value`)                                                  |
 * |------------------------|-----------------------------------------------------------------------------------|
 * | id                     | `id` (integer)                                                                    |
 * | legalName.first / last | `first_name` / `last_name`                                                        |
 * | preferredName.first    | `preferred_name` without a trailing last name, when it differs from `first_name`  |
 * | email                  | `email`                                                                           |
 * | department             | `department` → `attributes.name`                                                  |
 * | title                  | `position`                                                                        |
 * | location               | `office` → `attributes.name`                                                      |
 * | company                | `subcompany` → `attributes.name`                                                  |
 * | costCenter             | `cost_centers` → the `attributes.name` with the largest `percentage`              |
 * | managerId              | `supervisor` → `attributes.id.value`                                              |
 * | employeeType           | `employment_type`: `internal` → employee, `external` → contractor, other → other  |
 * | employmentStatus       | `status` and the last day: see below                                              |
 * | hireDate               | `hire_date` (its calendar date; a future date is a future hire, status `onboarding`) |
 * | terminationDate        | `last_working_day`, else `termination_date` (the last day worked)                 |
 * | customFields.<name>    | every other attribute (but the change stamps) with a scalar value or a named object, under its own name (`dynamic_24407`, `gender`, `team`…) |
 *
 * Status: `leave` → on-leave; `inactive` → terminated (it needs a last day); `active` and `onboarding` →
 * active, or terminated once the last day is before today (Personio turns the status inactive a day
 * later than hr2ad needs to know). A last day from today on keeps the worker active with that
 * `terminationDate`, which is how hr2ad schedules a termination.
 *
 * Effective dating: v1 answers current values plus dates. A future hire is its `hire_date`, a future
 * termination its `last_working_day`/`termination_date`; Personio publishes no future-dated transfer
 * (department, position or office dated later), so `future` is always empty: a transfer arrives as a
 * change on its effective date, read by the next delta.
 *
 * "Today" is the UTC date of the read.
 */
import { customFieldName, type EmployeeType, type WorkerInput } from '../../../../shared/worker/worker-schema';
import {
  FieldProblem,
  isJsonObject,
  recordOutcome,
  vendorDate,
  vendorText as text,
  type RecordOutcome,
} from '../vendor-records';

/** One `data[]` entry of the employee list: `{ type: 'Employee', attributes: {…} }`. */
export type PersonioEmployee = Readonly<Record<string, unknown>>;

export interface RecordContext {
  /** The worker key's `source`. */
  readonly source: string;
  /** Today's date `YYYY-MM-DD`. */
  readonly today: string;
}

/**
 * Attributes the field map reads, and the change stamps (`created_at`, `last_modified_at`: they change with
 * every edit and would make every worker look changed); every other one becomes a custom field.
 */
const MAPPED: ReadonlySet<string> = new Set([
  'created_at',
  'last_modified_at',
  'id',
  'first_name',
  'last_name',
  'preferred_name',
  'email',
  'department',
  'position',
  'office',
  'subcompany',
  'cost_centers',
  'supervisor',
  'employment_type',
  'status',
  'hire_date',
  'termination_date',
  'last_working_day',
]);

const EMPLOYEE_TYPE_OF: Readonly<Record<string, EmployeeType>> = { internal: 'employee', external: 'contractor' };

/** The employee's attributes (`{}` when the entry has none). */
export function attributesOf(employee: PersonioEmployee): Readonly<Record<string, unknown>> {
  return isJsonObject(employee.attributes) ? employee.attributes : {};
}

/** An attribute's `value` (undefined when the attribute is absent). */
function valueOf(employee: PersonioEmployee, name: string): unknown {
  const attribute = attributesOf(employee)[name];
  return isJsonObject(attribute) ? attribute.value : undefined;
}

/** The employee's Personio id, or null. */
export function personioIdOf(employee: PersonioEmployee): string | null {
  const id = valueOf(employee, 'id');
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? String(id) : null;
}

/** `last_modified_at` as epoch ms (null when absent or unreadable): what the delta cursor is made of. */
export function lastModifiedOf(employee: PersonioEmployee): number | null {
  const value = text(valueOf(employee, 'last_modified_at'));
  const ms = value === null ? NaN : Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** A related object's `attributes.<field>` (`office` → `attributes.name`). */
function related(employee: PersonioEmployee, name: string, field = 'name'): string | null {
  const value = valueOf(employee, name);
  return isJsonObject(value) && isJsonObject(value.attributes) ? text(value.attributes[field]) : null;
}

/** A Personio date (`2014-11-09T00:00:00+01:00` or `2014-11-09`) as its calendar date; null when empty. */
function dateOf(employee: PersonioEmployee, field: string): string | null {
  const raw = valueOf(employee, field);
  if (raw === null || raw === undefined || raw === '') return null;
  // Any other value (a number, a blank string) is there but is not a date.
  return vendorDate(typeof raw === 'string' ? raw.trim() : '', field, 'YYYY-MM-DD or ISO 8601');
}

function required(employee: PersonioEmployee, field: string): string {
  const value = text(valueOf(employee, field));
  if (value === null) throw new FieldProblem(field, 'is missing');
  return value;
}

/** The supervisor's id: `supervisor.value.attributes.id.value`. */
function managerIdOf(employee: PersonioEmployee): string | null {
  const supervisor = valueOf(employee, 'supervisor');
  if (!isJsonObject(supervisor) || !isJsonObject(supervisor.attributes)) return null;
  const id = supervisor.attributes.id;
  return text(isJsonObject(id) ? id.value : id);
}

/** The cost center carrying the largest share (the first of equals). */
function costCenterOf(employee: PersonioEmployee): string | null {
  const centers = valueOf(employee, 'cost_centers');
  if (!Array.isArray(centers)) return null;
  let best: { name: string; share: number } | null = null;
  for (const center of centers) {
    if (!isJsonObject(center) || !isJsonObject(center.attributes)) continue;
    const name = text(center.attributes.name);
    const share = typeof center.attributes.percentage === 'number' ? center.attributes.percentage : 0;
    if (name !== null && (best === null || share > best.share)) best = { name, share };
  }
  return best?.name ?? null;
}

/** `preferred_name` is a display name in Personio ("Alex Bergmann"): its given-name part, if it differs. */
function preferredFirstOf(preferred: string | null, first: string, last: string): string | null {
  if (preferred === null) return null;
  const given = preferred.endsWith(` ${last}`) ? preferred.slice(0, -last.length - 1).trim() : preferred;
  return given === '' || given === first ? null : given;
}

function employeeTypeOf(employee: PersonioEmployee): EmployeeType {
  const type = text(valueOf(employee, 'employment_type'));
  return type === null ? 'employee' : (EMPLOYEE_TYPE_OF[type.toLowerCase()] ?? 'other');
}

/** Employment status and the last day worked, from `status` and the termination dates (see header). */
export function employmentOf(employee: PersonioEmployee, today: string) {
  const lastDay = dateOf(employee, 'last_working_day') ?? dateOf(employee, 'termination_date');
  const status = text(valueOf(employee, 'status'))?.toLowerCase() ?? 'active';
  if (status === 'inactive') {
    if (lastDay === null) throw new FieldProblem('termination_date', 'is missing for an inactive employee');
    return { employmentStatus: 'terminated' as const, terminationDate: lastDay };
  }
  if (lastDay !== null && lastDay < today) return { employmentStatus: 'terminated' as const, terminationDate: lastDay };
  if (status === 'leave') return { employmentStatus: 'on-leave' as const, terminationDate: lastDay };
  if (status !== 'active' && status !== 'onboarding') throw new FieldProblem('status', `is not a Personio status`);
  return { employmentStatus: 'active' as const, terminationDate: lastDay };
}

/** Attributes outside the field map with a scalar value or a named object, as custom fields. */
function customFieldsOf(employee: PersonioEmployee): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {};
  for (const [name, attribute] of Object.entries(attributesOf(employee))) {
    if (MAPPED.has(name) || !isJsonObject(attribute) || !customFieldName.safeParse(name).success) continue;
    const value = attribute.value;
    if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) fields[name] = value;
    else if (text(value) !== null) fields[name] = text(value)!;
    else if (isJsonObject(value) && isJsonObject(value.attributes) && text(value.attributes.name) !== null)
      fields[name] = text(value.attributes.name)!;
  }
  return fields;
}

function buildRecord(id: string, employee: PersonioEmployee, ctx: RecordContext): WorkerInput {
  const first = required(employee, 'first_name');
  const last = required(employee, 'last_name');
  const hireDate = dateOf(employee, 'hire_date');
  if (hireDate === null) throw new FieldProblem('hire_date', 'is missing');
  const preferredFirst = preferredFirstOf(text(valueOf(employee, 'preferred_name')), first, last);
  return {
    source: ctx.source,
    id,
    legalName: { first, middle: null, last },
    preferredName: preferredFirst === null ? null : { first: preferredFirst, middle: null, last: null },
    email: text(valueOf(employee, 'email')),
    department: related(employee, 'department'),
    title: text(valueOf(employee, 'position')),
    location: related(employee, 'office'),
    company: related(employee, 'subcompany'),
    costCenter: costCenterOf(employee),
    managerId: managerIdOf(employee),
    employeeType: employeeTypeOf(employee),
    ...employmentOf(employee, ctx.today),
    hireDate,
    customFields: customFieldsOf(employee),
    future: [],
  };
}

/** One employee → a record, or a row issue naming the Personio id and the attribute. */
export function employeeToRecord(employee: PersonioEmployee, ctx: RecordContext): RecordOutcome {
  const subject = { noun: 'employee', id: personioIdOf(employee), idField: 'id', source: ctx.source };
  return recordOutcome(subject, (id) => buildRecord(id, employee, ctx));
}
