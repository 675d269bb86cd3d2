/**
 * The lifecycle planner for one worker: a pure function of the last known state, the new HR record,
 * the compiled configuration and the clock. It lays the record out on a timeline (account creation,
 * start, effective-dated changes, termination, hard delete — each at a local-day boundary in the
 * worker's zone), derives the desired account at each point, and turns the transitions into ordered,
 * dated agent commands. When the result equals what is already in force, nothing is planned.
 *
 * A new plan always supersedes the plan in force: its not-yet-executed steps are cancelled, and the
 * new plan's first step re-asserts the state due now (commands are idempotent, so re-asserting what
 * already holds changes nothing), which also covers a superseded step that was due but not yet run.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import type { MatchKey } from '../protocol/commands';
import { deepEqual } from '../util/deep-equal';
import { validateWorker, type ValidatedWorker } from '../worker/validate-worker';
import { workerAsOf } from '../worker/worker-as-of';
import { workerAttributes } from '../worker/worker-attributes';
import type { Worker } from '../worker/worker-schema';
import { resolveTimeZone } from '../worker/worker-time-zone';
import { classify, changedFields, diffDetails } from './classify';
import { mappingContext } from './desired-account';
import { formatCharacterWarnings } from './format-character-warnings';
import { appendMatchKeys } from './match-keys';
import type { DraftStep } from './plan-commands';
import { buildPlan, stepsOf } from './plan-steps';
import { memoFor, type PlanningMemo } from './planning-memo';
import { RecordVersions, reuseBase } from './record-versions';
import { diffStates } from './state-diff';
import { phaseAt, workerInstants, type RecordPhase, type WorkerInstants } from './timeline';
import { buildTimeline, type Timeline } from './timeline-states';
import type { DesiredState, LastKnownState, Plan, PlanStepRecord, StateDiff, WorkerPlanResult } from './types';
import { quarantinedResult, unchangedResult } from './worker-results';

export interface PlanOptions {
  /** Seeds RandomString() and Guid(), together with the worker key (default `hr2ad`). */
  readonly seed?: string;
  /** How long after it is due a command stays valid, in hours (default 24). */
  readonly commandLifetimeHours?: number;
  /**
   * Work incrementally (default true): answer "no change" without evaluating anything when the record
   * and the configuration are unchanged (and nothing is effective-dated or reads the clock), and take
   * mapped values whose inputs did not change from the stored state. False evaluates everything, which
   * gives the same plans, only slower; tests compare the two.
   */
  readonly incremental?: boolean;
  /** What the cycle computed already (`planCycle` passes one down); a fresh one otherwise. */
  readonly memo?: PlanningMemo;
}

/** Whether the state's account is planned to exist at `ms`. */
export function accountExistsAt(state: LastKnownState, ms: number, memo?: PlanningMemo): boolean {
  const { createdAt, deletedAt } = state.existence;
  if (createdAt === null || instantMs(createdAt, memo) > ms) return false;
  return deletedAt === null || instantMs(deletedAt, memo) > ms;
}

function instantMs(text: string, memo: PlanningMemo | undefined): number {
  return memo ? memo.instantMs(text) : Date.parse(text);
}

function pendingSteps(state: LastKnownState | undefined, nowMs: number, memo: PlanningMemo): PlanStepRecord[] {
  return state?.plan ? state.plan.steps.filter((s) => memo.instantMs(s.dueAt) > nowMs) : [];
}

/** A worker's plan from a raw HR record: validation failures come back quarantined. */
export function planWorker(
  previous: LastKnownState | undefined,
  record: unknown,
  config: CompiledMappingConfig,
  now: Date,
  options: PlanOptions = {},
): WorkerPlanResult {
  const validation = validateWorker(record, config.timeZones, memoFor(config.fingerprint, options.memo).calendar);
  if (!validation.ok) return quarantinedResult(validation.workerKey, validation.issues);
  return planValidatedWorker(previous, validation.value, config, now, options);
}

