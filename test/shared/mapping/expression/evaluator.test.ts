/**
 * Evaluator behaviour that is not specific to one function: arity and name errors for
 * every function, attribute lookup, error positions, compilation and caching.
 */
import {
  compileExpression,
  evaluate,
  FUNCTION_NAMES,
  parseExpression,
  type ExpressionNode,
  type Value,
} from '../../../../shared/mapping/expression';
import { err, expectOutcome, NOW, run, type Row } from './helpers';

/** Every function the brief requires, with the argument counts Entra documents. */
const ARITY: [name: string, min: number, max: number][] = [
  ['Append', 2, 2],
  ['BitAnd', 2, 2],
  ['CBool', 1, 1],
  ['CDate', 1, 1],
  ['Coalesce', 1, Infinity],
  ['ConvertToBase64', 1, 1],
  ['ConvertToUTF8Hex', 1, 1],
  ['Count', 1, 1],
  ['CStr', 1, 1],
  ['DateAdd', 3, 3],
  ['DateDiff', 3, 3],
  ['DateFromNum', 1, 1],
  ['FormatDateTime', 3, 4],
  ['Guid', 0, 0],
  ['IgnoreFlowIfNullOrEmpty', 1, 1],
  ['IIF', 3, 3],
  ['InStr', 2, 4],
  ['IsNull', 1, 1],
  ['IsNullOrEmpty', 1, 1],
  ['IsPresent', 1, 1],
  ['IsString', 1, 1],
  ['Item', 2, 2],
  ['Join', 2, Infinity],
  ['Left', 2, 2],
  ['Mid', 3, 3],
  ['NormalizeDiacritics', 1, 1],
  ['Not', 1, 1],
  ['Now', 0, 0],
  ['NumFromDate', 1, 1],
  ['PCase', 1, 2],
  ['RandomString', 5, 6],
  ['Redact', 1, 1],
  ['RemoveDuplicates', 1, 1],
  ['Replace', 2, 7],
  ['SelectUniqueValue', 2, Infinity],
  ['Split', 2, 2],
  ['StripSpaces', 1, 1],
  ['StripFormatCharacters', 1, 1],
  ['Transliterate', 1, 1],
  ['Switch', 2, Infinity],
  ['ToLower', 1, 2],
  ['ToUpper', 1, 2],
  ['Word', 3, 3],
];

const call = (name: string, count: number): string =>
  `${name}(${Array.from({ length: count }, () => '"1"').join(', ')})`;

describe('function table', () => {
  it('implements exactly the required functions', () => {
    expect([...FUNCTION_NAMES].sort()).toEqual(ARITY.map(([name]) => name).sort());
  });

  it.each(ARITY)('%s rejects too few and too many arguments', (name, min, max) => {
    if (min > 0) expectOutcome(call(name, min - 1), {}, err('arity'));
    if (Number.isFinite(max)) expectOutcome(call(name, max + 1), {}, err('arity'));
    const result = run(call(name, min - 1 >= 0 ? min - 1 : max + 1));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toContain(name);
      expect(result.error.position.offset).toBe(0);
    }
  });
});

const NAMES: Row[] = [
  ['Foo(1)', {}, err('unknown-function')],
  ['Jion(".", "a")', {}, err('unknown-function')],
  ['AppRoleAssignmentsComplex([appRoleAssignments])', {}, err('unknown-function')],
  ['Join(",", foo)', {}, err('unknown-identifier')],
  ['IIF(True, "a", Foo())', {}, err('unknown-function')], // static errors are found in unused branches too
  ['IIF(True, "a", Mid("x"))', {}, err('arity')],
  ['switch([x], "d", "a", "b")', { x: 'a' }, 'b'], // function names are case-insensitive
  ['TOLOWER("A")', {}, 'a'],
  ['IsNullorEmpty("")', {}, true],
  ['True', {}, true],
  ['false', {}, false],
  ['"constant"', {}, 'constant'],
  ['42', {}, 42],
  ['[attr]', { attr: ['a', 'b'] }, ['a', 'b']],
  ['[a] = [b]', { a: 1, b: '1' }, true],
];

const ATTRIBUTES: Row[] = [
  ['[givenname]', { GivenName: 'Ann' }, 'Ann'],
  ['[GIVENNAME]', { givenName: 'Ann' }, 'Ann'],
  ['[A]', { a: 'lower', A: 'upper' }, 'upper'], // an exact match wins
  ['[missing]', { other: 'x' }, null], // Entra: a missing attribute is null
  ['[n]', { n: 7 }, 7],
  ['[b]', { b: false }, false],
  ['[none]', { none: null }, null],
  ['[empty]', { empty: [] }, null],
  ['[first name]', { 'first name': 'Ann' }, 'Ann'],
  [
    '[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department]',
    { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'R&D' },
    'R&D',
  ],
];

