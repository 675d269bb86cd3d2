/**
 * Account diff truth tables: directory entry + UpsertAccount (+ what the directory decided) → LDAP writes.
 * The account below is Jane Doe in OU=Staff: jdoe, jdoe@corp, title Engineer, department R&D, manager
 * CN=Boss, proxyAddresses [a, b], enabled (512). The command asks for exactly that unless a row says
 * otherwise. Writes read `replace attr=value`, `delete attr`, `move → DN`, `uac before→after`.
 *
 * diffAccount
 *
 * | situation                                        | writes                                   | chosen        |
 * |--------------------------------------------------|------------------------------------------|---------------|
 * | in sync                                          | —                                        | —             |
 * | title differs                                    | replace title=Lead                       | —             |
 * | HR emptied department                            | delete department                        | —             |
 * | HR empty, account has none                       | —                                        | —             |
 * | multi-valued, same values in another order       | —                                        | —             |
 * | onCreate attribute differs                       | —                                        | —             |
 * | manager differs                                  | replace manager=CN=Chief                 | —             |
 * | manager same DN, other case                      | —                                        | —             |
 * | manager cleared (null)                           | delete manager                           | —             |
 * | manager cleared, account has none                | —                                        | —             |
 * | manager left alone (undefined)                   | —                                        | —             |
 * | followed sAMAccountName got a new value          | replace sAMAccountName=jsmith            | sAMAccountName|
 * | followed value equals the current one            | —                                        | —             |
 * | new value for an attribute not followed          | —                                        | —             |
 * | placed in the same OU under a new cn             | move → CN=Jane Smith,OU=Staff            | cn            |
 * | placed in another OU under the same cn           | move → CN=Jane Doe,OU=Sales              | —             |
 * | placed where it already is                       | —                                        | —             |
 * | enabled wanted, account disabled (514)           | uac 514→512                              | —             |
 * | disabled wanted, account enabled (512)           | uac 512→514                              | —             |
 * | disabled wanted, account disabled                | —                                        | —             |
 * | disabled wanted, other bits set (66048)          | uac 66048→66050                          | —             |
 * | enabled wanted, just finished (interrupted create) | —                                      | —             |
 *
 * uniqueToChoose (follow: sAMAccountName, userPrincipalName) and placementOf (parent OU=Staff)
 *
 * | situation                                        | to choose                  | placement              |
 * |--------------------------------------------------|----------------------------|------------------------|
 * | current values first candidates                  | —                          | stays                  |
 * | current values later candidates (no churn)       | —                          | stays                  |
 * | sAMAccountName no longer a candidate             | sAMAccountName             | stays                  |
 * | both no longer candidates                        | sAMAccountName, UPN        | stays                  |
 * | no follow                                        | —                          | stays                  |
 * | follow mail, account has none                    | mail                       | stays                  |
 * | cn no longer a candidate                         | —                          | choose, current cn out |
 * | another OU, cn still a candidate                 | —                          | choose, keep Jane Doe  |
 */
import type { UpsertAccount } from '../../../shared/protocol';
import { parseDn } from '../../../shared/directory/dn';
import {
  diffAccount,
  placementOf,
  uniqueToChoose,
  type AccountDiff,
  type AccountDiffInput,
} from '../../../agent/applier/account-diff';
import type { DirectoryEntry } from '../../../agent/directory/directory.port';
import { upsertFor } from '../../harness/commands';

const STAFF = 'OU=Staff,DC=corp';
const SALES = 'OU=Sales,DC=corp';
const DN = `CN=Jane Doe,${STAFF}`;

function account(overrides: Record<string, string[] | undefined> = {}): DirectoryEntry {
  const attributes: Record<string, string[]> = {
    objectguid: ['33221100-5544-7766-8899-aabbccddeeff'],
    cn: ['Jane Doe'],
    samaccountname: ['jdoe'],
    userprincipalname: ['jdoe@corp'],
    title: ['Engineer'],
    department: ['R&D'],
    manager: ['CN=Boss,DC=corp'],
    proxyaddresses: ['smtp:a@corp', 'smtp:b@corp'],
    useraccountcontrol: ['512'],
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete attributes[k];
    else attributes[k] = v;
  }
  return { dn: DN, attributes };
}

type Always = UpsertAccount['attributes']['always'];

function command(o: { always?: Always; enabled?: boolean; follow?: UpsertAccount['unique']['follow'] } = {}) {
  const base = upsertFor({ id: 'E1', given: 'Jane', family: 'Doe', ou: STAFF });
  return {
    ...base,
    protocol: 2 as const,
    attributes: {
      always: {
        title: 'Engineer',
        department: 'R&D',
        proxyAddresses: ['smtp:a@corp', 'smtp:b@corp'],
        ...o.always,
      },
      onCreate: { employeeID: 'E1' },
    },
    unique: {
      sAMAccountName: ['jdoe', 'jdoe1'],
      userPrincipalName: ['jdoe@corp', 'jdoe1@corp'],
      cn: ['Jane Doe', 'Jane Doe (2)'],
      ...(o.follow ? { follow: o.follow } : {}),
    },
    enabled: o.enabled ?? true,
  };
}

