/**
 * What a worker's lifecycle orchestration carries: the steps still to do, which plans it has seen, and
 * how it retries. Pure functions over plain data, so the orchestrator stays control flow only and these
 * rules are unit-tested on their own.
 */
import type { Plan, StepPurpose } from '../../shared/planner/types';
import type { DirectoryCommandInput } from '../../shared/protocol/commands';
import type { CommandResult } from '../../shared/protocol/results';

/** Why a step exists: the HR change behind it, for the audit. */
export interface StepCause {
  readonly cycleId: string | null;
  readonly classification: string;
  readonly details: readonly string[];
}

/** A plan handed to a worker's lifecycle orchestration (its input, or a `NewPlan` event). */
export interface HandedOnPlan extends StepCause {
  readonly plan: Plan;
  readonly settings: LifecycleSettings;
}

/** How the orchestration waits for and retries results. */
export interface LifecycleSettings {
  /** How long to wait for a command's result before sending it again. */
  readonly resultTimeoutSeconds: number;
  /** Sends of one command (the first included) before its outcome is recorded as failed or timed out. */
  readonly maxAttempts: number;
  /** Backoff before the second send; doubled each time, capped by `maxBackoffSeconds`. */
  readonly retryBackoffSeconds: number;
  readonly maxBackoffSeconds: number;
  /** Steps one execution runs before it continues as new, which keeps histories bounded. */
  readonly stepsPerGeneration: number;
}

export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = {
  resultTimeoutSeconds: 600,
  maxAttempts: 5,
  retryBackoffSeconds: 30,
  maxBackoffSeconds: 3600,
  stepsPerGeneration: 20,
};

export interface PendingStep {
  readonly planId: string;
  readonly index: number;
  readonly purpose: StepPurpose;
  /** ISO instant (UTC). */
  readonly dueAt: string;
  readonly command: DirectoryCommandInput;
  readonly cause: StepCause;
  /** Set on a delivery repeated because the manager was not in the directory yet: which repeat it is. */
  readonly redelivery?: number;
}

/** The orchestration's input: a fresh start, or what the previous execution carried over. */
export interface LifecycleInput {
  readonly workerKey: string;
  readonly pending: readonly PendingStep[];
  /** The latest plan ids received (bounded), so a plan handed on twice is taken once. */
  readonly seenPlanIds: readonly string[];
  readonly settings: LifecycleSettings;
  /** The plan that starts the orchestration, when a cycle starts it. */
  readonly handedOn?: HandedOnPlan;
}

const SEEN_PLAN_IDS = 32;

/**
 * Takes a newer plan in: the steps it cancels (the superseded plan's steps not yet due) leave, its own
 * steps join, in due order (then per-worker sequence, which is the order the agent must apply them in).
 * A plan already seen changes nothing: handing on is at least once.
 */
export function takePlan(state: LifecycleInput, handedOn: HandedOnPlan): LifecycleInput {
  const { plan } = handedOn;
  if (state.seenPlanIds.includes(plan.planId)) return state;
  const cancelled = new Set(plan.cancels);
  // A newer plan's own commands carry the manager again; an older command delivered again would undo it.
  const kept = state.pending.filter((step) => !cancelled.has(commandIdOf(step)) && step.redelivery === undefined);
  const known = new Set(kept.map(commandIdOf));
  const cause: StepCause = {
    cycleId: handedOn.cycleId,
    classification: handedOn.classification,
    details: handedOn.details,
  };
  const added = plan.steps
    .filter((step) => !known.has(step.command.commandId))
    .map((step) => ({
      planId: plan.planId,
      index: step.index,
      purpose: step.purpose,
      dueAt: step.dueAt,
      command: step.command,
      cause,
    }));
  return {
    ...state,
    pending: [...kept, ...added].sort(byDueThenSequence),
    seenPlanIds: [...state.seenPlanIds, plan.planId].slice(-SEEN_PLAN_IDS),
    settings: handedOn.settings,
  };
}

