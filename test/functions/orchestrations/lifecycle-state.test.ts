/**
 * The lifecycle orchestration's pure rules (functions/orchestrations/lifecycle-state.ts), as truth tables
 * over real plans from the real planner (fixtures/plans.ts):
 *
 * - `takePlan`: a plan is taken once (handing on is at least once); its `cancels` remove exactly the
 *   superseded steps still pending; its steps join in due order, then per-worker sequence; a command
 *   already pending is not added twice; the settings follow the newest plan; the seen plan ids stay
 *   bounded (the latest 32).
 * - `withoutStep`: removes the one step done, nothing else.
 * - `retryDelayMs`: exponential from `retryBackoffSeconds`, capped by `maxBackoffSeconds`.
 * - `lifecycleStatus`: what the status API shows of a worker.
 */
import {
  DEFAULT_LIFECYCLE_SETTINGS,
  lifecycleStatus,
  redeliveryFor,
  retryDelayMs,
  takePlan,
  withoutStep,
  withStep,
  type HandedOnPlan,
  type LifecycleInput,
  type LifecycleSettings,
  type PendingStep,
} from '../../../functions/orchestrations/lifecycle-state';
import type { Plan, PlanStep } from '../../../shared/planner/types';
import type { AppliedResult } from '../../../shared/protocol/results';
import { handedOn, MOVED, moverChain, PRE_HIRE, RESCINDED, SETTINGS } from './fixtures/plans';

const [P0, P1] = PRE_HIRE.plan.steps.map((s) => s.command.commandId) as [string, string];
const [M0, M1] = MOVED.plan.steps.map((s) => s.command.commandId) as [string, string];
const [R0] = RESCINDED.plan.steps.map((s) => s.command.commandId) as [string];

/** A worker's state before any plan. */
function fresh(settings: LifecycleSettings = SETTINGS): LifecycleInput {
  return { workerKey: PRE_HIRE.plan.workerKey, pending: [], seenPlanIds: [], settings };
}

/** The state after the pre-hire plan was taken (and, with `createDone`, its immediate step done). */
function afterPreHire(createDone: boolean): LifecycleInput {
  const taken = takePlan(fresh(), handedOn(PRE_HIRE));
  return createDone ? withoutStep(taken, P0) : taken;
}

const ids = (state: LifecycleInput): string[] => state.pending.map((s) => s.command.commandId);

/** A plan with the given steps (real commands, under this plan's id). */
function planWith(planId: string, steps: readonly PlanStep[], cancels: readonly string[] = []): Plan {
  return { ...PRE_HIRE.plan, planId, supersedes: null, cancels, steps };
}

/** A step of a real plan, re-dated and re-sequenced. */
function stepAt(base: PlanStep, commandId: string, dueAt: string, sequence: number): PlanStep {
  return { ...base, dueAt, command: { ...base.command, commandId, sequence } };
}

