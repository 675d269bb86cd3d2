/** Parser and printer: accepted syntax, canonical printing, and positioned parse errors. */
import {
  parseExpression,
  printExpression,
  type ExpressionNode,
  type ParseErrorCode,
} from '../../../../shared/mapping/expression';

function parseOrThrow(text: string): ExpressionNode {
  const result = parseExpression(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.ast;
}

const docSelectUniqueValue = `SelectUniqueValue( 
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"), 
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com")
    )`;

/** [source text, canonical printed form] */
const VALID: [string, string][] = [
  ['Join(".",[a],[b])', 'Join(".", [a], [b])'],
  ['Switch([Active], , "1", "x")', 'Switch([Active], , "1", "x")'],
  ['Replace([mail], "@contoso.com", , ,"", ,)', 'Replace([mail], "@contoso.com", , , "", , )'],
  ['F(,)', 'F(, )'],
  ['"Company name: \\"Contoso\\""', '"Company name: \\"Contoso\\""'], // doc escaping example
  ['"back\\\\slash"', '"back\\\\slash"'],
  ['"a\\d"', '"a\\\\d"'], // a lone backslash is kept literally, and printed escaped
  ['BitAnd(&HF, &hf7)', 'BitAnd(&HF, &HF7)'],
  ['DateAdd("d", -10, Now())', 'DateAdd("d", -10, Now())'],
  [
    '[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department]',
    '[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department]',
  ],
  ['[first name]', '[first name]'],
  ['[country]="USA"', '[country] = "USA"'],
  [
    'IIF(DateDiff("d", Now(), CDate([x]))>5,"False","True")',
    'IIF(DateDiff("d", Now(), CDate([x])) > 5, "False", "True")',
  ],
  ['IIF([a]<>[b], 1, 2)', 'IIF([a] <> [b], 1, 2)'],
  ['IIF([a]<=[b], 1, 2)', 'IIF([a] <= [b], 1, 2)'],
  ['IIF([a]>=[b], 1, 2)', 'IIF([a] >= [b], 1, 2)'],
  ['IIF([a]<[b], 1, 2)', 'IIF([a] < [b], 1, 2)'],
  ['InStr("a","b",1,vbTextCompare)', 'InStr("a", "b", 1, vbTextCompare)'],
  ['1.5', '1.5'],
  ['.5', '0.5'],
  ['1e3', '1000'],
  ['"Zoë 東京 😀"', '"Zoë 東京 😀"'],
  ['Join\u00a0(\t",",\r\n[a] )', 'Join(",", [a])'],
  ['  Now  (  )  ', 'Now()'],
  [
    docSelectUniqueValue,
    'SelectUniqueValue(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [PreferredFirstName], [PreferredLastName]))), "contoso.com"), Join("@", NormalizeDiacritics(StripSpaces(Join(".", Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"))',
  ],
];

/** [source text, code, offset, line, column] */
const INVALID: [string, ParseErrorCode, number, number, number][] = [
  ['', 'empty-expression', 0, 1, 1],
  ['   ', 'empty-expression', 0, 1, 1],
  ['Join(', 'unexpected-end', 4, 1, 5],
  ['Join("a"', 'unexpected-end', 4, 1, 5],
  ['"abc', 'unterminated-string', 0, 1, 1],
  ['Join("a", "b)', 'unterminated-string', 10, 1, 11],
  ['[abc', 'unterminated-attribute', 0, 1, 1],
  ['[ab\nc]', 'unterminated-attribute', 0, 1, 1],
  ['[]', 'empty-attribute', 0, 1, 1],
  ['Join("a" "b")', 'unexpected-token', 9, 1, 10],
  [')', 'unexpected-token', 0, 1, 1],
  ['Join("a"))', 'unexpected-token', 9, 1, 10],
  ['[a] [b]', 'unexpected-token', 4, 1, 5],
  ['@', 'unexpected-character', 0, 1, 1],
  ["Join('a')", 'unexpected-character', 5, 1, 6],
  ['Join(\u201ca\u201d)', 'unexpected-character', 5, 1, 6],
  ['12abc', 'invalid-number', 0, 1, 1],
  ['1.', 'invalid-number', 0, 1, 1],
  ['&H', 'invalid-number', 0, 1, 1],
  ['&HZZ', 'invalid-number', 0, 1, 1],
  ['&HFFFFFFFFFFFFFFFF', 'invalid-number', 0, 1, 1],
  ['[a] = [b] = [c]', 'unexpected-token', 10, 1, 11],
  ['=[a]', 'unexpected-token', 0, 1, 1],
  ['[a] =', 'unexpected-end', 5, 1, 6],
  ['Join(".",\n  [a] [b])', 'unexpected-token', 16, 2, 7],
  ['Join(".",\r\n\t"a",\r\n\t@)', 'unexpected-character', 19, 3, 2],
  ['x'.repeat(10_001), 'expression-too-long', 10_000, 1, 10_001],
  [`${'F('.repeat(101)}${')'.repeat(101)}`, 'nesting-too-deep', 201, 1, 202],
];

describe('parser accepts Entra syntax and prints it canonically', () => {
  it.each(VALID)('%j', (text, canonical) => {
    const ast = parseOrThrow(text);
    expect(printExpression(ast)).toBe(canonical);
    expect(printExpression(parseOrThrow(canonical))).toBe(canonical);
  });
});

describe('parse errors carry the reason and the position', () => {
  it.each(INVALID)('%j gives %s at offset %d (line %d, column %d)', (text, code, offset, line, column) => {
    const result = parseExpression(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code, position: { offset, line, column } });
    expect(result.error.message.length).toBeGreaterThan(10);
  });
});

describe('syntax tree', () => {
  it('records node kinds, values and source spans', () => {
    expect(parseOrThrow('IIF([c]="US", Mid([n], 1, &H2), )')).toEqual({
      type: 'call',
      name: 'IIF',
      span: { start: 0, end: 33 },
      args: [
        {
          type: 'comparison',
          operator: '=',
          span: { start: 4, end: 12 },
          left: { type: 'attribute', name: 'c', span: { start: 4, end: 7 } },
          right: { type: 'string', value: 'US', span: { start: 8, end: 12 } },
        },
        {
          type: 'call',
          name: 'Mid',
          span: { start: 14, end: 30 },
          args: [
            { type: 'attribute', name: 'n', span: { start: 18, end: 21 } },
            { type: 'number', value: 1, radix: 10, span: { start: 23, end: 24 } },
            { type: 'number', value: 2, radix: 16, span: { start: 26, end: 29 } },
          ],
        },
        { type: 'omitted', span: { start: 32, end: 32 } },
      ],
    });
  });

  it('keeps bare words as identifiers and negative zero as written', () => {
    expect(parseOrThrow('vbTextCompare')).toEqual({
      type: 'identifier',
      name: 'vbTextCompare',
      span: { start: 0, end: 13 },
    });
    const negativeZero = parseOrThrow('-0');
    expect(negativeZero.type === 'number' && Object.is(negativeZero.value, -0)).toBe(true);
    expect(printExpression(negativeZero)).toBe('-0');
  });

  it('accepts an expression of exactly the maximum length', () => {
    const text = `"${'x'.repeat(9_998)}"`;
    expect(text).toHaveLength(10_000);
    expect(parseExpression(text).ok).toBe(true);
  });
});
