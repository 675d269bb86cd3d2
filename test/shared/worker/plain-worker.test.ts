/**
 * The plainly valid worker: whenever `plainWorker` answers, the schema accepts the record and parses it
 * to the same worker, key for key and in the same key order (a stored worker is compared as JSON). Records
 * are generated from clean ones by spoiling a field or two with values the schema trims, rejects or
 * rewrites (whitespace at either end, control characters, bidi controls, every script, lengths at and
 * past the limits, impossible dates, wrong types, unknown keys, lists and non-finite numbers in custom
 * fields, effective-dated entries).
 */
import fc from 'fast-check';
import { plainWorker } from '../../../shared/worker/plain-worker';
import { workerSchema, EMPLOYEE_TYPES, EMPLOYMENT_STATUSES } from '../../../shared/worker/worker-schema';

type Raw = Record<string, unknown>;

const ada: Raw = {
  source: 'workday',
  id: '1001',
  legalName: { first: 'Ada', last: 'Lovelace' },
  employeeType: 'employee',
  employmentStatus: 'active',
  hireDate: '2024-01-08',
};

const everyField: Raw = {
  ...ada,
  legalName: { first: 'Zoë', middle: 'Ångström', last: 'Nguyễn' },
  preferredName: { first: 'Zo', middle: null },
  email: 'zoe.nguyen@example.com',
  phone: { work: '+1 555 0100', mobile: null },
  department: 'Research',
  title: 'Analyst',
  costCenter: 'CC-7',
  location: '東京',
  company: 'Contoso',
  managerId: '1000',
  employmentStatus: 'terminated',
  terminationDate: '2025-02-28',
  timeZone: 'Asia/Tokyo',
  previousId: '0999',
  customFields: { Badge: 'B-1', Floor: 3, Remote: false, Desk: null },
  future: [],
};

function expectSameAsSchema(record: Raw): void {
  const plain = plainWorker(record);
  if (!plain) return;
  const parsed = workerSchema.safeParse(record);
  expect(parsed.success).toBe(true);
  expect(JSON.stringify(plain)).toBe(JSON.stringify(parsed.data));
  expect(plain).toEqual(parsed.data);
}

it('answers for ordinary records, with the schema’s defaults filled in and its key order', () => {
  for (const record of [ada, everyField, { ...ada, preferredName: null, email: null, customFields: {} }]) {
    expect(plainWorker(record)).toBeDefined();
    expectSameAsSchema(record);
  }
  expect(plainWorker(ada)).toMatchObject({ phone: { work: null, mobile: null }, customFields: {}, future: [] });
});

const TEXTS = [
  ' Leading',
  'Trailing ',
  '\u00A0nbsp',
  'bom\uFEFF',
  '  ',
  '',
  'NUL\u0000byte',
  'tab\there',
  'line\nbreak',
  'c1\u0085',
  '\u202Eevil\u202C',
  '李小龙',
  'محمد',
  '😀',
  'Zo\u0301e',
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(1024),
  'x'.repeat(1025),
];
const spoiled = fc.oneof(
  fc.constantFrom<unknown>(...TEXTS, null, undefined, 0, 1.5, Number.NaN, Infinity, true, [], {}, ['a'], {
    first: 'A',
  }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

const SPOILERS: Record<string, fc.Arbitrary<unknown>> = {
  source: fc.constantFrom('Workday', 'sap.sf', 'a'.repeat(64), 'a'.repeat(65), '9x', ' workday'),
  employeeType: fc.constantFrom(...EMPLOYEE_TYPES, 'Employee', ''),
  employmentStatus: fc.constantFrom(...EMPLOYMENT_STATUSES, 'Active'),
  hireDate: fc.constantFrom('2024-02-29', '2023-02-29', '2024-13-01', '2024-1-8', ' 2024-01-08', '2024-01-08T00:00'),
  terminationDate: fc.constantFrom('2023-12-31', '2025-02-30', 'never'),
  email: fc.constantFrom('a@b.co', ' a@b.co', 'a@b', 'a b@c.de', `${'x'.repeat(251)}@b.co`, `${'x'.repeat(252)}@b.co`),
  timeZone: fc.constantFrom('Europe/Paris', 'Mars/Olympus', ' UTC', ''),
  customFields: fc.dictionary(
    fc.constantFrom('Badge', 'badge_2', '2bad', '__proto__', 'a'.repeat(64), 'a'.repeat(65), 'with space'),
    fc.constantFrom<unknown>('x', ' x', 7, -0, Number.NaN, Infinity, true, null, ['a', 'b'], [1], { a: 1 }),
  ),
  future: fc.constantFrom<unknown>([], [{ effectiveDate: '2025-01-01', changes: { title: 'X' } }], 'soon'),
  unknown: fc.constant('an unknown field'),
};

/** A clean record with up to two fields (or name parts) replaced by spoiled values. */
const records = fc
  .tuple(
    fc.constantFrom(ada, everyField),
    fc.array(
      fc.oneof(
        fc
          .tuple(fc.constantFrom(...Object.keys(SPOILERS)), fc.constant(''))
          .chain(([field]) => SPOILERS[field]!.map((value) => [field, value] as const)),
        fc.tuple(
          fc.constantFrom('id', 'department', 'title', 'managerId', 'previousId', 'location', 'preferredName'),
          spoiled,
        ),
        fc.tuple(fc.constantFrom('legalName.first', 'legalName.last', 'legalName.middle', 'legalName.nick'), spoiled),
        fc.tuple(fc.constantFrom('phone.work', 'phone.mobile', 'phone.fax'), spoiled),
      ),
      { maxLength: 2 },
    ),
  )
  .map(([base, changes]) => {
    const record: Raw = structuredClone(base);
    for (const [path, value] of changes) {
      const [field, part] = path.split('.') as [string, string | undefined];
      if (!part) record[field] = value;
      else record[field] = { ...((record[field] as Raw | undefined) ?? {}), [part]: value };
    }
    return record;
  });

it('gives what the schema gives whenever it answers, and leaves every doubtful record to the schema', () => {
  let answered = 0;
  let declined = 0;
  fc.assert(
    fc.property(records, (record) => {
      if (plainWorker(record)) answered++;
      else declined++;
      expectSameAsSchema(record);
    }),
    { numRuns: 3000, seed: 20261201 },
  );
  // Both sides of the property are exercised.
  expect(answered).toBeGreaterThan(300);
  expect(declined).toBeGreaterThan(300);
});

it('leaves to the schema what it must trim, report or rewrite', () => {
  const declined: Raw[] = [
    { ...ada, id: ' 1001' },
    { ...ada, legalName: { first: 'Ada\u00A0', last: 'Lovelace' } },
    { ...ada, department: 'R&D\u0000' },
    { ...ada, legalName: { first: 'Ada', last: 'Lovelace', nick: 'Countess' } },
    { ...ada, nickname: 'Countess' },
    { ...ada, hireDate: '2023-02-29' },
    { ...ada, customFields: { Skills: ['math'] } },
    { ...ada, customFields: { Floor: Infinity } },
    { ...ada, future: [{ effectiveDate: '2025-01-01', changes: { title: 'Engineer' } }] },
    { ...ada, phone: null },
  ];
  for (const record of declined) expect(plainWorker(record)).toBeUndefined();
});