describe('takePlan', () => {
  const enable = PRE_HIRE.plan.steps[1]!;
  const sameDue = planWith('plan-same-due', [
    stepAt(enable, 'same.b', '2027-01-01T00:00:00.000Z', 9),
    stepAt(enable, 'same.a', '2027-01-01T00:00:00.000Z', 8),
    stepAt(enable, 'same.c', '2026-12-01T00:00:00.000Z', 10),
  ]);
  const repeatsPending = planWith('plan-repeats', [
    stepAt(enable, P1, enable.dueAt, 2),
    stepAt(enable, 'repeats.1', '2026-12-24T00:00:00.000Z', 3),
  ]);

  it.each<[string, () => LifecycleInput, HandedOnPlan, readonly string[]]>([
    ['a first plan: all its steps, in due order', () => fresh(), handedOn(PRE_HIRE), [P0, P1]],
    [
      'a rescind after the create ran: the enable step leaves, the disable joins',
      () => afterPreHire(true),
      handedOn(RESCINDED),
      [R0],
    ],
    [
      'a moved hire date: the old enable leaves, the sync and the new enable join',
      () => afterPreHire(true),
      handedOn(MOVED),
      [M0, M1],
    ],
    [
      'cancels remove exactly the listed steps: the pending create stays',
      () => afterPreHire(false),
      handedOn(RESCINDED),
      [P0, R0],
    ],
    [
      'new steps: due order first, then sequence, around the kept ones',
      () => afterPreHire(false),
      handedOn(sameDue),
      [P0, 'same.c', 'same.a', 'same.b', P1],
    ],
    [
      'a command already pending is not added twice',
      () => afterPreHire(true),
      handedOn(repeatsPending),
      ['repeats.1', P1],
    ],
    ['a plan already taken changes nothing', () => afterPreHire(true), handedOn(PRE_HIRE), [P1]],
  ])('%s', (_case, state, plan, expected) => {
    const before = state();
    const after = takePlan(before, plan);
    expect(ids(after)).toEqual(expected);
    expect(after.seenPlanIds).toContain(plan.plan.planId);
    expect(after.seenPlanIds.filter((id) => id === plan.plan.planId)).toHaveLength(1);
  });

  it('returns the very same state for a plan already seen (no new settings either)', () => {
    const state = afterPreHire(true);
    const again = takePlan(state, handedOn(PRE_HIRE, { ...SETTINGS, maxAttempts: 99 }));
    expect(again).toBe(state);
  });

  it('keeps each step with its plan, index, purpose, due time and cause', () => {
    const state = takePlan(afterPreHire(true), handedOn(MOVED, SETTINGS, 'cycle-2'));
    expect(state.pending).toEqual<PendingStep[]>(
      MOVED.plan.steps.map((s) => ({
        planId: MOVED.plan.planId,
        index: s.index,
        purpose: s.purpose,
        dueAt: s.dueAt,
        command: s.command,
        cause: { cycleId: 'cycle-2', classification: 'pre-hire', details: MOVED.result.details },
      })),
    );
  });

  it('takes the newest plan’s settings', () => {
    const newer: LifecycleSettings = { ...SETTINGS, resultTimeoutSeconds: 60, stepsPerGeneration: 3 };
    expect(takePlan(afterPreHire(true), handedOn(MOVED, newer)).settings).toEqual(newer);
  });

  it('remembers the latest 32 plan ids, in the order taken', () => {
    const chain = moverChain(Array.from({ length: 39 }, (_, i) => `Engineer ${i + 1}`));
    const state = chain.reduce(
      (s, p) => withoutStep(takePlan(s, handedOn(p)), p.plan.steps[0]!.command.commandId),
      fresh(),
    );
    expect(state.seenPlanIds).toEqual(chain.slice(-32).map((p) => p.plan.planId));
  });

  it('does not change the state it is given', () => {
    const state = afterPreHire(false);
    const copy = JSON.parse(JSON.stringify(state)) as LifecycleInput;
    takePlan(state, handedOn(RESCINDED));
    expect(state).toEqual(copy);
  });
});

describe('withoutStep', () => {
  it.each<[string, string, readonly string[]]>([
    ['the step done leaves', P0, [P1]],
    ['the later step leaves, the earlier stays', P1, [P0]],
    ['an unknown command id changes nothing', 'plan-unknown.0', [P0, P1]],
  ])('%s', (_case, commandId, expected) => {
    const state = afterPreHire(false);
    const after = withoutStep(state, commandId);
    expect(ids(after)).toEqual(expected);
    expect(after.seenPlanIds).toEqual(state.seenPlanIds);
    expect(after.settings).toBe(state.settings);
  });
});

