import fc from 'fast-check';
import { generateTemporaryPassword } from '../../../agent/applier/password-generator';

/**
 * randomInt is real unless a test queues values: that lets one test force a specific first candidate.
 * (The factory runs lazily, so the mock-prefixed queue below is initialised by the time it is read.)
 */
const mockQueue: number[] = [];
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, randomInt: (max: number) => (mockQueue.length > 0 ? mockQueue.shift()! : actual.randomInt(max)) };
});

// ---------------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------------

/** The generator's alphabet: no look-alikes (I, O, l, 0, 1). */
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#$%&*+-=?@^_';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/** [length, avoid (sAMAccountName, displayName, cn)] */
const CASES: ReadonlyArray<readonly [number, readonly string[]]> = [
  [8, []],
  [8, ['jdoe', 'Jane Doe', 'Jane Doe']],
  [20, ['jdoe', 'Jane Doe', 'Doe, Jane']],
  [20, ['', '', '']],
  [20, ['ab', 'A B', 'x-y']], // every token shorter than three: nothing to avoid
  [32, ['mmueller', 'Müller-Lüdenscheidt, Marie-Luise', 'Marie-Luise Müller-Lüdenscheidt']],
  [128, ['abc', 'xyz', 'Q#W_E R.T-Y,U\tI']],
];

/**
 * AD's complexity rule, independently: the sAMAccountName must not appear whole (when it has three or
 * more characters), and no token of three or more characters of the names split at , . - _ # space tab.
 */
function forbiddenParts(avoid: readonly string[]): string[] {
  return avoid
    .flatMap((s) => [s, ...s.split(/[,.\-_# \t]+/)])
    .map((s) => s.toLowerCase())
    .filter((s) => s.length >= 3);
}

function expectAcceptable(password: string, length: number, avoid: readonly string[]): void {
  expect(password).toHaveLength(length);
  expect([...password].every((ch) => ALL.includes(ch))).toBe(true);
  expect([...password].some((ch) => UPPER.includes(ch))).toBe(true);
  expect([...password].some((ch) => LOWER.includes(ch))).toBe(true);
  expect([...password].some((ch) => DIGITS.includes(ch))).toBe(true);
  expect([...password].some((ch) => SYMBOLS.includes(ch))).toBe(true);
  for (const part of forbiddenParts(avoid)) expect(password.toLowerCase()).not.toContain(part);
}

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe('generateTemporaryPassword', () => {
  it.each(CASES)('length %i avoiding %j', (length, avoid) => {
    for (let run = 0; run < 50; run++) expectAcceptable(generateTemporaryPassword(length, avoid), length, avoid);
  });

  it('gives a different password on every call', () => {
    const passwords = new Set(Array.from({ length: 200 }, () => generateTemporaryPassword(20, [])));
    expect(passwords.size).toBe(200);
  });

  it('never contains a name token, whatever the names (small alphabet, so collisions are likely)', () => {
    const nameChar = fc.constantFrom('a', 'A', 'b', 'e', 'E', '2', '!', '-', '_', ' ', '.', '#', ',');
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 128 }),
        fc.array(fc.string({ unit: nameChar, maxLength: 12 }), { maxLength: 5 }),
        (length, avoid) => {
          expectAcceptable(generateTemporaryPassword(length, avoid), length, avoid);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects a candidate holding the whole sAMAccountName even when its tokens are short (li-wu)', () => {
    // First candidate, forced: four class picks A b 3 !, six picks from the whole alphabet L i - W u x,
    // then a shuffle that leaves everything in place → "Ab3!Li-Wux", which holds "li-wu".
    const picks = [UPPER.indexOf('A'), LOWER.indexOf('b'), DIGITS.indexOf('3'), SYMBOLS.indexOf('!')];
    const fill = [...'Li-Wux'].map((ch) => ALL.indexOf(ch));
    const shuffle = [9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect([...picks, ...fill].every((i) => i >= 0)).toBe(true);
    mockQueue.push(...picks, ...fill, ...shuffle);
    try {
      const password = generateTemporaryPassword(10, ['li-wu', 'Li Wu', 'Li Wu']);
      expect(mockQueue).toHaveLength(0); // the forced candidate was generated
      expect(password.toLowerCase()).not.toContain('li-wu');
      expectAcceptable(password, 10, ['li-wu', 'Li Wu', 'Li Wu']);
    } finally {
      mockQueue.length = 0;
    }
  });

  it('the forced-candidate mechanism itself works (sanity check for the test above)', () => {
    mockQueue.push(
      UPPER.indexOf('A'),
      LOWER.indexOf('b'),
      DIGITS.indexOf('3'),
      SYMBOLS.indexOf('!'),
      ...[...'Li-Wux'].map((ch) => ALL.indexOf(ch)),
      9,
      8,
      7,
      6,
      5,
      4,
      3,
      2,
      1,
    );
    try {
      expect(generateTemporaryPassword(10, [])).toBe('Ab3!Li-Wux');
    } finally {
      mockQueue.length = 0;
    }
  });
});
