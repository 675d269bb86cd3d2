/**
 * Attribute-mapping expressions, compatible with Microsoft Entra's expression language
 * ("Reference for writing expressions for attribute mappings in Microsoft Entra ID").
 *
 * Typical use by the planner: parse each mapping once, compile it, then evaluate it for
 * every worker with the run's clock and a per-worker seed.
 *
 * ```ts
 * const parsed = parseExpression('Join(".", [givenName], [sn])');
 * if (!parsed.ok) throw new Error(parsed.error.message);
 * const mapping = compileExpression(parsed.ast);
 * const result = mapping.evaluate({ attributes: worker, now: runStartedAt, seed: worker.id });
 * ```
 *
 * @packageDocumentation
 */
export type {
  ArgumentNode,
  AttributeNode,
  CallNode,
  ComparisonNode,
  ComparisonOperator,
  ExpressionNode,
  IdentifierNode,
  NumberNode,
  OmittedNode,
  OperandNode,
  Span,
  StringNode,
} from './ast';
export type { AttributeSource } from './attributes';
export { validateCandidates, type CandidateIssue, type CandidateValidation } from './candidates';
export type {
  EvaluationErrorCode,
  ExpressionError,
  ExpressionErrorCode,
  ParseErrorCode,
  SourcePosition,
} from './errors';
export {
  compileExpression,
  evaluate,
  evaluateExpression,
  type CompiledExpression,
  type EvaluationResult,
} from './evaluator';
export {
  FORMAT_CHARACTER_PATTERN,
  FORMAT_CHARACTERS,
  formatCharactersIn,
  stripFormatCharacters,
} from './format-characters';
export { FUNCTION_NAMES } from './functions/registry';
export { MAX_EXPRESSION_LENGTH, parseExpression, type ParseResult } from './parser';
export { printExpression } from './printer';
export { transliterate } from './transliterate';
export type { EvaluationContext } from './runtime';
export {
  IGNORE_FLOW,
  isCandidateList,
  isIgnoreFlow,
  renderValue,
  type CandidateList,
  type EvaluationValue,
  type IgnoreFlow,
  type MultiValue,
  type Value,
} from './values';
export { CallValues, SharedSlots } from './shared-slots';
