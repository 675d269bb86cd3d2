/**
 * Runtime values of the expression language.
 *
 * Entra's attribute types are string, integer, boolean, date-time (carried as strings in
 * the `M/d/yyyy h:mm:ss tt` form) and multi-valued strings. Plain JavaScript primitives keep
 * the evaluator allocation-free on the hot path; `null` is "absent" (Entra treats a missing
 * attribute as null), and an empty multi-value is normalised to `null` for the same reason.
 */

/** A multi-valued attribute (e.g. `proxyAddresses`). Never empty: no values is `null`. */
export type MultiValue = readonly string[];

/** A value an expression can compute or read from an attribute. */
export type Value = string | number | boolean | null | MultiValue;

/**
 * The ordered candidates produced by a top-level `SelectUniqueValue`. The directory agent
 * picks the first candidate not already taken in Active Directory.
 */
export interface CandidateList {
  readonly kind: 'candidates';
  readonly values: readonly string[];
}

/**
 * Produced by `IgnoreFlowIfNullOrEmpty` when its argument is null or empty: the target
 * attribute must be left out of the change entirely (neither set nor cleared).
 */
export interface IgnoreFlow {
  readonly kind: 'ignore-flow';
}

/** Everything a successful evaluation can produce. */
export type EvaluationValue = Value | CandidateList | IgnoreFlow;

/** The single `IgnoreFlow` instance; compare with {@link isIgnoreFlow}. */
export const IGNORE_FLOW: IgnoreFlow = Object.freeze({ kind: 'ignore-flow' });

export function isMultiValue(value: unknown): value is MultiValue {
  return Array.isArray(value);
}

export function isCandidateList(value: EvaluationValue): value is CandidateList {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (value as CandidateList).kind === 'candidates'
  );
}

export function isIgnoreFlow(value: EvaluationValue): value is IgnoreFlow {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && (value as IgnoreFlow).kind === 'ignore-flow'
  );
}

/** Null, the empty string, or no values at all. */
export function isNullOrEmpty(value: Value): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** .NET renders booleans as `True` / `False`, and Entra flows them to targets that way. */
export function formatBoolean(value: boolean): string {
  return value ? 'True' : 'False';
}

/**
 * Formats a number the way .NET's round-trip `ToString()` does for the values that occur
 * in mappings (integers print without a decimal point; exponents use `E`).
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '\u221e';
  if (value === -Infinity) return '-\u221e';
  const text = String(value);
  return text.includes('e') ? text.replace('e', 'E') : text;
}

/** Converts a single value to text; `null` stays `null`; multi-values are not scalars. */
export function scalarToString(value: string | number | boolean | null): string | null {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  return formatBoolean(value);
}

/** Describes a value's kind for error messages. */
export function describeValue(value: EvaluationValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value))
    return `a multi-valued attribute with ${value.length} value${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return isCandidateList(value) ? 'a SelectUniqueValue candidate list' : 'an IgnoreFlow result';
}

/** Renders any evaluation result as display text (multi-values and candidates one per line). */
export function renderValue(value: EvaluationValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join('\n');
  if (typeof value === 'object') return isCandidateList(value) ? value.values.join('\n') : '';
  return scalarToString(value as string | number | boolean) ?? '';
}

/**
 * Normalises an attribute value supplied by a caller (possibly straight from JSON) into a
 * {@link Value}, or returns `undefined` if it has no sensible meaning (nested objects).
 */
export function normalizeAttributeValue(raw: unknown): Value | undefined {
  switch (typeof raw) {
    case 'string':
    case 'boolean':
      return raw;
    case 'number':
      return Number.isFinite(raw) ? raw : null;
    case 'undefined':
      return null;
    case 'object': {
      if (raw === null) return null;
      if (!Array.isArray(raw)) return undefined;
      let allStrings = true;
      for (const item of raw) {
        if (typeof item !== 'string') {
          allStrings = false;
          break;
        }
      }
      if (allStrings) return raw.length === 0 ? null : (raw as MultiValue);
      const items: string[] = [];
      for (const item of raw as unknown[]) {
        if (item === null || item === undefined) continue;
        if (typeof item === 'string') items.push(item);
        else if (typeof item === 'number' || typeof item === 'boolean') items.push(scalarToString(item) ?? '');
        else return undefined;
      }
      return items.length === 0 ? null : items;
    }
    default:
      return undefined;
  }
}
