/**
 * SuccessFactors persons and EmpJob slices → canonical workers. Today is 2026-06-01.
 *
 * Effective dating:
 *
 * | slices (start → title)              | hire       | endDate    | title now | future                 | status     | terminationDate |
 * |-------------------------------------|------------|------------|-----------|------------------------|------------|-----------------|
 * | 2021-03-01 A                        | 2021-03-01 | –          | A         | –                      | active     | –               |
 * | 2021-03-01 A, 2026-07-15 B          | 2021-03-01 | –          | A         | 2026-07-15 B           | active     | –               |
 * | 2021-03-01 A, 2026-06-01 B          | 2021-03-01 | –          | B         | –                      | active     | –               |
 * | 2026-07-01 A (pre-hire)             | 2026-07-01 | –          | A         | –                      | active     | –               |
 * | 2026-07-01 A, 2026-08-01 B          | 2026-07-01 | –          | A         | 2026-08-01 B           | active     | –               |
 * | 2021-03-01 A, 2026-08-01 T          | 2021-03-01 | 2026-07-31 | A         | –                      | active     | 2026-07-31      |
 * | 2021-03-01 A, 2026-05-21 T          | 2021-03-01 | 2026-05-20 | A (T)     | –                      | terminated | 2026-05-20      |
 * | 2021-03-01 A, 2026-05-21 T          | 2021-03-01 | –          | A (T)     | –                      | terminated | 2026-05-20      |
 * | 2021-03-01 A                        | 2021-03-01 | 2026-05-01 | A         | –                      | terminated | 2026-05-01      |
 *
 * Status codes (emplStatusNav.externalCode) and employee types:
 *
 * | code | employmentStatus | isContingentWorker | employeeClass | employeeType |
 * |------|------------------|--------------------|---------------|--------------|
 * | A    | active           | false              | 1             | employee     |
 * | U    | on-leave         | true               | 1             | contractor   |
 * | P    | on-leave         | false              | 4 (mapped)    | intern       |
 * | S    | on-leave         | false              | 9 (unmapped)  | employee     |
 * | F    | on-leave         | false              | –             | employee     |
 * | R    | terminated       | false              | 1             | employee     |
 * | D    | terminated       | false              | 1             | employee     |
 *
 * Malformed: each field below becomes a row issue naming the person and the field; the record is dropped.
 */
import {
  personToRecord,
  type ODataEntity,
  type RecordContext,
} from '../../../../../functions/sources/connectors/successfactors/successfactors-records';
import { workerSchema, type WorkerInput } from '../../../../../shared/worker/worker-schema';

const ctx: RecordContext = { source: 'sf', today: '2026-06-01', employeeTypes: { '4': 'intern' } };

const odataDate = (day: string) => `/Date(${Date.parse(`${day}T00:00:00Z`)})/`;

interface PersonSpec {
  hire?: string;
  endDate?: string | null;
  contingent?: boolean;
  personal?: Record<string, unknown>;
}

function person(spec: PersonSpec = {}): ODataEntity {
  return {
    __metadata: { uri: "https://api4.successfactors.com/odata/v2/PerPerson('42')", type: 'SFOData.PerPerson' },
    personIdExternal: '42',
    lastModifiedDateTime: '/Date(1717316130000+0000)/',
    personalInfoNav: {
      results: [{ firstName: 'Ava', lastName: 'Nguyen', middleName: null, preferredName: 'Avi', ...spec.personal }],
    },
    emailNav: {
      results: [
        { emailAddress: 'private@example.com', isPrimary: false },
        { emailAddress: 'ava@example.com', isPrimary: true },
      ],
    },
    phoneNav: { results: [{ countryCode: '31', areaCode: '20', phoneNumber: '5550100', isPrimary: true }] },
    employmentNav: {
      results: [
        {
          userId: 'u42',
          startDate: odataDate(spec.hire ?? '2021-03-01'),
          endDate: spec.endDate ? odataDate(spec.endDate) : null,
          isContingentWorker: spec.contingent ?? false,
          userNav: { userId: 'u42', custom01: 'badge-7', custom16: 'ignored' },
        },
      ],
    },
  };
}