describe('redeliveryFor: a manager not in the directory yet', () => {
  const create = afterPreHire(false).pending[0]!;
  const base = { commandId: create.command.commandId, workerKey: create.command.workerKey, sequence: 1 };
  const applied = (pending: AppliedResult['pending']): AppliedResult => ({
    kind: 'Applied',
    ...base,
    dn: 'CN=x,DC=t',
    objectGUID: 'g',
    created: true,
    deleted: false,
    changes: [],
    chosen: {},
    groupsAdded: [],
    groupsRemoved: [],
    pending,
  });
  const waiting = applied([{ kind: 'ManagerNotFound', attribute: 'employeeID', value: 'M1' }]);
  const NOW = new Date('2026-12-01T00:00:00Z');
  const repeat = (step: PendingStep, times: number): PendingStep => {
    let current = step;
    for (let i = 0; i < times; i++) current = redeliveryFor(current, waiting, NOW)!;
    return current;
  };

  it.each<[string, number, number]>([
    ['first repeat after five seconds (a manager created in the same batch)', 1, 5 / 60],
    ['second after a minute', 2, 1],
    ['third after five', 3, 5],
    ['fourth after fifteen', 4, 15],
    ['fifth after thirty', 5, 30],
    ['then hourly', 6, 60],
    ['still hourly later on', 100, 60],
  ])('%s', (_case, n, minutes) => {
    const again = repeat(create, n);
    expect(again.redelivery).toBe(n);
    expect(Date.parse(again.dueAt) - NOW.getTime()).toBe(minutes * 60_000);
    expect(again.command.commandId).toBe(`${create.command.commandId}.r${n}`);
    expect({ ...again.command, commandId: create.command.commandId }).toEqual(create.command);
  });

  it('stops when the result names no missing manager, when it failed, and after a month of repeats', () => {
    expect(redeliveryFor(create, applied([]), NOW)).toBeNull();
    expect(redeliveryFor(create, null, NOW)).toBeNull();
    expect(redeliveryFor(repeat(create, 24 * 30), waiting, NOW)).toBeNull();
  });

  it('a newer plan drops pending repeats: its own commands carry the manager again', () => {
    const state = withStep(afterPreHire(true), redeliveryFor(create, waiting, NOW)!);
    expect(ids(state)).toEqual([`${P0}.r1`, P1]);
    expect(ids(takePlan(state, handedOn(MOVED)))).not.toContain(`${P0}.r1`);
  });
});

describe('retryDelayMs', () => {
  const settings: LifecycleSettings = { ...SETTINGS, retryBackoffSeconds: 30, maxBackoffSeconds: 3600 };
  it.each<[number, number]>([
    [0, 30_000],
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [7, 1_920_000],
    [8, 3_600_000],
    [30, 3_600_000],
  ])('after send %i: waits %i ms (doubling from 30 s, capped at an hour)', (attempt, expected) => {
    expect(retryDelayMs(settings, attempt)).toBe(expected);
  });

  it.each<[number, number, number, number]>([
    [10, 25, 3, 25_000],
    [10, 25, 2, 20_000],
    [60, 30, 1, 30_000],
  ])('backoff %i s, cap %i s, after send %i: %i ms', (backoff, cap, attempt, expected) => {
    expect(retryDelayMs({ ...settings, retryBackoffSeconds: backoff, maxBackoffSeconds: cap }, attempt)).toBe(expected);
  });

  it('by default: 30 s, 60 s, 120 s, 240 s between the five sends', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(DEFAULT_LIFECYCLE_SETTINGS, a))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
  });
});

describe('lifecycleStatus', () => {
  it.each<
    [string, LifecycleInput, 'plan' | 'due-date' | 'result' | 'retry', { commandId: string; attempt: number } | null]
  >([
    ['idle, waiting for a plan', fresh(), 'plan', null],
    ['waiting for the hire date', afterPreHire(true), 'due-date', null],
    ['waiting for a result', afterPreHire(false), 'result', { commandId: P0, attempt: 1 }],
    ['waiting to retry', afterPreHire(false), 'retry', { commandId: P0, attempt: 2 }],
  ])('%s', (_case, state, waitingFor, inFlight) => {
    const status =
      inFlight === null ? lifecycleStatus(state, waitingFor) : lifecycleStatus(state, waitingFor, inFlight);
    expect(status).toEqual({
      workerKey: 'workday:2001',
      waitingFor,
      pending: state.pending.map((s) => ({
        commandId: s.command.commandId,
        kind: s.command.kind,
        purpose: s.purpose,
        dueAt: s.dueAt,
      })),
      inFlight,
    });
  });

  it('shows the pre-hire’s enable step with its kind and due date', () => {
    expect(lifecycleStatus(afterPreHire(true), 'due-date').pending).toEqual([
      { commandId: P1, kind: 'EnableAccount', purpose: 'enable-at-start', dueAt: '2027-02-01T00:00:00.000Z' },
    ]);
  });
});