/** Plans a worker whose record has been validated (`planCycle` validates once for all its uses). */
export function planValidatedWorker(
  previous: LastKnownState | undefined,
  validation: ValidatedWorker,
  config: CompiledMappingConfig,
  now: Date,
  options: PlanOptions = {},
): WorkerPlanResult {
  const result = planRecord(previous, validation, config, now, options);
  // Set on the result just built for this call: one object less per worker in a 100,000-worker cycle.
  if (result.outcome !== 'quarantined')
    (result as { employmentStatus?: string }).employmentStatus = validation.worker.employmentStatus;
  return result;
}

/** Everything one worker's planning looks at, worked out once. */
interface WorkerSituation {
  readonly key: string;
  readonly worker: Worker;
  readonly previous: LastKnownState | undefined;
  /** The previous state is another worker key's account, taken over (rehire or conversion with a new id). */
  readonly adopting: boolean;
  readonly config: CompiledMappingConfig;
  readonly now: Date;
  readonly nowMs: number;
  readonly instants: WorkerInstants;
  readonly existsNow: boolean;
  readonly memo: PlanningMemo;
}

function planRecord(
  previous: LastKnownState | undefined,
  validation: ValidatedWorker,
  config: CompiledMappingConfig,
  now: Date,
  options: PlanOptions,
): WorkerPlanResult {
  const key = validation.workerKey;
  const worker = validation.worker;
  const adopting = previous !== undefined && previous.workerKey !== key;
  const shortcut = unchangedShortcut(previous, adopting, worker, key, config, options);
  if (shortcut) return shortcut;

  const memo = memoFor(config.fingerprint, options.memo);
  const nowMs = now.getTime();
  const zone = validation.timeZone.zone;
  const current = workerAsOf(worker, memo.calendar.localDateAt(zone, nowMs));
  const bagNow = workerAttributes(current, zone);
  // A newcomer out of scope takes over nobody's account.
  if (adopting && !config.scope.admits(bagNow)) return unchangedResult(key, null, [], 'out-of-scope');

  const instants = workerInstants(worker, zone, config.document, memo.calendar);
  const existsNow = previous !== undefined && accountExistsAt(previous, nowMs, memo);
  const situation: WorkerSituation = { key, worker, previous, adopting, config, now, nowMs, instants, existsNow, memo };
  const formerMatch = adopting
    ? appendMatchKeys(previous.desired.account?.match ?? [], previous.formerMatch)
    : (previous?.formerMatch ?? []);
  const context = mappingContext(bagNow, {
    config,
    workerKey: key,
    source: worker.source,
    managerId: current.managerId,
    now,
    seed: options.seed,
    formerMatch,
    validated: previous?.desired.account ?? null,
    reuse: options.incremental === false ? null : reuseBase(previous, adopting, config),
    memo,
  });
  const versions = new RecordVersions(worker, current, bagNow, zone, instants, nowMs, context);
  const handoverAt = handoverInstant(situation);
  const accountNow = existsNow ? (previous!.desired.account ?? null) : null;
  const timeline = buildTimeline(worker, instants, nowMs, accountNow, existsNow, handoverAt, versions, config);
  if (versions.issues.length || !timeline) return quarantinedResult(key, versions.issues);

  const currentMatch = previous?.desired.account?.match ?? versions.mapped(versions.nowVersion)?.match ?? [];
  const drafts = stepsOf(timeline, existsNow, currentMatch, config, nowMs, memo);
  const result = resultOf(situation, timeline, drafts, formerMatch, handoverAt, options);
  const account = timeline.states[0]!.account ?? timeline.states[timeline.states.length - 1]!.account;
  const warnings = [...versions.warnings, ...formatCharacterWarnings(key, current, account)];
  return warnings.length ? { ...result, warnings } : result;
}

/**
 * "No change" without evaluating anything: for an account a later worker key took over, and for the
 * same record under the same configuration when nothing is effective-dated or reads the clock.
 */