function slice(start: string, title: string, code = 'A', extra: Record<string, unknown> = {}): ODataEntity {
  return {
    userId: 'u42',
    seqNumber: '1',
    startDate: odataDate(start),
    endDate: odataDate('9999-12-31'),
    jobTitle: title,
    department: 'ENG',
    departmentNav: { externalCode: 'ENG', name: 'Engineering' },
    location: 'AMS',
    locationNav: { externalCode: 'AMS', name: 'Amsterdam' },
    costCenter: 'CC1',
    company: 'NL01',
    companyNav: { externalCode: 'NL01', name: 'Acme NL' },
    managerId: 'u7',
    managerUserNav: { userId: 'u7', empInfo: { personIdExternal: '7' } },
    emplStatus: '6021',
    emplStatusNav: { id: '6021', externalCode: code },
    employeeClass: '1',
    employeeClassNav: { externalCode: '1' },
    division: 'PROD',
    ...extra,
  };
}

function recordOf(p: ODataEntity, jobs: ODataEntity[]): WorkerInput {
  const outcome = personToRecord({ person: p, jobs }, ctx);
  if (outcome.kind !== 'record') throw new Error(`expected a record: ${JSON.stringify(outcome.issue)}`);
  expect(workerSchema.safeParse(outcome.record).error).toBeUndefined();
  return outcome.record;
}

describe('SuccessFactors records: the field map', () => {
  it('maps a person with the job in effect', () => {
    expect(recordOf(person(), [slice('2021-03-01', 'Engineer')])).toEqual({
      source: 'sf',
      id: '42',
      legalName: { first: 'Ava', middle: null, last: 'Nguyen' },
      preferredName: { first: 'Avi', middle: null, last: null },
      email: 'ava@example.com',
      phone: { work: '+31 20 5550100', mobile: null },
      department: 'Engineering',
      title: 'Engineer',
      location: 'Amsterdam',
      costCenter: 'CC1',
      company: 'Acme NL',
      managerId: '7',
      employeeType: 'employee',
      employmentStatus: 'active',
      hireDate: '2021-03-01',
      terminationDate: null,
      customFields: { division: 'PROD', custom01: 'badge-7' },
      future: [],
    });
  });

  it('takes the manager from EmpJob.managerId when managerUserNav is not expanded, and NO_MANAGER as none', () => {
    const plain = slice('2021-03-01', 'E', 'A', { managerUserNav: undefined });
    expect(recordOf(person(), [plain]).managerId).toBe('u7');
    expect(
      recordOf(person(), [slice('2021-03-01', 'E', 'A', { managerUserNav: null, managerId: 'NO_MANAGER' })]).managerId,
    ).toBeNull();
  });
});

describe('SuccessFactors records: effective dating', () => {
  const table: [
    string,
    string,
    string | null,
    [string, string, string?][],
    string,
    [string, string][],
    string,
    string | null,
  ][] = [
    ['one slice', '2021-03-01', null, [['2021-03-01', 'A']], 'A', [], 'active', null],
    [
      'future transfer',
      '2021-03-01',
      null,
      [
        ['2021-03-01', 'A'],
        ['2026-07-15', 'B'],
      ],
      'A',
      [['2026-07-15', 'B']],
      'active',
      null,
    ],
    [
      'transfer today',
      '2021-03-01',
      null,
      [
        ['2021-03-01', 'A'],
        ['2026-06-01', 'B'],
      ],
      'B',
      [],
      'active',
      null,
    ],
    ['pre-hire', '2026-07-01', null, [['2026-07-01', 'A']], 'A', [], 'active', null],
    [
      'pre-hire, then a transfer',
      '2026-07-01',
      null,
      [
        ['2026-07-01', 'A'],
        ['2026-08-01', 'B'],
      ],
      'A',
      [['2026-08-01', 'B']],
      'active',
      null,
    ],
    [
      'future termination',
      '2021-03-01',
      '2026-07-31',
      [
        ['2021-03-01', 'A'],
        ['2026-08-01', 'A', 'T'],
      ],
      'A',
      [],
      'active',
      '2026-07-31',
    ],
    [
      'past termination',
      '2021-03-01',
      '2026-05-20',
      [
        ['2021-03-01', 'A'],
        ['2026-05-21', 'A', 'T'],
      ],
      'A',
      [],
      'terminated',
      '2026-05-20',
    ],
    [
      'past termination, no endDate',
      '2021-03-01',
      null,
      [
        ['2021-03-01', 'A'],
        ['2026-05-21', 'A', 'T'],
      ],
      'A',
      [],
      'terminated',
      '2026-05-20',
    ],
    [
      'endDate passed, slice still A',
      '2021-03-01',
      '2026-05-01',
      [['2021-03-01', 'A']],
      'A',
      [],
      'terminated',
      '2026-05-01',
    ],
  ];
  it.each(table)('%s', (_case, hire, endDate, slices, title, future, status, terminationDate) => {
    const jobs = slices.map(([start, t, code]) => slice(start, t, code));
    const record = recordOf(person({ hire, endDate }), jobs);
    expect(record).toMatchObject({ title, hireDate: hire, employmentStatus: status, terminationDate });
    expect((record.future ?? []).map((f) => [f.effectiveDate, f.changes.title])).toEqual(future);
  });

  it('a future slice carries only what it changes (a repeated employee type would read as a conversion)', () => {
    const record = recordOf(person({ hire: '2021-03-01' }), [slice('2021-03-01', 'A'), slice('2026-07-15', 'B')]);
    expect(record.future).toEqual([{ effectiveDate: '2026-07-15', changes: { title: 'B' } }]);
  });
});

