import type { AttributeValue } from '../../shared/protocol';

/** An attribute's values as the directory port gives them. */
export type Values = readonly string[];

/** Lower-cased attribute name → values, as in a `DirectoryEntry`. */
export type AttributeValues = Readonly<Record<string, Values>>;

export const lower = (s: string): string => s.toLowerCase();

/** Empty string, empty list and null all mean "no value": AD rejects empty strings. */
export function toValues(value: AttributeValue | undefined): string[] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

/** Values as a protocol value: null for none, a string for one, a list for more. */
export function fromValues(values: Values | undefined): AttributeValue {
  if (!values || values.length === 0) return null;
  return values.length === 1 ? values[0]! : [...values];
}

/** Same values, in any order (a single value compares exactly). */
export function sameValues(a: Values, b: Values): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 1) return a[0] === b[0];
  const set = new Set(a);
  return b.every((v) => set.has(v));
}

export function lowerKeys(attributes: AttributeValues): Record<string, Values> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [lower(k), v]));
}
