import type { DirectoryCommand } from '../../../shared/protocol';
import { childDn } from '../../../shared/directory/dn';
import { deleteFor, disableFor, enableFor, upsertFor } from '../../harness/commands';
import { openDirectorySuite, type DirectorySuite } from '../../harness/directory-suite';
import { hostileWorkers } from '../../harness/hostile-workers';
import { addGroup } from '../../harness/samba-dc';

/**
 * Every command applied twice: the second delivery reports NoChange (or the same refusal) and writes
 * nothing — the whole subtree, uSNChanged included, is identical to the single-apply state.
 */

let s: DirectorySuite;

beforeAll(async () => {
  s = await openDirectorySuite('Idempotency');
  await s.addOus('Staff', 'Sales', 'Disabled Users', 'Groups', 'Hostile');
  await addGroup(s.client, childDn('CN', 'All Staff', s.ou('Groups')), 'all-staff');
  await addGroup(s.client, childDn('CN', 'Sales Team', s.ou('Groups')), 'sales-team');
});
afterAll(async () => s?.close());

/** Every object under the suite root with every attribute, as text: any write shows in uSNChanged. */
async function snapshot(): Promise<string> {
  const { searchEntries } = await s.client.search(s.root, {
    scope: 'sub',
    attributes: ['*', 'uSNChanged', 'memberOf'],
    paged: { pageSize: 500 },
  });
  return JSON.stringify(
    searchEntries
      .map((e) =>
        Object.fromEntries(
          Object.entries(e).map(([k, v]) => [
            k,
            Buffer.isBuffer(v) ? v.toString('hex') : Array.isArray(v) ? v.map(String).sort() : String(v),
          ]),
        ),
      )
      .sort((a, b) => String(a.dn).localeCompare(String(b.dn))),
  );
}

function lifecycle(): Array<[string, DirectoryCommand]> {
  const staff = s.ou('Staff');
  const allStaff = childDn('CN', 'All Staff', s.ou('Groups'));
  const sales = childDn('CN', 'Sales Team', s.ou('Groups'));
  const groups = (memberOf: string[]) => ({ managed: [allStaff, sales], memberOf });
  const boss = { id: 'I0001', given: 'Rosalind', family: 'Franklin', ou: staff };
  const worker = {
    id: 'I0002',
    given: 'Linus',
    family: 'Pauling',
    ou: staff,
    department: 'Chemistry',
    title: 'Chemist',
  };
  return [
    [
      'joiner, manager not there yet',
      upsertFor(worker, { manager: { attribute: 'employeeID', value: 'I0001' }, groups: groups([allStaff]) }),
    ],
    [
      'pre-hire created disabled',
      upsertFor({ id: 'I0003', given: 'Lise', family: 'Meitner', ou: staff }, { enabled: false }),
    ],
    ['manager arrives', upsertFor(boss)],
    [
      'manager set on redelivery',
      upsertFor(worker, { manager: { attribute: 'employeeID', value: 'I0001' }, groups: groups([allStaff]) }),
    ],
    ['pre-hire starts', upsertFor({ id: 'I0003', given: 'Lise', family: 'Meitner', ou: staff }, { enabled: true })],
    [
      'mover: OU, department, groups, name',
      upsertFor(
        { ...worker, family: 'Pauling-Smith', ou: s.ou('Sales'), department: 'Sales', title: '' },
        { manager: { attribute: 'employeeID', value: 'I0001' }, groups: groups([sales]) },
      ),
    ],
    ['leaver soft', disableFor('I0002', s.ou('Disabled Users'))],
    ['rehire', enableFor('I0002', s.ou('Sales'))],
    ['leaver hard', deleteFor('I0003')],
  ];
}

describe('lifecycle commands applied twice', () => {
  // One test walks the lifecycle in order (each step builds on the last), so the suite holds in any test order.
  it('every step writes on the first delivery and nothing on the second', async () => {
    for (const [name, command] of lifecycle()) {
      const first = await s.applier.apply(command);
      expect({ name, kind: first.kind }).toEqual({ name, kind: 'Applied' });
      const afterOnce = await snapshot();
      const second = await s.applier.apply(command);
      expect({ name, kind: second.kind }).toEqual({ name, kind: 'NoChange' });
      expect({ name, state: await snapshot() }).toEqual({ name, state: afterOnce });
    }
  }, 60_000);
});

describe('200 hostile joiners applied twice', () => {
  it('the second pass writes nothing and repeats each refusal', async () => {
    const workers = hostileWorkers(200, s.ou('Hostile'), s.realm, 7);
    const first = [];
    for (const w of workers) first.push(await s.applier.apply(w.command));
    const afterOnce = await snapshot();
    for (const [i, w] of workers.entries()) {
      const again = await s.applier.apply(w.command);
      const once = first[i]!;
      if (once.kind === 'Applied') expect(again.kind).toBe('NoChange');
      else
        expect(again).toMatchObject({
          kind: once.kind,
          ...(once.kind === 'Failed' ? { code: once.code, field: once.field } : {}),
        });
    }
    expect(await snapshot()).toBe(afterOnce);
    expect(first.filter((r) => r.kind === 'Applied').length).toBeGreaterThan(50);
  }, 120_000);
});
