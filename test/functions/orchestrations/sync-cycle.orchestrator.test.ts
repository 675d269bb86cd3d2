/**
 * The sync cycle orchestration (functions/orchestrations/sync-cycle.orchestrator.ts) under the real
 * durable-functions replay engine, run by the local durable engine on a virtual clock, with fake
 * activities registered under their durable names (ACTIVITY.*).
 *
 * What it proves:
 * - an unchanged source: nothing planned, nothing committed, the cycle is skipped;
 * - a suspect read: no plan, a commit with status skipped, no cursor and the reason;
 * - a changed source: planned with the poll's cursor; the ready plans handed on in chunks of
 *   HAND_ON_CHUNK (offsets 0, 500, 1000 for 1,200); the cursor committed with status completed;
 * - a stale plan (the source changed in between) polls again, and commits the newer cursor; a source
 *   that keeps changing fails the cycle without a commit;
 * - a held cycle hands on the ready plans, then waits for the CycleDecision event: approved → records the
 *   decision, hands on the held plans, commits with includeHeld true; rejected → records it, hands on
 *   nothing more, commits with includeHeld false and status rejected;
 * - the cursor is committed only after every hand-on completed;
 * - an ingest cycle plans the pushed batch (no poll), hands it on, and commits it with its last request's
 *   sequence and no cursor; nothing pushed: skipped, no commit;
 * - a cycle that ends while pushed records wait continues as new as an ingest cycle of the same source.
 */
import { EVENT, ACTIVITY, ORCHESTRATION, syncCycleInstanceId } from '../../../functions/app/durable-names';
import {
  HAND_ON_CHUNK,
  syncCycleOrchestrator,
  type CommitInput,
  type CycleDecision,
  type HandOnInput,
  type IngestPlanOutcome,
  type PlanOutcome,
  type PollOutcome,
  type SyncCycleInput,
  type SyncCycleOutput,
} from '../../../functions/orchestrations/sync-cycle.orchestrator';
import { harness, type Harness } from '../local-host/durable/harness';
import { deferred, TestInvoker } from '../local-host/durable/test-invoker';
import { CYCLE_RESULT } from '../state/state-fixtures';

const INPUT: SyncCycleInput = { sourceId: 'workday', cycleId: 'cycle-42', trigger: 'schedule' };
const INSTANCE = syncCycleInstanceId(INPUT.sourceId);
/** The counts of a real cycle: the example snapshot planned by the real planner. */
const COUNTS: Readonly<Record<string, number>> = CYCLE_RESULT.summary;

const changed = (cursor: string): PollOutcome => ({ kind: 'changed', cursor, reason: null });
const planned = (ready: number, held = 0, holdReason: string | null = null): PlanOutcome => ({
  kind: 'planned',
  counts: COUNTS,
  ready,
  held,
  holdReason,
});
const STALE: PlanOutcome = { kind: 'stale', counts: {}, ready: 0, held: 0, holdReason: null };
const HOLD_REASON = '30 accounts would be disabled (threshold 10)';

/** The fakes: scripted answers, and a log of every call in the order the activities ran and ended. */
class Fakes {
  readonly polls: PollOutcome[] = [];
  readonly plans: PlanOutcome[] = [];
  readonly ingestPlans: IngestPlanOutcome[] = [];
  /** What IngestWaiting answers, in turn (false once empty). */
  readonly waiting: boolean[] = [];
  readonly log: string[] = [];
  /** When set, each HandOnPlans call waits for it (to see what happens while hand-ons are in flight). */
  handOnGate: Promise<void> | null = null;

