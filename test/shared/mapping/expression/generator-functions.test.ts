/**
 * Guid, RandomString, Redact and SelectUniqueValue. Random outputs are checked by their
 * documented shape (they are deterministic per seed, which properties.test.ts covers).
 */
import { err, expectOutcome, run, type Row } from './helpers';

const GUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SPECIALS = '~!@#$%^&*_-+=`|\\(){}[]:;"\'<>,.?/';

const count = (text: string, pattern: RegExp): number => [...text].filter((c) => pattern.test(c)).length;
const specials = (text: string): number => [...text].filter((c) => SPECIALS.includes(c)).length;

function valueOf(expression: string, seed: string | number = 'seed'): string {
  const result = run(expression, {}, seed);
  if (!result.ok) throw new Error(`${expression}: ${result.error.message}`);
  return result.value as string;
}

type ShapeRow = [string, (value: string) => void];

const RANDOM_STRING_SHAPES: ShapeRow[] = [
  [
    'RandomString(6,3,0,0,3)', // doc: 3 numbers and 3 lower-case letters
    (v) => {
      expect(v).toHaveLength(6);
      expect(count(v, /[0-9]/)).toBe(3);
      expect(count(v, /[a-z]/)).toBe(3);
    },
  ],
  [
    'RandomString(10,2,2,2,1,"?,")', // doc: at least 2 numbers, 2 special, 2 capitals, 1 lower; no ? or ,
    (v) => {
      expect(v).toHaveLength(10);
      expect(count(v, /[0-9]/)).toBeGreaterThanOrEqual(2);
      expect(specials(v)).toBeGreaterThanOrEqual(2);
      expect(count(v, /[A-Z]/)).toBeGreaterThanOrEqual(2);
      expect(count(v, /[a-z]/)).toBeGreaterThanOrEqual(1);
      expect(v).not.toMatch(/[?,]/);
    },
  ],
  ['RandomString(0,0,0,0,0)', (v) => expect(v).toBe('')],
  ['RandomString(12,0,0,0,0)', (v) => expect(v).toMatch(/^[A-Za-z0-9]{12}$/)],
  ['RandomString(256,1,1,1,1)', (v) => expect(v).toHaveLength(256)],
  ['RandomString(20,0,20,0,0,"!@#")', (v) => expect(specials(v) === 20 && !/[!@#]/.test(v)).toBe(true)],
  ['Redact(RandomString(6,3,0,0,3))', (v) => expect(v).toMatch(/^[0-9a-z]{6}$/)], // doc
  ['Guid()', (v) => expect(v).toMatch(GUID_SHAPE)],
];

const ERRORS: Row[] = [
  ['RandomString(257,0,0,0,0)', {}, err('invalid-argument')], // doc: 256 characters max
  ['RandomString(5,3,3,0,0)', {}, err('invalid-argument')],
  ['RandomString(5,-1,0,0,0)', {}, err('invalid-argument')],
  ['RandomString(5,1,0,0,0,"0123456789")', {}, err('invalid-argument')],
  ['RandomString(5,[missing],0,0,0)', {}, err('invalid-argument')],
  ['RandomString("five",1,0,0,0)', {}, err('type-mismatch')],
  ['RandomString(1,1,1,1)', {}, err('arity')],
  ['Guid(1)', {}, err('arity')],
  ['Redact()', {}, err('arity')],
];

const SELECT_UNIQUE_VALUE: Row[] = [
  [
    // doc
    `SelectUniqueValue(
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com")
    )`,
    { PreferredFirstName: 'John', PreferredLastName: 'Smith' },
    { candidates: ['John.Smith@contoso.com', 'J.Smith@contoso.com', 'Jo.Smith@contoso.com'] },
  ],
  [
    'SelectUniqueValue(NormalizeDiacritics(Join(".", [givenName], [sn])), NormalizeDiacritics(Join(".", Mid([givenName],1,1), [sn])))',
    { givenName: 'Jéssica', sn: 'Smith Ørsted' },
    { candidates: ['Jessica.Smith OErsted', 'J.Smith OErsted'] }, // doc table: Ø becomes OE
  ],
  ['SelectUniqueValue([a], [b], "x")', { b: '' }, { candidates: ['x'] }], // null and empty candidates are skipped
  ['SelectUniqueValue([a], [b])', {}, { candidates: [] }],
  ['SelectUniqueValue(IgnoreFlowIfNullOrEmpty([a]), "b")', {}, { candidates: ['b'] }],
  ['SelectUniqueValue(1, True, "c")', {}, { candidates: ['1', 'True', 'c'] }],
  ['selectuniquevalue("a", "a")', {}, { candidates: ['a', 'a'] }],
  ['Join("", SelectUniqueValue("a", "b"))', {}, err('not-top-level')], // doc: cannot be nested
  ['IgnoreFlowIfNullOrEmpty(SelectUniqueValue("a", "b"))', {}, err('not-top-level')],
  ['IIF(False, SelectUniqueValue("a", "b"), "c")', {}, err('not-top-level')],
  ['SelectUniqueValue("a")', {}, err('arity')], // doc: at least two rules
  ['SelectUniqueValue([multi], "b")', { multi: ['a', 'b'] }, err('type-mismatch')],
  ['SelectUniqueValue(Mid("a", 0, 1), "b")', {}, err('invalid-argument')],
];

describe('RandomString and Guid shapes', () => {
  it.each(RANDOM_STRING_SHAPES)('%s', (expression, check) => {
    for (const seed of ['a', 'b', 42, 'worker-17']) check(valueOf(expression, seed));
  });
});

describe('generator errors', () => {
  it.each(ERRORS)('%s', (expression, attributes, expected) => {
    expectOutcome(expression, attributes, expected);
  });
});

describe('SelectUniqueValue', () => {
  it.each(SELECT_UNIQUE_VALUE)('%s with %j', (expression, attributes, expected) => {
    expectOutcome(expression, attributes, expected);
  });
});

describe('Guid', () => {
  it('gives a different GUID for each call in one evaluation', () => {
    const [first, second] = valueOf('Join(" ", Guid(), Guid())').split(' ');
    expect(first).toMatch(GUID_SHAPE);
    expect(second).toMatch(GUID_SHAPE);
    expect(first).not.toBe(second);
  });

  it('depends on the seed', () => {
    expect(valueOf('Guid()', 'worker-1')).not.toBe(valueOf('Guid()', 'worker-2'));
    expect(valueOf('Guid()', 'worker-1')).toBe(valueOf('Guid()', 'worker-1'));
  });
});

describe('Redact', () => {
  const REDACT: [string, Record<string, string>, string, boolean][] = [
    ['Redact([userPrincipalName])', { userPrincipalName: 'jd@contoso.com' }, 'jd@contoso.com', true], // doc
    ['Redact("StringToBeRedacted")', {}, 'StringToBeRedacted', true], // doc
    ['Join(",", Redact([a]), "b")', { a: 'secret' }, 'secret,b', true],
    ['Join(",", [a], "b")', { a: 'public' }, 'public,b', false],
    ['IIF(False, Redact("x"), "y")', {}, 'y', false],
  ];
  it.each(REDACT)('%s flows the value and flags the result', (expression, attributes, value, redacted) => {
    expect(run(expression, attributes)).toEqual({ ok: true, value, redacted });
  });
});
