/**
 * AFAS GetConnector rows → canonical worker records (or row issues).
 *
 * AFAS GetConnectors are defined by the customer, so every field id below is a setting (`fields`); the
 * defaults are the names of the widely used HelloID employment GetConnector. hr2ad expects a GetConnector
 * that shows ALL function periods: one row per employee and function period, the employee's own fields
 * repeated on each row (AFAS's "Medewerker met functies" views do this when the period filter is off).
 *
 * | Canonical              | Setting (`fields.…`)  | Default AFAS field id                     |
 * |------------------------|-----------------------|-------------------------------------------|
 * | id                     | employeeId            | `Medewerker`                              |
 * | legalName.first        | firstName             | `Voornaam`                                |
 * | preferredName.first    | preferredFirstName    | `Roepnaam` (when it differs from Voornaam)|
 * | legalName.last         | lastNamePrefix + lastName | `Voorvoegsel` + `Achternaam` ("de Vries") |
 * | email                  | email                 | `Email_werk`                              |
 * | phone.work / .mobile   | workPhone / mobilePhone | `Telefoonnr_werk` / `Mobielnr_werk`     |
 * | department             | department            | `Organisatorische_eenheid_omschrijving`   |
 * | title                  | title                 | `Functie_omschrijving`                    |
 * | costCenter             | costCenter            | `Kostenplaats_code`                       |
 * | location               | location              | `Standplaats`                             |
 * | company                | company               | `Werkgever_code`                          |
 * | managerId              | managerId             | `Medewerkernummer_leidinggevende`         |
 * | employeeType           | employeeType          | `Soort_medewerker` through `employeeTypes` |
 * | (period start / end)   | functionStart / functionEnd | `Begindatum_functie` / `Einddatum_functie` |
 * | hireDate               | hireDate              | `Datum_in_dienst` (a future date is a future hire) |
 * | terminationDate        | terminationDate       | `Datum_uit_dienst` (AFAS's last day of employment) |
 * | employmentStatus       | —                     | `terminated` once `Datum_uit_dienst` is before today, else `active` |
 * | (delta watermark)      | modifiedAt            | `Gewijzigd_op`                            |
 * | customFields.<id>      | —                     | any other field of the row whose id is a valid custom field name |
 * | future                 | —                     | function periods starting after today, one entry per start date |
 *
 * The period fields (department, title, costCenter, location, company, managerId, employeeType and the
 * custom fields) come from the function period in effect today: the latest that started on or before
 * today and has not ended (else the latest started). A future hire has none started: its first period
 * is its current value. Later periods become `future` entries with all period fields.
 *
 * Dates: AFAS writes `2026-06-15T00:00:00Z` but means local time in the environment's zone (a documented
 * quirk); the date part is the calendar date, so it is taken as written and never converted from UTC.
 * "Today" is the clock's date in that zone. AFAS end dates are inclusive: `Datum_uit_dienst` is the last
 * day of employment, which is hr2ad's `terminationDate` as is.
 */
import type { SourceRowIssue } from '../../../../shared/ports/hr-source.port';
import type { EmployeeType, FutureChange, WorkerInput } from '../../../../shared/worker/worker-schema';
import {
  changedFieldsOf,
  FieldProblem,
  employeeTypeNamed,
  recordOutcome,
  unmappedFields,
  vendorDate,
  vendorText,
  type RecordOutcome,
} from '../vendor-records';

/** One GetConnector row: field id → value (strings, numbers, booleans or null as AFAS returns them). */
export type AfasRow = Readonly<Record<string, unknown>>;

/** The GetConnector field ids hr2ad reads, by what they mean. */
export interface AfasFieldIds {
  readonly employeeId: string;
  readonly firstName: string;
  readonly preferredFirstName: string;
  readonly lastNamePrefix: string;
  readonly lastName: string;
  readonly email: string;
  readonly workPhone: string;
  readonly mobilePhone: string;
  readonly department: string;
  readonly title: string;
  readonly costCenter: string;
  readonly location: string;
  readonly company: string;
  readonly managerId: string;
  readonly employeeType: string;
  readonly functionStart: string;
  readonly functionEnd: string;
  readonly hireDate: string;
  readonly terminationDate: string;
  readonly modifiedAt: string;
}