  invoker(): TestInvoker {
    return new TestInvoker()
      .orchestration(ORCHESTRATION.syncCycle, syncCycleOrchestrator)
      .activity(ACTIVITY.pollSource, () => Promise.resolve(this.next(this.polls, 'poll')))
      .activity(ACTIVITY.planCycle, () => Promise.resolve(this.next(this.plans, 'plan')))
      .activity(ACTIVITY.planIngest, () => Promise.resolve(this.next(this.ingestPlans, 'ingest plan')))
      .activity(ACTIVITY.ingestWaiting, () => Promise.resolve(this.waiting.shift() ?? false))
      .activity(ACTIVITY.handOnPlans, async (input) => {
        const chunk = input as HandOnInput;
        this.log.push(`handOn ${chunk.held ? 'held' : 'ready'} ${chunk.offset} start`);
        if (this.handOnGate !== null) await this.handOnGate;
        this.log.push(`handOn ${chunk.held ? 'held' : 'ready'} ${chunk.offset} end`);
        return Math.min(chunk.limit, 1);
      })
      .activity(ACTIVITY.commitCycle, (input) => {
        this.log.push(`commit ${(input as CommitInput).status}`);
        return Promise.resolve(null);
      })
      .activity(ACTIVITY.decideCycle, () => {
        this.log.push('decide');
        return Promise.resolve(null);
      });
  }

  private next<T>(queue: T[], what: string): T {
    const answer = queue.shift();
    if (answer === undefined) throw new Error(`no scripted ${what} answer left`);
    return answer;
  }
}

let h: Harness;
let fakes: Fakes;

async function run(polls: PollOutcome[], plans: PlanOutcome[] = []): Promise<void> {
  fakes = new Fakes();
  fakes.polls.push(...polls);
  fakes.plans.push(...plans);
  h = harness(fakes.invoker());
  await h.engine.startNew(ORCHESTRATION.syncCycle, INSTANCE, INPUT);
  await h.engine.whenIdle();
}

const calls = <T>(name: string): T[] => h.invoker.callsOf(name) as T[];
/** The activities run, without the IngestWaiting check every cycle ends with. */
const names = (): string[] =>
  h.invoker.activityCalls.map((c) => c.name).filter((name) => name !== ACTIVITY.ingestWaiting);

async function decide(decision: CycleDecision): Promise<void> {
  expect(await h.engine.raiseEvent(INSTANCE, EVENT.cycleDecision, decision)).toBe('raised');
  await h.engine.whenIdle();
}

async function output(): Promise<SyncCycleOutput> {
  const status = await h.engine.getStatus(INSTANCE);
  expect(status?.runtimeStatus).toBe('Completed');
  return status?.output as SyncCycleOutput;
}

afterEach(async () => h.engine.stop());

describe('what the poll finds', () => {
  it('an unchanged source: no plan, no commit, the cycle is skipped', async () => {
    await run([{ kind: 'unchanged', cursor: 'etag-1', reason: null }]);
    expect(names()).toEqual([ACTIVITY.pollSource]);
    expect(calls(ACTIVITY.pollSource)).toEqual([INPUT]);
    expect(await output()).toEqual({
      cycleId: INPUT.cycleId,
      sourceId: INPUT.sourceId,
      status: 'skipped',
      reason: 'the source has not changed',
      counts: {},
    });
  });

  it('a suspect read: no plan; a commit with status skipped, no cursor, and the reason', async () => {
    const reason = 'the snapshot has 3 records, the last one had 4,812';
    await run([{ kind: 'suspect', cursor: 'etag-2', reason }]);
    expect(names()).toEqual([ACTIVITY.pollSource, ACTIVITY.commitCycle]);
    expect(calls<CommitInput>(ACTIVITY.commitCycle)).toEqual([
      { cycleId: INPUT.cycleId, sourceId: INPUT.sourceId, cursor: null, status: 'skipped', reason, includeHeld: false },
    ]);
    expect(await output()).toMatchObject({ status: 'skipped', reason, counts: {} });
  });
});