describe('names and literals', () => {
  it.each(NAMES)('%s with %j', (expression, attributes, expected) => expectOutcome(expression, attributes, expected));

  it('suggests the closest function name', () => {
    expect(run('Jion(".", "a")')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Did you mean Join?') },
    });
    expect(run('AppRoleAssignmentsComplex([x])')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not supported') },
    });
  });
});

describe('attribute lookup', () => {
  it.each(ATTRIBUTES)('%s with %j', (expression, attributes, expected) =>
    expectOutcome(expression, attributes, expected),
  );

  it('works with a Map as well as a record', () => {
    const attributes = new Map<string, Value>([
      ['GivenName', 'Ann'],
      ['sn', 'Lee'],
    ]);
    expect(evaluate(parse('Join(" ", [givenName], [SN], [missing])'), { attributes, now: NOW, seed: 1 })).toEqual({
      ok: true,
      value: 'Ann Lee',
      redacted: false,
    });
  });

  it('reports values that are not attribute values as errors', () => {
    const attributes = { nested: { a: 1 } } as unknown as Record<string, Value>;
    expect(evaluate(parse('Join(",", [nested])'), { attributes, now: NOW, seed: 1 })).toMatchObject({
      ok: false,
      error: { code: 'type-mismatch' },
    });
    const mixed = { list: ['a', 1, true, null] } as unknown as Record<string, Value>;
    expect(evaluate(parse('Join(",", [list])'), { attributes: mixed, now: NOW, seed: 1 })).toEqual({
      ok: true,
      value: 'a,1,True',
      redacted: false,
    });
  });
});

function parse(text: string): ExpressionNode {
  const result = parseExpression(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.ast;
}

describe('error positions', () => {
  it('point at the offending argument', () => {
    const text = 'Join(".", Mid([g], 0, 1))';
    expect(run(text, { g: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', position: { offset: 19, line: 1, column: 20, length: 1 } },
    });
  });

  it('give line and column in multi-line expressions', () => {
    const text = 'Join(".",\n  [a],\n  Left([b], "x"))';
    expect(run(text, { b: 'y' })).toMatchObject({
      ok: false,
      error: { code: 'type-mismatch', position: { offset: 29, line: 3, column: 13 } },
    });
  });

  it('cover the whole call for arity errors', () => {
    expect(run('Join(".", Left("a"))')).toMatchObject({
      ok: false,
      error: { code: 'arity', position: { offset: 10, length: 9 } },
    });
  });

  it('fall back to offsets when no source text is known', () => {
    const ast = parse('Join(".", Mid([g], 0, 1))');
    expect(evaluate(ast, { attributes: { g: 'x' }, now: NOW, seed: 1 })).toMatchObject({
      ok: false,
      error: { position: { offset: 19, line: 1, column: 20 } },
    });
  });

  it('come back from parsing too', () => {
    expect(run('Join(".", [a]')).toMatchObject({
      ok: false,
      error: { code: 'unexpected-end', position: { offset: 4 } },
    });
  });
});

describe('compiled expressions', () => {
  it('evaluate the same tree against many workers', () => {
    const compiled = compileExpression(parse('ToLower(Join(".", [givenName], [sn]))'));
    const names = [
      ['Ann', 'Lee'],
      ['Zoë', 'Ørsted'],
      ['Bob', null],
    ] as const;
    const values = names.map(([givenName, sn]) =>
      compiled.evaluate({ attributes: { givenName, sn }, now: NOW, seed: 1 }),
    );
    expect(values).toEqual([
      { ok: true, value: 'ann.lee', redacted: false },
      { ok: true, value: 'zoë.ørsted', redacted: false },
      { ok: true, value: 'bob', redacted: false },
    ]);
  });

  it('expose problems found at compile time', () => {
    expect(compileExpression(parse('Join(".", [a])')).staticError).toBeUndefined();
    expect(
      compileExpression(
        parse('Join(".",\n Replace([a], , "(", , "x", , ))'),
        'Join(".",\n Replace([a], , "(", , "x", , ))',
      ).staticError,
    ).toMatchObject({
      code: 'invalid-regex',
      position: { line: 2, column: 17 },
    });
  });

  it('keep a static error and report it on every evaluation', () => {
    const compiled = compileExpression(parse('Nope([x])'), 'Nope([x])');
    expect(compiled.staticError).toMatchObject({ code: 'unknown-function' });
    for (let i = 0; i < 3; i++)
      expect(compiled.evaluate({ attributes: {}, now: NOW, seed: i })).toMatchObject({
        ok: false,
        error: { code: 'unknown-function' },
      });
  });

  it('run fast enough for the planner (simple mappings, over 100,000 per second)', () => {
    const compiled = compileExpression(parse('Join(".", ToLower([givenName]), ToLower([sn]))'));
    const context = { attributes: { givenName: 'Ann', sn: 'Lee' }, now: NOW, seed: 1 };
    compiled.evaluate(context);
    const start = performance.now();
    for (let i = 0; i < 20_000; i++) compiled.evaluate(context);
    const perSecond = 20_000 / ((performance.now() - start) / 1000);
    expect(perSecond).toBeGreaterThan(100_000);
  });
});