function unchangedShortcut(
  previous: LastKnownState | undefined,
  adopting: boolean,
  worker: Worker,
  key: string,
  config: CompiledMappingConfig,
  options: PlanOptions,
): WorkerPlanResult | null {
  if (!previous || adopting) return null;
  if (previous.adoptedBy !== null) {
    return unchangedResult(key, { ...previous, record: worker }, [`account reused by ${previous.adoptedBy}`]);
  }
  const same =
    options.incremental !== false &&
    !config.usesClock &&
    worker.future.length === 0 &&
    previous.configFingerprint === config.fingerprint &&
    deepEqual(previous.record, worker);
  if (!same) return null;
  return unchangedResult(key, previous, [], previous.desired.phase === 'unmanaged' ? 'out-of-scope' : 'no-op');
}

/**
 * A conversion's new record takes the account over at its start; until then it is still the former
 * worker's (a contractor working out their last days), so nothing is asked of it before.
 */
function handoverInstant(s: WorkerSituation): number {
  const { previous, adopting, existsNow, instants, nowMs } = s;
  if (adopting && existsNow && recordPhaseNow(previous!.record, s) === 'active') return instants.hireStart;
  const stored = previous?.existence.takenOverAt ? s.memo.instantMs(previous.existence.takenOverAt) : -Infinity;
  return !adopting && stored > nowMs ? Math.max(stored, instants.hireStart) : -Infinity;
}

/** Where a stored record puts the worker now (its zone resolved under today's settings). */
function recordPhaseNow(record: Worker, s: WorkerSituation): RecordPhase {
  const zone = resolveTimeZone(record, s.config.timeZones).zone;
  return phaseAt(record, workerInstants(record, zone, s.config.document, s.memo.calendar), s.nowMs);
}

/** The plan's future steps are exactly those still pending from the plan in force. */
function sameFuture(pending: readonly PlanStepRecord[], drafts: readonly DraftStep[], s: WorkerSituation): boolean {
  const future = drafts.filter((d) => d.dueMs > s.nowMs);
  return (
    pending.length === future.length &&
    pending.every((p, i) => p.fingerprint === future[i]!.fingerprint && s.memo.instantMs(p.dueAt) === future[i]!.dueMs)
  );
}

function resultOf(
  s: WorkerSituation,
  timeline: Timeline,
  drafts: readonly DraftStep[],
  formerMatch: readonly MatchKey[],
  handoverAt: number,
  options: PlanOptions,
): WorkerPlanResult {
  const { previous, adopting, key, config, worker, nowMs } = s;
  const final = timeline.states[timeline.states.length - 1]!;
  const unmanagedNow = timeline.states[0]!.phase === 'unmanaged';
  const pending = pendingSteps(previous, nowMs, s.memo);
  if (previous && !adopting && sameFuture(pending, drafts, s) && deepEqual(previous.desired, final)) {
    const next =
      previous.configFingerprint === config.fingerprint && previous.record === worker
        ? previous
        : { ...previous, record: worker, configFingerprint: config.fingerprint };
    return unchangedResult(key, next, [], unmanagedNow ? 'out-of-scope' : 'no-op');
  }
  const diff = diffStates(previous?.desired ?? null, final, s.memo);
  const next = nextStateBase(s, final, formerMatch);
  const takenOverAt = handoverAt > nowMs ? s.memo.iso(handoverAt) : null;
  const reuses = adopting ? { reusesAccountOf: previous!.workerKey } : {};
  if (drafts.length === 0 && pending.length === 0) {
    // Nothing to ask of the directory (e.g. a worker who left before an account was made): remember the record.
    const existence = {
      createdAt: s.existsNow ? previous!.existence.createdAt : null,
      deletedAt: previous?.existence.deletedAt ?? null,
      takenOverAt,
    };
    const state: LastKnownState = { ...next, existence, sequence: previous?.sequence ?? 0, plan: null };
    return { ...nothingToAsk(s, diff, unmanagedNow), nextState: state, ...reuses };
  }
  const plan = buildPlan(key, drafts, previous, pending, s.now, options.commandLifetimeHours ?? 24, s.memo);
  const state: LastKnownState = { ...next, ...plannedState(s, plan, drafts, final, takenOverAt) };
  return {
    workerKey: key,
    classification: unmanagedNow ? 'out-of-scope' : classificationOf(s),
    details: detailsOf(s, diff, unmanagedNow),
    outcome: 'planned',
    plan,
    nextState: state,
    diff,
    issues: [],
    ...reuses,
  };
}

