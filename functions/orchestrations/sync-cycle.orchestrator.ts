/**
 * A sync cycle for one HR source: poll the source (or, for an `ingest` cycle, take the batch of records
 * pushed to it: SCIM requests, CSV uploads, the workers webhooks named); plan the whole snapshot against stored state (the
 * pure planner, in an activity); hand each worker's plan to its lifecycle orchestration; hold the
 * destructive plans above the threshold until an administrator approves or rejects the cycle; and only
 * then commit the source's cursor with the states decided under it. A crash before the commit replans
 * the same read: plan ids are deterministic, and lifecycle orchestrations take a plan once.
 *
 * One live cycle per source (instance id from the source id); the timer skips a source whose cycle is
 * still running or held. So a source's polls and pushes are planned one after another, and a worker's
 * plans reach its lifecycle orchestration in the order HR gave them. A cycle that ends while pushed records
 * wait continues as an ingest cycle for them. Control flow only (see lifecycle.orchestrator.ts).
 */
import type { OrchestrationContext, RetryOptions, Task } from 'durable-functions';
import type { CycleStatus } from '../../shared/ports/state-store.port';
import { ACTIVITY, EVENT, cycleIdAt } from '../app/durable-names';

export interface SyncCycleInput {
  readonly sourceId: string;
  readonly cycleId: string;
  /** What started it: the source's schedule, the HTTP API, the CLI, or records pushed to the source. */
  readonly trigger: 'schedule' | 'api' | 'cli' | 'ingest';
  /**
   * `ingest`: plan what was pushed to the source instead of reading it. `full`: read the source whole,
   * ignoring the stored cursor, and plan it even when its cursor has not moved — a reconcile that catches what
   * a delta missed (absent: a read since the stored cursor).
   */
  readonly mode?: 'ingest' | 'full';
}

/** The PlanIngest activity's answer: a plan outcome and how far the batch reaches, or nothing waiting. */
export type IngestPlanOutcome = (PlanOutcome & { readonly throughSeq: number }) | { readonly kind: 'empty' };

/** The PollSource activity's answer. */
export interface PollOutcome {
  /** `failed`: the source could not be read at all (its credentials refused, its server unreachable). */
  readonly kind: 'changed' | 'unchanged' | 'suspect' | 'failed';
  readonly cursor: string | null;
  /** Why the read is suspect, or failed. */
  readonly reason: string | null;
}

/** The PlanCycle activity's answer. */
export interface PlanOutcome {
  /** `stale`: the source changed between poll and plan; poll again. */
  readonly kind: 'planned' | 'stale';
  readonly counts: Readonly<Record<string, number>>;
  /** Plans ready to hand on, and plans held for approval. */
  readonly ready: number;
  readonly held: number;
  readonly holdReason: string | null;
}

/** An administrator's decision on a held cycle (the CycleDecision event). */
export interface CycleDecision {
  readonly approved: boolean;
  /** Who decided (the API caller's name, or `cli`). */
  readonly by: string;
}

export interface HandOnInput {
  readonly cycleId: string;
  readonly held: boolean;
  readonly offset: number;
  readonly limit: number;
}

export interface CommitInput {
  readonly cycleId: string;
  readonly sourceId: string;
  readonly cursor: string | null;
  readonly status: CycleStatus;
  readonly reason: string | null;
  /** Whether the held plans' states are stored too (approved) or left to plan again (rejected). */
  readonly includeHeld: boolean;
  /** An ingest cycle: the pushed batch's last request, marked planned once the states are stored. */
  readonly ingestThroughSeq?: number | null;
}

export interface SyncCycleOutput {
  readonly cycleId: string;
  readonly sourceId: string;
  readonly status: CycleStatus;
  readonly reason: string | null;
  readonly counts: Readonly<Record<string, number>>;
}

/** Plans handed on per activity: big enough to keep histories short, small enough to finish quickly. */
export const HAND_ON_CHUNK = 500;
const MAX_STALE_READS = 3;

type Yielded<T> = Generator<Task, T, unknown>;

/**
 * The cycle's activities are idempotent (a plan is taken once by its id, a commit writes the same rows),
 * so a passing fault — a busy store, a dropped connection to the durable client API — is retried
 * rather than failing the cycle.
 */
const ACTIVITY_RETRY = {
  firstRetryIntervalInMilliseconds: 2000,
  maxNumberOfAttempts: 4,
  backoffCoefficient: 2,
} as RetryOptions;

function call(context: OrchestrationContext, name: string, input: unknown): Task {
  return context.df.callActivityWithRetry(name, ACTIVITY_RETRY, input);
}

