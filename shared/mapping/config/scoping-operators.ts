/**
 * Scoping-filter operators, spelled as Entra spells them ("Scoping users or groups to be provisioned
 * with scoping filters"). Null or empty attributes make every clause false except IS NULL, as in Entra;
 * multi-valued attributes are not supported by Entra's filters and make a clause false here too.
 *
 * - `EQUALS` / `NOT EQUALS`: exact, case-sensitive text comparison.
 * - `IS TRUE` / `IS FALSE`: a boolean (or the text true/false in any case).
 * - `IS NULL` / `IS NOT NULL`: empty or not.
 * - `REGEX MATCH` / `NOT REGEX MATCH`: the pattern is found in the value (case-sensitive).
 * - `Greater_Than`, `Greater_Than_OR_EQUALS`: integers only.
 * - `Less_Than`, `Less_Than_OR_EQUALS`: integers only; hr2ad's addition (Entra lists only the greater-than pair).
 * - `Includes`: the value contains the text (case-sensitive), .NET String.Contains.
 * - `ENDS_WITH`: the value ends with the text.
 * - `&` / `!&`: the attribute's value occurs / does not occur in the clause's text (Entra documents
 *   `&` as "the evaluated attribute exists in the input string value"), e.g. `&` with `Sales,Support`.
 */
export const SCOPING_OPERATORS = [
  'EQUALS',
  'NOT EQUALS',
  'IS TRUE',
  'IS FALSE',
  'IS NULL',
  'IS NOT NULL',
  'REGEX MATCH',
  'NOT REGEX MATCH',
  'Greater_Than',
  'Greater_Than_OR_EQUALS',
  'Less_Than',
  'Less_Than_OR_EQUALS',
  'Includes',
  'ENDS_WITH',
  '&',
  '!&',
] as const;

export type ScopingOperator = (typeof SCOPING_OPERATORS)[number];
