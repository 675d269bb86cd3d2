/**
 * Personio employee → canonical worker, as truth tables (today is 2026-06-01).
 *
 * | status       | last day (last_working_day / termination_date) | employmentStatus | terminationDate |
 * |--------------|------------------------------------------------|------------------|-----------------|
 * | active       | none                                           | active           | null            |
 * | onboarding   | none (future hire_date)                        | active           | null            |
 * | active       | 2026-06-30 (future)                            | active           | 2026-06-30      |
 * | active       | 2026-06-01 (today: still works today)          | active           | 2026-06-01      |
 * | active       | 2026-05-31 (past)                              | terminated       | 2026-05-31      |
 * | inactive     | 2026-05-15                                     | terminated       | 2026-05-15      |
 * | leave        | none                                           | on-leave         | null            |
 *
 * | employment_type | employeeType |
 * |-----------------|--------------|
 * | internal        | employee     |
 * | external        | contractor   |
 * | (absent)        | employee     |
 * | freelance       | other        |
 *
 * | malformed                          | row issue field    |
 * |------------------------------------|--------------------|
 * | hire_date "31.02.2026"             | hire_date          |
 * | termination_date "soon"            | termination_date   |
 * | first_name empty                   | first_name         |
 * | status inactive without a last day | termination_date   |
 * | status "retired"                   | status             |
 * | no id                              | id                 |
 */
import {
  employeeToRecord,
  type PersonioEmployee,
} from '../../../../../functions/sources/connectors/personio/personio-records';
import { workerSchema } from '../../../../../shared/worker/worker-schema';

const CTX = { source: 'personio', today: '2026-06-01' };

function attribute(value: unknown, type = 'standard') {
  return { label: 'x', value, type, universal_id: 'x' };
}

/** A Personio v1 employee with the given attribute values (`undefined` leaves one out). */
function employee(values: Record<string, unknown> = {}): PersonioEmployee {
  const base: Record<string, unknown> = {
    id: 7,
    first_name: 'Ava',
    last_name: 'Nguyen',
    preferred_name: 'Ava Nguyen',
    email: 'ava.nguyen@example.com',
    status: 'active',
    position: 'Engineer',
    employment_type: 'internal',
    hire_date: '2021-03-01T00:00:00+01:00',
    termination_date: null,
    last_working_day: null,
    supervisor: { type: 'Employee', attributes: { id: attribute(2, 'integer') } },
    office: { type: 'Office', attributes: { id: 131014, name: 'Berlin' } },
    department: { type: 'Department', attributes: { id: 281521, name: 'Engineering' } },
    subcompany: { type: 'Subcompany', attributes: { id: 7033, name: 'Demo GmbH' } },
    cost_centers: [
      { type: 'CostCenter', attributes: { id: 1, name: 'CC small', percentage: 20 } },
      { type: 'CostCenter', attributes: { id: 2, name: 'CC big', percentage: 80 } },
    ],
    last_modified_at: '2026-05-01T10:00:00+02:00',
    created_at: '2021-02-01T10:00:00+01:00',
    dynamic_24407: '+49 30 1234',
    gender: 'female',
    team: { type: 'Team', attributes: { id: 5, name: 'Platform' } },
    ...values,
  };
  const attributes = Object.fromEntries(
    Object.entries(base)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, attribute(value)]),
  );
  return { type: 'Employee', attributes };
}

function record(values: Record<string, unknown> = {}) {
  const outcome = employeeToRecord(employee(values), CTX);
  if (outcome.kind !== 'record') throw new Error(`expected a record, got ${JSON.stringify(outcome.issue)}`);
  return outcome.record;
}

describe('Personio employee → worker', () => {
  it('maps every attribute of the field map, and the others as custom fields', () => {
    const mapped = record();
    expect(mapped).toEqual({
      source: 'personio',
      id: '7',
      legalName: { first: 'Ava', middle: null, last: 'Nguyen' },
      preferredName: null,
      email: 'ava.nguyen@example.com',
      department: 'Engineering',
      title: 'Engineer',
      location: 'Berlin',
      company: 'Demo GmbH',
      costCenter: 'CC big',
      managerId: '2',
      employeeType: 'employee',
      employmentStatus: 'active',
      terminationDate: null,
      hireDate: '2021-03-01',
      customFields: { dynamic_24407: '+49 30 1234', gender: 'female', team: 'Platform' },
      future: [],
    });
    expect(workerSchema.safeParse(mapped).success).toBe(true);
  });

  it.each([
    ['Alex Nguyen', { first: 'Alex', middle: null, last: null }],
    ['Alex', { first: 'Alex', middle: null, last: null }],
    ['Ava Nguyen', null],
    [null, null],
  ])('preferred_name %p → preferredName %p', (preferred, expected) => {
    expect(record({ preferred_name: preferred }).preferredName).toEqual(expected);
  });

  it.each([
    ['active', null, null, 'active', null],
    ['onboarding', null, null, 'active', null],
    ['active', '2026-06-30', null, 'active', '2026-06-30'],
    ['active', null, '2026-06-30T00:00:00+02:00', 'active', '2026-06-30'],
    ['active', '2026-06-01', null, 'active', '2026-06-01'],
    ['active', '2026-05-31', null, 'terminated', '2026-05-31'],
    ['inactive', null, '2026-05-15', 'terminated', '2026-05-15'],
    ['leave', null, null, 'on-leave', null],
  ])('status %s, last_working_day %p, termination_date %p → %s, %p', (status, lastDay, termination, expected, date) => {
    const mapped = record({ status, last_working_day: lastDay, termination_date: termination });
    expect([mapped.employmentStatus, mapped.terminationDate]).toEqual([expected, date]);
  });

  it('prefers last_working_day over termination_date as the last day worked', () => {
    const mapped = record({ last_working_day: '2026-06-20', termination_date: '2026-06-30' });
    expect(mapped.terminationDate).toBe('2026-06-20');
  });

  it('keeps a future hire date as the first day (status onboarding)', () => {
    const mapped = record({ status: 'onboarding', hire_date: '2026-06-15T00:00:00+02:00' });
    expect([mapped.hireDate, mapped.employmentStatus]).toEqual(['2026-06-15', 'active']);
  });

  it.each([
    ['internal', 'employee'],
    ['external', 'contractor'],
    [undefined, 'employee'],
    ['freelance', 'other'],
  ])('employment_type %p → %s', (type, expected) => {
    expect(record({ employment_type: type }).employeeType).toBe(expected);
  });

  it.each([
    [{ hire_date: '31.02.2026' }, 'hire_date'],
    [{ hire_date: null }, 'hire_date'],
    [{ termination_date: 'soon' }, 'termination_date'],
    [{ first_name: ' ' }, 'first_name'],
    [{ status: 'inactive' }, 'termination_date'],
    [{ status: 'retired' }, 'status'],
  ])('%p is a row issue naming %s and the Personio id', (values, field) => {
    expect(employeeToRecord(employee(values), CTX)).toEqual({
      kind: 'issue',
      issue: expect.objectContaining({ location: 'employee 7', workerId: '7', workerKey: 'personio:7', field }),
    });
  });

  it('an employee without an id is a row issue naming the id', () => {
    const outcome = employeeToRecord(employee({ id: undefined }), CTX);
    expect(outcome).toEqual({ kind: 'issue', issue: expect.objectContaining({ workerId: null, field: 'id' }) });
  });

  it('leaves out a manager and a department Personio does not set', () => {
    const mapped = record({ supervisor: null, department: null, cost_centers: [] });
    expect([mapped.managerId, mapped.department, mapped.costCenter]).toEqual([null, null, null]);
  });
});
