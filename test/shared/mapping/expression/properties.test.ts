/**
 * Property-based tests (fast-check): printing and parsing are inverse, parsing and
 * evaluation never throw whatever the input, and evaluation is deterministic for a given
 * expression, worker, clock and seed.
 */
import fc from 'fast-check';
import {
  compileExpression,
  evaluate,
  evaluateExpression,
  FUNCTION_NAMES,
  parseExpression,
  printExpression,
  type ArgumentNode,
  type ComparisonOperator,
  type EvaluationResult,
  type ExpressionErrorCode,
  type ExpressionNode,
  type OperandNode,
  type Value,
} from '../../../../shared/mapping/expression';

const NO_SPAN = { start: 0, end: 0 };

/** Removes source spans, which legitimately differ between a tree and its reprint. */
function stripSpans(node: ArgumentNode): unknown {
  switch (node.type) {
    case 'call':
      return { type: 'call', name: node.name, args: node.args.map(stripSpans) };
    case 'comparison':
      return {
        type: 'comparison',
        operator: node.operator,
        left: stripSpans(node.left),
        right: stripSpans(node.right),
      };
    case 'omitted':
      return { type: 'omitted' };
    default: {
      const { span: _span, ...rest } = node;
      return rest;
    }
  }
}

function* walk(node: ArgumentNode): Generator<ArgumentNode> {
  yield node;
  if (node.type === 'call') for (const child of node.args) yield* walk(child);
  if (node.type === 'comparison') {
    yield* walk(node.left);
    yield* walk(node.right);
  }
}

const identifierName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const attributeName = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((name) => !name.includes(']') && !name.includes('\n') && name.trim() !== '');
const operators: ComparisonOperator[] = ['=', '<>', '<', '<=', '>', '>='];

/** Arbitrary syntax trees, including every node kind, odd strings and extreme numbers. */
const trees = fc.letrec<{ expression: ExpressionNode; operand: OperandNode; argument: ArgumentNode }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('operand'),
    tie('operand'),
    tie('operand'),
    fc.record({
      type: fc.constant('comparison' as const),
      operator: fc.constantFrom(...operators),
      left: tie('operand'),
      right: tie('operand'),
      span: fc.constant(NO_SPAN),
    }),
  ),
  operand: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      type: fc.constant('string' as const),
      value: fc.string({ unit: 'binary', maxLength: 12 }),
      span: fc.constant(NO_SPAN),
    }),
    fc.record({ type: fc.constant('attribute' as const), name: attributeName, span: fc.constant(NO_SPAN) }),
    fc.record({
      type: fc.constant('number' as const),
      value: fc.double({ noNaN: true, noDefaultInfinity: true }),
      radix: fc.constant(10 as const),
      span: fc.constant(NO_SPAN),
    }),
    fc.record({
      type: fc.constant('number' as const),
      value: fc.maxSafeNat(),
      radix: fc.constant(16 as const),
      span: fc.constant(NO_SPAN),
    }),
    fc.record({ type: fc.constant('identifier' as const), name: identifierName, span: fc.constant(NO_SPAN) }),
    fc.record({
      type: fc.constant('call' as const),
      name: identifierName,
      // A lone omitted argument has no distinct text (Name() means no arguments).
      args: fc
        .array(tie('argument'), { maxLength: 4 })
        .filter((args) => !(args.length === 1 && args[0]?.type === 'omitted')),
      span: fc.constant(NO_SPAN),
    }),
  ),
  argument: fc.oneof(
    { depthSize: 'small' },
    tie('expression'),
    tie('expression'),
    tie('expression'),
    fc.constant({ type: 'omitted' as const, span: NO_SPAN }),
  ),
}));

