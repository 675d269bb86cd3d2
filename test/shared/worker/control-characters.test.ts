/**
 * Control characters in HR text: a C0 or C1 control character (U+0000–U+001F, U+007F–U+009F) inside
 * a name, an id or another free-text field quarantines the record, with the field's path and a message
 * naming the code point and its 1-based position. Tables: every control code point in one field; one
 * control character in every checked field (also inside an effective-dated change); what is not a
 * control character or not inside the value (trimmed ends, bidi and zero-width characters, custom
 * fields), which validates.
 */
import { controlCharacterProblem, validateWorker, type WorkerInput } from '../../../shared/worker';

const clean: WorkerInput = {
  source: 'workday',
  id: '1001',
  legalName: { first: 'Ada', middle: 'King', last: 'Lovelace' },
  preferredName: { first: 'Ada', middle: 'K', last: 'Lovelace' },
  email: 'ada@example.com',
  phone: { work: '+44 20 7946 0000', mobile: '+44 7700 900000' },
  department: 'Engineering',
  title: 'Engineer',
  costCenter: 'CC-1',
  location: 'London',
  company: 'Contoso',
  managerId: '900',
  previousId: '0999',
  employeeType: 'employee',
  employmentStatus: 'active',
  hireDate: '2024-01-08',
};

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
const CONTROL_CODES = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0xa0 - 0x7f }, (_, i) => 0x7f + i),
];

function issuesOf(record: unknown): { path: string; message: string }[] {
  const result = validateWorker(record);
  return result.ok ? [] : result.issues.map(({ path, message }) => ({ path, message }));
}

/** A copy of `clean` with `value` at `path` (dot-separated). */
function withValue(path: string, value: string): unknown {
  const record = structuredClone(clean) as Record<string, unknown>;
  const keys = path.split('.');
  let target = record;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys[keys.length - 1]!] = value;
  return record;
}

describe('control characters in HR text', () => {
  it('a clean record validates', () => {
    expect(issuesOf(clean)).toEqual([]);
  });

  it.each(CONTROL_CODES.map((code) => [hex(code), code] as const))(
    '%s inside a name quarantines the record',
    (name, code) => {
      expect(issuesOf(withValue('legalName.first', `Ann${String.fromCharCode(code)}Marie`))).toEqual([
        { path: 'legalName.first', message: `contains control character ${name} at position 4` },
      ]);
    },
  );

  const FIELDS = [
    'legalName.first',
    'legalName.middle',
    'legalName.last',
    'preferredName.first',
    'preferredName.middle',
    'preferredName.last',
    'id',
    'managerId',
    'previousId',
    'department',
    'title',
    'costCenter',
    'location',
    'company',
    'phone.work',
    'phone.mobile',
    'email',
  ];
  it.each(FIELDS)('%s is checked', (path) => {
    const value = path === 'email' ? 'ad\u0000ax@example.com' : 'ab\u0000cd';
    expect(issuesOf(withValue(path, value))).toContainEqual({
      path,
      message: 'contains control character U+0000 at position 3',
    });
  });

  it('names inside an effective-dated change are checked', () => {
    const record = {
      ...clean,
      future: [{ effectiveDate: '2024-06-01', changes: { legalName: { first: 'Ada', last: 'Love\u001blace' } } }],
    };
    expect(issuesOf(record)).toEqual([
      { path: 'future.0.changes.legalName.last', message: 'contains control character U+001B at position 5' },
    ]);
  });

  it('every problem at once: each field once, counting what else it holds', () => {
    const record = { ...clean, legalName: { first: 'A\u0007\u0008da', last: 'Love\nlace' }, title: 'x\u0085' };
    expect(issuesOf(record)).toEqual([
      { path: 'legalName.first', message: 'contains control character U+0007 at position 2 (and 1 more)' },
      { path: 'legalName.last', message: 'contains control character U+000A at position 5' },
      { path: 'title', message: 'contains control character U+0085 at position 2' },
    ]);
  });

  type Accepted = [what: string, path: string, value: string];
  const ACCEPTED: Accepted[] = [
    ['whitespace controls at the ends, which the schema trims', 'legalName.first', '\t Ada\r\n'],
    ['a right-to-left mark (stripped by the mapping, not quarantined)', 'legalName.last', '\u200Fعائشة'],
    ['bidi isolates and overrides', 'preferredName.first', '\u2067Ada\u2069\u202E'],
    ['zero-width characters and the byte-order mark', 'legalName.last', '\uFEFFLove\u200Blace\u200D'],
    ['U+00A0 no-break space, the first character after C1', 'legalName.first', 'Ada\u00A0Marie'],
    ['U+007E tilde, the last before DEL', 'legalName.first', 'Ada~'],
    ['emoji and combining marks', 'legalName.first', 'Jose\u0301 😀'],
  ];
  it.each(ACCEPTED)('accepts %s', (_what, path, value) => {
    expect(issuesOf(withValue(path, value))).toEqual([]);
  });

  it('custom fields are not checked here (the planner checks the value a mapping writes)', () => {
    expect(issuesOf({ ...clean, customFields: { Notes: 'line one\nline two' } })).toEqual([]);
  });

  const POSITIONS: [value: string, problem: string | null][] = [
    ['Ada', null],
    ['\nAda', null],
    ['Ada\n', null],
    ['A\nda', 'contains control character U+000A at position 2'],
    ['\u0000Ada', 'contains control character U+0000 at position 1'],
    ['  A\u0001', 'contains control character U+0001 at position 4'],
    ['😀\u0002', 'contains control character U+0002 at position 2'],
    ['\u009F', 'contains control character U+009F at position 1'],
  ];
  it.each(POSITIONS)('controlCharacterProblem(%j) is %j', (value, problem) => {
    expect(controlCharacterProblem(value)).toBe(problem);
  });
});
