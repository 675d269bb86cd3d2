/**
 * The worker lifecycle orchestration (functions/orchestrations/lifecycle.orchestrator.ts) under the real
 * durable-functions replay engine, run by the local durable engine on a virtual clock, with fake
 * activities (fixtures/lifecycle-harness.ts) and real plans from the real planner (fixtures/plans.ts).
 * The test plays the agent: it raises `CommandResult.<commandId>` on `lifecycle:<workerKey>`.
 *
 * What it proves:
 * 1. An immediate step is sent at once; its result is recorded with attempts 1 and its cause.
 * 2. A future-dated step (a hire three months out) waits on a durable timer: not sent before its due
 *    time, sent exactly once at it; meanwhile the status says `due-date` and shows the due time.
 * 3. Superseding: a newer plan cancels the waiting step (never sent, even after its date) and its own
 *    steps run; a rescinded hire cancels everything pending; a plan handed on while a step awaits its
 *    result is taken after it.
 * 4. A plan handed on twice is taken once.
 * 5. Retries: a retryable failure is sent again after `retryBackoffSeconds`, then after twice that,
 *    capped; a non-retryable failure is recorded at once; when attempts run out the last result is.
 *    A refused hand-off to the channel is retried by the durable retry policy, not counted as a send.
 * 6. A result that never comes: after `resultTimeoutSeconds` (then the backoff) the command is sent
 *    again; after `maxAttempts` the outcome is recorded with `result: null`; a late result is ignored.
 * 7. Continue-as-new keeps histories bounded; what the orchestration carries (plans seen, steps
 *    pending) survives into the next generation; a plan raised at the boundary is not lost.
 * 8. Replaying recorded histories, episode by episode, schedules exactly the actions the engine
 *    recorded (names, inputs, fireAt): the orchestrator is deterministic. A recorded history is kept as
 *    fixtures/lifecycle-history.json, so a change to what the orchestrator schedules fails here.
 *
 * No wall-clock time anywhere: the virtual clock moves only when told.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrchestrationContext } from 'durable-functions';
import { ACTIVITY, ORCHESTRATION } from '../../../functions/app/durable-names';
import { lifecycleOrchestrator } from '../../../functions/orchestrations/lifecycle.orchestrator';
import type { LifecycleInput, LifecycleSettings } from '../../../functions/orchestrations/lifecycle-state';
import type { PlanStep } from '../../../shared/planner/types';
import { eventsOf, eventTypes, TestInvoker } from '../local-host/durable/test-invoker';
import { LifecycleHarness } from './fixtures/lifecycle-harness';
import { runSupersedingScenario } from './fixtures/lifecycle-scenario';
import {
  ACTIVE_WORKER,
  applied,
  DAY,
  failed,
  FUTURE_HIRE,
  handedOn,
  HIRE_DUE,
  MINUTE,
  MOVED,
  moverChain,
  planRecord,
  PRE_HIRE,
  RESCINDED,
  SECOND,
  SETTINGS,
  T0,
  T1,
  type PlannedWorker,
} from './fixtures/plans';
import { recordedSchedule, replayHistory, toWire } from './fixtures/replay';

const [CREATE, ENABLE] = PRE_HIRE.plan.steps as [PlanStep, PlanStep];
const [SYNC, NEW_ENABLE] = MOVED.plan.steps as [PlanStep, PlanStep];
const [RESCIND] = RESCINDED.plan.steps as [PlanStep];

const at = (base: Date, ms: number): string => new Date(base.getTime() + ms).toISOString();

let t: LifecycleHarness;
beforeEach(() => {
  t = new LifecycleHarness();
});
afterEach(async () => t.stop());

describe('1. an immediate step', () => {
  it('is sent at once; its Applied result is recorded with attempts 1 and the plan’s cause', async () => {
    await t.start(handedOn(PRE_HIRE));
    expect(t.sent).toEqual([
      { commandId: CREATE.command.commandId, kind: 'UpsertAccount', at: T0.toISOString(), command: CREATE.command },
    ]);
    expect(await t.customStatus()).toMatchObject({
      waitingFor: 'result',
      inFlight: { commandId: CREATE.command.commandId, attempt: 1 },
    });
    expect(t.outcomes).toEqual([]);

    const result = applied(CREATE.command);
    await t.answer(result);
    expect(t.outcomes).toEqual([
      {
        workerKey: 'workday:2001',
        step: {
          planId: PRE_HIRE.plan.planId,
          index: 0,
          purpose: 'create',
          dueAt: CREATE.dueAt,
          command: CREATE.command,
          cause: { cycleId: 'cycle-1', classification: 'pre-hire', details: PRE_HIRE.result.details },
        },
        attempts: 1,
        result,
      },
    ]);
    expect(t.sent).toHaveLength(1);
  });
});

describe('2. a future-dated step', () => {
  it('waits for its due time on a durable timer, then is sent exactly once', async () => {
    await t.start(handedOn(PRE_HIRE));
    await t.answer(applied(CREATE.command));

    expect(await t.customStatus()).toEqual({
      workerKey: 'workday:2001',
      waitingFor: 'due-date',
      pending: [
        {
          commandId: ENABLE.command.commandId,
          kind: 'EnableAccount',
          purpose: 'enable-at-start',
          dueAt: '2027-02-01T00:00:00.000Z',
        },
      ],
      inFlight: null,
    });
    expect(await t.engine.nextTimerDue()).toEqual(HIRE_DUE);

    await t.at(at(T0, 45 * DAY));
    await t.at(at(HIRE_DUE, -1));
    expect(t.sentIds()).toEqual([CREATE.command.commandId]);

    await t.at(HIRE_DUE);
    expect(t.sent.map((s) => [s.commandId, s.at])).toEqual([
      [CREATE.command.commandId, T0.toISOString()],
      [ENABLE.command.commandId, HIRE_DUE.toISOString()],
    ]);
    await t.answer(applied(ENABLE.command));
    await t.at(at(HIRE_DUE, 30 * DAY));
    expect(t.sentIds()).toEqual([CREATE.command.commandId, ENABLE.command.commandId]);
    expect(t.outcomes.map((o) => [o.step.command.commandId, o.attempts, o.result?.kind])).toEqual([
      [CREATE.command.commandId, 1, 'Applied'],
      [ENABLE.command.commandId, 1, 'Applied'],
    ]);
    expect(await t.customStatus()).toMatchObject({ waitingFor: 'plan', pending: [], inFlight: null });
  });
});

describe('3. superseding', () => {
  it('a moved hire date: the waiting enable is never sent, the new plan’s steps are, each on its date', async () => {
    await t.start(handedOn(PRE_HIRE));
    await t.answer(applied(CREATE.command));
    await t.at(T1);
    await t.newPlan(handedOn(MOVED, SETTINGS, 'cycle-2'));
    expect(t.sent.at(-1)).toMatchObject({ commandId: SYNC.command.commandId, at: T1.toISOString() });
    await t.answer(applied(SYNC.command));
    expect(await t.customStatus()).toMatchObject({
      waitingFor: 'due-date',
      pending: [{ commandId: NEW_ENABLE.command.commandId, dueAt: '2027-03-01T00:00:00.000Z' }],
    });
    expect(await t.engine.nextTimerDue()).toEqual(new Date(NEW_ENABLE.dueAt));

    await t.at(at(HIRE_DUE, DAY));
    expect(t.sentIds()).toEqual([CREATE.command.commandId, SYNC.command.commandId]);
    await t.at(NEW_ENABLE.dueAt);
    await t.answer(applied(NEW_ENABLE.command));
    expect(t.sentIds()).toEqual([CREATE.command.commandId, SYNC.command.commandId, NEW_ENABLE.command.commandId]);
    expect(t.sentIds()).not.toContain(ENABLE.command.commandId);
    expect(t.outcomes.map((o) => [o.step.planId, o.step.cause.cycleId])).toEqual([
      [PRE_HIRE.plan.planId, 'cycle-1'],
      [MOVED.plan.planId, 'cycle-2'],
      [MOVED.plan.planId, 'cycle-2'],
    ]);
  });

  it('a rescinded hire cancels everything pending: only the disable is sent, the old timer never fires', async () => {
    await t.start(handedOn(PRE_HIRE));
    await t.answer(applied(CREATE.command));
    expect(RESCINDED.plan.cancels).toEqual([ENABLE.command.commandId]);
    await t.at(T1);
    await t.newPlan(handedOn(RESCINDED, SETTINGS, 'cycle-2'));
    expect(t.sent.at(-1)).toMatchObject({
      commandId: RESCIND.command.commandId,
      kind: 'DisableAccount',
      at: T1.toISOString(),
    });
    await t.answer(applied(RESCIND.command));

    expect(await t.customStatus()).toMatchObject({ waitingFor: 'plan', pending: [], inFlight: null });
    expect(await t.engine.nextTimerDue()).toBeNull();
    await t.at(at(HIRE_DUE, 90 * DAY));
    expect(t.sentIds()).toEqual([CREATE.command.commandId, RESCIND.command.commandId]);
    const history = (await t.status(true)).history;
    expect(eventsOf(history, 'TimerFired').map((e) => e['FireAt'])).not.toContain(HIRE_DUE.toISOString());
  });

  it('a plan handed on while an immediate step awaits its result is taken after it', async () => {
    const [joiner, mover] = moverChain(['Senior Engineer']) as [PlannedWorker, PlannedWorker];
    await t.start(handedOn(joiner));
    await t.newPlan(handedOn(mover));
    expect(t.sentIds()).toEqual([joiner.plan.steps[0]!.command.commandId]);
    await t.answer(applied(joiner.plan.steps[0]!.command));
    expect(await t.customStatus()).toMatchObject({
      waitingFor: 'due-date',
      pending: [{ commandId: mover.plan.steps[0]!.command.commandId }],
    });
    await t.at(mover.plan.createdAt);
    expect(t.sentIds()).toEqual([joiner.plan.steps[0]!.command.commandId, mover.plan.steps[0]!.command.commandId]);
  });

  // After a due-date wait the timer wins and the NewPlan wait it raced stays open; durable-functions would
  // give the next NewPlan to that abandoned task. The orchestration continues as new before the step, so
  // the plan reaches the next execution instead.
  it('a plan handed on while a step that waited for its date awaits its result is taken after it', async () => {
    await t.start(handedOn(PRE_HIRE));
    await t.answer(applied(CREATE.command));
    await t.at(HIRE_DUE);
    expect(t.sentIds()).toEqual([CREATE.command.commandId, ENABLE.command.commandId]);

    const mover = planRecord({ ...FUTURE_HIRE, title: 'Senior Engineer' }, PRE_HIRE.state, new Date(at(HIRE_DUE, DAY)));
    await t.newPlan(handedOn(mover, SETTINGS, 'cycle-3'));
    await t.answer(applied(ENABLE.command));
    expect((await t.customStatus()).pending.map((p) => p.commandId)).toEqual([mover.plan.steps[0]!.command.commandId]);
    await t.at(mover.plan.createdAt);
    expect(t.sentIds()).toContain(mover.plan.steps[0]!.command.commandId);
  });
});

describe('4. a plan handed on twice', () => {
  it('is taken once: no step is sent twice', async () => {
    await t.start(handedOn(PRE_HIRE));
    await t.newPlan(handedOn(PRE_HIRE)); // while the create awaits its result
    await t.answer(applied(CREATE.command));
    await t.newPlan(handedOn(PRE_HIRE)); // while the enable waits for its date
    await t.at(T1);
    await t.newPlan(handedOn(MOVED));
    await t.newPlan(handedOn(MOVED)); // while the sync awaits its result
    await t.answer(applied(SYNC.command));
    await t.newPlan(handedOn(MOVED));
    await t.at(NEW_ENABLE.dueAt);
    await t.answer(applied(NEW_ENABLE.command));

    expect(t.sentIds()).toEqual([CREATE.command.commandId, SYNC.command.commandId, NEW_ENABLE.command.commandId]);
    expect(t.outcomes).toHaveLength(3);
    expect(await t.customStatus()).toMatchObject({ waitingFor: 'plan', pending: [] });
  });
});

describe('5. retries with backoff', () => {
  it('sends a retryable failure again after the backoff, then after twice that', async () => {
    await t.start(handedOn(PRE_HIRE));
    await t.answer(failed(CREATE.command, 'DirectoryBusy'));
    expect(await t.customStatus()).toMatchObject({
      waitingFor: 'retry',
      inFlight: { commandId: CREATE.command.commandId, attempt: 1 },
    });
    expect(await t.engine.nextTimerDue()).toEqual(new Date(at(T0, 30 * SECOND)));
    await t.at(at(T0, 30 * SECOND - 1));
    expect(t.sent).toHaveLength(1);

    await t.toNextTimer();
    expect(await t.customStatus()).toMatchObject({ waitingFor: 'result', inFlight: { attempt: 2 } });
    await t.answer(failed(CREATE.command, 'DirectoryUnavailable'));
    expect(await t.engine.nextTimerDue()).toEqual(new Date(at(T0, 90 * SECOND)));
    await t.toNextTimer();
    const result = applied(CREATE.command);
    await t.answer(result);

    expect(t.sent.map((s) => [s.commandId, s.at])).toEqual([
      [CREATE.command.commandId, T0.toISOString()],
      [CREATE.command.commandId, at(T0, 30 * SECOND)],
      [CREATE.command.commandId, at(T0, 90 * SECOND)],
    ]);
    expect(t.outcomes).toEqual([expect.objectContaining({ attempts: 3, result })]);
    expect(await t.customStatus()).toMatchObject({ waitingFor: 'due-date' });
  });

  it('caps the backoff at maxBackoffSeconds', async () => {
    const settings: LifecycleSettings = { ...SETTINGS, maxAttempts: 4, retryBackoffSeconds: 30, maxBackoffSeconds: 45 };
    await t.start(handedOn(PRE_HIRE, settings));
    const gaps: number[] = [];
    for (let send = 1; send < 4; send++) {
      await t.answer(failed(CREATE.command, 'DirectoryBusy'));
      const before = t.clock.now().getTime();
      gaps.push((await t.toNextTimer()).getTime() - before);
    }
    expect(gaps).toEqual([30 * SECOND, 45 * SECOND, 45 * SECOND]);
    expect(t.sent).toHaveLength(4);
  });

  it('records a non-retryable failure at once, without sending again, and goes on', async () => {
    await t.start(handedOn(PRE_HIRE));
    const result = failed(CREATE.command, 'InvalidValue');
    await t.answer(result);
    expect(t.outcomes).toEqual([expect.objectContaining({ attempts: 1, result })]);
    expect(await t.engine.nextTimerDue()).toEqual(HIRE_DUE);
    await t.at(at(T0, DAY));
    expect(t.sentIds()).toEqual([CREATE.command.commandId]);
  });

  it('when the attempts run out, records the outcome with the last result', async () => {
    await t.start(handedOn(PRE_HIRE)); // maxAttempts 3
    await t.answer(failed(CREATE.command, 'DirectoryBusy'));
    await t.toNextTimer();
    await t.answer(failed(CREATE.command, 'DirectoryUnavailable'));
    await t.toNextTimer();
    const last = failed(CREATE.command, 'Timeout');
    await t.answer(last);

    expect(t.sent).toHaveLength(3);
    expect(t.outcomes).toEqual([expect.objectContaining({ attempts: 3, result: last })]);
    expect(await t.engine.nextTimerDue()).toEqual(HIRE_DUE);
    await t.at(at(T0, DAY));
    expect(t.sent).toHaveLength(3);
  });

  it('a channel that refuses the hand-off is retried by the durable retry policy, not counted as a send', async () => {
    t.channelFailures = 2;
    await t.start(handedOn(PRE_HIRE));
    expect(t.sent).toEqual([]);
    expect(await t.engine.nextTimerDue()).toEqual(new Date(at(T0, SECOND)));
    await t.toNextTimer();
    expect(await t.engine.nextTimerDue()).toEqual(new Date(at(T0, 3 * SECOND)));
    await t.toNextTimer();
    expect(t.sent.map((s) => s.at)).toEqual([at(T0, 3 * SECOND)]);
    await t.answer(applied(CREATE.command));
    expect(t.outcomes).toEqual([expect.objectContaining({ attempts: 1 })]);
  });
});

describe('6. the timeout of a result that never comes', () => {
  it('sends again after resultTimeoutSeconds and the backoff; after maxAttempts records result null', async () => {
    await t.start(handedOn(PRE_HIRE)); // timeout 600 s, backoff 30 s, maxAttempts 3
    expect(await t.engine.nextTimerDue()).toEqual(new Date(at(T0, 10 * MINUTE)));
    await t.toNextTimer();
    expect(t.sent).toHaveLength(1);
    expect(await t.customStatus()).toMatchObject({ waitingFor: 'retry', inFlight: { attempt: 1 } });
    await t.toNextTimer();
    expect(await t.customStatus()).toMatchObject({ waitingFor: 'result', inFlight: { attempt: 2 } });
    await t.toNextTimer(); // the second timeout
    await t.toNextTimer(); // the second backoff, doubled
    await t.toNextTimer(); // the third timeout

    expect(t.sent.map((s) => s.at)).toEqual([
      T0.toISOString(),
      at(T0, 10 * MINUTE + 30 * SECOND),
      at(T0, 20 * MINUTE + 90 * SECOND),
    ]);
    expect(t.outcomes).toEqual([expect.objectContaining({ attempts: 3, result: null })]);
    expect(t.outcomes[0]!.step.command.commandId).toBe(CREATE.command.commandId);
    expect(await t.engine.nextTimerDue()).toEqual(HIRE_DUE);

    // A late answer changes nothing: the step is done, its result event is no longer awaited.
    await t.answer(applied(CREATE.command));
    expect(t.outcomes).toHaveLength(1);
    expect(t.sent).toHaveLength(3);
    expect(await t.customStatus()).toMatchObject({ waitingFor: 'due-date' });
  });

  it('a result that comes just before the timeout wins the race', async () => {
    await t.start(handedOn(PRE_HIRE));
    await t.at(at(T0, 10 * MINUTE - 1));
    await t.answer(applied(CREATE.command));
    await t.at(at(T0, DAY));
    expect(t.sent).toHaveLength(1);
    expect(t.outcomes).toEqual([expect.objectContaining({ attempts: 1, result: applied(CREATE.command) })]);
  });
});

describe('7. continue-as-new', () => {
  const two: LifecycleSettings = { ...SETTINGS, stepsPerGeneration: 2 };

  /** Runs a chain of plans, each handed on at its planning instant, the agent answering at once. */
  async function runChain(chain: readonly PlannedWorker[], settings: LifecycleSettings): Promise<number[]> {
    t.autoAnswer = applied;
    await t.start(handedOn(chain[0]!, settings));
    const lengths = [(await t.status(true)).history!.length];
    for (const planned of chain.slice(1)) {
      await t.at(planned.plan.createdAt);
      await t.newPlan(handedOn(planned, settings));
      lengths.push((await t.status(true)).history!.length);
    }
    return lengths;
  }

  it('keeps the history bounded over many plans, and every step is still sent once, in order', async () => {
    const chain = moverChain(Array.from({ length: 9 }, (_, i) => `Engineer ${i + 1}`));
    const lengths = await runChain(chain, two);
    expect(t.sentIds()).toEqual(chain.map((p) => p.plan.steps[0]!.command.commandId));
    expect(Math.max(...lengths)).toBeLessThanOrEqual(40);
    const status = await t.status(true);
    expect(status.runtimeStatus).toBe('Running');
    // The current generation started from the carried state: the plans seen so far, nothing pending.
    const input = status.input as LifecycleInput;
    expect(input.pending).toEqual([]);
    expect(input.seenPlanIds).toEqual(expect.arrayContaining(chain.slice(0, 8).map((p) => p.plan.planId)));
    expect(input.settings).toEqual(two);
  });

  it('a plan seen in an earlier generation is still taken once', async () => {
    const chain = moverChain(['Senior Engineer', 'Staff Engineer', 'Principal Engineer']);
    await runChain(chain, two);
    const sent = t.sentIds();
    await t.newPlan(handedOn(chain[0]!, two));
    await t.newPlan(handedOn(chain[1]!, two));
    await t.at(at(new Date(chain[3]!.plan.createdAt), DAY));
    expect(t.sentIds()).toEqual(sent);
  });

  it('a plan raised while the last step of a generation is recorded is taken, not lost', async () => {
    const chain = moverChain(['Senior Engineer', 'Staff Engineer']);
    const [joiner, first, second] = chain as [PlannedWorker, PlannedWorker, PlannedWorker];
    t.autoAnswer = applied;
    await t.start(handedOn(joiner, two));
    await t.at(first.plan.createdAt);
    await t.at(second.plan.createdAt); // so the next plan's step is already due when it arrives
    t.onOutcome = async (outcome) => {
      if (outcome.step.planId === first.plan.planId) await t.raiseNewPlan(handedOn(second, two));
    };
    await t.newPlan(handedOn(first, two)); // its step is the generation's second
    expect(t.sentIds()).toEqual(chain.map((p) => p.plan.steps[0]!.command.commandId));
    // The generation did end: the current one started from a state that had taken the late plan.
    expect((await t.status()).input).toMatchObject({ pending: [], seenPlanIds: chain.map((p) => p.plan.planId) });
  });

  it('a plan raised together with the result that ends a generation is taken, not lost', async () => {
    const [joiner, first, second] = moverChain(['Senior Engineer', 'Staff Engineer']) as [
      PlannedWorker,
      PlannedWorker,
      PlannedWorker,
    ];
    await t.start(handedOn(joiner, two));
    await t.answer(applied(joiner.plan.steps[0]!.command));
    await t.at(second.plan.createdAt);
    await t.newPlan(handedOn(first, two));
    const step = first.plan.steps[0]!.command;
    await t.raiseNewPlan(handedOn(second, two));
    await t.answer(applied(step));
    expect(t.sentIds()).toEqual([joiner, first, second].map((p) => p.plan.steps[0]!.command.commandId));
    await t.answer(applied(second.plan.steps[0]!.command));
    const ids = [joiner, first, second].map((p) => p.plan.planId);
    expect((await t.status()).input).toMatchObject({ pending: [], seenPlanIds: ids });
  });

  // A worker with a far-future step (a contractor's end date) is never idle: plans taken count toward
  // the generation's work too, so its history stays bounded.
  it('keeps the history bounded while a far-future step is pending, and the step survives into the next generation', async () => {
    const contractor = { ...ACTIVE_WORKER, employeeType: 'contractor', terminationDate: '2030-06-30' };
    const chain: PlannedWorker[] = [planRecord(contractor, null, T0)];
    for (let i = 1; i <= 8; i++) {
      chain.push(planRecord({ ...contractor, title: `Engineer ${i}` }, chain[i - 1]!.state, new Date(at(T0, i * DAY))));
    }
    const disable = chain[8]!.plan.steps.find((s) => s.purpose === 'disable-at-termination')!;
    const lengths = await runChain(chain, two);

    expect(Math.max(...lengths)).toBeLessThanOrEqual(40);
    expect((await t.customStatus()).pending.map((p) => p.commandId)).toEqual([disable.command.commandId]);
    await t.at(disable.dueAt);
    expect(t.sentIds().at(-1)).toBe(disable.command.commandId);
  });
});