describe('a source that cannot be read', () => {
  it('a failed read: no plan; a commit with status failed, no cursor, and the reason', async () => {
    const reason = 'not read: BambooHR source hr-bamboo: the API key was refused (401)';
    await run([{ kind: 'failed', cursor: null, reason }]);
    expect(names()).toEqual([ACTIVITY.pollSource, ACTIVITY.commitCycle]);
    expect(calls<CommitInput>(ACTIVITY.commitCycle)).toEqual([
      { cycleId: INPUT.cycleId, sourceId: INPUT.sourceId, cursor: null, status: 'failed', reason, includeHeld: false },
    ]);
    expect(await output()).toMatchObject({ status: 'failed', reason, counts: {} });
  });
});

describe('a changed source', () => {
  it('plans with the poll’s cursor, hands 1,200 ready plans on in three chunks, then commits the cursor', async () => {
    await run([changed('etag-3')], [planned(1200)]);
    expect(calls(ACTIVITY.planCycle)).toEqual([{ ...INPUT, cursor: 'etag-3' }]);
    expect(calls<HandOnInput>(ACTIVITY.handOnPlans)).toEqual([
      { cycleId: INPUT.cycleId, held: false, offset: 0, limit: HAND_ON_CHUNK },
      { cycleId: INPUT.cycleId, held: false, offset: 500, limit: HAND_ON_CHUNK },
      { cycleId: INPUT.cycleId, held: false, offset: 1000, limit: HAND_ON_CHUNK },
    ]);
    expect(calls<CommitInput>(ACTIVITY.commitCycle)).toEqual([
      {
        cycleId: INPUT.cycleId,
        sourceId: INPUT.sourceId,
        cursor: 'etag-3',
        status: 'completed',
        reason: null,
        includeHeld: false,
      },
    ]);
    expect(names().at(-1)).toBe(ACTIVITY.commitCycle);
    expect(await output()).toEqual({
      cycleId: INPUT.cycleId,
      sourceId: INPUT.sourceId,
      status: 'completed',
      reason: null,
      counts: COUNTS,
    });
  });

  it.each<[number, number[]]>([
    [0, []],
    [1, [0]],
    [500, [0]],
    [501, [0, 500]],
    [1000, [0, 500]],
    [1200, [0, 500, 1000]],
  ])('%i ready plans: hand-ons at offsets %j', async (ready, offsets) => {
    expect(HAND_ON_CHUNK).toBe(500);
    await run([changed('etag-4')], [planned(ready)]);
    expect(calls<HandOnInput>(ACTIVITY.handOnPlans).map((c) => c.offset)).toEqual(offsets);
    expect(calls<CommitInput>(ACTIVITY.commitCycle)).toEqual([
      expect.objectContaining({ cursor: 'etag-4', status: 'completed' }),
    ]);
  });

  it('a stale plan polls again and commits the newer cursor', async () => {
    await run([changed('etag-5'), changed('etag-6')], [STALE, planned(2)]);
    expect(names()).toEqual([
      ACTIVITY.pollSource,
      ACTIVITY.planCycle,
      ACTIVITY.pollSource,
      ACTIVITY.planCycle,
      ACTIVITY.handOnPlans,
      ACTIVITY.commitCycle,
    ]);
    expect(calls(ACTIVITY.planCycle)).toEqual([
      { ...INPUT, cursor: 'etag-5' },
      { ...INPUT, cursor: 'etag-6' },
    ]);
    expect(calls<CommitInput>(ACTIVITY.commitCycle)).toEqual([
      expect.objectContaining({ cursor: 'etag-6', status: 'completed' }),
    ]);
  });

  it('a source that keeps changing fails the cycle after three reads, without a commit', async () => {
    await run([changed('a'), changed('b'), changed('c')], [STALE, STALE, STALE]);
    const status = await h.engine.getStatus(INSTANCE);
    expect(status?.runtimeStatus).toBe('Failed');
    expect(String(status?.output)).toContain('the source workday kept changing while it was read');
    expect(calls(ACTIVITY.pollSource)).toHaveLength(3);
    expect(calls(ACTIVITY.commitCycle)).toEqual([]);
  });

  it('commits the cursor only after every hand-on completed', async () => {
    fakes = new Fakes();
    fakes.polls.push(changed('etag-7'));
    fakes.plans.push(planned(1200));
    const gate = deferred<void>();
    fakes.handOnGate = gate.promise;
    h = harness(fakes.invoker());
    await h.engine.startNew(ORCHESTRATION.syncCycle, INSTANCE, INPUT);
    const idle = h.engine.whenIdle();
    await until(() => fakes.log.filter((l) => l.endsWith('start')).length === 3);
    expect(calls(ACTIVITY.commitCycle)).toEqual([]);
    gate.resolve();
    await idle;
    await h.engine.whenIdle();
    expect(fakes.log).toHaveLength(7);
    expect(fakes.log.at(-1)).toBe('commit completed');
    expect(fakes.log.slice(0, 6).filter((l) => l.endsWith('end'))).toHaveLength(3);
  });
});