/** Leaves the orchestration's state without the step just done. */
export function withoutStep(state: LifecycleInput, commandId: string): LifecycleInput {
  return { ...state, pending: state.pending.filter((step) => commandIdOf(step) !== commandId) };
}

/** Adds a step in due order (then sequence). */
export function withStep(state: LifecycleInput, step: PendingStep): LifecycleInput {
  return { ...state, pending: [...state.pending, step].sort(byDueThenSequence) };
}

/**
 * When a command's result says the manager's account is not in the directory yet, the same intent is
 * delivered again later (the agent sets the manager once it exists): after 5 seconds, then 1, 5, 15 and
 * 30 minutes, then hourly, for about a month — so a manager created in the same batch (their command ran
 * beside this one) is linked within seconds, and one hired in a later cycle within the hour, where Entra
 * links references on its next cycle. A repeat has its own command id (`<id>.r<n>`). Null when
 * nothing waits for a manager, or the repeats ran out.
 */
export function redeliveryFor(step: PendingStep, result: CommandResult | null, now: Date): PendingStep | null {
  if (!result || (result.kind !== 'Applied' && result.kind !== 'NoChange')) return null;
  if (!result.pending.some((p) => p.kind === 'ManagerNotFound')) return null;
  const n = (step.redelivery ?? 0) + 1;
  if (n > MAX_REDELIVERIES) return null;
  const delay = REDELIVERY_DELAYS_MS[Math.min(n, REDELIVERY_DELAYS_MS.length) - 1]!;
  const baseId = step.redelivery === undefined ? step.command.commandId : step.command.commandId.replace(/\.r\d+$/, '');
  return {
    ...step,
    redelivery: n,
    dueAt: new Date(now.getTime() + delay).toISOString(),
    command: { ...step.command, commandId: `${baseId}.r${n}` },
  };
}

const MINUTE = 60_000;
const REDELIVERY_DELAYS_MS = [5_000, MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, 60 * MINUTE];
const MAX_REDELIVERIES = 24 * 30;

/** The wait before send `attempt + 1` (attempt counts from 1): exponential, capped. */
export function retryDelayMs(settings: LifecycleSettings, attempt: number): number {
  const seconds = settings.retryBackoffSeconds * 2 ** Math.max(0, attempt - 1);
  return Math.min(seconds, settings.maxBackoffSeconds) * 1000;
}

export function commandIdOf(step: PendingStep): string {
  return step.command.commandId;
}

function byDueThenSequence(a: PendingStep, b: PendingStep): number {
  if (a.dueAt !== b.dueAt) return a.dueAt < b.dueAt ? -1 : 1;
  return a.command.sequence - b.command.sequence;
}

/** What the orchestration shows as its custom status: the status API's view of a worker. */
export interface LifecycleStatus {
  readonly workerKey: string;
  readonly waitingFor: 'plan' | 'due-date' | 'result' | 'retry';
  readonly pending: readonly {
    readonly commandId: string;
    readonly kind: string;
    readonly purpose: StepPurpose;
    readonly dueAt: string;
    /** Set on a delivery repeated because the manager is not in the directory yet. */
    readonly redelivery?: number;
  }[];
  /** The command being sent, and how many times so far. */
  readonly inFlight: { readonly commandId: string; readonly attempt: number } | null;
}

export function lifecycleStatus(
  state: LifecycleInput,
  waitingFor: LifecycleStatus['waitingFor'],
  inFlight: LifecycleStatus['inFlight'] = null,
): LifecycleStatus {
  return {
    workerKey: state.workerKey,
    waitingFor,
    pending: state.pending.map((step) => ({
      commandId: commandIdOf(step),
      kind: step.command.kind,
      purpose: step.purpose,
      dueAt: step.dueAt,
      ...(step.redelivery === undefined ? {} : { redelivery: step.redelivery }),
    })),
    inFlight,
  };
}
