/**
 * Worker validation: every problem of a record at once, each naming the worker key and the field path.
 * Rows give a record and the exact set of paths at fault (with what each message must say).
 */
import { validateWorker, type WorkerInput } from '../../../shared/worker';

const ok: WorkerInput = {
  source: 'workday',
  id: '1001',
  legalName: { first: 'Ada', last: 'Lovelace' },
  employeeType: 'employee',
  employmentStatus: 'active',
  hireDate: '2024-01-08',
};

type Row = [situation: string, record: unknown, problems: [path: string, message: RegExp][], key: string];

const TABLE: Row[] = [
  ['a minimal record is valid', ok, [], 'workday:1001'],
  [
    'an IANA zone and future changes are valid',
    {
      ...ok,
      timeZone: 'Australia/Sydney',
      future: [{ effectiveDate: '2024-06-01', changes: { department: 'Research' } }],
    },
    [],
    'workday:1001',
  ],
  [
    'an invalid IANA zone',
    { ...ok, timeZone: 'Mars/Olympus' },
    [['timeZone', /"Mars\/Olympus" is not a time zone/]],
    'workday:1001',
  ],
  [
    'an offset is not a zone',
    { ...ok, timeZone: '+02:00' },
    [['timeZone', /not an IANA time-zone name/]],
    'workday:1001',
  ],
  [
    'termination before hire',
    { ...ok, terminationDate: '2023-12-31' },
    [['terminationDate', /last day of work 2023-12-31 is before the hire date 2024-01-08/]],
    'workday:1001',
  ],
  [
    'malformed dates',
    { ...ok, hireDate: '08/01/2024', terminationDate: '2024-02-30' },
    [
      ['hireDate', /not a date written YYYY-MM-DD/],
      ['terminationDate', /not a real calendar date/],
    ],
    'workday:1001',
  ],
  [
    'terminated without a last day',
    { ...ok, employmentStatus: 'terminated' },
    [['terminationDate', /needs a termination date/]],
    'workday:1001',
  ],
  ['own manager', { ...ok, managerId: '1001' }, [['managerId', /own manager/]], 'workday:1001'],
  ['unknown field (strict)', { ...ok, nickname: 'Ada' }, [['(root)', /Unrecognized key: "nickname"/]], 'workday:1001'],
  [
    'many problems, all reported',
    {
      ...ok,
      legalName: { first: '', last: 'L' },
      employeeType: 'robot',
      email: 'nope',
      timeZone: 'Nowhere/Land',
      terminationDate: '2020-01-01',
    },
    [
      ['legalName.first', /empty/],
      ['employeeType', /Invalid option/],
      ['email', /e-mail address/],
      ['timeZone', /Nowhere\/Land/],
      ['terminationDate', /before the hire date/],
    ],
    'workday:1001',
  ],
  [
    'a custom field may not hide a built-in attribute',
    { ...ok, customFields: { department: 'x', BadgeNumber: 7 } },
    [['customFields.department', /built-in attribute/]],
    'workday:1001',
  ],
  [
    'effective-dated entries: duplicate date, after the last day, empty, bad zone',
    {
      ...ok,
      terminationDate: '2024-12-31',
      future: [
        { effectiveDate: '2024-06-01', changes: { title: 'Lead' } },
        { effectiveDate: '2024-06-01', changes: { department: 'R' } },
        { effectiveDate: '2025-01-15', changes: { title: 'x' } },
        { effectiveDate: '2024-07-01', changes: {} },
        { effectiveDate: '2024-08-01', changes: { timeZone: 'Atlantis/City' } },
        { effectiveDate: '2024-09-01', changes: { hireDate: '2024-09-01' } },
      ],
    },
    [
      ['future.1.effectiveDate', /already has an entry \(future\.0\)/],
      ['future.2.effectiveDate', /after the last day of work 2024-12-31/],
      ['future.3.changes', /at least one field/],
      ['future.4.changes.timeZone', /Atlantis\/City/],
      ['future.5.changes', /Unrecognized key: "hireDate"/],
    ],
    'workday:1001',
  ],
  [
    'no key at all',
    { legalName: { first: 'A', last: 'B' } },
    [
      ['source', /Invalid input/],
      ['id', /Invalid input/],
      ['employeeType', /Invalid option/],
      ['employmentStatus', /Invalid option/],
      ['hireDate', /Invalid input|YYYY-MM-DD/],
    ],
    '(unknown worker)',
  ],
  ['not an object', 'Ada', [['(root)', /must be an object/]], '(unknown worker)'],
];

describe('validateWorker', () => {
  it.each(TABLE)('%s', (_situation, record, problems, key) => {
    const result = validateWorker(record);
    if (problems.length === 0) {
      expect(result.ok).toBe(true);
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.workerKey).toBe(key);
    expect([...new Set(result.issues.map((i) => i.path))].sort()).toEqual(problems.map(([path]) => path).sort());
    for (const [path, message] of problems) {
      expect(
        result.issues
          .filter((i) => i.path === path)
          .map((i) => i.message)
          .join(' | '),
      ).toMatch(message);
    }
    expect(result.issues.every((i) => i.workerKey === key)).toBe(true);
  });
});
