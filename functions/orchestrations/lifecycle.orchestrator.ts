/**
 * A worker's lifecycle orchestration: one instance per worker (instance id from the worker key), for as
 * long as hr2ad manages the worker. It interprets the plans the sync cycle hands on — the plans are in
 * its history, so a replay never plans differently — and for each step in due order: waits on a durable
 * timer until the step is due (a newer plan cancels the wait and the steps it replaces), sends the
 * command through the command channel, waits for the result (raced against a timeout), sends again with
 * backoff on retryable failures and timeouts, and records the outcome. Histories stay bounded: after
 * `stepsPerGeneration` steps, once idle, it continues as new with what is still pending.
 *
 * Control flow only: no I/O, no clock but `currentUtcDateTime`, no randomness (see the lint override
 * for `*.orchestrator.ts`).
 */
import type { OrchestrationContext, RetryOptions, Task } from 'durable-functions';
import type { CommandResult } from '../../shared/protocol/results';
import { ACTIVITY, EVENT, commandResultEvent } from '../app/durable-names';
import {
  commandIdOf,
  lifecycleStatus,
  redeliveryFor,
  retryDelayMs,
  takePlan,
  withStep,
  withoutStep,
  type HandedOnPlan,
  type LifecycleInput,
  type LifecycleSettings,
  type PendingStep,
} from './lifecycle-state';

/** What the orchestration records for a step (the RecordCommandOutcome activity's input). */
export interface StepOutcome {
  readonly workerKey: string;
  readonly step: PendingStep;
  readonly attempts: number;
  /** The agent's result; null when none came in time, or the step was cancelled before it was sent. */
  readonly result: CommandResult | null;
}

type Yielded<T> = Generator<Task, T, unknown>;

/** Handing a command to the channel can fail for a moment (a broker restart); the channel retries it. */
const SEND_RETRY = (settings: LifecycleSettings): RetryOptions =>
  ({
    firstRetryIntervalInMilliseconds: 1000,
    maxNumberOfAttempts: settings.maxAttempts,
    backoffCoefficient: 2,
    maxRetryIntervalInMilliseconds: settings.maxBackoffSeconds * 1000,
  }) as RetryOptions;

export function* lifecycleOrchestrator(context: OrchestrationContext): Generator<Task, void, unknown> {
  const input = context.df.getInput() as LifecycleInput;
  let state = input.handedOn ? takePlan({ ...input, handedOn: undefined }, input.handedOn) : input;
  // Steps run and plans taken in this execution: past `stepsPerGeneration`, it continues as new.
  let work = 0;
  for (;;) {
    const full = work >= state.settings.stepsPerGeneration;
    const step = state.pending[0];
    if (!step) {
      const plan = full ? yield* drainPlan(context) : yield* awaitPlan(context, state);
      if (!plan) return context.df.continueAsNew(state);
      state = takePlan(state, plan);
      work++;
      continue;
    }
    const wait = yield* waitUntilDue(context, state, step);
    if (wait.kind === 'plan') {
      state = takePlan(state, wait.plan);
      if (++work >= state.settings.stepsPerGeneration) return context.df.continueAsNew(state);
      continue;
    }
    // The timer won the race with a plan wait that stays open; a new execution leaves it behind, so a
    // plan raised while this step runs waits for the next execution instead of reaching that wait.
    if (wait.kind === 'timer') return context.df.continueAsNew(state);
    const outcome = yield* runStep(context, state, step);
    yield context.df.callActivity(ACTIVITY.recordOutcome, outcome);
    state = withoutStep(state, commandIdOf(step));
    // A manager not in the directory yet: deliver the account's command again later, until it is.
    const again = redeliveryFor(step, outcome.result, context.df.currentUtcDateTime);
    if (again) state = withStep(state, again);
    work++;
  }
}

type DueWait =
  { readonly kind: 'due' } | { readonly kind: 'timer' } | { readonly kind: 'plan'; readonly plan: HandedOnPlan };