const TOKENS = [
  ...FUNCTION_NAMES,
  '(',
  ')',
  ',',
  ', ,',
  '[a]',
  '[givenName]',
  '[multi]',
  '[date]',
  '[n]',
  '[',
  ']',
  '"x"',
  '""',
  '"Zoë"',
  '"\\\\d+"',
  '"(?<g>a)"',
  '"g"',
  '"yyyy-MM-dd"',
  '"d"',
  '"2021-01-01"',
  '"8/25/2021 5:41:18 PM"',
  '"\\"',
  '"',
  '1',
  '0',
  '-3',
  '2.5',
  '&HF',
  '&H',
  '129699324000000000',
  'True',
  'vbTextCompare',
  'foo',
  '=',
  '<>',
  '>',
  '<=',
  '@',
  "'",
];
const tokenSoup = fc
  .tuple(fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }), fc.constantFrom('', ' ', '\n'))
  .map(([tokens, separator]) => tokens.join(separator));

/** Expressions that call real functions with plausible arguments, so evaluation gets deep. */
const callsOfRealFunctions = fc.letrec<{ node: ExpressionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<ExpressionNode>(
      { type: 'attribute', name: 'givenName', span: NO_SPAN },
      { type: 'attribute', name: 'multi', span: NO_SPAN },
      { type: 'attribute', name: 'date', span: NO_SPAN },
      { type: 'attribute', name: 'missing', span: NO_SPAN },
      { type: 'string', value: '2021-03-04T05:06:07Z', span: NO_SPAN },
      { type: 'string', value: 'yyyy-MM-dd', span: NO_SPAN },
      { type: 'string', value: 'Zoë Ørsted-Łukasz', span: NO_SPAN },
      { type: 'string', value: '(?<g>[a-z]+)', span: NO_SPAN },
      { type: 'string', value: 'g', span: NO_SPAN },
      { type: 'string', value: 'd', span: NO_SPAN },
      { type: 'string', value: '', span: NO_SPAN },
      { type: 'number', value: 3, radix: 10, span: NO_SPAN },
      { type: 'number', value: 1, radix: 10, span: NO_SPAN },
      { type: 'number', value: -2, radix: 10, span: NO_SPAN },
      { type: 'identifier', name: 'True', span: NO_SPAN },
    ),
    fc.record({
      type: fc.constant('call' as const),
      name: fc.constantFrom(...FUNCTION_NAMES),
      args: fc.array(fc.oneof(tie('node'), fc.constant({ type: 'omitted' as const, span: NO_SPAN })), { maxLength: 7 }),
      span: fc.constant(NO_SPAN),
    }),
  ),
}));

const attributeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 4 }),
  fc.constantFrom('2021-08-25', '8/25/2021 5:41:18 PM', '129699324000000000', '20150123105347.1Z', 'Zoë'),
  fc.anything(),
);
const attributeBags = fc.dictionary(
  fc.constantFrom('a', 'givenName', 'GIVENNAME', 'multi', 'date', 'n', 'x', 'constructor', '__proto__'),
  attributeValue,
  { maxKeys: 6 },
);
const seeds = fc.oneof(fc.string(), fc.integer(), fc.double());
const clocks = fc.date();

const ERROR_CODES: readonly ExpressionErrorCode[] = [
  'empty-expression',
  'expression-too-long',
  'nesting-too-deep',
  'unexpected-character',
  'unexpected-token',
  'unexpected-end',
  'unterminated-string',
  'unterminated-attribute',
  'empty-attribute',
  'invalid-number',
  'unknown-function',
  'unknown-identifier',
  'arity',
  'type-mismatch',
  'invalid-argument',
  'invalid-date',
  'invalid-regex',
  'not-top-level',
  'internal',
];

/** A result is well formed: success with a value, or an error with a known code inside the text. */
function expectWellFormed(result: EvaluationResult<ExpressionErrorCode>, text: string): void {
  if (result.ok) {
    expect(typeof result.redacted).toBe('boolean');
    expect(result.value).not.toBeUndefined();
    return;
  }
  expect(ERROR_CODES).toContain(result.error.code);
  expect(result.error.code).not.toBe('internal');
  expect(result.error.message.length).toBeGreaterThan(0);
  expect(result.error.position.offset).toBeGreaterThanOrEqual(0);
  expect(result.error.position.offset).toBeLessThanOrEqual(text.length);
  expect(result.error.position.line).toBeGreaterThanOrEqual(1);
  expect(result.error.position.column).toBeGreaterThanOrEqual(1);
}

