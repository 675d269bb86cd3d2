/**
 * Recursive-descent parser producing an {@link ExpressionNode} tree.
 *
 * Grammar (Entra documents it by example; this is the reading we implement):
 *
 *   expression := operand [ comparison-operator operand ]
 *   operand    := call | attribute | string | number | identifier
 *   call       := identifier "(" [ argument { "," argument } ] ")"
 *   argument   := expression | <nothing>          -- empty slots stand for omitted optional parameters
 *
 * Comparisons do not chain (`a = b = c` is rejected) because Entra has no boolean algebra
 * and a chain would silently compare a boolean to a string.
 */
import type { ArgumentNode, ExpressionNode, OperandNode } from './ast';
import { positionAt, type ExpressionError, type ParseErrorCode } from './errors';
import { tokenize, type Token } from './lexer';

/** Entra rejects expressions longer than this; we do the same so limits match. */
export const MAX_EXPRESSION_LENGTH = 10_000;

/** Protects the call stack from pathological input; real mappings nest far less. */
export const MAX_NESTING_DEPTH = 100;

export type ParseResult =
  | { readonly ok: true; readonly ast: ExpressionNode }
  | { readonly ok: false; readonly error: ExpressionError<ParseErrorCode> };

class ParseFailure {
  constructor(
    readonly code: ParseErrorCode,
    readonly message: string,
    readonly start: number,
    readonly end: number,
  ) {}
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'identifier':
      return `"${token.text}"`;
    case 'attribute':
      return `attribute [${token.name}]`;
    case 'string':
      return 'a string constant';
    case 'number':
      return 'a number';
    case 'operator':
      return `"${token.operator}"`;
    case 'end':
      return 'the end of the expression';
    default:
      return `"${token.kind}"`;
  }
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    // The token list always ends with an 'end' token, and we never advance past it.
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private unexpected(token: Token, expected: string): ParseFailure {
    if (token.kind === 'end') {
      return new ParseFailure(
        'unexpected-end',
        `Expression ends too early: expected ${expected}.`,
        token.start,
        token.end,
      );
    }
    return new ParseFailure(
      'unexpected-token',
      `Expected ${expected} but found ${describe(token)}.`,
      token.start,
      token.end,
    );
  }

  parseRoot(): ExpressionNode {
    if (this.peek().kind === 'end') {
      throw new ParseFailure('empty-expression', 'The expression is empty.', 0, 0);
    }
    const expression = this.parseExpression();
    const trailing = this.peek();
    if (trailing.kind !== 'end') {
      const hint =
        trailing.kind === ')' ? ' There is a ")" without a matching "(".' : ' Did you forget a comma or an operator?';
      throw new ParseFailure(
        'unexpected-token',
        `Unexpected ${describe(trailing)} after the end of the expression.${hint}`,
        trailing.start,
        trailing.end,
      );
    }
    return expression;
  }

  private parseExpression(): ExpressionNode {
    const left = this.parseOperand();
    const token = this.peek();
    if (token.kind !== 'operator') return left;
    this.next();
    const right = this.parseOperand();
    const after = this.peek();
    if (after.kind === 'operator') {
      throw new ParseFailure(
        'unexpected-token',
        `Comparisons cannot be chained: "${after.operator}" follows another comparison. Nest IIF calls instead.`,
        after.start,
        after.end,
      );
    }
    return {
      type: 'comparison',
      operator: token.operator,
      left,
      right,
      span: { start: left.span.start, end: right.span.end },
    };
  }

  private parseOperand(): OperandNode {
    const token = this.next();
    switch (token.kind) {
      case 'attribute':
        return { type: 'attribute', name: token.name, span: { start: token.start, end: token.end } };
      case 'string':
        return { type: 'string', value: token.value, span: { start: token.start, end: token.end } };
      case 'number':
        return { type: 'number', value: token.value, radix: token.radix, span: { start: token.start, end: token.end } };
      case 'identifier':
        if (this.peek().kind === '(') return this.parseCall(token.text, token.start);
        return { type: 'identifier', name: token.text, span: { start: token.start, end: token.end } };
      default:
        throw this.unexpected(token, 'a function call, an [attribute], a "string" or a number');
    }
  }

  private parseCall(name: string, start: number): OperandNode {
    const open = this.next();
    if (++this.depth > MAX_NESTING_DEPTH) {
      throw new ParseFailure(
        'nesting-too-deep',
        `Functions are nested more than ${MAX_NESTING_DEPTH} levels deep.`,
        open.start,
        open.end,
      );
    }
    const args: ArgumentNode[] = [];
    if (this.peek().kind === ')') {
      const close = this.next();
      this.depth--;
      return { type: 'call', name, args, span: { start, end: close.end } };
    }
    for (;;) {
      const token = this.peek();
      if (token.kind === ',' || token.kind === ')') {
        args.push({ type: 'omitted', span: { start: token.start, end: token.start } });
      } else if (token.kind === 'end') {
        throw new ParseFailure('unexpected-end', `Call to ${name} is missing its closing ")".`, open.start, open.end);
      } else {
        args.push(this.parseExpression());
      }
      const separator = this.next();
      if (separator.kind === ')') {
        this.depth--;
        return { type: 'call', name, args, span: { start, end: separator.end } };
      }
      if (separator.kind !== ',') {
        if (separator.kind === 'end') {
          throw new ParseFailure('unexpected-end', `Call to ${name} is missing its closing ")".`, open.start, open.end);
        }
        throw this.unexpected(separator, `"," or ")" in the arguments of ${name}`);
      }
    }
  }
}

/**
 * Parses expression text into a syntax tree.
 *
 * Never throws: malformed text yields `{ ok: false, error }` whose position points at the
 * offending character (offset, line and column) so tools can underline it.
 */
export function parseExpression(text: string): ParseResult {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return {
      ok: false,
      error: {
        code: 'expression-too-long',
        message: `The expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}.`,
        position: positionAt(text, MAX_EXPRESSION_LENGTH, text.length),
      },
    };
  }
  const lexed = tokenize(text);
  if (!lexed.ok) {
    const { code, message, start, end } = lexed.error;
    return { ok: false, error: { code, message, position: positionAt(text, start, end) } };
  }
  try {
    return { ok: true, ast: new Parser(lexed.tokens).parseRoot() };
  } catch (failure) {
    if (failure instanceof ParseFailure) {
      return {
        ok: false,
        error: { code: failure.code, message: failure.message, position: positionAt(text, failure.start, failure.end) },
      };
    }
    throw failure;
  }
}
