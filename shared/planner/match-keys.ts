import type { MatchKey } from '../protocol/commands';

/** Whether two match keys find the same account (AD compares attribute names and values case-insensitively). */
export function sameMatchKey(a: MatchKey, b: MatchKey): boolean {
  return a.attribute.toLowerCase() === b.attribute.toLowerCase() && a.value.toLowerCase() === b.value.toLowerCase();
}

/** `first` followed by the keys of `more` that it does not already hold, in order. */
export function appendMatchKeys(first: readonly MatchKey[], more: readonly MatchKey[]): MatchKey[] {
  const out = [...first];
  for (const key of more) if (!out.some((m) => sameMatchKey(m, key))) out.push(key);
  return out;
}