describe('8. replaying recorded histories', () => {
  it('every episode of a recorded run schedules exactly what the engine recorded', async () => {
    await runSupersedingScenario(t);
    const status = await t.status(true);
    const replays = await replayHistory(t.h.invoker, ORCHESTRATION.lifecycle, status.instanceId, status.history!);

    expect(replays.length).toBeGreaterThan(2);
    for (const replay of replays)
      expect({ episode: replay.episode, scheduled: replay.produced }).toEqual({
        episode: replay.episode,
        scheduled: replay.recorded,
      });
    expect(replays.at(-1)!.state.customStatus).toEqual(status.customStatus);
    // The last execution covered a timer cancelled by a newer plan (a fired timer ends an execution).
    expect(eventTypes(status.history)).toEqual(
      expect.arrayContaining(['EventRaised', 'TimerCreated', 'TaskScheduled']),
    );
    expect(t.sentIds()).toEqual([CREATE, SYNC, SYNC, NEW_ENABLE].map((s) => s.command.commandId));
  });

  interface Fixture {
    readonly instanceId: string;
    readonly customStatus: unknown;
    readonly history: readonly unknown[];
  }
  const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'lifecycle-history.json'), 'utf8')) as Fixture;
  const replayFixture = (invoker: TestInvoker) =>
    replayHistory(invoker, ORCHESTRATION.lifecycle, fixture.instanceId, fixture.history);

  it('the recorded fixture replays to the same actions, episode by episode', async () => {
    const replays = await replayFixture(
      new TestInvoker().orchestration(ORCHESTRATION.lifecycle, lifecycleOrchestrator),
    );
    // The scenario it was recorded from still records the same schedule when run today.
    await runSupersedingScenario(t);
    const live = recordedSchedule(toWire((await t.status(true)).history!));
    expect(live).toEqual(recordedSchedule(toWire(fixture.history)));
    for (const replay of replays)
      expect({ episode: replay.episode, scheduled: replay.produced }).toEqual({
        episode: replay.episode,
        scheduled: replay.recorded,
      });
    expect(replays.at(-1)!.state).toMatchObject({ isDone: false, customStatus: fixture.customStatus });
    const names = replays.at(-1)!.recorded.flatMap((s) => (s.type === 'TaskScheduled' ? [s.name] : []));
    expect(new Set(names)).toEqual(new Set([ACTIVITY.sendCommand, ACTIVITY.recordOutcome]));
  });

  it('the check has teeth: an orchestrator that renamed an activity no longer matches the fixture', async () => {
    function* renamed(context: OrchestrationContext): Generator<unknown, void, unknown> {
      const df = context.df;
      const callActivity = df.callActivity.bind(df);
      df.callActivity = (name: string, input?: unknown) =>
        callActivity(name === ACTIVITY.recordOutcome ? 'RecordStepOutcome' : name, input);
      yield* lifecycleOrchestrator(context);
    }
    const replays = await replayFixture(new TestInvoker().orchestration(ORCHESTRATION.lifecycle, renamed));
    const mismatched = replays.filter((r) => JSON.stringify(r.produced) !== JSON.stringify(r.recorded));
    expect(mismatched.length).toBeGreaterThan(0);
  });
});
