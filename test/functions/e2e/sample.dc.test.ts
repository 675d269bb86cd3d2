/**
 * The bundled sample end to end (examples/sample/README.md): workers.csv on sample today (2026-12-01),
 * then changes.csv, through the control plane in local mode and the embedded agent into the Samba DC,
 * then months of virtual time, checking the documented cases in AD and in the audit.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { acquireDc, resetDc } from '../../harness/samba-dc';
import { accountsWhere, copySample, csvOf, disabledOu, E2e, officeOu, parentOf, usersOu } from './fixtures/e2e-env';

let release: (() => void) | undefined;
let env: E2e | undefined;

beforeAll(async () => {
  release = await acquireDc();
});
afterAll(async () => {
  try {
    await env?.close();
  } finally {
    release?.();
  }
});

it('workers.csv then changes.csv: joiners, collisions, movers, leavers by local day, rescinded hire, rehire, bad rows', async () => {
  resetDc();
  env = await E2e.open({ now: '2026-12-01T00:00:00Z', csv: csvOf([]) });
  const e = env;
  copySample(e.dir, 'workers.csv');
  const first = await e.sync();
  const firstCycle = await e.cycle(first);
  expect(firstCycle.status).toBe('completed');

  // Every worker but the former worker E1111 has an account, each exactly one.
  const all = await accountsWhere(e.ldap, '(employeeID=E*)');
  expect(all).toHaveLength(198);
  expect(new Set(all.map((a) => a.employeeID)).size).toBe(198);
  expect(await e.account('E1111')).toBeUndefined();
  expect(all.every((a) => a.dn.toLowerCase().endsWith(usersOu().toLowerCase()))).toBe(true);
  // The name collision: each John Smith gets the first free candidate.
  const smiths = [await e.mustAccount('E1100'), await e.mustAccount('E1101')];
  expect(smiths.map((a) => a.sAMAccountName)).toEqual(['jsmith', 'josmith']);
  expect(parentOf(smiths[0]!.dn)).toBe(officeOu('London'));
  expect(parentOf(smiths[1]!.dn)).toBe(officeOu('New York'));
  expect((await e.mustAccount('E1102')).sAMAccountName).toBe('jmunoz');
  // Future hires exist ahead, disabled.
  for (const id of ['E1900', 'E1901', 'E1902']) expect((await e.mustAccount(id)).enabled).toBe(false);
  const priya = await e.mustAccount('E1900');
  const ingrid = await e.mustAccount('E1110');
  const kai = await e.mustAccount('E1121');
  expect(parentOf(kai.dn)).toBe(officeOu('London'));

  // changes.csv, later that day.
  await e.at('2026-12-01T01:00:00Z');
  copySample(e.dir, 'changes.csv');
  const second = await e.sync();
  expect((await e.cycle(second)).status).toBe('completed');

  // The mover with an OU move, the mover with new attributes.
  const kaiMoved = await e.mustAccount('E1121');
  expect(kaiMoved.objectGUID).toBe(kai.objectGUID);
  expect(parentOf(kaiMoved.dn)).toBe(officeOu('Berlin'));
  expect((await e.mustAccount('E1120')).department).toBe('Finance');
  // The rescinded hire's account is removed.
  expect(await e.account('E1902')).toBeUndefined();
  // The report who arrives before their manager, and the manager: both created ahead, disabled.
  expect((await e.mustAccount('E1904')).enabled).toBe(false);
  expect((await e.mustAccount('E1903')).enabled).toBe(false);
  // The unreadable row and the readable-but-invalid one are quarantined; nobody else is.
  const q = await e.api<{ quarantined: { workerKey: string; location: string; issues: unknown[] }[] }>(
    'GET',
    'quarantine',
  );
  const byLocation = Object.fromEntries(q.body.quarantined.map((entry) => [entry.location, entry]));
  expect(Object.keys(byLocation)).toHaveLength(2);
  expect(JSON.stringify(byLocation['row 207']?.issues)).toMatch(/Start Date/);
  const silva = q.body.quarantined.find((entry) => entry.workerKey === 'hr:E1908');
  expect(JSON.stringify(silva?.issues)).toMatch(/terminationDate/);
  expect(await e.account('E1907')).toBeUndefined();
  expect(await e.account('E1908')).toBeUndefined();

  // Leavers at the end of their local day: Sydney, then Los Angeles.
  await e.at('2026-12-11T12:59:00Z');
  expect((await e.mustAccount('E1108')).enabled).toBe(true);
  await e.at('2026-12-11T13:00:00Z');
  const charlotte = await e.mustAccount('E1108');
  expect(charlotte.enabled).toBe(false);
  expect(parentOf(charlotte.dn)).toBe(disabledOu());
  await e.at('2026-12-19T07:59:00Z');
  expect((await e.mustAccount('E1109')).enabled).toBe(true);
  await e.at('2026-12-19T08:00:00Z');
  const marcus = await e.mustAccount('E1109');
  expect(marcus.enabled).toBe(false);
  expect(parentOf(marcus.dn)).toBe(disabledOu());
  // Ingrid (E1110) left on 2026-12-04.
  const ingridLeft = await accountsWhere(e.ldap, '(givenName=Ingrid)');
  expect(ingridLeft.map((a) => [a.objectGUID, a.enabled])).toEqual([[ingrid.objectGUID, false]]);

  // Past the rescinded hire's start: its enable never fires.
  await e.at('2027-01-19T00:00:00Z');
  expect(await e.account('E1902')).toBeUndefined();
  expect(await e.audit('E1902', 'EnableAccount')).toEqual([]);

  // The future hire, three months out, enabled exactly once on its day.
  await e.at('2027-02-28T23:59:00Z');
  expect((await e.mustAccount('E1900')).enabled).toBe(false);
  await e.at('2027-03-01T00:00:00Z');
  const priyaStarted = await e.mustAccount('E1900');
  expect(priyaStarted.enabled).toBe(true);
  expect(priyaStarted.objectGUID).toBe(priya.objectGUID);

  // The rehire E1906 takes over E1110's account on 2027-03-15 (London midnight).
  await e.at('2027-03-14T23:59:00Z');
  expect((await accountsWhere(e.ldap, '(givenName=Ingrid)')).map((a) => a.enabled)).toEqual([false]);
  await e.at('2027-03-15T00:00:00Z');
  const back = await accountsWhere(e.ldap, '(givenName=Ingrid)');
  expect(back).toHaveLength(1);
  expect(back[0]!.objectGUID).toBe(ingrid.objectGUID);
  expect(back[0]!.enabled).toBe(true);
  expect(parentOf(back[0]!.dn)).toBe(officeOu('London'));

  await e.at('2027-03-20T00:00:00Z');
  expect((await e.audit('E1900', 'EnableAccount')).map((a) => a.effect)).toEqual(['enabled']);
  expect((await e.audit('E1108', 'DisableAccount')).map((a) => a.at)).toEqual(['2026-12-11T13:00:00.000Z']);
  expect((await e.audit('E1109', 'DisableAccount')).map((a) => a.at)).toEqual(['2026-12-19T08:00:00.000Z']);
  // The rehire is one command on its start: the old account, found by the previous id, re-keyed, moved back
  // from the disabled OU and enabled; nothing is created.
  const rehire = await e.audit('E1906');
  expect(rehire.map((a) => [a.at, a.action, a.effect, a.cause.classification])).toEqual([
    ['2027-03-15T00:00:00.000Z', 'UpsertAccount', 'moved', 'rehire'],
  ]);
  expect(back[0]!.employeeID).toBe('E1906');
});
