/**
 * Workday workers (Get_Workers `wd:Worker` elements) → canonical worker records (or row issues).
 *
 * Field map (paths under `wd:Worker/`, as in Microsoft's Workday attribute reference):
 *
 * | Canonical            | Workday                                                                                   |
 * |----------------------|-------------------------------------------------------------------------------------------|
 * | id                   | `Worker_Data/Worker_ID`                                                                   |
 * | legalName            | `Worker_Data/Personal_Data/Name_Data/Legal_Name_Data/Name_Detail_Data/First_Name`, `Middle_Name`, `Last_Name` |
 * | preferredName        | `…/Name_Data/Preferred_Name_Data/Name_Detail_Data/First_Name`, `Middle_Name`, `Last_Name` |
 * | email                | `…/Contact_Data/Email_Address_Data[Usage_Data/Type_Data/Type_Reference/ID = WORK]/Email_Address` |
 * | phone.work           | `…/Contact_Data/Phone_Data[usage WORK, device not Mobile]/@Formatted_Phone`               |
 * | phone.mobile         | `…/Contact_Data/Phone_Data[Phone_Device_Type_Reference/ID = Mobile]/@Formatted_Phone`     |
 * | title                | `Worker_Data/Employment_Data/Worker_Job_Data[@Primary_Job=1]/Position_Data/Business_Title` |
 * | location             | `…/Position_Data/Business_Site_Summary_Data/Name`                                         |
 * | employeeType         | `contractor` with a `Contingent_Worker_ID`; else `…/Position_Data/Worker_Type_Reference/ID[Employee_Type_ID]` through `employeeTypes` |
 * | department           | `Worker_Data/Organization_Data/Worker_Organization_Data/Organization_Data[type SUPERVISORY]/Organization_Name` |
 * | costCenter           | `…/Organization_Data[type COST_CENTER]/Organization_Code`                                 |
 * | company              | `…/Organization_Data[type COMPANY]/Organization_Name`                                     |
 * | managerId            | `Worker_Data/Management_Chain_Data/Worker_Supervisory_Management_Chain_Data/Management_Chain_Data[last()]/Manager/Worker_Reference/ID[Employee_ID]` |
 * | hireDate             | `Worker_Data/Employment_Data/Worker_Status_Data/Hire_Date` (a future date is a future hire) |
 * | employmentStatus     | `Terminated=1` → terminated; `Hire_Rescinded=1` → rescinded; `Leave_Status_Data/On_Leave=1` → on-leave; else active |
 * | terminationDate      | `Worker_Status_Data/Termination_Last_Day_of_Work`, else `Termination_Date`                |
 * | customFields.<name>  | any other single-valued element of `Worker_Data` (`User_ID`, `Universal_ID`) or `Position_Data` (`Position_ID`, `Position_Title`…) |
 * | future               | the worker re-read as of each future effective date of its transaction log, one entry per date with the fields that differ |
 *
 * Effective dating: the worker is read as of today (`As_Of_Effective_Date`); every transaction-log entry
 * effective after today, and a hire date after today, is re-read as of that date (the reads are the
 * caller's; this module gets them as `later`). A future hire is delivered with its values as of the hire
 * date; a re-read showing `Terminated=1` is a scheduled termination (its `terminationDate`, no entry).
 *
 * Dates: Workday writes `xsd:date` values with an offset (`2021-03-01-08:00`); the calendar date is kept.
 */
import {
  type EmployeeType,
  type FutureChange,
  type WorkerChanges,
  type WorkerInput,
} from '../../../../shared/worker/worker-schema';
import {
  FieldProblem,
  employeeTypeNamed,
  recordOutcome,
  unmappedFields,
  vendorDate,
  type RecordOutcome,
} from '../vendor-records';
import { childOf, childrenOf, idOf, textOf, type XmlNode } from './workday-soap';

/** Default Workday employee types (Employee_Type_ID) → canonical employee types, matched ignoring case. */
export const DEFAULT_EMPLOYEE_TYPES: Readonly<Record<string, EmployeeType>> = {
  regular: 'employee',
  permanent: 'employee',
  fixed_term: 'temporary',
  temporary: 'temporary',
  seasonal: 'temporary',
  intern: 'intern',
  contractor: 'contractor',
};

