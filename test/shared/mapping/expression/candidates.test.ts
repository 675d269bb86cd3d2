/** validateCandidates: SelectUniqueValue candidates checked against AD attribute rules. */
import { validateCandidates } from '../../../../shared/mapping/expression';

type Row = [attribute: string, values: string[], valid: string[], rejected: number[], reason: RegExp | null];

const x = (n: number): string => 'x'.repeat(n);

const TABLE: Row[] = [
  ['sAMAccountName', ['jsmith', 'john.smith', 'ok'], ['jsmith', 'john.smith', 'ok'], [], null],
  ['sAMAccountName', [x(20), x(21)], [x(20)], [1], /20/],
  [
    'sAMAccountName',
    [
      'j[smith',
      'j"smith',
      'j/smith',
      'j\\smith',
      'j:s',
      'j;s',
      'j|s',
      'j=s',
      'j,s',
      'j+s',
      'j*s',
      'j?s',
      'j<s',
      'j>s',
      'j]s',
    ],
    [],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
    /sAMAccountName/,
  ],
  ['sAMAccountName', ['a\u0007b', 'tab\there'], [], [0, 1], /control/],
  ['sAMAccountName', ['jsmith.', 'jsmith'], ['jsmith'], [0], /\./],
  ['samaccountname', ['JSmith', 'jsmith'], ['JSmith'], [1], /case-insensitive/],
  ['cn', [x(64), x(65)], [x(64)], [1], /64/],
  [
    'userPrincipalName',
    ['john.smith@contoso.com', "o'neil_j-1!#^~@contoso.com"],
    ['john.smith@contoso.com', "o'neil_j-1!#^~@contoso.com"],
    [],
    null,
  ],
  [
    'userPrincipalName',
    ['john smith@contoso.com', 'jöhn@contoso.com', 'john@', 'contoso.com', `${x(1020)}@a.com`],
    [],
    [0, 1, 2, 3, 4],
    /userPrincipalName/,
  ],
  ['mail', ['a.b@contoso.com', 'not-an-address', `${x(251)}@a.com`], ['a.b@contoso.com'], [1, 2], /mail/],
  ['displayName', [x(256), x(257)], [x(256)], [1], /256/],
  ['givenName', [x(64), x(65)], [x(64)], [1], /64/],
  ['sn', [x(65)], [], [0], /64/],
  ['department', [x(65)], [], [0], /64/],
  ['title', [x(128), x(129)], [x(128)], [1], /128/],
  ['company', [x(65)], [], [0], /64/],
  ['employeeID', [x(16), x(17)], [x(16)], [1], /16/],
  ['physicalDeliveryOfficeName', [x(129)], [], [0], /128/],
  ['telephoneNumber', [x(65)], [], [0], /64/],
  ['description', [x(1024), x(1025)], [x(1024)], [1], /1024/],
  ['extensionAttribute15', [x(3000)], [x(3000)], [], null],
];

describe('validateCandidates', () => {
  it.each(TABLE)('%s %j', (attribute, values, valid, rejected, reason) => {
    const result = validateCandidates(attribute, values);
    expect(result.valid).toEqual(valid);
    const perCandidate = result.issues.filter((issue) => issue.index >= 0);
    expect(perCandidate.map((issue) => issue.index)).toEqual(rejected);
    for (const issue of perCandidate) {
      expect(issue.value).toBe(values[issue.index]);
      if (reason) expect(issue.reason).toMatch(reason);
    }
  });

  it('reports when no candidate is left to try', () => {
    expect(validateCandidates('sAMAccountName', [])).toEqual({
      valid: [],
      issues: [expect.objectContaining({ index: -1, reason: expect.stringMatching(/no candidates/) })],
    });
    const allBad = validateCandidates('sAMAccountName', ['a[b', 'c]d']);
    expect(allBad.valid).toEqual([]);
    expect(allBad.issues.at(-1)).toEqual(
      expect.objectContaining({ index: -1, reason: expect.stringMatching(/None of the 2/) }),
    );
  });
});
