/**
 * Case-insensitive attribute lookup over the caller's attribute bag.
 *
 * Entra matches attribute names case-insensitively. Callers hand us plain objects or Maps
 * (often parsed JSON), so we try the exact name first (the common, cheap case) and only
 * then scan for a case-insensitive match, without building any index per evaluation.
 */
import { normalizeAttributeValue, type Value } from './values';

/** A worker's attributes: a Map or a plain record, keyed by attribute name. */
export type AttributeSource = ReadonlyMap<string, Value> | Readonly<Record<string, Value>>;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Returns the attribute's value (null when absent), or `undefined` when the stored value
 * cannot be represented (e.g. a nested JSON object), which the caller reports as an error.
 */
export function lookupAttribute(source: AttributeSource, name: string, lowerName: string): Value | undefined {
  if (source instanceof Map) {
    const map = source as ReadonlyMap<string, unknown>;
    if (map.has(name)) return normalizeAttributeValue(map.get(name));
    for (const [key, value] of map) {
      if (typeof key === 'string' && key.length === lowerName.length && key.toLowerCase() === lowerName) {
        return normalizeAttributeValue(value);
      }
    }
    return null;
  }
  if (source === null || typeof source !== 'object') return null;
  const record = source as Readonly<Record<string, unknown>>;
  if (hasOwn.call(record, name)) return normalizeAttributeValue(record[name]);
  for (const key in record) {
    if (key.length === lowerName.length && hasOwn.call(record, key) && key.toLowerCase() === lowerName) {
      return normalizeAttributeValue(record[key]);
    }
  }
  return null;
}
