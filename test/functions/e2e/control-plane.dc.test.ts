/**
 * The control plane end to end in local mode: an HR file → cycle plans → lifecycle orchestrations → the
 * embedded agent → the real Samba DC, read back over LDAP, on a virtual clock (each scenario sets the
 * clock and waits until nothing is runnable). Each scenario starts from a fresh DC and a fresh data
 * directory, and asserts the directory and, where it says something, the audit.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import type { AuditEntry } from '../../../shared/ports/state-store.port';
import { acquireDc, resetDc } from '../../harness/samba-dc';
import {
  accountsWhere,
  callApi,
  csvOf,
  disabledOu,
  E2e,
  officeOu,
  parentOf,
  rowCells,
  sameDn,
  type E2eOptions,
  type Row,
} from './fixtures/e2e-env';

let release: (() => void) | undefined;
let env: E2e | undefined;

beforeAll(async () => {
  release = await acquireDc();
});
afterEach(async () => {
  await env?.close();
  env = undefined;
});
afterAll(() => release?.());

async function open(options: E2eOptions): Promise<E2e> {
  resetDc();
  env = await E2e.open(options);
  return env;
}

const NOW = '2026-12-01T00:00:00Z';
const ada: Row = {
  id: 'E1001',
  first: 'Ada',
  last: 'Lovelace',
  location: 'London',
  start: '2020-01-06',
  department: 'Engineering',
  title: 'Engineer',
};

const effects = (entries: readonly AuditEntry[]) => entries.map((e) => `${e.action}:${e.effect}`);

describe('joiner', () => {
  it('creates an enabled account in its office OU with the mapped attributes, and audits it', async () => {
    const e = await open({ now: NOW, csv: csvOf([ada]) });
    const cycleId = await e.sync();

    expect((await e.cycle(cycleId)).status).toBe('completed');
    const account = await e.mustAccount('E1001');
    expect(parentOf(account.dn)).toBe(officeOu('London'));
    expect(account).toMatchObject({
      sAMAccountName: 'alovelace',
      enabled: true,
      title: 'Engineer',
      department: 'Engineering',
      l: 'London',
      company: 'Contoso',
      displayName: 'Ada Lovelace',
    });
    const audit = await e.audit('E1001');
    expect(effects(audit)).toEqual(['UpsertAccount:created']);
    expect(audit[0]!.cause).toMatchObject({ cycleId, classification: 'joiner' });
  });
});

describe('the HTTP API', () => {
  it('refuses a request without the key or with a wrong key (401) on a real route', async () => {
    const e = await open({ now: NOW, csv: csvOf([ada]) });
    expect((await callApi(e.plane.url, null, 'GET', 'cycles')).status).toBe(401);
    expect((await callApi(e.plane.url, 'not-the-key', 'GET', 'cycles')).status).toBe(401);
    expect((await callApi(e.plane.url, `${e.plane.token}x`, 'POST', 'sources/hr-file/sync')).status).toBe(401);
    expect((await callApi(e.plane.url, null, 'POST', 'workers/hr:E1001/provision?wait=true')).status).toBe(401);
    // Nothing was started by the refused requests.
    await e.plane.whenIdle();
    expect(await e.account('E1001')).toBeUndefined();
    const cycles = await e.api<{ cycles: unknown[] }>('GET', 'cycles');
    expect(cycles.status).toBe(200);
    expect(cycles.body.cycles).toEqual([]);
  });
});

describe('future hire', () => {
  it('is created disabled ahead and enabled once, when its start (London midnight) comes', async () => {
    const priya: Row = { id: 'E2001', first: 'Priya', last: 'Raman', location: 'London', start: '2027-03-01' };
    const e = await open({ now: NOW, csv: csvOf([ada, priya]) });
    await e.sync();

    const ahead = await e.mustAccount('E2001');
    expect(ahead.enabled).toBe(false);
    expect(parentOf(ahead.dn)).toBe(officeOu('London'));

    await e.at('2027-02-28T23:59:00Z');
    expect((await e.mustAccount('E2001')).enabled).toBe(false);
    expect(await e.audit('E2001', 'EnableAccount')).toEqual([]);

    await e.at('2027-03-01T00:00:00Z');
    const started = await e.mustAccount('E2001');
    expect(started.enabled).toBe(true);
    expect(started.objectGUID).toBe(ahead.objectGUID);

    await e.at('2027-03-08T00:00:00Z');
    const enables = await e.audit('E2001', 'EnableAccount');
    expect(effects(enables)).toEqual(['EnableAccount:enabled']);
    expect(new Date(enables[0]!.at).getTime()).toBeGreaterThanOrEqual(Date.parse('2027-03-01T00:00:00Z'));
  });
});

describe('restart', () => {
  it('a pending enable survives a stop and start of the control plane and fires once', async () => {
    const felix: Row = { id: 'E2002', first: 'Felix', last: 'Wagner', location: 'Berlin', start: '2027-01-04' };
    const e = await open({ now: NOW, csv: csvOf([felix]) });
    await e.sync();
    expect((await e.mustAccount('E2002')).enabled).toBe(false);

    await e.restart();
    // Berlin midnight on 2027-01-04 is 2027-01-03T23:00Z.
    await e.at('2027-01-03T22:59:00Z');
    expect((await e.mustAccount('E2002')).enabled).toBe(false);
    await e.restart();
    await e.at('2027-01-03T23:00:00Z');
    expect((await e.mustAccount('E2002')).enabled).toBe(true);
    await e.restart();
    await e.at('2027-01-10T00:00:00Z');
    expect(effects(await e.audit('E2002'))).toEqual(['UpsertAccount:created', 'EnableAccount:enabled']);
  });
});

describe('mover', () => {
  it('moves the account to the new office OU and updates its attributes (Location London → Berlin)', async () => {
    const e = await open({ now: NOW, csv: csvOf([ada]) });
    await e.sync();
    const before = await e.mustAccount('E1001');
    expect(parentOf(before.dn)).toBe(officeOu('London'));

    await e.at('2026-12-02T09:00:00Z');
    e.dir.writeCsv(
      csvOf([{ ...ada, location: 'Berlin', title: 'Staff Engineer', department: 'Research', managerId: '' }]),
    );
    const cycleId = await e.sync();

    const after = await e.mustAccount('E1001');
    expect(after.objectGUID).toBe(before.objectGUID);
    expect(parentOf(after.dn)).toBe(officeOu('Berlin'));
    expect(after).toMatchObject({ enabled: true, title: 'Staff Engineer', department: 'Research', l: 'Berlin' });
    const moved = (await e.audit('E1001')).filter((a) => a.cause.cycleId === cycleId);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.every((a) => a.cause.classification === 'mover')).toBe(true);
    expect(effects(moved)).toContain('UpsertAccount:moved');
  });
});

describe('leavers at the end of their local day', () => {
  const charlotte: Row = {
    id: 'E3001',
    first: 'Charlotte',
    last: 'Nguyen',
    location: 'Sydney',
    start: '2020-09-28',
    end: '2026-12-11',
  };
  const marcus: Row = {
    id: 'E3002',
    first: 'Marcus',
    last: 'Johnson',
    location: 'Los Angeles',
    start: '2021-01-11',
    end: '2026-12-18',
  };

  it('disables Sydney at 2026-12-11T13:00Z and Los Angeles at 2026-12-19T08:00Z, moving them to the disabled OU', async () => {
    const e = await open({ now: NOW, csv: csvOf([charlotte, marcus]) });
    await e.sync();
    const sydney = await e.mustAccount('E3001');
    const la = await e.mustAccount('E3002');
    expect([sydney.enabled, la.enabled]).toEqual([true, true]);
    expect(parentOf(sydney.dn)).toBe(officeOu('Sydney'));
    expect(parentOf(la.dn)).toBe(officeOu('Los Angeles'));

    await e.at('2026-12-11T12:59:00Z');
    expect((await e.mustAccount('E3001')).enabled).toBe(true);
    await e.at('2026-12-11T13:00:00Z');
    const sydneyGone = await e.mustAccount('E3001');
    expect(sydneyGone.enabled).toBe(false);
    expect(parentOf(sydneyGone.dn)).toBe(disabledOu());
    expect(sydneyGone.objectGUID).toBe(sydney.objectGUID);
    expect((await e.mustAccount('E3002')).enabled).toBe(true);

    await e.at('2026-12-19T07:59:00Z');
    expect((await e.mustAccount('E3002')).enabled).toBe(true);
    await e.at('2026-12-19T08:00:00Z');
    const laGone = await e.mustAccount('E3002');
    expect(laGone.enabled).toBe(false);
    expect(parentOf(laGone.dn)).toBe(disabledOu());

    for (const id of ['E3001', 'E3002']) {
      const disables = await e.audit(id, 'DisableAccount');
      expect(effects(disables)).toEqual(['DisableAccount:disabled']);
    }
    const [sydneyAt, laAt] = [
      (await e.audit('E3001', 'DisableAccount'))[0]!,
      (await e.audit('E3002', 'DisableAccount'))[0]!,
    ];
    expect(sydneyAt.at).toBe('2026-12-11T13:00:00.000Z');
    expect(laAt.at).toBe('2026-12-19T08:00:00.000Z');
  });
});

describe('rehire', () => {
  it('a new id with Previous Employee ID reuses the old account and enables it again', async () => {
    const ingrid: Row = {
      id: 'E4001',
      first: 'Ingrid',
      last: 'Bergstrom',
      location: 'London',
      start: '2017-05-22',
      end: '2026-12-04',
    };
    const e = await open({ now: NOW, csv: csvOf([ada, ingrid]) });
    await e.sync();
    const original = await e.mustAccount('E4001');
    expect(original.enabled).toBe(true);

    await e.at('2026-12-05T00:00:00Z');
    const left = await e.mustAccount('E4001');
    expect(left.enabled).toBe(false);
    expect(parentOf(left.dn)).toBe(disabledOu());

    e.dir.writeCsv(
      csvOf([
        ada,
        { ...ingrid, status: 'Terminated' },
        { ...ingrid, id: 'E4002', start: '2026-12-07', end: '', previousId: 'E4001' },
      ]),
    );
    await e.sync();
    await e.at('2026-12-07T00:00:00Z');

    const ingrids = await accountsNamed(e, 'Ingrid');
    expect(ingrids).toHaveLength(1);
    const back = ingrids[0]!;
    expect(back.objectGUID).toBe(original.objectGUID);
    expect(back.enabled).toBe(true);
    expect(parentOf(back.dn)).toBe(officeOu('London'));
    const audit = await e.audit('E4002');
    expect(audit.some((a) => a.action === 'UpsertAccount' && a.effect === 'created')).toBe(false);
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((a) => a.cause.classification === 'rehire')).toBe(true);
    expect(back.employeeID).toBe('E4002');
  });
});

function accountsNamed(e: E2e, givenName: string) {
  return accountsWhere(e.ldap, `(givenName=${givenName})`);
}

describe('rescinded hire', () => {
  it('cancels the pending enable and removes the account created ahead', async () => {
    const sophie: Row = { id: 'E5001', first: 'Sophie', last: 'Martin', location: 'New York', start: '2027-01-18' };
    const e = await open({ now: NOW, csv: csvOf([ada, sophie]) });
    await e.sync();
    expect((await e.mustAccount('E5001')).enabled).toBe(false);

    await e.at('2026-12-10T00:00:00Z');
    e.dir.writeCsv(csvOf([ada, { ...sophie, status: 'Rescinded' }]));
    const cycleId = await e.sync();
    expect(await e.account('E5001')).toBeUndefined();

    // Past the start (midnight in New York): the enable never fires, nothing comes back.
    await e.at('2027-01-18T05:00:00Z');
    await e.at('2027-02-01T00:00:00Z');
    expect(await e.account('E5001')).toBeUndefined();
    const audit = await e.audit('E5001');
    expect(audit.filter((a) => a.action === 'EnableAccount')).toEqual([]);
    expect(effects(audit.filter((a) => a.cause.cycleId === cycleId))).toEqual(['DeleteAccount:deleted']);
    const status = await e.api<{ lifecycle: { runtimeStatus: string; status: unknown } | null }>(
      'GET',
      'workers/hr:E5001',
    );
    expect(status.status).toBe(200);
    expect(JSON.stringify(status.body.lifecycle?.status ?? null)).not.toMatch(/EnableAccount/);
  });
});

describe('a manager who arrives after their report', () => {
  it("sets the report's manager once the manager's account exists", async () => {
    const yuki: Row = {
      id: 'E6002',
      first: 'Yuki',
      last: 'Sato',
      location: 'Tokyo',
      start: '2026-12-14',
      managerId: 'E6001',
    };
    const kenji: Row = { id: 'E6001', first: 'Kenji', last: 'Watanabe', location: 'Tokyo', start: '2027-02-01' };
    const e = await open({ now: NOW, csv: csvOf([ada, yuki]) });
    await e.sync();
    expect((await e.mustAccount('E6002')).manager).toBeUndefined();

    await e.at('2026-12-02T00:00:00Z');
    e.dir.writeCsv(csvOf([ada, yuki, kenji]));
    await e.sync();
    const manager = await e.mustAccount('E6001');
    // The agent reported ManagerNotFound when it created the report; the report's command is delivered
    // again (hourly at most) until the manager exists: linked within the hour.
    await e.at('2026-12-02T01:00:00Z');
    const report = await e.mustAccount('E6002');
    expect(sameDn(report.manager, manager.dn)).toBe(true);

    // And it holds when the report starts.
    await e.at('2026-12-14T00:00:00Z');
    const started = await e.mustAccount('E6002');
    expect(started.enabled).toBe(true);
    expect(sameDn(started.manager, manager.dn)).toBe(true);
  });
});

describe('approval of held cycles', () => {
  const staff: Row[] = ['Anna', 'Ben', 'Cara', 'Dan', 'Eve', 'Finn'].map((first, i) => ({
    id: `E70${i + 1}`.padEnd(5, '0'),
    first,
    last: 'Held',
    location: 'Berlin',
    start: '2019-03-04',
  }));
  const ids = staff.map((r) => r.id);
  const terminated = (rows: readonly Row[]) =>
    rows.map((r) => ({ ...r, status: 'Terminated', end: '2026-12-01' }) as Row);

  it('holds a cycle over the disable threshold; approve applies it, reject leaves the accounts alone', async () => {
    const e = await open({
      now: NOW,
      csv: csvOf(staff),
      mapping: (m) => ({ ...m, thresholds: { disableOrDelete: { maxCount: 2, maxPercent: null } } }),
    });
    await e.sync();
    for (const id of ids) expect((await e.mustAccount(id)).enabled).toBe(true);

    await e.at('2026-12-03T00:00:00Z');
    e.dir.writeCsv(csvOf([...terminated(staff.slice(0, 3)), ...staff.slice(3)]));
    const first = await e.sync();
    expect((await e.cycle(first)).status).toBe('held');
    const held = await e.api<{ cycles: { cycleId: string; status: string }[] }>('GET', 'cycles?status=held');
    expect(held.body.cycles.map((c) => c.cycleId)).toEqual([first]);
    for (const id of ids) expect((await e.mustAccount(id)).enabled).toBe(true);

    const approve = await e.api('POST', `cycles/${encodeURIComponent(first)}/approve`, { by: 'e2e-admin' });
    expect(approve.status).toBe(202);
    await e.plane.whenIdle();
    expect((await e.cycle(first)).status).toMatch(/approved|completed/);
    for (const id of ids.slice(0, 3)) {
      const account = await e.mustAccount(id);
      expect(account.enabled).toBe(false);
      expect(parentOf(account.dn)).toBe(disabledOu());
      expect(effects(await e.audit(id, 'DisableAccount'))).toEqual(['DisableAccount:disabled']);
    }
    for (const id of ids.slice(3)) expect((await e.mustAccount(id)).enabled).toBe(true);

    await e.at('2026-12-04T00:00:00Z');
    e.dir.writeCsv(csvOf(terminated(staff)));
    const second = await e.sync();
    expect((await e.cycle(second)).status).toBe('held');
    const reject = await e.api('POST', `cycles/${encodeURIComponent(second)}/reject`, { by: 'e2e-admin' });
    expect(reject.status).toBe(202);
    await e.plane.whenIdle();
    expect((await e.cycle(second)).status).toBe('rejected');
    for (const id of ids.slice(3)) {
      expect((await e.mustAccount(id)).enabled).toBe(true);
      expect(await e.audit(id, 'DisableAccount')).toEqual([]);
    }
    // A decided cycle cannot be decided again.
    expect((await e.api('POST', `cycles/${encodeURIComponent(second)}/approve`)).status).toBe(409);
  });
});

describe('a bad row', () => {
  it('is quarantined with its row and column while the other rows apply', async () => {
    const bad = rowCells({ id: 'E8009', first: 'Chidi', last: 'Okonkwo', location: 'London', start: '2027-01-13' });
    bad[17] = '13/01/2027';
    const ben: Row = { id: 'E8002', first: 'Ben', last: 'Good', location: 'Tokyo', start: '2018-01-01' };
    const e = await open({ now: NOW, csv: csvOf([ada, bad, ben]) });
    const cycleId = await e.sync();

    expect((await e.cycle(cycleId)).status).toBe('completed');
    expect((await e.mustAccount('E1001')).enabled).toBe(true);
    expect((await e.mustAccount('E8002')).enabled).toBe(true);
    expect(await e.account('E8009')).toBeUndefined();
    const q = await e.api<{
      quarantined: { location: string; workerKey: string; issues: { path: string; message: string }[] }[];
    }>('GET', 'quarantine');
    expect(q.status).toBe(200);
    expect(q.body.quarantined).toHaveLength(1);
    const entry = q.body.quarantined[0]!;
    expect(entry.location).toBe('row 3');
    expect(JSON.stringify(entry.issues)).toMatch(/Start Date/);
  });
});

describe('provision on demand', () => {
  it('plans one worker from the file now and answers with the applied outcome (wait=true)', async () => {
    const e = await open({ now: NOW, csv: csvOf([ada]) });
    const res = await e.api<{ classification: string; outcomes: { status: string; kind: string }[] }>(
      'POST',
      'workers/hr:E1001/provision?wait=true',
    );
    expect(res.status).toBe(200);
    expect(res.body.classification).toBe('joiner');
    expect(res.body.outcomes.map((o) => `${o.kind}:${o.status}`)).toEqual(['UpsertAccount:applied']);
    const account = await e.mustAccount('E1001');
    expect(account.enabled).toBe(true);
    expect(parentOf(account.dn)).toBe(officeOu('London'));
    await e.plane.whenIdle();
    expect(effects(await e.audit('E1001'))).toEqual(['UpsertAccount:created']);

    expect((await e.api('POST', 'workers/hr:E9999/provision?wait=true')).status).toBe(404);
  });
});