describe('parse(print(tree)) gives the tree back', () => {
  it('for arbitrary trees', () => {
    fc.assert(
      fc.property(trees.expression, (tree) => {
        const printed = printExpression(tree);
        const parsed = parseExpression(printed);
        if (!parsed.ok) throw new Error(`${printed}: ${parsed.error.message}`);
        expect(stripSpans(parsed.ast)).toEqual(stripSpans(tree));
        expect(printExpression(parsed.ast)).toBe(printed);
      }),
      { numRuns: 500 },
    );
  });

  it('with spans that cover exactly each node’s text', () => {
    fc.assert(
      fc.property(trees.expression, (tree) => {
        const printed = printExpression(tree);
        const parsed = parseExpression(printed);
        if (!parsed.ok) throw new Error(parsed.error.message);
        for (const node of walk(parsed.ast)) {
          if (node.type === 'omitted') continue;
          expect(printed.slice(node.span.start, node.span.end)).toBe(printExpression(node));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('parsing never throws', () => {
  it.each([
    ['arbitrary strings', fc.string({ unit: 'binary', maxLength: 200 })],
    ['token soup', tokenSoup],
  ])('on %s', (_name, texts) => {
    fc.assert(
      fc.property(texts, (text) => {
        const result = parseExpression(text);
        if (!result.ok) {
          expect(result.error.position.offset).toBeGreaterThanOrEqual(0);
          expect(result.error.position.offset).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('evaluation never throws', () => {
  it('on arbitrary text with arbitrary attribute bags, seeds and clocks', () => {
    fc.assert(
      fc.property(
        fc.oneof(tokenSoup, fc.string({ maxLength: 60 })),
        attributeBags,
        seeds,
        clocks,
        (text, attributes, seed, now) => {
          const result = evaluateExpression(text, { attributes: attributes as Record<string, Value>, now, seed });
          expectWellFormed(result, text);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('on calls of real functions nested arbitrarily', () => {
    fc.assert(
      fc.property(callsOfRealFunctions.node, attributeBags, seeds, clocks, (tree, attributes, seed, now) => {
        const text = printExpression(tree);
        const result = evaluateExpression(text, { attributes: attributes as Record<string, Value>, now, seed });
        expectWellFormed(result, text);
      }),
      { numRuns: 1500 },
    );
  });

  it('on hand-built trees that the parser could not produce', () => {
    fc.assert(
      fc.property(trees.expression, attributeBags, seeds, (tree, attributes, seed) => {
        const result = evaluate(tree, { attributes: attributes as Record<string, Value>, now: new Date(0), seed });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('evaluation is deterministic', () => {
  it('same expression, attributes, clock and seed give the same result', () => {
    const randomAndClock = fc.constantFrom(
      'Guid()',
      'RandomString(12, 2, 2, 2, 2)',
      'Join("|", Guid(), RandomString(8, 1, 1, 1, 1, "0O"), Now(), [givenName])',
      'SelectUniqueValue(Join(".", [givenName], RandomString(3, 3, 0, 0, 0)), Guid())',
      'DateDiff("s", Now(), CDate([date]))',
    );
    fc.assert(
      fc.property(
        fc.oneof(randomAndClock, callsOfRealFunctions.node.map(printExpression)),
        attributeBags,
        seeds,
        clocks,
        (text, attributes, seed, now) => {
          const context = { attributes: attributes as Record<string, Value>, now, seed };
          const parsed = parseExpression(text);
          if (!parsed.ok) return;
          const first = compileExpression(parsed.ast, text).evaluate(context);
          const second = compileExpression(parsed.ast, text).evaluate({ ...context, now: new Date(now.getTime()) });
          expect(second).toEqual(first);
          expect(evaluateExpression(text, context)).toEqual(first);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a different seed gives different random values', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        const guid = (seed: string): unknown =>
          evaluateExpression('Guid()', { attributes: {}, now: new Date(0), seed });
        expect(guid(a)).not.toEqual(guid(b));
      }),
      { numRuns: 200 },
    );
  });
});
