/**
 * The built-in function table, looked up case-insensitively as Entra's own examples mix
 * spellings (`switch(...)`, `IsNullorEmpty`).
 */
import { CONVERSION_FUNCTIONS } from './conversion-functions';
import { DATE_FUNCTIONS } from './date-functions';
import type { FunctionDefinition } from './function-types';
import { GENERATOR_FUNCTIONS } from './generator-functions';
import { HR2AD_FUNCTIONS } from './hr2ad-functions';
import { LOGIC_FUNCTIONS } from './logic-functions';
import { MULTI_VALUE_FUNCTIONS } from './multi-value-functions';
import { REPLACE_FUNCTIONS } from './replace-function';
import { STRING_FUNCTIONS } from './string-functions';

const ALL: readonly FunctionDefinition[] = [
  ...STRING_FUNCTIONS,
  ...REPLACE_FUNCTIONS,
  ...CONVERSION_FUNCTIONS,
  ...LOGIC_FUNCTIONS,
  ...MULTI_VALUE_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...GENERATOR_FUNCTIONS,
  // hr2ad's own extensions (Transliterate, StripFormatCharacters): documented as not in Entra.
  ...HR2AD_FUNCTIONS,
];

const BY_NAME = new Map<string, FunctionDefinition>(ALL.map((f) => [f.name.toLowerCase(), f]));

/**
 * Entra functions we deliberately do not implement: they only apply to app-role
 * assignments in outbound SaaS provisioning, never to HR-to-AD flows.
 */
export const UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'approleassignmentscomplex',
  'singleapproleassignment',
]);

export function findFunction(name: string): FunctionDefinition | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Canonical names of every supported function, alphabetically. */
export const FUNCTION_NAMES: readonly string[] = ALL.map((f) => f.name).sort((a, b) => a.localeCompare(b));

/** Edit distance where swapping two adjacent letters counts as one edit (a common typo). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => (d[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The closest known function name, for "did you mean" hints. */
export function suggestFunction(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(lower.length / 3)) + 1;
  for (const candidate of FUNCTION_NAMES) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
