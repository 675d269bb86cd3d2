/** Shared helpers for the expression truth tables. */
import {
  evaluateExpression,
  isCandidateList,
  isIgnoreFlow,
  type EvaluationResult,
  type ExpressionErrorCode,
  type Value,
} from '../../../../shared/mapping/expression';

/** 2021-08-25 17:41:18 UTC: the "Now" of Entra's DateDiff examples. */
export const NOW = new Date('2021-08-25T17:41:18Z');

export type Attributes = Record<string, Value>;

/** What a truth-table row expects: a plain value, an error code, candidates, or ignore-flow. */
export type Expected = Value | { error: ExpressionErrorCode } | { candidates: string[] } | 'IGNORE';

export const IGNORE = 'IGNORE' as const;
export const err = (code: ExpressionErrorCode): Expected => ({ error: code });

export function run(
  expression: string,
  attributes: Attributes = {},
  seed: string | number = 'seed',
  now: Date = NOW,
): EvaluationResult<ExpressionErrorCode> {
  return evaluateExpression(expression, { attributes, now, seed });
}

/** Reduces a result to the shape used in tables, so a failing row shows the actual message. */
export function outcome(
  result: EvaluationResult<ExpressionErrorCode>,
): Expected | { error: ExpressionErrorCode; message: string } {
  if (!result.ok) return { error: result.error.code, message: result.error.message };
  const { value } = result;
  if (isIgnoreFlow(value)) return IGNORE;
  if (isCandidateList(value)) return { candidates: [...value.values] };
  return value as Value;
}

/** Asserts a row: errors compare by code only, values exactly. */
export function expectOutcome(expression: string, attributes: Attributes, expected: Expected): void {
  const actual = outcome(run(expression, attributes));
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected) && 'error' in expected) {
    expect(actual).toEqual(expect.objectContaining({ error: expected.error }));
  } else {
    expect(actual).toEqual(expected);
  }
}

/** Table row: [expression, attributes, expected]. */
export type Row = [string, Attributes, Expected];
