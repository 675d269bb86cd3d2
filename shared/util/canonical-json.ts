/**
 * Canonical JSON: object keys sorted, no whitespace. Two equal values always give the same text, so
 * the text can be hashed into identifiers (plan ids, command ids, configuration fingerprints).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // undefined has no JSON form; inside objects it is dropped, as JSON.stringify does.
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}
