import { Client } from 'ldapts';
import type { AppliedResult, CommandResult } from '../../../shared/protocol';
import { childDn } from '../../../shared/directory/dn';
import { deleteFor, disableFor, enableFor, lookupFor, upsertFor } from '../../harness/commands';
import { openDirectorySuite, type DirectorySuite } from '../../harness/directory-suite';
import { addGroup, addMember, dcConnection, readEntry } from '../../harness/samba-dc';
import { readFileSync } from 'node:fs';

/**
 * Joiner → pre-hire → mover → manager → groups → leaver → rehire → hard delete, each asserted by
 * reading the directory back over LDAP.
 */

let s: DirectorySuite;

function applied(result: CommandResult): AppliedResult {
  if (result.kind !== 'Applied') throw new Error(`expected Applied, got ${JSON.stringify(result)}`);
  return result;
}

beforeAll(async () => {
  s = await openDirectorySuite('Lifecycle');
  await s.addOus('Staff', 'Sales', 'Disabled Users', 'Groups');
});
afterAll(async () => s?.close());

const uac = async (dn: string) =>
  Number((await readEntry(s.client, dn, ['userAccountControl']))?.useraccountcontrol?.[0]);

describe('joiner', () => {
  it('creates the account with the first candidates, a temporary password that must be changed, enabled', async () => {
    const command = upsertFor({
      id: 'E1001',
      given: 'Ada',
      family: 'Lovelace',
      ou: s.ou('Staff'),
      department: 'R&D',
      title: 'Engineer',
    });
    const result = applied(await s.applier.apply(command));
    expect(result.created).toBe(true);
    expect(result.chosen).toEqual({
      sAMAccountName: 'alovelace',
      userPrincipalName: `alovelace@${s.realm}`,
      cn: 'Ada Lovelace',
    });
    expect(result.dn).toBe(childDn('CN', 'Ada Lovelace', s.ou('Staff')));
    expect(result.objectGUID).toMatch(/^[0-9a-f-]{36}$/);

    const entry = await readEntry(s.client, result.dn);
    expect(entry).toBeDefined();
    expect(entry!.samaccountname).toEqual(['alovelace']);
    expect(entry!.userprincipalname).toEqual([`alovelace@${s.realm}`]);
    expect(entry!.employeeid).toEqual(['E1001']);
    expect(entry!.department).toEqual(['R&D']);
    expect(entry!.title).toEqual(['Engineer']);
    expect(entry!.useraccountcontrol).toEqual(['512']);
    expect(entry!.pwdlastset).toEqual(['0']);
  });

  it('the temporary password is real: binding reports "must change password" (data 773)', async () => {
    // The applier never reveals the password it generates, so this applier is given a known one.
    const known = 'Kn0wn!Temp#Passw0rd';
    const applier = s.newApplier({ generatePassword: () => known });
    const result = applied(
      await applier.apply(upsertFor({ id: 'E1002', given: 'Grace', family: 'Hopper', ou: s.ou('Staff') })),
    );
    const c = dcConnection();
    const user = new Client({
      url: c.url,
      tlsOptions: { ca: [readFileSync(c.caFile, 'utf8')], servername: c.serverName },
    });
    await expect(user.bind(`ghopper@${s.realm}`, known)).rejects.toThrow(/data 773/);
    await expect(user.bind(`ghopper@${s.realm}`, 'Wr0ng!Password')).rejects.toThrow(/data 52e/);
    await user.unbind();
    expect(result.created).toBe(true);
  });

  it('looks the account up read-only', async () => {
    await s.applier.apply(
      upsertFor({
        id: 'E1003',
        given: 'Hedy',
        family: 'Lamarr',
        ou: s.ou('Staff'),
        department: 'R&D',
        title: 'Inventor',
      }),
    );
    const result = await s.applier.apply(lookupFor('E1003', ['department', 'title', 'employeeID']));
    expect(result.kind).toBe('LookedUp');
    if (result.kind !== 'LookedUp') return;
    expect(result.account).toMatchObject({
      enabled: true,
      attributes: { department: 'R&D', title: 'Inventor', employeeID: 'E1003' },
    });
    const missing = await s.applier.apply(lookupFor('E-nobody'));
    expect(missing).toMatchObject({ kind: 'LookedUp', account: null });
  });
});