describe('a held cycle', () => {
  async function runHeld(): Promise<void> {
    await run([changed('etag-8')], [planned(700, 30, HOLD_REASON)]);
    expect(calls<HandOnInput>(ACTIVITY.handOnPlans)).toEqual([
      { cycleId: INPUT.cycleId, held: false, offset: 0, limit: HAND_ON_CHUNK },
      { cycleId: INPUT.cycleId, held: false, offset: 500, limit: HAND_ON_CHUNK },
    ]);
    expect(calls(ACTIVITY.commitCycle)).toEqual([]);
    expect(calls(ACTIVITY.decideCycle)).toEqual([]);
    const status = await h.engine.getStatus(INSTANCE);
    expect(status).toMatchObject({
      runtimeStatus: 'Running',
      customStatus: { cycleId: INPUT.cycleId, sourceId: INPUT.sourceId, status: 'held', held: 30, reason: HOLD_REASON },
    });
    // Held for as long as it takes: no timer, nothing runnable.
    expect(await h.engine.nextTimerDue()).toBeNull();
  }

  it('approved: records the decision, hands the held plans on, commits with includeHeld', async () => {
    await runHeld();
    const decision: CycleDecision = { approved: true, by: 'alice@contoso.com' };
    await decide(decision);
    expect(calls(ACTIVITY.decideCycle)).toEqual([{ cycleId: INPUT.cycleId, decision }]);
    expect(calls<HandOnInput>(ACTIVITY.handOnPlans).slice(2)).toEqual([
      { cycleId: INPUT.cycleId, held: true, offset: 0, limit: HAND_ON_CHUNK },
    ]);
    expect(calls<CommitInput>(ACTIVITY.commitCycle)).toEqual([
      {
        cycleId: INPUT.cycleId,
        sourceId: INPUT.sourceId,
        cursor: 'etag-8',
        status: 'approved',
        reason: HOLD_REASON,
        includeHeld: true,
      },
    ]);
    expect(names().slice(-3)).toEqual([ACTIVITY.decideCycle, ACTIVITY.handOnPlans, ACTIVITY.commitCycle]);
    expect(await output()).toEqual({
      cycleId: INPUT.cycleId,
      sourceId: INPUT.sourceId,
      status: 'approved',
      reason: HOLD_REASON,
      counts: COUNTS,
    });
    expect((await h.engine.getStatus(INSTANCE))?.customStatus).toEqual({
      cycleId: INPUT.cycleId,
      sourceId: INPUT.sourceId,
      status: 'approved',
    });
  });

  it('rejected: records the decision, hands nothing more on, commits without the held plans', async () => {
    await runHeld();
    const decision: CycleDecision = { approved: false, by: 'cli' };
    await decide(decision);
    expect(calls(ACTIVITY.decideCycle)).toEqual([{ cycleId: INPUT.cycleId, decision }]);
    expect(calls<HandOnInput>(ACTIVITY.handOnPlans).filter((c) => c.held)).toEqual([]);
    expect(calls<CommitInput>(ACTIVITY.commitCycle)).toEqual([
      {
        cycleId: INPUT.cycleId,
        sourceId: INPUT.sourceId,
        cursor: 'etag-8',
        status: 'rejected',
        reason: HOLD_REASON,
        includeHeld: false,
      },
    ]);
    expect(await output()).toMatchObject({ status: 'rejected', reason: HOLD_REASON });
  });

  it('a held cycle with no ready plans hands nothing on before the decision', async () => {
    await run([changed('etag-9')], [planned(0, 1200, HOLD_REASON)]);
    expect(calls(ACTIVITY.handOnPlans)).toEqual([]);
    await decide({ approved: true, by: 'alice@contoso.com' });
    expect(calls<HandOnInput>(ACTIVITY.handOnPlans).map((c) => [c.held, c.offset])).toEqual([
      [true, 0],
      [true, 500],
      [true, 1000],
    ]);
    expect(fakes.log.at(-1)).toBe('commit approved');
  });
});

