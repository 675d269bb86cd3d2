/**
 * Prints a syntax tree back to canonical expression text.
 *
 * Canonical means: no whitespace except ", " between arguments and spaces around
 * comparison operators; strings escape only `\` and `"` (Entra's two escapes); function and
 * attribute names are printed as written. Parsing the printed text gives back the same tree
 * (apart from source spans), which makes the printer safe for normalising stored mappings.
 */
import type { ArgumentNode, ExpressionNode } from './ast';

/** Quotes a string constant the way Entra expects. */
export function quoteString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function printNumber(value: number, radix: 10 | 16): string {
  if (radix === 16 && Number.isSafeInteger(value) && value >= 0) return `&H${value.toString(16).toUpperCase()}`;
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

function printArgument(node: ArgumentNode): string {
  return node.type === 'omitted' ? '' : printExpression(node);
}

/**
 * Renders a tree as canonical text.
 *
 * A call whose only argument is omitted has no textual form distinct from a call with no
 * arguments; it prints as `Name()`.
 */
export function printExpression(node: ExpressionNode): string {
  switch (node.type) {
    case 'call':
      return `${node.name}(${node.args.map(printArgument).join(', ')})`;
    case 'attribute':
      return `[${node.name}]`;
    case 'string':
      return quoteString(node.value);
    case 'number':
      return printNumber(node.value, node.radix);
    case 'identifier':
      return node.name;
    case 'comparison':
      return `${printExpression(node.left)} ${node.operator} ${printExpression(node.right)}`;
  }
}
