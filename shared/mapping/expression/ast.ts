/**
 * Syntax tree of an attribute-mapping expression.
 *
 * Every node carries the half-open source range it was parsed from so that evaluation
 * errors can point back at the text the administrator typed.
 */

/** Half-open range `[start, end)` of UTF-16 offsets into the expression text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A function call such as `Join(".", [givenName], [sn])`. */
export interface CallNode {
  readonly type: 'call';
  /** The name as written; functions are resolved case-insensitively. */
  readonly name: string;
  readonly args: readonly ArgumentNode[];
  readonly span: Span;
}

/** An attribute reference such as `[givenName]`. */
export interface AttributeNode {
  readonly type: 'attribute';
  readonly name: string;
  readonly span: Span;
}

/** A double-quoted string constant, already unescaped. */
export interface StringNode {
  readonly type: 'string';
  readonly value: string;
  readonly span: Span;
}

/**
 * A numeric constant. `radix` remembers whether it was written in VBA hex form (`&HF7`)
 * so that printing gives back what the administrator recognises.
 */
export interface NumberNode {
  readonly type: 'number';
  readonly value: number;
  readonly radix: 10 | 16;
  readonly span: Span;
}

/** A bare word that is not a call, e.g. `vbTextCompare` or `True`. */
export interface IdentifierNode {
  readonly type: 'identifier';
  readonly name: string;
  readonly span: Span;
}

/** Comparison operators Entra allows inside `IIF` conditions (and we allow anywhere). */
export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** A single, non-chained comparison such as `[country] = "USA"`. */
export interface ComparisonNode {
  readonly type: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: OperandNode;
  readonly right: OperandNode;
  readonly span: Span;
}

/**
 * An argument left empty, as in `Switch([Active], , "1", "True")`. Entra uses empty
 * slots for optional parameters in the middle of a parameter list.
 */
export interface OmittedNode {
  readonly type: 'omitted';
  readonly span: Span;
}

/** Anything that can stand on either side of a comparison. */
export type OperandNode = CallNode | AttributeNode | StringNode | NumberNode | IdentifierNode;

/** A complete expression (the root of a tree, or a non-empty argument). */
export type ExpressionNode = OperandNode | ComparisonNode;

/** What may appear between the commas of a call. */
export type ArgumentNode = ExpressionNode | OmittedNode;

export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = ['=', '<>', '<', '<=', '>', '>='];