describe('pre-hire: created disabled ahead of the start date, enabled on it', () => {
  it('creates disabled, then enables without touching the password', async () => {
    const person = { id: 'E2001', given: 'Alan', family: 'Turing', ou: s.ou('Staff') };
    const created = applied(await s.applier.apply(upsertFor(person, { enabled: false })));
    expect(await uac(created.dn)).toBe(514);
    const pwdLastSetBefore = (await readEntry(s.client, created.dn, ['pwdLastSet']))!.pwdlastset;

    const started = applied(await s.applier.apply(upsertFor(person, { enabled: true })));
    expect(started.created).toBe(false);
    expect(started.changes).toEqual([{ attribute: 'userAccountControl', before: '514', after: '512' }]);
    expect(await uac(created.dn)).toBe(512);
    expect((await readEntry(s.client, created.dn, ['pwdLastSet']))!.pwdlastset).toEqual(pwdLastSetBefore);
  });
});

describe('mover', () => {
  it('updates only differing always-attributes, moves to the new OU and renames cn', async () => {
    const person = {
      id: 'E3001',
      given: 'Barbara',
      family: 'Liskov',
      ou: s.ou('Staff'),
      department: 'R&D',
      title: 'Engineer',
    };
    const created = applied(await s.applier.apply(upsertFor(person)));

    const moved = applied(
      await s.applier.apply(
        upsertFor(
          { ...person, family: 'Liskov-Smith', ou: s.ou('Sales'), department: 'Sales' },
          // identifiers stay: the candidates differ but sAMAccountName/UPN are never changed after create
        ),
      ),
    );
    expect(moved.created).toBe(false);
    expect(moved.moved).toEqual({ from: created.dn, to: childDn('CN', 'Barbara Liskov-Smith', s.ou('Sales')) });
    const attributes = moved.changes.map((c) => c.attribute).sort();
    expect(attributes).toEqual(['cn', 'department', 'displayName', 'sn']);
    expect(moved.changes).toContainEqual({ attribute: 'department', before: 'R&D', after: 'Sales' });

    expect(await readEntry(s.client, created.dn)).toBeUndefined();
    const entry = await readEntry(s.client, moved.dn);
    expect(entry!.department).toEqual(['Sales']);
    expect(entry!.sn).toEqual(['Liskov-Smith']);
    expect(entry!.samaccountname).toEqual(['bliskov']);
    expect(entry!.title).toEqual(['Engineer']);
  });

  it('an empty HR value clears the attribute', async () => {
    const person = { id: 'E3002', given: 'Edsger', family: 'Dijkstra', ou: s.ou('Staff'), title: 'Professor' };
    const created = applied(await s.applier.apply(upsertFor(person)));
    const cleared = applied(await s.applier.apply(upsertFor({ ...person, title: '' })));
    expect(cleared.changes).toEqual([{ attribute: 'title', before: 'Professor', after: null }]);
    expect((await readEntry(s.client, created.dn))!.title).toBeUndefined();
  });

  it('on-create attributes are never written after creation', async () => {
    const person = { id: 'E3003', given: 'Donald', family: 'Knuth', ou: s.ou('Staff') };
    const base = upsertFor(person);
    const created = applied(
      await s.applier.apply({
        ...base,
        attributes: { ...base.attributes, onCreate: { employeeID: 'E3003', description: 'initial' } },
      }),
    );
    const again = await s.applier.apply({
      ...base,
      attributes: { ...base.attributes, onCreate: { employeeID: 'E3003', description: 'changed' } },
    });
    expect(again.kind).toBe('NoChange');
    expect((await readEntry(s.client, created.dn))!.description).toEqual(['initial']);
  });
});

describe('manager', () => {
  it("sets the manager by the manager's match key", async () => {
    const boss = applied(
      await s.applier.apply(upsertFor({ id: 'M4001', given: 'Margaret', family: 'Hamilton', ou: s.ou('Staff') })),
    );
    const report = applied(
      await s.applier.apply(
        upsertFor(
          { id: 'E4001', given: 'Katherine', family: 'Johnson', ou: s.ou('Staff') },
          { manager: { attribute: 'employeeID', value: 'M4001' } },
        ),
      ),
    );
    expect(report.pending).toEqual([]);
    expect((await readEntry(s.client, report.dn))!.manager).toEqual([boss.dn]);
    expect((await readEntry(s.client, boss.dn))!.directreports).toEqual([report.dn]);
  });

  it('a manager who does not exist yet is reported pending, and set on a later delivery', async () => {
    const command = upsertFor(
      { id: 'E4002', given: 'Dorothy', family: 'Vaughan', ou: s.ou('Staff') },
      { manager: { attribute: 'employeeID', value: 'M4002' } },
    );
    const first = applied(await s.applier.apply(command));
    expect(first.pending).toEqual([{ kind: 'ManagerNotFound', attribute: 'employeeID', value: 'M4002' }]);
    expect((await readEntry(s.client, first.dn))!.manager).toBeUndefined();

    const boss = applied(
      await s.applier.apply(upsertFor({ id: 'M4002', given: 'Mary', family: 'Jackson', ou: s.ou('Staff') })),
    );
    const second = applied(await s.applier.apply(command));
    expect(second.pending).toEqual([]);
    expect(second.changes).toEqual([{ attribute: 'manager', before: null, after: boss.dn }]);
    expect((await readEntry(s.client, first.dn))!.manager).toEqual([boss.dn]);

    const cleared = applied(await s.applier.apply({ ...command, manager: null }));
    expect(cleared.changes).toEqual([{ attribute: 'manager', before: boss.dn, after: null }]);
  });
});

