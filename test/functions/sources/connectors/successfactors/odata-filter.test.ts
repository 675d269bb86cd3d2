/**
 * The fake SuccessFactors' OData v2 `$filter` parser and evaluator, over one row:
 * `personIdExternal` '42', `lastModifiedDateTime` 2026-01-01T00:00:05Z, two employments (u1 started
 * 2021-03-01, u2 with no start), no phones.
 *
 * | filter                                                                  | matches |
 * |-------------------------------------------------------------------------|---------|
 * | personIdExternal eq '42'                                                | yes     |
 * | personIdExternal ne '42'                                                | no      |
 * | personIdExternal in '1','42'                                            | yes     |
 * | lastModifiedDateTime gt datetimeoffset'2026-01-01T00:00:04Z'            | yes     |
 * | lastModifiedDateTime gt datetimeoffset'2026-01-01T01:00:05+01:00'       | no      |
 * | lastModifiedDateTime le datetime'2026-01-01T00:00:05'                   | yes     |
 * | employmentNav/userId eq 'u2'   (any row of the collection)              | yes     |
 * | employmentNav/startDate eq null                                         | yes     |
 * | phoneNav/phoneNumber eq null   (empty collection)                       | yes     |
 * | not (personIdExternal eq '42') or (employmentNav/userId in 'u3')        | no      |
 * | (personIdExternal eq '42' and employmentNav/startDate ge datetime'2021-03-01T00:00') | yes |
 * | name eq 'O''Neil'                                                       | yes     |
 */
import {
  FilterError,
  evaluateFilter,
  filterPaths,
  parseFilter,
} from '../../../../harness/hr-fakes/successfactors/odata-filter';

const row: Record<string, readonly unknown[]> = {
  personIdExternal: ['42'],
  name: ["O'Neil"],
  lastModifiedDateTime: [`/Date(${Date.parse('2026-01-01T00:00:05Z')}+0000)/`],
  'employmentNav/userId': ['u1', 'u2'],
  'employmentNav/startDate': [`/Date(${Date.parse('2021-03-01T00:00:00Z')})/`, null],
  'phoneNav/phoneNumber': [],
};
const values = (path: readonly string[]) => row[path.join('/')] ?? [];

describe('OData v2 $filter (fake SuccessFactors)', () => {
  it.each([
    ["personIdExternal eq '42'", true],
    ["personIdExternal ne '42'", false],
    ["personIdExternal in '1','42'", true],
    ["lastModifiedDateTime gt datetimeoffset'2026-01-01T00:00:04Z'", true],
    ["lastModifiedDateTime gt datetimeoffset'2026-01-01T01:00:05+01:00'", false],
    ["lastModifiedDateTime le datetime'2026-01-01T00:00:05'", true],
    ["employmentNav/userId eq 'u2'", true],
    ['employmentNav/startDate eq null', true],
    ['phoneNav/phoneNumber eq null', true],
    ["not (personIdExternal eq '42') or (employmentNav/userId in 'u3')", false],
    ["(personIdExternal eq '42' and employmentNav/startDate ge datetime'2021-03-01T00:00')", true],
    ["name eq 'O''Neil'", true],
  ])('%s → %s', (filter, expected) => {
    expect(evaluateFilter(parseFilter(filter), values)).toBe(expected);
  });

  it('names every path it reads', () => {
    const node = parseFilter("a eq 1 and (b/c ne null or not d/e/f in 'x','y')");
    expect(filterPaths(node)).toEqual([['a'], ['b', 'c'], ['d', 'e', 'f']]);
  });

  it.each([
    "personIdExternal eq '42' and",
    "personIdExternal like '42'",
    "personIdExternal eq '42",
    "lastModifiedDateTime gt datetimeoffset'2026-01-01T00:00:00'",
    "lastModifiedDateTime gt datetime'yesterday'",
    "(personIdExternal eq '42'",
    "startswith(personIdExternal, '4')",
    "employmentNav//userId eq 'u1'",
  ])('refuses %s', (filter) => {
    expect(() => parseFilter(filter)).toThrow(FilterError);
  });
});
