/**
 * The sync cycle's activities (functions/activities/cycle.activities.ts) over a real
 * SqliteStateStore(':memory:') and a fake HR source. Proves:
 * - pollSource: a cursor equal to the committed one → `unchanged`; a new one → `changed`; a full read reads
 *   from nothing (since null) and is `changed` whatever its cursor; a suspect read
 *   → `suspect` with its reason, and the stored cursor is not consulted as a change; a read that throws
 *   (a refused key) → `failed` with the source's own words, and the cursor stays;
 * - planCycle: stores the cycle's plans, its record (planned or held) and the source's quarantine (source
 *   row issues with their row and column, planner issues with the record's location); returns the
 *   ready/held counts; a read whose cursor changed since the poll → `stale`, nothing stored;
 * - decideCycle: records the decision on the cycle;
 * - commitCycle: stores states (held ones only when approved), moves the cursor, keeps the source's
 *   quarantine, lays links over states (a result recorded after planning survives the commit), and a
 *   skipped cycle stores its record without moving the cursor.
 */
import { createCycleActivities, type CycleActivities } from '../../../functions/activities/cycle.activities';
import type { CommitInput } from '../../../functions/orchestrations/sync-cycle.orchestrator';
import {
  harness,
  keyOf,
  OBJECT_GUID,
  record,
  RECORDS,
  snapshot,
  SOURCE_ID,
  VALID,
  type ActivityHarness,
} from './activity-fixtures';

let h: ActivityHarness;
let activities: CycleActivities;

function setUp(maxCount: number | null = null): void {
  h = harness(maxCount);
  activities = createCycleActivities(h.ports);
}
afterEach(async () => {
  await h.store.close();
});

const input = (cycleId: string) => ({ sourceId: SOURCE_ID, cycleId, trigger: 'api' as const });

function commit(cycleId: string, cursor: string | null, changes: Partial<CommitInput> = {}): CommitInput {
  return { cycleId, sourceId: SOURCE_ID, cursor, status: 'completed', reason: null, includeHeld: false, ...changes };
}

/** Plans and commits one cycle of `records` under `cursor`. */
async function completeCycle(cycleId: string, records: readonly Record<string, unknown>[], cursor: string) {
  h.source.next = snapshot(records, cursor);
  const planned = await activities.planCycle({ ...input(cycleId), cursor });
  await activities.commitCycle(commit(cycleId, cursor, { status: planned.held > 0 ? 'approved' : 'completed' }));
  return planned;
}

describe('pollSource', () => {
  beforeEach(() => setUp());

  it('says `changed` when nothing was committed yet, with the read cursor', async () => {
    h.source.next = snapshot(VALID, 'sha:1');
    expect(await activities.pollSource(input('c1'))).toEqual({ kind: 'changed', cursor: 'sha:1', reason: null });
  });

  it.each([
    { what: 'the committed cursor', cursor: 'sha:1', kind: 'unchanged' },
    { what: 'another cursor', cursor: 'sha:2', kind: 'changed' },
  ] as const)('after a commit, a read with $what is `$kind`', async ({ cursor, kind }) => {
    await completeCycle('c1', VALID, 'sha:1');
    h.source.next = snapshot(VALID, cursor);
    expect(await activities.pollSource(input('c2'))).toEqual({ kind, cursor, reason: null });
  });

  it('a full read reads from nothing and is `changed` even when its cursor is the committed one', async () => {
    await completeCycle('c1', VALID, 'sha:1');
    h.source.next = snapshot(VALID, 'sha:1');
    expect(await activities.pollSource({ ...input('c2'), mode: 'full' })).toEqual({
      kind: 'changed',
      cursor: 'sha:1',
      reason: null,
    });
    const planned = await activities.planCycle({ ...input('c2'), mode: 'full', cursor: 'sha:1' });
    expect(planned.kind).toBe('planned');
    expect(h.source.sinces.slice(-2)).toEqual([null, null]);
    await activities.pollSource(input('c3'));
    expect(h.source.sinces.at(-1)).toBe('sha:1');
  });

  it('says `suspect`, with the reason and no cursor, when the source does not trust its read', async () => {
    await completeCycle('c1', VALID, 'sha:1');
    h.source.next = { kind: 'suspect', reason: 'the file workers.csv is empty' };
    expect(await activities.pollSource(input('c2'))).toEqual({
      kind: 'suspect',
      cursor: null,
      reason: 'held, not read: the file workers.csv is empty',
    });
  });

  it('says `failed`, in the source’s own words, when the read throws; the committed cursor stays', async () => {
    await completeCycle('c1', VALID, 'sha:1');
    h.source.failure = new Error('BambooHR source hr-bamboo: the API key was refused (401)');
    expect(await activities.pollSource(input('c2'))).toEqual({
      kind: 'failed',
      cursor: null,
      reason: 'not read: BambooHR source hr-bamboo: the API key was refused (401)',
    });
    expect((await h.store.getCursor(SOURCE_ID))?.cursor).toBe('sha:1');
  });

  it('refuses a source that is not configured', async () => {
    await expect(activities.pollSource({ ...input('c1'), sourceId: 'nope' })).rejects.toThrow(/no HR source "nope"/);
  });
});

