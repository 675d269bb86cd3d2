/** Truth tables for conditions, comparisons and null handling. */
import { err, expectOutcome, IGNORE, NOW, run, type Row } from './helpers';

const IIF: Row[] = [
  ['IIF([country]="USA",[country],[department])', { country: 'USA', department: 'Sales' }, 'USA'], // doc
  ['IIF([country]="USA",[country],[department])', { country: 'FR', department: 'Sales' }, 'Sales'], // doc
  ['IIF([country]="USA",IIF([state]="CA","True","False"),"False")', { country: 'USA', state: 'CA' }, 'True'], // doc (AND)
  ['IIF([country]="USA",IIF([state]="CA","True","False"),"False")', { country: 'USA', state: 'NY' }, 'False'], // doc (AND)
  ['IIF([country]="USA","True",IIF([state]="CA","True","False"))', { country: 'FR', state: 'CA' }, 'True'], // doc (OR)
  ['IIF([country]="USA","True",IIF([state]="CA","True","False"))', { country: 'FR', state: 'NY' }, 'False'], // doc (OR)
  [
    'IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True")',
    { StatusHireDate: '2021-09-30' },
    'False',
  ], // doc pattern
  ['IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True")', { StatusHireDate: '2021-08-27' }, 'True'],
  // Entra documents these as unsupported for null attributes; we give them their evident meaning.
  ['IIF([country]="","Other",[country])', {}, 'Other'],
  ['IIF(IsNullOrEmpty([country]),"Other",[country])', { country: 'DE' }, 'DE'],
  ['IIF(IsPresent([country]),[country],"Other")', {}, 'Other'],
  ['IIF("True", 1, 2)', {}, 1],
  ['IIF("false", 1, 2)', {}, 2],
  ['IIF(0, 1, 2)', {}, 2],
  ['IIF([missing], 1, 2)', {}, 2],
  ['IIF(True, "yes", Mid("x", 0, 1))', {}, 'yes'], // only the chosen branch is evaluated
  ['IIF("maybe", 1, 2)', {}, err('type-mismatch')],
  ['IIF(True, 1)', {}, err('arity')],
];

const COMPARISONS: Row[] = [
  ['IIF([a] <> "x", "ne", "eq")', { a: 'y' }, 'ne'],
  ['IIF([a] = "X", "eq", "ne")', { a: 'x' }, 'ne'], // case-sensitive like Switch
  ['IIF([age] >= 18, "adult", "minor")', { age: '18' }, 'adult'],
  ['IIF([age] > 9, "big", "small")', { age: '10' }, 'big'], // numeric, not textual ("10" < "9")
  ['IIF([id] = "01", "same", "different")', { id: '1' }, 'different'], // two strings compare as text
  ['IIF([level] = 1, "one", "other")', { level: '1.0' }, 'one'], // a number compares numerically
  ['IIF([name] < "b", "early", "late")', { name: 'alice' }, 'early'],
  ['IIF([name] <= "alice", "early", "late")', { name: 'alice' }, 'early'],
  ['IIF(IsPresent([x]) = "true", "present", "absent")', { x: 'v' }, 'present'],
  ['IIF(IsPresent([x]) = False, "absent", "present")', {}, 'absent'],
  ['IIF([missing] = [alsoMissing], "equal", "not")', {}, 'equal'],
  ['CBool([multi] = "a")', { multi: ['a'] }, err('type-mismatch')],
  ['CBool(True < False)', {}, err('type-mismatch')],
];

const SWITCH: Row[] = [
  [
    'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")',
    { state: 'QLD' },
    'Australia/Brisbane',
  ], // doc
  [
    'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")',
    { state: 'WA' },
    'Australia/Sydney',
  ], // doc
  ['Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")', { statusFlag: 'TRUE' }, '1'], // doc
  ['Switch([statusFlag], "Default Value", "true", "1", "", "0")', { statusFlag: '' }, '0'], // doc
  ['Switch([statusFlag], "Default Value", "true", "1", "", "0")', {}, '0'], // null matches the "" key
  ['Switch([country],[country],"","Other")', {}, 'Other'], // doc workaround
  ['Switch([country],[country],"","Other")', { country: 'NZ' }, 'NZ'], // doc workaround
  ['Switch([Active], , "1", "True", "0", "False")', { Active: '1' }, 'True'], // doc: omitted default
  ['Switch([Active], , "1", "True", "0", "False")', { Active: '7' }, null],
  ['Switch([state], "d", "qld", "lower")', { state: 'QLD' }, 'd'], // case-sensitive
  // The doc's IsPresent example, evaluated with Switch's documented semantics: the source
  // (True/False) is compared with each key (True/False); the default is [directManager].
  [
    'Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])',
    { skiplevelManager: 'm2', director: 'd' },
    null,
  ],
  [
    'Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])',
    { directManager: 'm1', director: 'd' },
    'd',
  ],
  [
    'Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])',
    { directManager: 'm1', skiplevelManager: 'm2' },
    'm2',
  ],
  ['Switch([n], "other", 1, "one", 2, "two")', { n: '2' }, 'two'],
  ['Switch([x], "d")', { x: 'a' }, 'd'],
  ['Switch([x], "d", "a", Mid("x", 0, 1), "b", "B")', { x: 'b' }, 'B'], // unmatched values are not evaluated
  ['Switch([multi], "d", "a", "A")', { multi: ['a', 'b'] }, err('type-mismatch')],
  ['Switch([x], "d", "a")', {}, err('arity')],
  ['Switch([x])', {}, err('arity')],
];

