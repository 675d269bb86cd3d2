/**
 * The attribute bag expressions read: Entra-like names for a worker brought to a date (effective-dated
 * entries applied), preferred names falling back to legal ones, custom fields by name.
 */
import { validateWorker, workerAsOf, workerAttributes, type Worker } from '../../../shared/worker';

const parsed = validateWorker({
  source: 'workday',
  id: '1001',
  legalName: { first: 'Augusta', middle: 'Ada', last: 'King' },
  preferredName: { first: 'Ada' },
  email: 'ada@corp.example.test',
  phone: { work: '+44 20 7946 0000' },
  department: 'Engineering',
  title: 'Engineer',
  costCenter: 'CC-42',
  location: 'London',
  company: 'Contoso',
  managerId: '900',
  employeeType: 'contractor',
  employmentStatus: 'on-leave',
  hireDate: '2024-01-08',
  terminationDate: '2025-12-31',
  previousId: 'C-7',
  customFields: { BadgeNumber: 4711, Languages: ['en', 'fr'], Parking: null },
  future: [
    { effectiveDate: '2025-04-01', changes: { department: 'Research', employeeType: 'employee' } },
    { effectiveDate: '2025-03-01', changes: { title: 'Lead', customFields: { BadgeNumber: 4712 } } },
  ],
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const worker: Worker = parsed.value.worker;

type Row = [attribute: string, onDate: string, value: unknown];

const TABLE: Row[] = [
  ['WorkerID', '2025-01-01', '1001'],
  ['SourceSystem', '2025-01-01', 'workday'],
  ['WorkerKey', '2025-01-01', 'workday:1001'],
  ['LegalFirstName', '2025-01-01', 'Augusta'],
  ['LegalMiddleName', '2025-01-01', 'Ada'],
  ['LegalLastName', '2025-01-01', 'King'],
  ['FirstName', '2025-01-01', 'Augusta'],
  ['LastName', '2025-01-01', 'King'],
  ['PreferredFirstName', '2025-01-01', 'Ada'],
  ['PreferredLastName', '2025-01-01', 'King'],
  ['PreferredNameData', '2025-01-01', 'Ada King'],
  ['Email', '2025-01-01', 'ada@corp.example.test'],
  ['WorkPhone', '2025-01-01', '+44 20 7946 0000'],
  ['MobilePhone', '2025-01-01', null],
  ['Department', '2025-01-01', 'Engineering'],
  ['Department', '2025-04-01', 'Research'],
  ['JobTitle', '2025-02-28', 'Engineer'],
  ['JobTitle', '2025-03-01', 'Lead'],
  ['CostCenter', '2025-01-01', 'CC-42'],
  ['Location', '2025-01-01', 'London'],
  ['Company', '2025-01-01', 'Contoso'],
  ['ManagerID', '2025-01-01', '900'],
  ['EmployeeType', '2025-03-31', 'contractor'],
  ['EmployeeType', '2025-04-01', 'employee'],
  ['EmploymentStatus', '2025-01-01', 'on-leave'],
  ['Active', '2025-01-01', true],
  ['HireDate', '2025-01-01', '2024-01-08'],
  ['TerminationDate', '2025-01-01', '2025-12-31'],
  ['TimeZone', '2025-01-01', 'Europe/London'],
  ['PreviousWorkerID', '2025-01-01', 'C-7'],
  ['BadgeNumber', '2025-01-01', 4711],
  ['BadgeNumber', '2025-03-01', 4712],
  ['Languages', '2025-01-01', ['en', 'fr']],
  ['Parking', '2025-01-01', null],
];

describe('workerAttributes(workerAsOf(worker, date))', () => {
  it.each(TABLE)('[%s] on %s', (attribute, onDate, value) => {
    expect(workerAttributes(workerAsOf(worker, onDate), 'Europe/London')[attribute]).toEqual(value);
  });
});