describe('managed groups', () => {
  it('adds and removes membership only for groups in the managed set', async () => {
    const [g1, g2, unmanaged] = ['GRP-Staff', 'GRP-Sales', 'GRP-Other'].map((n) =>
      childDn('CN', n, s.ou('Groups')),
    ) as [string, string, string];
    await addGroup(s.client, g1, 'GRP-Staff');
    await addGroup(s.client, g2, 'GRP-Sales');
    await addGroup(s.client, unmanaged, 'GRP-Other');
    const person = { id: 'E5001', given: 'Frances', family: 'Allen', ou: s.ou('Staff') };

    const joined = applied(await s.applier.apply(upsertFor(person, { groups: { managed: [g1, g2], memberOf: [g1] } })));
    expect(joined.groupsAdded).toEqual([g1]);
    // Someone adds the account to a group hr2ad does not manage: it must survive.
    await addMember(s.client, unmanaged, joined.dn);

    const moved = applied(await s.applier.apply(upsertFor(person, { groups: { managed: [g1, g2], memberOf: [g2] } })));
    expect(moved.groupsAdded).toEqual([g2]);
    expect(moved.groupsRemoved).toEqual([g1]);
    const memberOf = (await readEntry(s.client, joined.dn, ['memberOf']))!.memberof!.slice().sort();
    expect(memberOf).toEqual([g2, unmanaged].sort());
  });
});

describe('leaver and rehire', () => {
  // Each test makes its own worker, so the tests hold in any order.
  const person = (id: string, given: string, family: string) => ({ id, given, family, ou: s.ou('Staff') });

  it('soft leaver: disabled and moved to the disabled-users OU', async () => {
    const created = applied(await s.applier.apply(upsertFor(person('E6001', 'John', 'Backus'))));
    const left = applied(await s.applier.apply(disableFor('E6001', s.ou('Disabled Users'))));
    expect(left.moved).toEqual({ from: created.dn, to: childDn('CN', 'John Backus', s.ou('Disabled Users')) });
    expect(await uac(left.dn)).toBe(514);
  });

  it('rehire: enabled and moved back, same account (same objectGUID)', async () => {
    const created = applied(await s.applier.apply(upsertFor(person('E6002', 'Jean', 'Sammet'))));
    applied(await s.applier.apply(disableFor('E6002', s.ou('Disabled Users'))));
    const rehired = applied(await s.applier.apply(enableFor('E6002', s.ou('Staff'))));
    expect(rehired.dn).toBe(childDn('CN', 'Jean Sammet', s.ou('Staff')));
    expect(rehired.objectGUID).toBe(created.objectGUID);
    expect(await uac(rehired.dn)).toBe(512);
  });

  it('hard leaver: deleted; a second delete is NoChange', async () => {
    applied(await s.applier.apply(upsertFor(person('E6003', 'Kathleen', 'Booth'))));
    applied(await s.applier.apply(disableFor('E6003', s.ou('Disabled Users'))));
    const deleted = applied(await s.applier.apply(deleteFor('E6003')));
    expect(deleted.deleted).toBe(true);
    expect(await readEntry(s.client, deleted.dn)).toBeUndefined();
    expect(await s.applier.apply(deleteFor('E6003'))).toMatchObject({ kind: 'NoChange' });
  });

  it('disabling an unknown worker fails clearly, not silently', async () => {
    expect(await s.applier.apply(disableFor('E-unknown'))).toMatchObject({
      kind: 'Failed',
      code: 'AccountNotFound',
      retryable: false,
      field: 'match',
    });
  });
});