describe('planCycle', () => {
  beforeEach(() => setUp());

  it('stores every worker outcome and the planned cycle record, and returns the ready count', async () => {
    h.source.next = snapshot(RECORDS, 'sha:1');
    const outcome = await activities.planCycle({ ...input('c1'), cursor: 'sha:1' });

    const plans = await h.store.getCyclePlans('c1');
    const withPlan = plans.filter((p) => p.plan !== null);
    expect(plans.map((p) => p.workerKey).sort()).toEqual(RECORDS.map(keyOf).sort());
    expect(withPlan.map((p) => p.workerKey).sort()).toEqual(VALID.map(keyOf).sort());
    expect(plans.every((p) => !p.held)).toBe(true);
    expect(outcome).toEqual({
      kind: 'planned',
      counts: expect.objectContaining({ quarantined: 1, held: 0, plans: 4 }) as unknown,
      ready: 4,
      held: 0,
      holdReason: null,
    });
    const cycle = await h.store.getCycle('c1');
    expect(cycle).toMatchObject({ cycleId: 'c1', sourceId: SOURCE_ID, status: 'planned', cursor: 'sha:1' });
    expect(cycle?.counts).toEqual(outcome.counts);
    expect(cycle?.counts.scheduled).toBeGreaterThan(0); // the future hire's steps wait for their due dates
  });

  it('does not move the cursor nor store states: that is the commit', async () => {
    h.source.next = snapshot(VALID, 'sha:1');
    await activities.planCycle({ ...input('c1'), cursor: 'sha:1' });
    expect(await h.store.getCursor(SOURCE_ID)).toBeNull();
    expect((await h.store.getStates()).size).toBe(0);
  });

  it('quarantines source row issues with their row and column, and planner issues with the record location', async () => {
    const rowIssue = {
      location: 'row 9',
      workerId: '1009',
      workerKey: 'workday:1009',
      field: 'Start Date',
      message: 'not a date: 2024-02-30',
    };
    h.source.next = snapshot(RECORDS, 'sha:1', [rowIssue]);
    await activities.planCycle({ ...input('c1'), cursor: 'sha:1' });

    const quarantine = await h.store.listQuarantine(SOURCE_ID);
    const invalidIndex = RECORDS.findIndex((r) => r.id === '1005');
    expect(quarantine).toHaveLength(2);
    expect(quarantine).toContainEqual({
      sourceId: SOURCE_ID,
      workerKey: 'workday:1009',
      location: 'row 9',
      issues: [{ workerKey: 'workday:1009', path: 'Start Date', message: 'not a date: 2024-02-30' }],
      since: h.clock.now().toISOString(),
      cycleId: 'c1',
    });
    const planner = quarantine.find((q) => q.workerKey === 'workday:1005');
    expect(planner).toMatchObject({ location: `row ${invalidIndex + 2}`, cycleId: 'c1' });
    expect(planner?.issues.map((i) => i.path)).toContain('hireDate');
  });

  it('keeps the first `since` of a record still quarantined in a later cycle', async () => {
    h.source.next = snapshot(RECORDS, 'sha:1');
    await activities.planCycle({ ...input('c1'), cursor: 'sha:1' });
    const first = h.clock.now().toISOString();
    h.clock.advance(3_600_000);
    h.source.next = snapshot(RECORDS, 'sha:2');
    await activities.planCycle({ ...input('c2'), cursor: 'sha:2' });
    expect(await h.store.listQuarantine(SOURCE_ID)).toEqual([
      expect.objectContaining({ workerKey: 'workday:1005', since: first, cycleId: 'c2' }),
    ]);
  });

  it('holds destructive plans over the threshold: held count, reason and held cycle record', async () => {
    setUp(0);
    await completeCycle('c1', VALID, 'sha:1');
    h.clock.advance(86_400_000);
    const leaver = record('1001', { employmentStatus: 'terminated', terminationDate: '2026-10-30' });
    h.source.next = snapshot([leaver, ...VALID.filter((r) => r.id !== '1001')], 'sha:2');

    const outcome = await activities.planCycle({ ...input('c2'), cursor: 'sha:2' });

    expect(outcome.held).toBe(1);
    expect(outcome.holdReason).toMatch(/held for approval: this cycle would disable or delete 1 account/);
    const plans = await h.store.getCyclePlans('c2');
    expect(plans.filter((p) => p.held).map((p) => p.workerKey)).toEqual(['workday:1001']);
    expect(outcome.ready).toBe(plans.filter((p) => p.plan && !p.held).length);
    const cycle = await h.store.getCycle('c2');
    expect(cycle).toMatchObject({ status: 'held', reason: outcome.holdReason });
    expect(cycle?.heldPlanIds).toEqual([plans.find((p) => p.held)?.plan?.planId]);
  });

  it.each([
    ['the source changed since the poll', () => snapshot(VALID, 'sha:other')],
    ['the source became suspect since the poll', () => ({ kind: 'suspect' as const, reason: 'file vanished' })],
  ])('answers `stale` and stores nothing when %s', async (_what, read) => {
    h.source.next = read();
    expect(await activities.planCycle({ ...input('c1'), cursor: 'sha:1' })).toEqual({
      kind: 'stale',
      counts: {},
      ready: 0,
      held: 0,
      holdReason: null,
    });
    expect(await h.store.getCycle('c1')).toBeNull();
    expect(await h.store.getCyclePlans('c1')).toEqual([]);
  });
});

