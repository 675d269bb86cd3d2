/**
 * Comparison operators (`=`, `<>`, `<`, `<=`, `>`, `>=`) used in IIF conditions.
 *
 * Entra documents the operators but not their typing. Our rules, chosen so HR data (where
 * numbers usually arrive as strings) compares the way administrators expect:
 *   - null compares as the empty string, so `IIF([country]="", …)` works for absent values;
 *   - if either side is a boolean, both are read as booleans ("true"/"false" in any case);
 *   - if both sides are numbers or numeric strings, they compare numerically, except that
 *     `=` / `<>` between two strings stay textual ("01" is not "1" as an employee ID);
 *   - otherwise the comparison is ordinal and case-sensitive, like Switch.
 */
import type { ComparisonOperator } from './ast';
import type { Value } from './values';
import { formatNumber } from './values';

const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function asNumber(value: string | number): number | null {
  if (typeof value === 'number') return value;
  return NUMERIC.test(value) ? Number(value) : null;
}

function asBoolean(value: string | number | boolean): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = value.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : null;
}

function order(operator: ComparisonOperator, sign: number): boolean {
  switch (operator) {
    case '=':
      return sign === 0;
    case '<>':
      return sign !== 0;
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
  }
}

/**
 * Compares two single values; returns null when the operands cannot be ordered (booleans
 * with `<`, or a multi-valued operand), which the caller reports as a type error.
 */
export function compareValues(operator: ComparisonOperator, leftValue: Value, rightValue: Value): boolean | null {
  if (Array.isArray(leftValue) || Array.isArray(rightValue)) return null;
  const left = (leftValue ?? '') as string | number | boolean;
  const right = (rightValue ?? '') as string | number | boolean;

  if (typeof left === 'boolean' || typeof right === 'boolean') {
    if (operator !== '=' && operator !== '<>') return null;
    const a = asBoolean(left);
    const b = asBoolean(right);
    const equal = a !== null && a === b;
    return operator === '=' ? equal : !equal;
  }

  const bothStrings = typeof left === 'string' && typeof right === 'string';
  if (!(bothStrings && (operator === '=' || operator === '<>'))) {
    const a = asNumber(left);
    const b = asNumber(right);
    if (a !== null && b !== null) return order(operator, a < b ? -1 : a > b ? 1 : 0);
  }
  const a = typeof left === 'number' ? formatNumber(left) : left;
  const b = typeof right === 'number' ? formatNumber(right) : right;
  return order(operator, a < b ? -1 : a > b ? 1 : 0);
}