function classificationOf(s: WorkerSituation): WorkerPlanResult['classification'] {
  const { previous, adopting, worker, instants, nowMs, existsNow } = s;
  const previousPhaseNow = previous ? recordPhaseNow(previous.record, s) : null;
  const phaseNow = phaseAt(worker, instants, nowMs);
  return classify({ previous, adopting, worker, phaseNow, previousPhaseNow, existedBefore: existsNow });
}

/** What changed, each once: scope, HR fields, the directory state, the configuration. */
function detailsOf(s: WorkerSituation, diff: StateDiff, unmanagedNow: boolean): string[] {
  const { previous, adopting } = s;
  const details = [
    ...(unmanagedNow && previous && previous.desired.phase !== 'unmanaged' ? ['left scope'] : []),
    ...(previous && !adopting ? changedFields(previous.record, s.worker) : []),
    ...diffDetails(diff),
    ...(previous && previous.configFingerprint !== s.config.fingerprint ? ['mapping'] : []),
  ];
  return [...new Set(details)];
}

/** A worker with nothing to ask of the directory: classified, with why. */
function nothingToAsk(s: WorkerSituation, diff: StateDiff, unmanagedNow: boolean) {
  const never = !s.previous && !unmanagedNow;
  const why =
    phaseAt(s.worker, s.instants, s.nowMs) === 'rescinded'
      ? 'rescinded before an account was created'
      : 'left before an account was created';
  return {
    workerKey: s.key,
    classification: never ? 'no-op' : unmanagedNow ? 'out-of-scope' : classificationOf(s),
    details: never ? [why] : detailsOf(s, diff, unmanagedNow),
    outcome: 'unchanged',
    plan: null,
    diff,
    issues: [],
  } as const;
}

function nextStateBase(s: WorkerSituation, final: DesiredState, formerMatch: readonly MatchKey[]) {
  return {
    workerKey: s.key,
    record: s.worker,
    desired: final,
    identifiers: s.previous && s.existsNow ? s.previous.identifiers : {},
    configFingerprint: s.config.fingerprint,
    formerMatch,
    adoptedBy: null,
  };
}

/** The stored state's existence, sequence and plan in force once `plan` is accepted. */
function plannedState(
  s: WorkerSituation,
  plan: Plan,
  drafts: readonly DraftStep[],
  final: DesiredState,
  takenOverAt: string | null,
): Pick<LastKnownState, 'existence' | 'sequence' | 'plan'> {
  const { previous } = s;
  const createStep = plan.steps.find((_, i) => drafts[i]!.purpose === 'create');
  const deleteStep = plan.steps.find((step) => step.command.kind === 'DeleteAccount');
  const keptDeletedAt = final.account || createStep ? null : (previous?.existence.deletedAt ?? null);
  return {
    existence: {
      createdAt: s.existsNow ? previous!.existence.createdAt : (createStep?.dueAt ?? null),
      deletedAt: deleteStep ? deleteStep.dueAt : keptDeletedAt,
      takenOverAt,
    },
    sequence: (previous?.sequence ?? 0) + plan.steps.length,
    plan: plan.steps.length
      ? {
          planId: plan.planId,
          createdAt: plan.createdAt,
          steps: plan.steps.map((step) => ({
            index: step.index,
            commandId: step.command.commandId,
            kind: step.command.kind,
            dueAt: step.dueAt,
            sequence: step.command.sequence,
            fingerprint: step.fingerprint,
          })),
        }
      : null,
  };
}
