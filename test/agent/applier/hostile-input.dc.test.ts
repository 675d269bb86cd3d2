import { isWithin, parentOf, parseDn, dnEquals } from '../../../shared/directory/dn';
import type { CommandResult } from '../../../shared/protocol';
import { hostileWorkers, type HostileWorker } from '../../harness/hostile-workers';
import { openDirectorySuite, type DirectorySuite } from '../../harness/directory-suite';
import { readEntry, usersUnder } from '../../harness/samba-dc';

/**
 * 200 generated workers with hostile names. Each is created validly or refused with a clear error
 * naming the field; nothing crashes; no account lands outside its OU; the others are unaffected.
 */

const COUNT = 200;
let s: DirectorySuite;
let workers: HostileWorker[];
const results = new Map<string, CommandResult>();
let domainUsersBefore = 0;

beforeAll(async () => {
  s = await openDirectorySuite('Hostile');
  await s.addOus('People');
  domainUsersBefore = (await usersUnder(s.client, s.domainDn, ['cn'])).length;
  workers = hostileWorkers(COUNT, s.ou('People'), s.realm);
  for (const w of workers) results.set(w.id, await s.applier.apply(w.command));
}, 120_000);
afterAll(async () => s?.close());

const expectedValue = (v: string) => (v === '' ? undefined : [v]);

describe('hostile input', () => {
  it('every worker has an outcome: created, or refused with a clear error naming the field', () => {
    const kinds = new Map<string, number>();
    for (const w of workers) {
      const r = results.get(w.id)!;
      kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
      expect(['Applied', 'Failed']).toContain(r.kind);
      if (r.kind === 'Failed') {
        expect(['InvalidValue', 'UniqueValuesExhausted']).toContain(r.code);
        expect(r.field).toBeTruthy();
        expect(r.message.startsWith(r.field!)).toBe(true);
        expect(r.retryable).toBe(false);
      }
    }
    // The generator mixes valid and invalid workers: both outcomes must occur in quantity.
    expect(kinds.get('Applied')).toBeGreaterThan(50);
    expect(kinds.get('Failed')).toBeGreaterThan(20);
  });

  it('every created account reads back exactly as sent, in its own OU', async () => {
    for (const w of workers) {
      const r = results.get(w.id)!;
      if (r.kind !== 'Applied') continue;
      expect(dnEquals(parentOf(r.dn), s.ou('People'))).toBe(true);
      expect(parseDn(r.dn)[0]!.value).toBe(r.chosen.cn);
      const entry = await readEntry(s.client, r.dn);
      expect(entry).toBeDefined();
      expect(entry!.cn).toEqual([r.chosen.cn]);
      expect(entry!.employeeid).toEqual([w.id]);
      expect(entry!.givenname).toEqual(expectedValue(w.given));
      expect(entry!.sn).toEqual(expectedValue(w.family));
      expect(entry!.samaccountname).toEqual([r.chosen.sAMAccountName]);
      expect(entry!.useraccountcontrol).toEqual(['512']);
    }
  });

  it('injection in names or match keys never reached another account', async () => {
    const people = await usersUnder(s.client, s.ou('People'), ['employeeID', 'distinguishedName']);
    const applied = workers.filter((w) => results.get(w.id)!.kind === 'Applied');
    // One account per created worker, none more; none outside the suite OU.
    expect(people).toHaveLength(applied.length);
    expect(new Set(people.map((p) => p.employeeid?.[0]))).toEqual(new Set(applied.map((w) => w.id)));
    for (const p of people) expect(isWithin(p.distinguishedname![0]!, s.ou('People'))).toBe(true);
    const domainUsersAfter = (await usersUnder(s.client, s.domainDn, ['cn'])).length;
    expect(domainUsersAfter - domainUsersBefore).toBe(applied.length);
  });

  it('the refused workers still get a result when re-sent, and the others are unaffected (NoChange)', async () => {
    for (const w of workers.slice(0, 60)) {
      const again = await s.applier.apply(w.command);
      const first = results.get(w.id)!;
      if (first.kind === 'Applied') expect(again.kind).toBe('NoChange');
      else
        expect(again).toMatchObject({
          kind: 'Failed',
          code: first.kind === 'Failed' ? first.code : '',
          field: first.kind === 'Failed' ? first.field : '',
        });
    }
  });
});