export function* syncCycleOrchestrator(context: OrchestrationContext): Generator<Task, SyncCycleOutput, unknown> {
  const input = context.df.getInput() as SyncCycleInput;
  const output = input.mode === 'ingest' ? yield* ingestCycle(context, input) : yield* wholeReadCycle(context, input);
  const waiting = (yield call(context, ACTIVITY.ingestWaiting, { sourceId: input.sourceId })) as boolean;
  if (!waiting) return output;
  const next: SyncCycleInput = {
    sourceId: input.sourceId,
    cycleId: cycleIdAt(input.sourceId, context.df.currentUtcDateTime, context.df.newGuid(input.cycleId)),
    trigger: 'ingest',
    mode: 'ingest',
  };
  context.df.continueAsNew(next);
  return output;
}

function* wholeReadCycle(context: OrchestrationContext, input: SyncCycleInput): Yielded<SyncCycleOutput> {
  const { cycleId, sourceId } = input;
  for (let read = 1; ; read++) {
    const poll = (yield call(context, ACTIVITY.pollSource, input)) as PollOutcome;
    if (poll.kind === 'unchanged') {
      return { cycleId, sourceId, status: 'skipped', reason: 'the source has not changed', counts: {} };
    }
    if (poll.kind === 'suspect' || poll.kind === 'failed') {
      // The cursor stays: the next read covers everything since the last committed one.
      const status: CycleStatus = poll.kind === 'failed' ? 'failed' : 'skipped';
      const commit: CommitInput = { cycleId, sourceId, cursor: null, status, reason: poll.reason, includeHeld: false };
      yield call(context, ACTIVITY.commitCycle, commit);
      return { cycleId, sourceId, status, reason: poll.reason, counts: {} };
    }
    const plan = (yield call(context, ACTIVITY.planCycle, { ...input, cursor: poll.cursor })) as PlanOutcome;
    if (plan.kind === 'planned') return yield* handOnAndCommit(context, input, poll.cursor, plan);
    if (read >= MAX_STALE_READS) throw new Error(`the source ${sourceId} kept changing while it was read`);
  }
}

/** Plans the oldest batch pushed to the source; the source's own cursor does not move. */
function* ingestCycle(context: OrchestrationContext, input: SyncCycleInput): Yielded<SyncCycleOutput> {
  const { cycleId, sourceId } = input;
  const plan = (yield call(context, ACTIVITY.planIngest, input)) as IngestPlanOutcome;
  if (plan.kind === 'empty') return { cycleId, sourceId, status: 'skipped', reason: 'nothing was pushed', counts: {} };
  return yield* handOnAndCommit(context, input, null, plan, plan.throughSeq);
}

function* handOnAndCommit(
  context: OrchestrationContext,
  input: SyncCycleInput,
  cursor: string | null,
  plan: PlanOutcome,
  ingestThroughSeq: number | null = null,
): Yielded<SyncCycleOutput> {
  const { cycleId, sourceId } = input;
  yield* handOn(context, cycleId, false, plan.ready);
  let status: CycleStatus = 'completed';
  if (plan.held > 0) {
    context.df.setCustomStatus({ cycleId, sourceId, status: 'held', held: plan.held, reason: plan.holdReason });
    const decision = (yield context.df.waitForExternalEvent(EVENT.cycleDecision)) as CycleDecision;
    yield call(context, ACTIVITY.decideCycle, { cycleId, decision });
    if (decision.approved) yield* handOn(context, cycleId, true, plan.held);
    status = decision.approved ? 'approved' : 'rejected';
  }
  const commit: CommitInput = {
    cycleId,
    sourceId,
    cursor,
    status,
    reason: plan.holdReason,
    includeHeld: status === 'approved',
    ...(ingestThroughSeq === null ? {} : { ingestThroughSeq }),
  };
  yield call(context, ACTIVITY.commitCycle, commit);
  context.df.setCustomStatus({ cycleId, sourceId, status });
  return { cycleId, sourceId, status, reason: plan.holdReason, counts: plan.counts };
}

/** Hands `count` plans on in parallel chunks. */
function* handOn(context: OrchestrationContext, cycleId: string, held: boolean, count: number): Yielded<void> {
  const chunks: Task[] = [];
  for (let offset = 0; offset < count; offset += HAND_ON_CHUNK) {
    const chunk: HandOnInput = { cycleId, held, offset, limit: HAND_ON_CHUNK };
    chunks.push(call(context, ACTIVITY.handOnPlans, chunk));
  }
  if (chunks.length > 0) yield context.df.Task.all(chunks);
}