const COALESCE: Row[] = [
  ['Coalesce([mail],[userPrincipalName])', { userPrincipalName: 'John.Doe@contoso.com' }, 'John.Doe@contoso.com'], // doc
  [
    'Coalesce([mail],[userPrincipalName])',
    { mail: 'jd@contoso.com', userPrincipalName: 'John.Doe@contoso.com' },
    'jd@contoso.com',
  ],
  ['Coalesce([a],[b],"default")', {}, 'default'], // doc: defaultValue
  ['Coalesce([a],[b],"")', {}, ''], // doc: default may be ""
  ['Coalesce([a],[b])', {}, null], // doc: all null and no default
  ['Coalesce([a],"x")', { a: '' }, ''], // empty is not NULL
  ['Coalesce([multi], "x")', { multi: ['a', 'b'] }, ['a', 'b']],
  ['Coalesce([multi], "x")', { multi: [] }, 'x'],
  ['Coalesce([x])', { x: 5 }, 5],
  ['Coalesce()', {}, err('arity')],
];

const NOT: Row[] = [
  ['Not("True")', {}, false],
  ['Not("False")', {}, true],
  ['Not(True)', {}, false],
  ['Not(IsNull([x]))', { x: 'v' }, true],
  ['Not("anything")', {}, true], // doc: anything but True gives True
  ['Not([missing])', {}, true],
  ['Not(1)', {}, false],
  ['Not(0)', {}, true],
  ['Not([multi])', { multi: ['True'] }, err('type-mismatch')],
  ['Not()', {}, err('arity')],
];

const PREDICATES: Row[] = [
  ['IsNull([displayName])', {}, true], // doc
  ['IsNull([displayName])', { displayName: '' }, false],
  ['IsNull([displayName])', { displayName: null }, true],
  ['IsNull([multi])', { multi: [] }, true],
  ['IsNull(Mid([x], 1, 1))', {}, true],
  ['IsNullOrEmpty([displayName])', {}, true], // doc
  ['IsNullOrEmpty([displayName])', { displayName: '' }, true], // doc
  ['IsNullOrEmpty([displayName])', { displayName: ' ' }, false],
  ['IsNullOrEmpty([displayName])', { displayName: 'x' }, false],
  ['IsPresent([displayName])', { displayName: 'Zoë' }, true],
  ['IsPresent([displayName])', { displayName: '' }, false],
  ['IsPresent([displayName])', {}, false],
  ['IsPresent([n])', { n: 0 }, true],
  ['IsString([s])', { s: 'x' }, true],
  ['IsString([s])', { s: '' }, true],
  ['IsString([s])', { s: 12 }, false],
  ['IsString([s])', { s: true }, false],
  ['IsString([s])', {}, false],
  ['IsString([s])', { s: ['a'] }, false],
  ['IsNull()', {}, err('arity')],
  ['IsNullOrEmpty(1, 2)', {}, err('arity')],
  ['IsPresent()', {}, err('arity')],
  ['IsString()', {}, err('arity')],
];

const IGNORE_FLOW: Row[] = [
  ['IgnoreFlowIfNullOrEmpty([department])', {}, IGNORE], // doc
  ['IgnoreFlowIfNullOrEmpty([department])', { department: '' }, IGNORE], // doc
  ['IgnoreFlowIfNullOrEmpty([department])', { department: 'Sales' }, 'Sales'],
  [
    'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))',
    { prefix: '3444' },
    'Prof.',
  ], // doc
  [
    'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))',
    { prefix: '9999' },
    IGNORE,
  ], // doc
  ['IgnoreFlowIfNullOrEmpty([multi])', { multi: [] }, IGNORE],
  ['IgnoreFlowIfNullOrEmpty(" ")', {}, ' '],
  ['IgnoreFlowIfNullOrEmpty(0)', {}, 0],
  ['Join(",", "a", IgnoreFlowIfNullOrEmpty([missing]))', {}, IGNORE], // nested: the whole flow is dropped
  ['Join(",", "a", IgnoreFlowIfNullOrEmpty([x]))', { x: 'b' }, 'a,b'],
  ['IgnoreFlowIfNullOrEmpty()', {}, err('arity')],
];

describe.each([
  ['IIF', IIF],
  ['comparison operators', COMPARISONS],
  ['Switch', SWITCH],
  ['Coalesce', COALESCE],
  ['Not', NOT],
  ['IsNull / IsNullOrEmpty / IsPresent / IsString', PREDICATES],
  ['IgnoreFlowIfNullOrEmpty', IGNORE_FLOW],
])('%s', (_name, table) => {
  it.each(table)('%s with %j', (expression, attributes, expected) => {
    expectOutcome(expression, attributes, expected);
  });
});

describe('IgnoreFlowIfNullOrEmpty outcome', () => {
  it('is a distinct value the caller can recognise', () => {
    const result = run('IgnoreFlowIfNullOrEmpty([department])', {}, 's', NOW);
    expect(result).toEqual({ ok: true, value: { kind: 'ignore-flow' }, redacted: false });
  });
});
