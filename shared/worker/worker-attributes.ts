/**
 * A worker as the attribute bag the expression evaluator reads. Names follow Entra's Workday/API-driven
 * inbound attributes where one exists (`[WorkerID]`, `[PreferredFirstName]`, `[JobTitle]`…), so
 * mappings written for Entra read the same here. Custom fields appear under their own names.
 */
import type { Worker } from './worker-schema';

/** A value in the bag: what `shared/mapping/expression` calls a Value. */
export type WorkerAttributeValue = string | number | boolean | null | readonly string[];

/** The bag: attribute name → value; absent values are null. */
export type WorkerAttributes = Record<string, WorkerAttributeValue>;

/**
 * The attribute names hr2ad defines, with what each holds. A custom field may not reuse one of these
 * names (compared case-insensitively, as expressions compare them).
 */
export const WORKER_ATTRIBUTES = {
  WorkerID: 'the worker id in the HR system',
  SourceSystem: 'the HR system the record came from',
  WorkerKey: 'source:id, the key hr2ad knows the worker by',
  LegalFirstName: 'legal first name',
  LegalMiddleName: 'legal middle name',
  LegalLastName: 'legal last name',
  FirstName: 'legal first name (Workday/Entra spelling)',
  MiddleName: 'legal middle name (Workday/Entra spelling)',
  LastName: 'legal last name (Workday/Entra spelling)',
  PreferredFirstName: 'preferred first name, else the legal one',
  PreferredMiddleName: 'preferred middle name, else the legal one',
  PreferredLastName: 'preferred last name, else the legal one',
  PreferredNameData: 'preferred first and last name, for display',
  Email: 'work e-mail address',
  WorkPhone: 'work telephone',
  MobilePhone: 'mobile telephone',
  Department: 'department',
  JobTitle: 'job (business) title',
  CostCenter: 'cost center',
  Location: 'work location',
  Company: 'company',
  ManagerID: "the manager's id in the same HR system",
  EmployeeType: 'employee, contractor, intern, temporary or other',
  EmploymentStatus: 'active, on-leave, terminated or rescinded',
  Active: 'True while the status is active or on-leave',
  HireDate: 'first day of work (YYYY-MM-DD)',
  TerminationDate: 'last day of work (YYYY-MM-DD)',
  TimeZone: "the worker's IANA time zone as resolved",
  PreviousWorkerID: 'the id before a rehire or conversion with a new id',
} as const;

export type WorkerAttributeName = keyof typeof WORKER_ATTRIBUTES;

const RESERVED = new Set(Object.keys(WORKER_ATTRIBUTES).map((n) => n.toLowerCase()));

/** True when a custom field would hide one of hr2ad's own attributes. */
export function isReservedAttributeName(name: string): boolean {
  return RESERVED.has(name.toLowerCase());
}

/** The key hr2ad knows a worker by: `<source>:<id>`; also the Service Bus session id. */
export function workerKeyOf(worker: Pick<Worker, 'source' | 'id'>): string {
  return `${worker.source}:${worker.id}`;
}

/**
 * Builds the bag for one worker (already brought to the date of interest with `workerAsOf`).
 * `timeZone` is the zone as resolved from the worker, its location or the default.
 */
export function workerAttributes(worker: Worker, timeZone: string): WorkerAttributes {
  const legal = worker.legalName;
  const preferred = worker.preferredName;
  const preferredFirst = preferred?.first ?? legal.first;
  const preferredLast = preferred?.last ?? legal.last;
  const bag: WorkerAttributes = {
    WorkerID: worker.id,
    SourceSystem: worker.source,
    WorkerKey: workerKeyOf(worker),
    LegalFirstName: legal.first,
    LegalMiddleName: legal.middle,
    LegalLastName: legal.last,
    FirstName: legal.first,
    MiddleName: legal.middle,
    LastName: legal.last,
    PreferredFirstName: preferredFirst,
    PreferredMiddleName: preferred?.middle ?? legal.middle,
    PreferredLastName: preferredLast,
    PreferredNameData: `${preferredFirst} ${preferredLast}`,
    Email: worker.email,
    WorkPhone: worker.phone.work,
    MobilePhone: worker.phone.mobile,
    Department: worker.department,
    JobTitle: worker.title,
    CostCenter: worker.costCenter,
    Location: worker.location,
    Company: worker.company,
    ManagerID: worker.managerId,
    EmployeeType: worker.employeeType,
    EmploymentStatus: worker.employmentStatus,
    Active: worker.employmentStatus === 'active' || worker.employmentStatus === 'on-leave',
    HireDate: worker.hireDate,
    TerminationDate: worker.terminationDate,
    TimeZone: timeZone,
    PreviousWorkerID: worker.previousId,
  };
  for (const name in worker.customFields) {
    const value = worker.customFields[name];
    // Validation refuses clashing names; a stored record from before a rename must still not hide ours.
    if (value !== undefined && !(name in bag)) bag[name] = Array.isArray(value) && value.length === 0 ? null : value;
  }
  return bag;
}