/** Waits (on the event loop, never on a clock) until the condition holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describe('pushed records', () => {
  const INGEST: SyncCycleInput = { ...INPUT, trigger: 'ingest', mode: 'ingest' };

  async function runIngest(plans: IngestPlanOutcome[], waiting: boolean[] = []): Promise<void> {
    fakes = new Fakes();
    fakes.ingestPlans.push(...plans);
    fakes.waiting.push(...waiting);
    h = harness(fakes.invoker());
    await h.engine.startNew(ORCHESTRATION.syncCycle, INSTANCE, INGEST);
    await h.engine.whenIdle();
  }

  it('an ingest cycle plans the batch without polling, hands it on, commits its sequence and no cursor', async () => {
    await runIngest([{ ...planned(3), throughSeq: 17 }]);
    expect(names()).toEqual([ACTIVITY.planIngest, ACTIVITY.handOnPlans, ACTIVITY.commitCycle]);
    expect(calls(ACTIVITY.planIngest)).toEqual([INGEST]);
    expect(calls<CommitInput>(ACTIVITY.commitCycle)).toEqual([
      {
        cycleId: INPUT.cycleId,
        sourceId: INPUT.sourceId,
        cursor: null,
        status: 'completed',
        reason: null,
        includeHeld: false,
        ingestThroughSeq: 17,
      },
    ]);
    expect(await output()).toMatchObject({ status: 'completed', counts: COUNTS });
  });

  it('nothing pushed: skipped, nothing committed', async () => {
    await runIngest([{ kind: 'empty' }]);
    expect(names()).toEqual([ACTIVITY.planIngest]);
    expect(await output()).toMatchObject({ status: 'skipped', reason: 'nothing was pushed' });
  });

  it('a whole read that ends while records wait continues as an ingest cycle of the same source', async () => {
    fakes = new Fakes();
    fakes.polls.push(changed('etag-9'));
    fakes.plans.push(planned(1));
    fakes.ingestPlans.push({ ...planned(2), throughSeq: 5 });
    fakes.waiting.push(true, false);
    h = harness(fakes.invoker());
    await h.engine.startNew(ORCHESTRATION.syncCycle, INSTANCE, INPUT);
    await h.engine.whenIdle();
    expect(names()).toEqual([
      ACTIVITY.pollSource,
      ACTIVITY.planCycle,
      ACTIVITY.handOnPlans,
      ACTIVITY.commitCycle,
      ACTIVITY.planIngest,
      ACTIVITY.handOnPlans,
      ACTIVITY.commitCycle,
    ]);
    const next = calls<SyncCycleInput>(ACTIVITY.planIngest)[0]!;
    expect(next).toMatchObject({ sourceId: INPUT.sourceId, trigger: 'ingest', mode: 'ingest' });
    expect(next.cycleId).toMatch(/^workday\.\d{8}T\d{6}Z\.[0-9a-f]{8}$/);
    expect(calls<CommitInput>(ACTIVITY.commitCycle).map((c) => c.ingestThroughSeq)).toEqual([undefined, 5]);
    expect(await output()).toMatchObject({ cycleId: next.cycleId, status: 'completed' });
  });
});