/** The next plan, waited for without limit (nothing is pending). */
function* awaitPlan(context: OrchestrationContext, state: LifecycleInput): Yielded<HandedOnPlan> {
  context.df.setCustomStatus(lifecycleStatus(state, 'plan'));
  return (yield context.df.waitForExternalEvent(EVENT.newPlan)) as HandedOnPlan;
}

/**
 * Waits until the step is due: `due` when it already is, `timer` when its timer fired, `plan` when a
 * newer plan arrived first (the timer is then cancelled).
 */
function* waitUntilDue(context: OrchestrationContext, state: LifecycleInput, step: PendingStep): Yielded<DueWait> {
  const due = new Date(step.dueAt);
  if (due.getTime() <= context.df.currentUtcDateTime.getTime()) return { kind: 'due' };
  context.df.setCustomStatus(lifecycleStatus(state, 'due-date'));
  const timer = context.df.createTimer(due);
  const plan = context.df.waitForExternalEvent(EVENT.newPlan);
  yield context.df.Task.any([timer, plan]);
  // Both may complete in one episode; a plan that arrived is never dropped.
  if (!plan.isCompleted) return { kind: 'timer' };
  if (!timer.isCompleted) timer.cancel();
  return { kind: 'plan', plan: plan.result as HandedOnPlan };
}

/** Before continuing as new: takes a plan already delivered but not yet taken, so none is lost. */
function* drainPlan(context: OrchestrationContext): Yielded<HandedOnPlan | null> {
  const plan = context.df.waitForExternalEvent(EVENT.newPlan);
  const tick = context.df.createTimer(context.df.currentUtcDateTime);
  yield context.df.Task.any([plan, tick]);
  if (!plan.isCompleted) return null;
  if (!tick.isCompleted) tick.cancel();
  return plan.result as HandedOnPlan;
}

/**
 * Sends a step's command until a final result comes, or the attempts run out. One wait for the
 * command's result stays open across timeouts and backoffs, so a result that arrives late is still the
 * one recorded (not the re-send's "no change").
 */
function* runStep(context: OrchestrationContext, state: LifecycleInput, step: PendingStep): Yielded<StepOutcome> {
  const { settings } = state;
  const commandId = commandIdOf(step);
  const listen = () => context.df.waitForExternalEvent(commandResultEvent(commandId));
  const outcome = (result: CommandResult | null, attempts: number): StepOutcome => ({
    workerKey: state.workerKey,
    step,
    attempts,
    result,
  });
  let results = listen();
  for (let attempt = 1; ; attempt++) {
    context.df.setCustomStatus(lifecycleStatus(state, 'result', { commandId, attempt }));
    yield context.df.callActivityWithRetry(ACTIVITY.sendCommand, SEND_RETRY(settings), step.command);
    const result = yield* within(context, results, settings.resultTimeoutSeconds * 1000);
    if (result) results = listen();
    if (isFinal(result) || attempt >= settings.maxAttempts) return outcome(result, attempt);
    context.df.setCustomStatus(lifecycleStatus(state, 'retry', { commandId, attempt }));
    const late = yield* within(context, results, retryDelayMs(settings, attempt));
    if (late) results = listen();
    if (isFinal(late)) return outcome(late, attempt);
  }
}

/** A result that ends the step: anything but none or a retryable failure. */
function isFinal(result: CommandResult | null): result is CommandResult {
  return result !== null && !(result.kind === 'Failed' && result.retryable);
}

/** The result on `results` if one comes within `ms` (the timer is then cancelled), else null. */
function* within(context: OrchestrationContext, results: Task, ms: number): Yielded<CommandResult | null> {
  if (results.isCompleted) return results.result as CommandResult;
  const timer = context.df.createTimer(later(context, ms));
  yield context.df.Task.any([results, timer]);
  if (!results.isCompleted) return null;
  if (!timer.isCompleted) timer.cancel();
  return results.result as CommandResult;
}

function later(context: OrchestrationContext, ms: number): Date {
  return new Date(context.df.currentUtcDateTime.getTime() + ms);
}