export interface RecordContext {
  readonly source: string;
  /** Today, `YYYY-MM-DD`. */
  readonly today: string;
  /** Lower-case Employee_Type_ID → employee type. */
  readonly employeeTypes: Readonly<Record<string, EmployeeType>>;
}

const WORKER_DATA_KNOWN: ReadonlySet<string> = new Set([
  'Worker_ID',
  'Personal_Data',
  'Employment_Data',
  'Organization_Data',
  'Management_Chain_Data',
  'Transaction_Log_Entry_Data',
]);
const POSITION_DATA_KNOWN: ReadonlySet<string> = new Set([
  'Business_Title',
  'Business_Site_Summary_Data',
  'Worker_Type_Reference',
]);

/** A Workday `xsd:date` or date-time, with or without an offset; the first group is the calendar date. */
const WORKDAY_DATE = /^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+)?(?:Z|[+-]\d{2}:\d{2})?$/;

/** A Workday date (`2021-03-01` or `2021-03-01-08:00`) as `YYYY-MM-DD`; null when absent. */
export function workdayDate(value: unknown, field: string): string | null {
  return vendorDate(textOf(value), field, 'YYYY-MM-DD', WORKDAY_DATE);
}

/** The Worker_ID (the canonical id) and the WID of a worker element. */
export function workerIdsOf(worker: XmlNode): { id: string | null; wid: string | null } {
  return {
    id: textOf(childOf(worker, 'Worker_Data', 'Worker_ID')),
    wid: idOf(childOf(worker, 'Worker_Reference'), 'WID'),
  };
}

/** The effective dates (YYYY-MM-DD) of the worker's transaction-log entries, and its entry moments. */
export function transactionLogOf(worker: XmlNode): { effective: string[]; entered: string[] } {
  const entries = childrenOf(childOf(worker, 'Worker_Data', 'Transaction_Log_Entry_Data'), 'Transaction_Log_Entry');
  const effective: string[] = [];
  const entered: string[] = [];
  for (const entry of entries) {
    const data = childOf(entry, 'Transaction_Log_Data');
    const effectiveMoment = textOf(childOf(data, 'Transaction_Effective_Moment'));
    const entryMoment = textOf(childOf(data, 'Transaction_Entry_Moment'));
    if (effectiveMoment && /^\d{4}-\d{2}-\d{2}/.test(effectiveMoment)) effective.push(effectiveMoment.slice(0, 10));
    if (entryMoment && !Number.isNaN(Date.parse(entryMoment))) entered.push(new Date(entryMoment).toISOString());
  }
  return { effective, entered };
}

/** The hire date as Workday states it (a problem when it is not a date). */
export function hireDateOf(worker: XmlNode): string | null {
  const status = childOf(worker, 'Worker_Data', 'Employment_Data', 'Worker_Status_Data');
  return workdayDate(childOf(status, 'Hire_Date'), 'Employment_Data/Worker_Status_Data/Hire_Date');
}

function usageIs(data: XmlNode, usage: string): boolean {
  return childrenOf(childOf(data, 'Usage_Data'), 'Type_Data').some(
    (type) => idOf(childOf(type, 'Type_Reference'), 'Communication_Usage_Type_ID')?.toUpperCase() === usage,
  );
}

function contactOf(personal: XmlNode | undefined) {
  const contact = childOf(personal, 'Contact_Data');
  const email = childrenOf(contact, 'Email_Address_Data').find((e) => usageIs(e, 'WORK'));
  const phones = childrenOf(contact, 'Phone_Data');
  const isMobile = (p: XmlNode) =>
    idOf(childOf(p, 'Phone_Device_Type_Reference'), 'Phone_Device_Type_ID')?.toLowerCase() === 'mobile';
  const work = phones.find((p) => usageIs(p, 'WORK') && !isMobile(p));
  const mobile = phones.find(isMobile);
  return {
    email: textOf(childOf(email, 'Email_Address')),
    phone: {
      work: work ? textOf(work['@_Formatted_Phone']) : null,
      mobile: mobile ? textOf(mobile['@_Formatted_Phone']) : null,
    },
  };
}