function input(o: Partial<AccountDiffInput> = {}): AccountDiffInput {
  return {
    account: account(),
    command: command(),
    managerDn: 'CN=Boss,DC=corp',
    unique: {},
    finished: false,
    ...o,
  };
}

/** The writes, in order, as the table spells them. */
function writes(diff: AccountDiff): string[] {
  return [
    ...diff.modifications.map((m) =>
      m.operation === 'setPassword'
        ? 'setPassword'
        : m.operation === 'delete'
          ? `delete ${m.attribute}`
          : `${m.operation} ${m.attribute}=${m.values.join('|')}`,
    ),
    ...(diff.move ? [`move → ${diff.move.to}`] : []),
    ...(diff.userAccountControl ? [`uac ${diff.userAccountControl.before}→${diff.userAccountControl.after}`] : []),
  ];
}

type DiffRow = [situation: string, given: () => AccountDiffInput, writes: string[], chosen: string[]];

const DIFF_TABLE: DiffRow[] = [
  ['in sync', () => input(), [], []],
  ['title differs', () => input({ command: command({ always: { title: 'Lead' } }) }), ['replace title=Lead'], []],
  [
    'HR emptied department',
    () => input({ command: command({ always: { department: null } }) }),
    ['delete department'],
    [],
  ],
  [
    'HR empty, account has none',
    () => input({ account: account({ department: undefined }), command: command({ always: { department: '' } }) }),
    [],
    [],
  ],
  [
    'multi-valued, same values in another order',
    () => input({ command: command({ always: { proxyAddresses: ['smtp:b@corp', 'smtp:a@corp'] } }) }),
    [],
    [],
  ],
  ['onCreate attribute differs', () => input({ account: account({ employeeid: ['OTHER'] }) }), [], []],
  ['manager differs', () => input({ managerDn: 'CN=Chief,DC=corp' }), ['replace manager=CN=Chief,DC=corp'], []],
  ['manager same DN, other case', () => input({ managerDn: 'cn=boss,dc=CORP' }), [], []],
  ['manager cleared (null)', () => input({ managerDn: null }), ['delete manager'], []],
  [
    'manager cleared, account has none',
    () => input({ managerDn: null, account: account({ manager: undefined }) }),
    [],
    [],
  ],
  ['manager left alone (undefined)', () => input({ managerDn: undefined }), [], []],
  [
    'followed sAMAccountName got a new value',
    () => input({ command: command({ follow: ['sAMAccountName'] }), unique: { sAMAccountName: 'jsmith' } }),
    ['replace sAMAccountName=jsmith'],
    ['sAMAccountName'],
  ],
  [
    'followed value equals the current one',
    () => input({ command: command({ follow: ['sAMAccountName'] }), unique: { sAMAccountName: 'jdoe' } }),
    [],
    [],
  ],
  [
    'new value for an attribute not followed',
    () => input({ command: command({ follow: ['mail'] }), unique: { sAMAccountName: 'jsmith' } }),
    [],
    [],
  ],
  [
    'placed in the same OU under a new cn',
    () => input({ placement: { parentDn: STAFF, cn: 'Jane Smith' } }),
    [`move → CN=Jane Smith,${STAFF}`],
    ['cn'],
  ],
  [
    'placed in another OU under the same cn',
    () => input({ placement: { parentDn: SALES, cn: 'Jane Doe' } }),
    [`move → CN=Jane Doe,${SALES}`],
    [],
  ],
  ['placed where it already is', () => input({ placement: { parentDn: STAFF, cn: 'Jane Doe' } }), [], []],
  [
    'enabled wanted, account disabled (514)',
    () => input({ account: account({ useraccountcontrol: ['514'] }) }),
    ['uac 514→512'],
    [],
  ],
  [
    'disabled wanted, account enabled (512)',
    () => input({ command: command({ enabled: false }) }),
    ['uac 512→514'],
    [],
  ],
  [
    'disabled wanted, account disabled',
    () => input({ command: command({ enabled: false }), account: account({ useraccountcontrol: ['514'] }) }),
    [],
    [],
  ],
  [
    'disabled wanted, other bits set (66048)',
    () => input({ command: command({ enabled: false }), account: account({ useraccountcontrol: ['66048'] }) }),
    ['uac 66048→66050'],
    [],
  ],
  [
    'enabled wanted, just finished (interrupted create)',
    () => input({ finished: true, account: account({ useraccountcontrol: ['546'] }) }),
    [],
    [],
  ],
];