describe('SuccessFactors records: status codes and employee types', () => {
  const table: [string, string, boolean, string | undefined, string][] = [
    ['A', 'active', false, '1', 'employee'],
    ['U', 'on-leave', true, '1', 'contractor'],
    ['P', 'on-leave', false, '4', 'intern'],
    ['S', 'on-leave', false, '9', 'employee'],
    ['F', 'on-leave', false, undefined, 'employee'],
    ['R', 'terminated', false, '1', 'employee'],
    ['D', 'terminated', false, '1', 'employee'],
  ];
  it.each(table)('%s → %s (contingent %s, class %s → %s)', (code, status, contingent, employeeClass, type) => {
    const extra = {
      employeeClassNav: employeeClass === undefined ? null : { externalCode: employeeClass },
      employeeClass: null,
    };
    const record = recordOf(person({ contingent }), [slice('2021-03-01', 'E', code, extra)]);
    expect(record.employmentStatus).toBe(status);
    expect(record.employeeType).toBe(type);
  });
});

describe('SuccessFactors records: malformed persons become row issues', () => {
  const table: [string, () => { person: ODataEntity; jobs: ODataEntity[] }, string][] = [
    ['an unparseable hire date', () => withEmployment({ startDate: 'next week' }), 'EmpEmployment.startDate'],
    ['an unparseable end date', () => withEmployment({ endDate: '2026-13-01' }), 'EmpEmployment.endDate'],
    ['an end date before 1900', () => withEmployment({ endDate: '/Date(-5364662400000)/' }), 'EmpEmployment.endDate'],
    [
      'no first name',
      () => ({ person: person({ personal: { firstName: ' ' } }), jobs: [slice('2021-03-01', 'E')] }),
      'PerPersonal.firstName',
    ],
    [
      'no personal information',
      () => ({ person: { ...person(), personalInfoNav: { results: [] } }, jobs: [slice('2021-03-01', 'E')] }),
      'personalInfoNav',
    ],
    ['no job in effect', () => ({ person: person(), jobs: [slice('2026-09-01', 'E')] }), 'EmpJob'],
    [
      'a slice without a start',
      () => ({ person: person(), jobs: [slice('2021-03-01', 'E', 'A', { startDate: null })] }),
      'EmpJob.startDate',
    ],
    [
      'an unknown status code',
      () => ({ person: person(), jobs: [slice('2021-03-01', 'E', 'Z')] }),
      'EmpJob.emplStatus',
    ],
  ];
  it.each(table)('%s', (_case, input, field) => {
    const outcome = personToRecord(input(), ctx);
    expect(outcome).toMatchObject({
      kind: 'issue',
      issue: { workerId: '42', workerKey: 'sf:42', field, location: 'PerPerson 42' },
    });
  });

  it('a person without personIdExternal is an issue without a worker key', () => {
    const outcome = personToRecord({ person: { ...person(), personIdExternal: null }, jobs: [] }, ctx);
    expect(outcome).toMatchObject({
      kind: 'issue',
      issue: { workerId: null, workerKey: null, field: 'personIdExternal' },
    });
  });
});

function withEmployment(fields: Record<string, unknown>) {
  const p = person();
  const employment = { ...(p.employmentNav as { results: Record<string, unknown>[] }).results[0], ...fields };
  return { person: { ...p, employmentNav: { results: [employment] } }, jobs: [slice('2021-03-01', 'E')] };
}