describe('decideCycle', () => {
  beforeEach(() => setUp());

  it.each([
    [true, 'approved'],
    [false, 'rejected'],
  ] as const)('approved=%s stores status %s with who decided and when', async (approved, status) => {
    h.source.next = snapshot(VALID, 'sha:1');
    await activities.planCycle({ ...input('c1'), cursor: 'sha:1' });
    h.clock.advance(60_000);
    await activities.decideCycle({ cycleId: 'c1', decision: { approved, by: 'alice' } });
    const at = h.clock.now().toISOString();
    expect(await h.store.getCycle('c1')).toMatchObject({
      status,
      updatedAt: at,
      decision: { approved, by: 'alice', at },
    });
  });

  it('refuses a cycle that is not stored', async () => {
    await expect(activities.decideCycle({ cycleId: 'nope', decision: { approved: true, by: 'x' } })).rejects.toThrow(
      /cycle nope is not stored/,
    );
  });
});

describe('commitCycle', () => {
  beforeEach(() => setUp());

  it('stores the planned states, moves the cursor and sets the final status', async () => {
    h.source.next = snapshot(RECORDS, 'sha:1');
    await activities.planCycle({ ...input('c1'), cursor: 'sha:1' });
    h.clock.advance(1000);
    await activities.commitCycle(commit('c1', 'sha:1'));

    const states = await h.store.getStates();
    expect([...states.keys()].sort()).toEqual(VALID.map(keyOf).sort());
    expect(await h.store.getCursor(SOURCE_ID)).toEqual({
      sourceId: SOURCE_ID,
      cursor: 'sha:1',
      committedAt: h.clock.now().toISOString(),
      cycleId: 'c1',
    });
    expect(await h.store.getCycle('c1')).toMatchObject({ status: 'completed', updatedAt: h.clock.now().toISOString() });
    expect(await h.store.listQuarantine(SOURCE_ID)).toHaveLength(1); // the quarantine planning stored is kept
  });

  it.each([
    { status: 'approved', includeHeld: true, stored: 'the new (leaver) state' },
    { status: 'rejected', includeHeld: false, stored: 'the previous state' },
  ] as const)('a $status held cycle stores $stored for the held worker', async ({ status, includeHeld }) => {
    setUp(0);
    await completeCycle('c1', VALID, 'sha:1');
    const before = (await h.store.getStates()).get('workday:1001');
    const leaver = record('1001', { employmentStatus: 'terminated', terminationDate: '2026-10-30' });
    h.source.next = snapshot([leaver, ...VALID.filter((r) => r.id !== '1001')], 'sha:2');
    const planned = await activities.planCycle({ ...input('c2'), cursor: 'sha:2' });
    expect(planned.held).toBe(1);

    await activities.commitCycle(commit('c2', 'sha:2', { status, includeHeld }));

    const after = (await h.store.getStates()).get('workday:1001');
    const heldPlan = (await h.store.getCyclePlans('c2')).find((p) => p.held);
    if (includeHeld) expect(after).toEqual(heldPlan?.nextState);
    else expect(after).toEqual(before);
    expect(after?.desired.phase).toBe(includeHeld ? heldPlan?.nextState?.desired.phase : before?.desired.phase);
    expect((await h.store.getCursor(SOURCE_ID))?.cursor).toBe('sha:2');
    expect((await h.store.getCycle('c2'))?.status).toBe(status);
  });

  it('lays the link over the state: a result recorded after planning is not overwritten by the commit', async () => {
    h.source.next = snapshot(VALID, 'sha:1');
    await activities.planCycle({ ...input('c1'), cursor: 'sha:1' });
    const identifiers = {
      sAMAccountName: 'alovelace2',
      objectGUID: OBJECT_GUID,
      dn: 'CN=Ada,OU=Users,DC=contoso,DC=com',
    };
    await h.store.putLink({
      workerKey: 'workday:1001',
      objectGUID: OBJECT_GUID,
      dn: identifiers.dn,
      identifiers,
      updatedAt: h.clock.now().toISOString(),
    });
    const planned = (await h.store.getCyclePlans('c1')).find((p) => p.workerKey === 'workday:1001');
    expect(planned?.nextState?.identifiers).not.toEqual(identifiers);

    await activities.commitCycle(commit('c1', 'sha:1'));

    expect((await h.store.getStates()).get('workday:1001')?.identifiers).toEqual(identifiers);
  });

  it.each([
    ['a skipped cycle', commit('c9', 'sha:9', { status: 'skipped', reason: 'held, not read: file vanished' })],
    ['a cycle with no cursor', commit('c9', null, { status: 'failed', reason: 'it broke' })],
  ])('%s stores its record and leaves the cursor and states alone', async (_what, input) => {
    await completeCycle('c1', VALID, 'sha:1');
    const states = await h.store.getStates();
    await activities.commitCycle(input);
    expect(await h.store.getCycle('c9')).toMatchObject({
      cycleId: 'c9',
      sourceId: SOURCE_ID,
      status: input.status,
      reason: input.reason,
      counts: {},
    });
    expect((await h.store.getCursor(SOURCE_ID))?.cursor).toBe('sha:1');
    expect(await h.store.getStates()).toEqual(states);
  });
});