export const DEFAULT_FIELD_IDS: AfasFieldIds = {
  employeeId: 'Medewerker',
  firstName: 'Voornaam',
  preferredFirstName: 'Roepnaam',
  lastNamePrefix: 'Voorvoegsel',
  lastName: 'Achternaam',
  email: 'Email_werk',
  workPhone: 'Telefoonnr_werk',
  mobilePhone: 'Mobielnr_werk',
  department: 'Organisatorische_eenheid_omschrijving',
  title: 'Functie_omschrijving',
  costCenter: 'Kostenplaats_code',
  location: 'Standplaats',
  company: 'Werkgever_code',
  managerId: 'Medewerkernummer_leidinggevende',
  employeeType: 'Soort_medewerker',
  functionStart: 'Begindatum_functie',
  functionEnd: 'Einddatum_functie',
  hireDate: 'Datum_in_dienst',
  terminationDate: 'Datum_uit_dienst',
  modifiedAt: 'Gewijzigd_op',
};

/** The fields a GetConnector must have: without them hr2ad cannot key, date or page the rows. */
export const REQUIRED_FIELDS = [
  'employeeId',
  'firstName',
  'lastName',
  'hireDate',
  'functionStart',
  'modifiedAt',
] as const satisfies readonly (keyof AfasFieldIds)[];

/** Default AFAS employee kinds (lower case) → canonical employee types. */
export const DEFAULT_EMPLOYEE_TYPES: Readonly<Record<string, EmployeeType>> = {
  werknemer: 'employee',
  medewerker: 'employee',
  employee: 'employee',
  stagiair: 'intern',
  stagiaire: 'intern',
  intern: 'intern',
  uitzendkracht: 'temporary',
  oproepkracht: 'temporary',
  tijdelijk: 'temporary',
  temporary: 'temporary',
  inhuur: 'contractor',
  extern: 'contractor',
  externe: 'contractor',
  zzp: 'contractor',
  freelancer: 'contractor',
  contractor: 'contractor',
};

export interface RecordContext {
  /** The worker key's `source`. */
  readonly source: string;
  /** The day rows are split at (`hrToday`): on or before it in effect, after it future changes. */
  readonly today: string;
  readonly fields: AfasFieldIds;
  /** Lower-case AFAS employee kinds → employee types; an unlisted kind is `other`, none is `employee`. */
  readonly employeeTypes: Readonly<Record<string, EmployeeType>>;
}

/** AFAS returns yes/no fields as booleans: as custom fields they are kept as `true`/`false`. */
export function text(value: unknown): string | null {
  return vendorText(value, { booleans: true });
}

/** AFAS's date form: a date, or a date-time with an optional `Z`; the first group is the calendar date. */
const AFAS_DATE = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}(\.\d+)?Z?)?$/;

/** An AFAS date (`2026-06-15T00:00:00Z`, local despite the `Z`, or `2026-06-15`) → its calendar date. */
export function afasDate(value: unknown, field: string): string | null {
  return vendorDate(text(value), field, 'YYYY-MM-DDTHH:mm:ssZ', AFAS_DATE);
}

/** An AFAS timestamp as the local `YYYY-MM-DDTHH:mm:ss` a filter value takes, or null when unreadable. */
export function afasTimestamp(value: unknown): string | null {
  const raw = text(value);
  const match = raw === null ? null : /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/.exec(raw);
  return match?.[1] ?? null;
}

interface Period {
  readonly start: string;
  readonly end: string | null;
  readonly row: AfasRow;
}

/** The employee's function periods, oldest first; a bad date is a problem naming its field. */
function periodsOf(rows: readonly AfasRow[], fields: AfasFieldIds): Period[] {
  const periods: Period[] = [];
  for (const row of rows) {
    const start = afasDate(row[fields.functionStart], fields.functionStart);
    if (start === null) throw new FieldProblem(fields.functionStart, 'is missing');
    periods.push({ start, end: afasDate(row[fields.functionEnd], fields.functionEnd), row });
  }
  return periods.sort((a, b) => a.start.localeCompare(b.start));
}

/** The period in effect today: started and not ended, else the latest started, else the first (a future hire). */
function currentPeriod(periods: readonly Period[], today: string): Period {
  const started = periods.filter((p) => p.start <= today);
  const open = started.filter((p) => p.end === null || p.end >= today);
  return open.at(-1) ?? started.at(-1) ?? periods[0]!;
}

function employeeTypeOf(row: AfasRow, ctx: RecordContext): EmployeeType {
  return employeeTypeNamed(text(row[ctx.fields.employeeType]), ctx.employeeTypes);
}