type ChoiceRow = [
  situation: string,
  given: () => { account: DirectoryEntry; command: UpsertAccount },
  toChoose: string[],
  placement: 'stays' | { keepCn: boolean; currentCn: string; parentDn: string },
];

const follow2 = ['sAMAccountName', 'userPrincipalName'] as const;
const withUnique = (u: Partial<UpsertAccount['unique']>, parentOu = STAFF): UpsertAccount => {
  const c = command({ follow: [...follow2] });
  return { ...c, parentOu, unique: { ...c.unique, ...u } };
};

const CHOICE_TABLE: ChoiceRow[] = [
  ['current values first candidates', () => ({ account: account(), command: withUnique({}) }), [], 'stays'],
  [
    'current values later candidates (no churn)',
    () => ({
      account: account(),
      command: withUnique({ sAMAccountName: ['jsmith', 'jdoe'], userPrincipalName: ['jsmith@corp', 'jdoe@corp'] }),
    }),
    [],
    'stays',
  ],
  [
    'sAMAccountName no longer a candidate',
    () => ({ account: account(), command: withUnique({ sAMAccountName: ['jsmith', 'jsmith1'] }) }),
    ['sAMAccountName'],
    'stays',
  ],
  [
    'both no longer candidates',
    () => ({
      account: account(),
      command: withUnique({ sAMAccountName: ['jsmith'], userPrincipalName: ['jsmith@corp'] }),
    }),
    ['sAMAccountName', 'userPrincipalName'],
    'stays',
  ],
  [
    'no follow',
    () => {
      const { follow: _f, ...unique } = withUnique({ sAMAccountName: ['jsmith'] }).unique;
      return { account: account(), command: { ...withUnique({}), unique } };
    },
    [],
    'stays',
  ],
  [
    'follow mail, account has none',
    () => ({ account: account(), command: withUnique({ mail: ['jane@corp'], follow: ['mail'] }) }),
    ['mail'],
    'stays',
  ],
  [
    'cn no longer a candidate',
    () => ({ account: account(), command: withUnique({ cn: ['Jane Smith', 'Jane Smith (2)'] }) }),
    [],
    { keepCn: false, currentCn: 'Jane Doe', parentDn: STAFF },
  ],
  [
    'another OU, cn still a candidate',
    () => ({ account: account(), command: withUnique({}, SALES) }),
    [],
    { keepCn: true, currentCn: 'Jane Doe', parentDn: SALES },
  ],
];

describe('diffAccount', () => {
  it.each(DIFF_TABLE)('%s', (_situation, given, expectedWrites, expectedChosen) => {
    const diff = diffAccount(given());
    expect(writes(diff)).toEqual(expectedWrites);
    expect(Object.keys(diff.chosen).sort()).toEqual([...expectedChosen].sort());
    // Every write is reported as a change (a move as `moved`, plus a cn change when it renames), nothing else.
    const moves = expectedWrites.filter((w) => w.startsWith('move')).length;
    const renames = expectedChosen.includes('cn') ? 1 : 0;
    expect(diff.changes).toHaveLength(expectedWrites.length - moves + renames);
  });

  it('is pure: the same input gives the same diff, and the input is not changed', () => {
    const given = input({
      command: command({ always: { title: 'Lead' }, enabled: false, follow: ['sAMAccountName'] }),
      unique: { sAMAccountName: 'jsmith' },
      placement: { parentDn: SALES, cn: 'Jane Smith' },
    });
    const before = JSON.stringify(given);
    expect(diffAccount(given)).toEqual(diffAccount(given));
    expect(JSON.stringify(given)).toBe(before);
  });

  it('reports before and after, in the order of the writes', () => {
    const diff = diffAccount(
      input({
        command: command({ always: { title: 'Lead' }, enabled: false, follow: ['sAMAccountName'] }),
        managerDn: null,
        unique: { sAMAccountName: 'jsmith' },
        placement: { parentDn: SALES, cn: 'Jane Smith' },
      }),
    );
    expect(diff.changes).toEqual([
      { attribute: 'title', before: 'Engineer', after: 'Lead' },
      { attribute: 'manager', before: 'CN=Boss,DC=corp', after: null },
      { attribute: 'sAMAccountName', before: 'jdoe', after: 'jsmith' },
      { attribute: 'cn', before: 'Jane Doe', after: 'Jane Smith' },
      { attribute: 'userAccountControl', before: '512', after: '514' },
    ]);
    expect(diff.chosen).toEqual({ sAMAccountName: 'jsmith', cn: 'Jane Smith' });
  });
});

describe('uniqueToChoose and placementOf', () => {
  it.each(CHOICE_TABLE)('%s', (_situation, given, toChoose, placement) => {
    const { account: a, command: c } = given();
    expect(uniqueToChoose(a, c)).toEqual(toChoose);
    expect(placementOf(a, c, parseDn(c.parentOu))).toEqual(placement === 'stays' ? undefined : placement);
  });
});