function nameOf(detail: XmlNode | undefined) {
  return {
    first: textOf(childOf(detail, 'First_Name')),
    middle: textOf(childOf(detail, 'Middle_Name')),
    last: textOf(childOf(detail, 'Last_Name')),
  };
}

function namesOf(personal: XmlNode | undefined) {
  const names = childOf(personal, 'Name_Data');
  const legal = nameOf(childOf(names, 'Legal_Name_Data', 'Name_Detail_Data'));
  if (legal.first === null) throw new FieldProblem('Personal_Data/Name_Data/Legal_Name_Data/First_Name', 'is missing');
  if (legal.last === null) throw new FieldProblem('Personal_Data/Name_Data/Legal_Name_Data/Last_Name', 'is missing');
  const preferredData = childOf(names, 'Preferred_Name_Data', 'Name_Detail_Data');
  const preferred = preferredData ? nameOf(preferredData) : null;
  return { legalName: { first: legal.first, middle: legal.middle, last: legal.last }, preferredName: preferred };
}

function organizationsOf(workerData: XmlNode | undefined) {
  const orgs = childrenOf(childOf(workerData, 'Organization_Data'), 'Worker_Organization_Data').flatMap((w) =>
    childrenOf(w, 'Organization_Data'),
  );
  const ofType = (type: string) =>
    orgs.find((o) => idOf(childOf(o, 'Organization_Type_Reference'), 'Organization_Type_ID')?.toUpperCase() === type);
  return {
    department: textOf(childOf(ofType('SUPERVISORY'), 'Organization_Name')),
    costCenter: textOf(childOf(ofType('COST_CENTER'), 'Organization_Code')),
    company: textOf(childOf(ofType('COMPANY'), 'Organization_Name')),
  };
}

function managerOf(workerData: XmlNode | undefined): string | null {
  const chains = childrenOf(childOf(workerData, 'Management_Chain_Data'), 'Worker_Supervisory_Management_Chain_Data');
  const links = childrenOf(chains[0], 'Management_Chain_Data');
  const manager = childrenOf(childOf(links.at(-1), 'Manager'), 'Worker_Reference')[0];
  return idOf(manager, 'Employee_ID');
}

function primaryPosition(workerData: XmlNode | undefined): XmlNode | undefined {
  const jobs = childrenOf(childOf(workerData, 'Employment_Data'), 'Worker_Job_Data');
  const primary = jobs.find((j) => textOf(j['@_Primary_Job']) === '1' || textOf(j['@_Primary_Job']) === 'true');
  return childOf(primary ?? jobs[0], 'Position_Data');
}

/** Whether an element holds text only (attributes aside): a single value, not a structure. */
function isLeaf(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return !Array.isArray(value) && Object.keys(value).every((key) => key === '#text' || key.startsWith('@_'));
}

/** Single-valued elements not in the field map, as custom fields. */
function unknownFields(node: XmlNode | undefined, known: ReadonlySet<string>): Record<string, string> {
  return unmappedFields(node ?? {}, known, (value) => (isLeaf(value) ? textOf(value) : null));
}

function employeeTypeOf(worker: XmlNode, position: XmlNode | undefined, ctx: RecordContext): EmployeeType {
  if (idOf(childOf(worker, 'Worker_Reference'), 'Contingent_Worker_ID') !== null) return 'contractor';
  return employeeTypeNamed(idOf(childOf(position, 'Worker_Type_Reference'), 'Employee_Type_ID'), ctx.employeeTypes);
}

const flag = (value: unknown) => {
  const raw = textOf(value);
  return raw === '1' || raw === 'true';
};

/** Employment status and the last day of work as the worker element states them. */
export function statusOf(worker: XmlNode) {
  const employment = childOf(worker, 'Worker_Data', 'Employment_Data');
  const status = childOf(employment, 'Worker_Status_Data');
  const field = (name: string) => `Employment_Data/Worker_Status_Data/${name}`;
  const lastDay =
    workdayDate(childOf(status, 'Termination_Last_Day_of_Work'), field('Termination_Last_Day_of_Work')) ??
    workdayDate(childOf(status, 'Termination_Date'), field('Termination_Date'));
  const onLeave =
    flag(childOf(status, 'Leave_Status_Data', 'On_Leave')) ||
    flag(childOf(employment, 'Leave_Status_Data', 'On_Leave'));
  if (flag(childOf(status, 'Terminated'))) {
    if (lastDay === null) throw new FieldProblem(field('Termination_Date'), 'is missing for a terminated worker');
    return { employmentStatus: 'terminated' as const, lastDay };
  }
  if (flag(childOf(status, 'Hire_Rescinded'))) return { employmentStatus: 'rescinded' as const, lastDay: null };
  return { employmentStatus: onLeave ? ('on-leave' as const) : ('active' as const), lastDay: null };
}

