/**
 * Evaluation entry points. Nothing here throws: every outcome, including bad data, a bad
 * expression or an internal defect, is returned as a value.
 */
import type { SharedSlots } from './shared-slots';
import type { ExpressionNode, Span } from './ast';
import { compile, type Compilation } from './compiler';
import type { EvaluationErrorCode, ExpressionError, ExpressionErrorCode, SourcePosition } from './errors';
import { positionAt } from './errors';
import { parseExpression } from './parser';
import { EvaluationFault, IGNORE_FLOW_SIGNAL, Runtime, type EvaluationContext } from './runtime';
import { IGNORE_FLOW, type EvaluationValue } from './values';

/**
 * The outcome of evaluating an expression for one worker.
 *
 * On success `value` is a {@link Value}, a candidate list (top-level SelectUniqueValue) or
 * the ignore-flow marker (IgnoreFlowIfNullOrEmpty on an empty value). `redacted` tells
 * loggers to print "[Redact]" instead of the value.
 */
export type EvaluationResult<C extends ExpressionErrorCode = EvaluationErrorCode> =
  | { readonly ok: true; readonly value: EvaluationValue; readonly redacted: boolean }
  | { readonly ok: false; readonly error: ExpressionError<C> };

/** A pre-parsed, pre-compiled expression: compile once, evaluate for every worker. */
export interface CompiledExpression {
  readonly ast: ExpressionNode;
  /** The text the tree came from, if known; used for line/column in error positions. */
  readonly source: string | undefined;
  /**
   * A problem found while compiling, independent of any worker's data (unknown function,
   * wrong number of arguments, nested SelectUniqueValue, invalid constant regex). When set,
   * every evaluation returns it; configuration loading can reject the mapping up front.
   */
  readonly staticError: ExpressionError<EvaluationErrorCode> | undefined;
  evaluate(context: EvaluationContext): EvaluationResult;
}

function spanPosition(source: string | undefined, span: Span): SourcePosition {
  if (source !== undefined) return positionAt(source, span.start, span.end);
  return { offset: span.start, line: 1, column: span.start + 1, length: Math.max(1, span.end - span.start) };
}

function toError(fault: EvaluationFault, source: string | undefined): ExpressionError<EvaluationErrorCode> {
  return { code: fault.code, message: fault.message, position: spanPosition(source, fault.span) };
}

function run(
  compilation: Compilation,
  ast: ExpressionNode,
  source: string | undefined,
  context: EvaluationContext,
): EvaluationResult {
  if (!compilation.ok) return { ok: false, error: toError(compilation.fault, source) };
  let rt: Runtime | undefined;
  try {
    rt = new Runtime(context);
    return { ok: true, value: compilation.root(rt), redacted: rt.redacted };
  } catch (error) {
    if (error === IGNORE_FLOW_SIGNAL) return { ok: true, value: IGNORE_FLOW, redacted: rt?.redacted ?? false };
    if (error instanceof EvaluationFault) return { ok: false, error: toError(error, source) };
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: {
        code: 'internal',
        message: `Internal error during evaluation: ${detail}`,
        position: spanPosition(source, ast.span),
      },
    };
  }
}

/**
 * Compiles a tree for repeated evaluation. Pass the source text to get line and column
 * numbers in error positions, and the configuration's slots to share nested calls between its
 * expressions (see SharedSlots).
 */
export function compileExpression(ast: ExpressionNode, source?: string, slots?: SharedSlots): CompiledExpression {
  const compilation = compile(ast, slots);
  return {
    ast,
    source,
    staticError: compilation.ok ? undefined : toError(compilation.fault, source),
    evaluate: (context) => run(compilation, ast, source, context),
  };
}

/**
 * Evaluates a parsed tree against one worker's attributes, the injected clock and seed, compiling it
 * first. To evaluate one expression for many workers, compile it once (`compileExpression`) instead.
 */
export function evaluate(ast: ExpressionNode, context: EvaluationContext, source?: string): EvaluationResult {
  return run(compile(ast), ast, source, context);
}

/** Parses and evaluates in one step (parse errors come back as error results), for one-off use. */
export function evaluateExpression(text: string, context: EvaluationContext): EvaluationResult<ExpressionErrorCode> {
  const parsed = parseExpression(text);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  return run(compile(parsed.ast), parsed.ast, text, context);
}
