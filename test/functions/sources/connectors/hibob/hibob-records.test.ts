/**
 * HiBob employee + work / lifecycle / employment rows → canonical worker, as of today 2026-06-01.
 *
 * | case                                 | rows                                              | expected                                         |
 * |--------------------------------------|---------------------------------------------------|--------------------------------------------------|
 * | work row in effect, ids → list names | work 2024-01-01 title 11, department 21           | title Engineer, department Engineering           |
 * | future transfer                      | + work 2026-07-01 title 12                        | future [{2026-07-01, title Staff Engineer…}]     |
 * | terminated yesterday                 | lifecycle Terminated 2026-06-01                   | terminated, terminationDate 2026-05-31           |
 * | future termination                   | lifecycle Terminated 2026-07-01                   | active, terminationDate 2026-06-30               |
 * | rehire after termination             | Terminated 2026-01-01, Employed 2026-03-01        | active, no terminationDate                       |
 * | employment type                      | employment type 31 (Contractor)                   | contractor; unknown type → other; none → employee |
 * | malformed start date                 | work.startDate "soon"                             | row issue: field work.startDate                  |
 * | malformed row date                   | work row effectiveDate "x"                        | row issue: field work.effectiveDate              |
 */
import {
  DEFAULT_EMPLOYEE_TYPES,
  employeeToRecord,
  namedListsFrom,
  type EmployeeTables,
  type HibobEmployee,
} from '../../../../../functions/sources/connectors/hibob/hibob-records';

const lists = namedListsFrom([
  {
    name: 'title',
    items: [
      { id: 11, value: 'Engineer', name: 'Engineer' },
      { id: 12, name: 'Staff Engineer' },
    ],
  },
  { name: 'department', items: [{ id: 21, name: 'Engineering', children: [{ id: 22, name: 'Platform' }] }] },
  {
    name: 'payrollEmploymentType',
    items: [
      { id: 31, name: 'Contractor' },
      { id: 32, name: 'Volunteer' },
    ],
  },
]);
const ctx = { source: 'hibob', today: '2026-06-01', employeeTypes: DEFAULT_EMPLOYEE_TYPES, lists, customFields: [] };

function employee(overrides: Record<string, unknown> = {}): HibobEmployee {
  return {
    id: '100',
    firstName: 'Ava',
    surname: 'Nguyen',
    displayName: 'Ava N',
    email: 'ava@example.com',
    work: { startDate: '2024-01-01', site: 'London', employeeIdInCompany: 7, reportsTo: { id: '90' } },
    ...overrides,
  };
}

const job = (effectiveDate: string, title: number, department = 21, site = 'London') => ({
  id: Number(effectiveDate.replace(/-/g, '')),
  effectiveDate,
  title: String(title),
  department: String(department),
  site,
  reportsTo: { id: '90' },
});
const status = (effectiveDate: string, value: string) => ({ effectiveDate, status: value });

function read(tables: Partial<EmployeeTables>, person = employee()) {
  const outcome = employeeToRecord(person, { work: [], lifecycle: [], employment: [], ...tables }, ctx);
  if (outcome.kind !== 'record') throw new Error(`expected a record, got ${JSON.stringify(outcome.issue)}`);
  return outcome.record;
}

describe('HiBob records', () => {
  it('maps the work row in effect, list ids to names, and keeps display name and HR number as custom fields', () => {
    const record = read({ work: [job('2024-01-01', 11)] });
    expect(record).toMatchObject({
      id: '100',
      legalName: { first: 'Ava', last: 'Nguyen' },
      email: 'ava@example.com',
      title: 'Engineer',
      department: 'Engineering',
      location: 'London',
      managerId: '90',
      hireDate: '2024-01-01',
      employmentStatus: 'active',
      employeeType: 'employee',
      terminationDate: null,
      customFields: { displayName: 'Ava N', employeeIdInCompany: '7' },
      future: [],
    });
  });

  it('schedules a future work row as a future entry and keeps today’s values', () => {
    const record = read({ work: [job('2024-01-01', 11), job('2026-07-01', 12, 22, 'Berlin')] });
    expect(record.title).toBe('Engineer');
    expect(record.future).toEqual([
      {
        effectiveDate: '2026-07-01',
        changes: { title: 'Staff Engineer', department: 'Platform', location: 'Berlin', managerId: '90' },
      },
    ]);
  });

  it.each([
    [
      'terminated today',
      [status('2024-01-01', 'Employed'), status('2026-06-01', 'Terminated')],
      'terminated',
      '2026-05-31',
    ],
    [
      'future termination',
      [status('2024-01-01', 'Employed'), status('2026-07-01', 'Terminated')],
      'active',
      '2026-06-30',
    ],
    ['rehired', [status('2026-01-01', 'Terminated'), status('2026-03-01', 'Employed')], 'active', null],
    ['on leave', [status('2026-01-01', 'Parental leave')], 'active', null],
  ])('lifecycle: %s', (_name, lifecycle, employmentStatus, terminationDate) => {
    expect(read({ lifecycle })).toMatchObject({ employmentStatus, terminationDate });
  });

  it.each([
    ['a listed type', [{ effectiveDate: '2024-01-01', type: '31' }], 'contractor'],
    ['an unmapped type', [{ effectiveDate: '2024-01-01', type: '32' }], 'other'],
    ['no employment rows', [], 'employee'],
  ])('employment: %s', (_name, employment, employeeType) => {
    expect(read({ employment }).employeeType).toBe(employeeType);
  });

  it('falls back to the search’s human-readable work values without work rows', () => {
    const person = employee({
      work: { startDate: '2024-01-01', title: '11', department: '99', site: 'Paris' },
      humanReadable: { work: { department: 'Sales' } },
    });
    expect(read({}, person)).toMatchObject({ title: 'Engineer', department: 'Sales', location: 'Paris' });
  });

  it.each([
    ['a start date that is not a date', employee({ work: { startDate: 'soon' } }), {}, 'work.startDate'],
    ['a missing surname', employee({ surname: '' }), {}, 'root.surname'],
    ['a work row with a bad date', employee(), { work: [{ effectiveDate: 'x', title: '11' }] }, 'work.effectiveDate'],
  ])('quarantines %s naming the HiBob id and field', (_name, person, tables, field) => {
    const outcome = employeeToRecord(person, { work: [], lifecycle: [], employment: [], ...tables }, ctx);
    expect(outcome).toMatchObject({ kind: 'issue', issue: { workerId: '100', workerKey: 'hibob:100', field } });
  });

  it('quarantines an impossible date (30 February) naming the field', () => {
    const outcome = employeeToRecord(
      employee({ work: { startDate: '2026-02-30' } }),
      { work: [], lifecycle: [], employment: [] },
      ctx,
    );
    expect(outcome).toEqual({
      kind: 'issue',
      issue: {
        location: 'employee 100',
        workerId: '100',
        workerKey: 'hibob:100',
        field: 'work.startDate',
        message: 'is not a date (expected YYYY-MM-DD)',
      },
    });
  });
});