/** The fields of one worker element that may change over time. */
function changeableOf(worker: XmlNode, ctx: RecordContext): Required<Pick<WorkerChanges, ChangeField>> {
  const data = childOf(worker, 'Worker_Data');
  const personal = childOf(data, 'Personal_Data');
  const position = primaryPosition(data);
  const site = childOf(position, 'Business_Site_Summary_Data');
  return {
    ...namesOf(personal),
    ...contactOf(personal),
    ...organizationsOf(data),
    title: textOf(childOf(position, 'Business_Title')),
    location: textOf(childOf(site, 'Name')),
    managerId: managerOf(data),
    employeeType: employeeTypeOf(worker, position, ctx),
    customFields: { ...unknownFields(data, WORKER_DATA_KNOWN), ...unknownFields(position, POSITION_DATA_KNOWN) },
  };
}

const CHANGE_FIELDS = [
  'legalName',
  'preferredName',
  'email',
  'phone',
  'department',
  'title',
  'costCenter',
  'location',
  'company',
  'managerId',
  'employeeType',
  'customFields',
] as const;
type ChangeField = (typeof CHANGE_FIELDS)[number];

function changesBetween(before: WorkerChanges, after: WorkerChanges): WorkerChanges {
  const changes: Record<string, unknown> = {};
  for (const field of CHANGE_FIELDS) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) changes[field] = after[field];
  }
  return changes as WorkerChanges;
}

/**
 * One worker read as of today (`current`) and as of its future effective dates (`later`, date → element)
 * → a record with its future entries and scheduled termination.
 */
function buildRecord(
  id: string,
  current: XmlNode,
  later: ReadonlyMap<string, XmlNode>,
  ctx: RecordContext,
): WorkerInput {
  const hireDate = hireDateOf(current);
  if (hireDate === null) throw new FieldProblem('Employment_Data/Worker_Status_Data/Hire_Date', 'is missing');
  // A future hire is delivered as it will be on day one: its hire-date read is the base, and only
  // later dates are changes.
  const futureHire = hireDate > ctx.today;
  const base = futureHire ? (later.get(hireDate) ?? current) : current;
  const from = futureHire ? hireDate : ctx.today;
  const dates = [...later.keys()].filter((d) => d > from).sort();
  const baseFields = changeableOf(base, ctx);
  const status = statusOf(current);
  let terminationDate = status.lastDay;
  let previous: WorkerChanges = baseFields;
  const future: FutureChange[] = [];
  for (const date of dates) {
    const element = later.get(date)!;
    const scheduled = statusOf(element);
    if (scheduled.employmentStatus === 'terminated') {
      terminationDate ??= scheduled.lastDay;
      continue;
    }
    const fields = changeableOf(element, ctx);
    const changes = changesBetween(previous, fields);
    if (Object.keys(changes).length > 0) future.push({ effectiveDate: date, changes });
    previous = fields;
  }
  return {
    source: ctx.source,
    id,
    ...baseFields,
    employmentStatus: status.employmentStatus,
    hireDate,
    terminationDate,
    future,
  };
}

/** One worker (as of today and its future dates) → a record, or a row issue naming the Workday id and field. */
export function workerToRecord(
  current: XmlNode,
  later: ReadonlyMap<string, XmlNode>,
  ctx: RecordContext,
): RecordOutcome {
  const { id, wid } = workerIdsOf(current);
  const subject = {
    noun: 'worker',
    id,
    idField: 'Worker_ID',
    source: ctx.source,
    // Without a Worker_ID the WID still tells an administrator which worker it is.
    locationWithoutId: `worker ${wid ?? '(no WID)'}`,
  };
  return recordOutcome(subject, (workerId) => buildRecord(workerId, current, later, ctx));
}