/** Fields of the row that are not in the field map, with a usable name and a value, as custom fields. */
function customFieldsOf(row: AfasRow, ctx: RecordContext): Record<string, string> {
  return unmappedFields(row, new Set<string>(Object.values(ctx.fields)), text);
}

function periodFields(row: AfasRow, ctx: RecordContext) {
  const f = ctx.fields;
  return {
    department: text(row[f.department]),
    title: text(row[f.title]),
    costCenter: text(row[f.costCenter]),
    location: text(row[f.location]),
    company: text(row[f.company]),
    managerId: text(row[f.managerId]),
    employeeType: employeeTypeOf(row, ctx),
    customFields: customFieldsOf(row, ctx),
  };
}

function required(row: AfasRow, field: string): string {
  const value = text(row[field]);
  if (value === null) throw new FieldProblem(field, 'is missing');
  return value;
}

function legalNameOf(row: AfasRow, f: AfasFieldIds) {
  const prefix = text(row[f.lastNamePrefix]);
  const last = required(row, f.lastName);
  return { first: required(row, f.firstName), middle: null, last: prefix ? `${prefix} ${last}` : last };
}

/** Periods starting after today, each as what it changes from the period before it. */
function futureChanges(periods: readonly Period[], current: Period, ctx: RecordContext): FutureChange[] {
  const changes: FutureChange[] = [];
  let before = periodFields(current.row, ctx);
  for (const period of periods.filter((p) => p.start > ctx.today && p !== current)) {
    const fields = periodFields(period.row, ctx);
    changes.push({ effectiveDate: period.start, changes: changedFieldsOf(before, fields) });
    before = fields;
  }
  return changes;
}

function buildRecord(id: string, rows: readonly AfasRow[], ctx: RecordContext): WorkerInput {
  const f = ctx.fields;
  const periods = periodsOf(rows, f);
  const current = currentPeriod(periods, ctx.today);
  const row = current.row;
  const hireDate = afasDate(row[f.hireDate], f.hireDate);
  if (hireDate === null) throw new FieldProblem(f.hireDate, 'is missing');
  const terminationDate = afasDate(row[f.terminationDate], f.terminationDate);
  const legalName = legalNameOf(row, f);
  const preferred = text(row[f.preferredFirstName]);
  const future = futureChanges(periods, current, ctx);
  return {
    source: ctx.source,
    id,
    legalName,
    preferredName:
      preferred === null || preferred === legalName.first ? null : { first: preferred, middle: null, last: null },
    email: text(row[f.email]),
    phone: { work: text(row[f.workPhone]), mobile: text(row[f.mobilePhone]) },
    ...periodFields(row, ctx),
    employmentStatus: terminationDate !== null && terminationDate < ctx.today ? 'terminated' : 'active',
    hireDate,
    terminationDate,
    future,
  };
}

/** One employee's rows (all with the same id) → a record, or a row issue naming the AFAS id and field. */
export function employeeToRecord(id: string, rows: readonly AfasRow[], ctx: RecordContext): RecordOutcome {
  const subject = { noun: 'employee', id, idField: ctx.fields.employeeId, source: ctx.source };
  return recordOutcome(subject, (employeeId) => buildRecord(employeeId, rows, ctx));
}

/** Rows grouped by employee id, in first-seen order; rows without an id become row issues. */
export function rowsToRecords(
  rows: readonly AfasRow[],
  ctx: RecordContext,
): { records: WorkerInput[]; locations: string[]; rowIssues: SourceRowIssue[] } {
  const byEmployee = new Map<string, AfasRow[]>();
  const rowIssues: SourceRowIssue[] = [];
  for (const row of rows) {
    const id = text(row[ctx.fields.employeeId]);
    if (id === null) {
      const issue = { location: 'row (no id)', workerId: null, workerKey: null, field: ctx.fields.employeeId };
      rowIssues.push({ ...issue, message: 'is missing' });
      continue;
    }
    const own = byEmployee.get(id);
    if (own) own.push(row);
    else byEmployee.set(id, [row]);
  }
  const records: WorkerInput[] = [];
  const locations: string[] = [];
  for (const [id, own] of byEmployee) {
    const outcome = employeeToRecord(id, own, ctx);
    if (outcome.kind === 'issue') rowIssues.push(outcome.issue);
    else {
      records.push(outcome.record);
      locations.push(outcome.location);
    }
  }
  return { records, locations, rowIssues };
}
