/**
 * Errors are values: parsing and evaluation report problems through these types rather
 * than exceptions, so that one bad HR record can never abort a whole provisioning run.
 */

/** Where in the expression text a problem is. `line` and `column` are 1-based. */
export interface SourcePosition {
  /** 0-based UTF-16 offset into the expression text. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** Number of characters the problem covers (at least 1 when pointing at text). */
  readonly length: number;
}

/** Reasons a text is not a well-formed expression. */
export type ParseErrorCode =
  | 'empty-expression'
  | 'expression-too-long'
  | 'nesting-too-deep'
  | 'unexpected-character'
  | 'unexpected-token'
  | 'unexpected-end'
  | 'unterminated-string'
  | 'unterminated-attribute'
  | 'empty-attribute'
  | 'invalid-number';

/** Reasons a well-formed expression could not produce a value. */
export type EvaluationErrorCode =
  | 'unknown-function'
  | 'unknown-identifier'
  | 'arity'
  | 'type-mismatch'
  | 'invalid-argument'
  | 'invalid-date'
  | 'invalid-regex'
  | 'not-top-level'
  | 'internal';

export type ExpressionErrorCode = ParseErrorCode | EvaluationErrorCode;

/** One problem, with a message written for the administrator who wrote the expression. */
export interface ExpressionError<C extends ExpressionErrorCode = ExpressionErrorCode> {
  readonly code: C;
  readonly message: string;
  readonly position: SourcePosition;
}

/** Converts an offset range into a position with line and column, for messages and carets. */
export function positionAt(text: string, start: number, end: number = start + 1): SourcePosition {
  const offset = Math.max(0, Math.min(start, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1, length: Math.max(1, end - start) };
}
