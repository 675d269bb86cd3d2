/**
 * Loading a mapping configuration: unknown keys are refused, every problem is reported at once with
 * its path, and expression problems name the mapping and the position in the expression text.
 */
import {
  compileMappingConfig,
  createDefaultMappingConfig,
  type MappingConfigInput,
} from '../../../../shared/mapping/config';

const base = (): MappingConfigInput =>
  createDefaultMappingConfig({ domainDn: 'DC=corp,DC=example,DC=test', upnSuffix: 'corp.example.test' });
const mapping = (m: Record<string, unknown>) => (c: MappingConfigInput) =>
  ({ ...c, attributeMappings: [...c.attributeMappings, m] }) as MappingConfigInput;

type Problem = [path: string, message: RegExp, position?: { line: number; column: number }];
type Row = [situation: string, change: (c: MappingConfigInput) => unknown, problems: Problem[]];

const TABLE: Row[] = [
  ['the shipped defaults load', (c) => c, []],
  [
    'an unknown key at the top and in a section',
    (c) => ({ ...c, colour: 'blue', leaver: { deleteAfterDays: 3, purge: true } }),
    [
      ['(root)', /Unrecognized key: "colour"/],
      ['leaver', /Unrecognized key: "purge"/],
    ],
  ],
  [
    'a parse error names the mapping and the position',
    mapping({ type: 'expression', target: 'info', expression: 'Join(",", [Department]' }),
    [['attributeMappings.12.expression', /attributeMappings\[12\] \(info\): .*\(line 1, column \d+\)/]],
  ],
  [
    'an unknown function, on the second line',
    mapping({ type: 'expression', target: 'info', expression: 'Join(",",\n  Frobnicate([Department]))' }),
    [['attributeMappings.12.expression', /Unknown function "Frobnicate"/, { line: 2, column: 3 }]],
  ],
  [
    'SelectUniqueValue outside uniqueValues',
    mapping({ type: 'expression', target: 'info', expression: 'SelectUniqueValue([a], [b])' }),
    [['attributeMappings.12.expression', /belongs in uniqueValues/]],
  ],
  [
    'mapping attributes the protocol sets itself',
    (c) =>
      mapping({ type: 'direct', source: 'WorkerID', target: 'sAMAccountName' })(
        mapping({ type: 'constant', value: 'x', target: 'userAccountControl' })(c),
      ),
    [
      ['attributeMappings.12.target', /userAccountControl follows the worker lifecycle/],
      ['attributeMappings.13.target', /sAMAccountName is chosen from uniqueValues.sAMAccountName/],
    ],
  ],
  [
    'the same target twice, the same precedence twice',
    mapping({ type: 'direct', source: 'Department', target: 'department', matchingPrecedence: 1 }),
    [
      ['attributeMappings.12.target', /attributeMappings\[5\] already writes department/],
      ['attributeMappings.12.matchingPrecedence', /precedence 1 is also given to attributeMappings\[0\]/],
    ],
  ],
  [
    'no matching attribute',
    (c) => ({ ...c, attributeMappings: c.attributeMappings.map((m) => ({ ...m, matchingPrecedence: null })) }),
    [['attributeMappings', /no matching attribute/]],
  ],
  [
    'manager follow needs the first matching attribute computed from [WorkerID]',
    (c) => ({
      ...c,
      attributeMappings: [
        { type: 'direct', source: 'Email', target: 'extensionAttribute2', matchingPrecedence: 1 },
        ...c.attributeMappings.map((m) => ({ ...m, matchingPrecedence: m.matchingPrecedence ? 2 : null })),
      ],
    }),
    [['attributeMappings.0.matchingPrecedence', /computed from \[WorkerID\] alone/]],
  ],
  [
    'mail both unique and mapped',
    (c) =>
      mapping({ type: 'direct', source: 'Email', target: 'mail' })({
        ...c,
        uniqueValues: { ...c.uniqueValues, mail: 'Join("@", [WorkerID], "corp.example.test")' },
      }),
    [['attributeMappings.12.target', /mail is chosen from uniqueValues.mail/]],
  ],
  [
    'bad DNs, a bad zone, a bad regex, a non-integer comparison, a value on a unary operator',
    (c) => ({
      ...c,
      disabledOu: 'Disabled Users',
      groups: [
        { group: 'not a dn', when: [{ clauses: [{ attribute: 'Department', operator: 'REGEX MATCH', value: '(' }] }] },
      ],
      timeZone: { locations: { Paris: 'Europe/Pariss' }, default: 'Mars/Base' },
      scoping: {
        filters: [
          {
            clauses: [
              { attribute: 'CostCenter', operator: 'Greater_Than', value: 'ten' },
              { attribute: 'Active', operator: 'IS TRUE', value: 'yes' },
            ],
          },
        ],
      },
    }),
    [
      ['disabledOu', /not a distinguished name/],
      ['groups.0.group', /not a distinguished name/],
      ['scoping.filters.0.clauses.0.value', /compares integers; "ten"/],
      ['scoping.filters.0.clauses.1.value', /IS TRUE takes no value/],
    ],
  ],
  [
    'with the schema satisfied, the regex and zones are checked too',
    (c) => ({
      ...c,
      groups: [
        {
          group: 'CN=G,DC=corp,DC=example,DC=test',
          when: [{ clauses: [{ attribute: 'Department', operator: 'REGEX MATCH', value: '(' }] }],
        },
      ],
      timeZone: { locations: { Paris: 'Europe/Pariss' }, default: 'Mars/Base' },
    }),
    [
      ['groups.0.when.0.clauses.0', /invalid regular expression "\("/],
      ['timeZone.default', /Mars\/Base/],
      ['timeZone.locations.Paris', /Europe\/Pariss/],
    ],
  ],
  [
    'schema and expression problems in one report',
    (c) => ({ ...c, version: 2, parentOu: 'Switch([Location], "OU=Users,DC=corp,DC=example,DC=test"' }),
    [
      ['version', /expected 1/],
      ['parentOu', /the parent OU expression: .*\(line 1, column \d+\)/],
    ],
  ],
];

describe('compileMappingConfig', () => {
  it.each(TABLE)('%s', (_situation, change, problems) => {
    const loaded = compileMappingConfig(change(base()));
    if (problems.length === 0) {
      expect(loaded.ok).toBe(true);
      return;
    }
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues.map((i) => i.path).sort()).toEqual(problems.map(([path]) => path).sort());
    for (const [path, message, position] of problems) {
      const issue = loaded.issues.find((i) => i.path === path)!;
      expect(issue.message).toMatch(message);
      if (position) expect(issue.position).toMatchObject(position);
    }
  });
});
