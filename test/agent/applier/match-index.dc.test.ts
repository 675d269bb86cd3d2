import { childDn } from '../../../shared/directory/dn';
import { disableFor, lookupFor, upsertFor } from '../../harness/commands';
import { openDirectorySuite, type DirectorySuite } from '../../harness/directory-suite';
import { setAttribute, usersUnder } from '../../harness/samba-dc';

/**
 * The agent's employeeID index stays correct when someone else changes the directory between commands:
 * accounts created, re-keyed, moved or deleted behind its back are seen before the next decision.
 */

let s: DirectorySuite;

beforeAll(async () => {
  s = await openDirectorySuite('MatchIndex');
  await s.addOus('Staff', 'Elsewhere');
  // Load the index before anything below happens behind its back.
  await s.applier.apply(upsertFor({ id: 'X0000', given: 'First', family: 'Account', ou: s.ou('Staff') }));
});
afterAll(async () => s?.close());

async function addBehindItsBack(cn: string, sam: string, employeeID: string, ou = s.ou('Staff')): Promise<string> {
  const dn = childDn('CN', cn, ou);
  await s.client.add(dn, {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: sam,
    employeeID,
    userAccountControl: '514',
  });
  return dn;
}

const withId = async (id: string) =>
  (await usersUnder(s.client, s.root, ['employeeID'])).filter((u) => u.employeeid?.[0] === id);

describe('match index under outside changes', () => {
  it('an account created by someone else after the index loaded is matched, not duplicated', async () => {
    const dn = await addBehindItsBack('Made Elsewhere', 'madeelse', 'X0001');
    const result = await s.applier.apply(
      upsertFor({ id: 'X0001', given: 'Made', family: 'Elsewhere', ou: s.ou('Staff') }),
    );
    expect(result).toMatchObject({ kind: 'Applied', created: false, dn });
    expect(await withId('X0001')).toHaveLength(1);
  });

  it('an employeeID changed by someone else is followed', async () => {
    const dn = await addBehindItsBack('Re Keyed', 'rekeyed', 'X0002');
    expect(await s.applier.apply(lookupFor('X0002'))).toMatchObject({ kind: 'LookedUp', account: { dn } });
    await setAttribute(s.client, dn, 'employeeID', ['X0003']);
    expect(await s.applier.apply(lookupFor('X0002'))).toMatchObject({ kind: 'LookedUp', account: null });
    expect(await s.applier.apply(lookupFor('X0003'))).toMatchObject({ kind: 'LookedUp', account: { dn } });
  });

  it('an account moved by someone else is found where it is now', async () => {
    const dn = await addBehindItsBack('Moved Away', 'movedaway', 'X0004');
    expect(await s.applier.apply(lookupFor('X0004'))).toMatchObject({ account: { dn } });
    const moved = childDn('CN', 'Moved Away', s.ou('Elsewhere'));
    await s.client.modifyDN(dn, moved);
    expect(await s.applier.apply(disableFor('X0004'))).toMatchObject({ kind: 'NoChange', dn: moved });
  });

  it('an account deleted by someone else is forgotten, and a new one is created', async () => {
    const dn = await addBehindItsBack('Gone Soon', 'gonesoon', 'X0005');
    expect(await s.applier.apply(lookupFor('X0005'))).toMatchObject({ account: { dn } });
    await s.client.del(dn);
    const result = await s.applier.apply(upsertFor({ id: 'X0005', given: 'Gone', family: 'Soon', ou: s.ou('Staff') }));
    expect(result).toMatchObject({ kind: 'Applied', created: true });
    expect(await withId('X0005')).toHaveLength(1);
  });

  it('a burst of outside changes (more than one equality search covers) is still seen', async () => {
    for (let i = 0; i < 80; i++) await addBehindItsBack(`Bulk ${i}`, `bulk${i}`, `XB${i}`);
    for (const i of [0, 41, 79]) {
      expect(await s.applier.apply(lookupFor(`XB${i}`))).toMatchObject({
        account: { dn: childDn('CN', `Bulk ${i}`, s.ou('Staff')) },
      });
    }
  });

  it('a second account given the same employeeID by someone else makes the match ambiguous', async () => {
    await addBehindItsBack('Copy Cat', 'copycat', 'X0000');
    expect(await s.applier.apply(lookupFor('X0000'))).toMatchObject({ kind: 'Failed', code: 'AmbiguousMatch' });
  });
});
