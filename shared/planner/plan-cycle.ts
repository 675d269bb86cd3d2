/**
 * A provisioning cycle: every worker of an HR snapshot planned against what hr2ad last stored, with
 * the cycle-level safety rules:
 *
 * - a record that fails validation (or whose mapping fails) is quarantined with its reasons, and the
 *   others are planned as usual; a worker key that several records claim quarantines every one of them;
 * - when the cycle's new plans would disable or delete more accounts than the configured threshold
 *   (a count, or a percentage of managed accounts), those plans come back held for approval; approving
 *   means passing their (deterministic) plan ids back in `approvedPlanIds`;
 * - out-of-scope workers are not disabled unless the configuration says so (see planWorker);
 * - a worker rehired (or converted) under a new id takes over their former account, found through the
 *   configured previous-id attribute or equal matching-attribute values;
 * - a manager who is not in the snapshot, is ambiguous, quarantined or gone is a warning on the worker.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import type { WorkerIssue } from '../worker/validate-worker';
import { workerManagerWarnings, type ManagerIndex } from './manager-warnings';
import { isDestructive } from './plan-commands';
import { accountExistsAt, planValidatedWorker, type PlanOptions } from './plan-worker';
import { PlanningMemo } from './planning-memo';
import { resolveAdoptions } from './resolve-adoptions';
import { validateSnapshot, type SnapshotEntry, type ValidatedSnapshot } from './validate-snapshot';
import { CLASSIFICATIONS, type Classification, type LastKnownState, type WorkerPlanResult } from './types';
import { heldResult } from './worker-results';

export interface CycleOptions extends PlanOptions {
  /** Plan ids an administrator approved after a hold; they are not held again. */
  readonly approvedPlanIds?: ReadonlySet<string>;
}

export interface CycleInput {
  /** The HR snapshot: raw records, validated here. */
  readonly records: readonly unknown[];
  /** What hr2ad stored after the previous cycle, by worker key. */
  readonly states: ReadonlyMap<string, LastKnownState>;
  readonly config: CompiledMappingConfig;
  readonly now: Date;
  readonly options?: CycleOptions;
}

export interface QuarantinedRecord {
  readonly workerKey: string;
  /** Position of the record in the snapshot (from 0). */
  readonly index: number;
  readonly issues: readonly WorkerIssue[];
}

export interface CycleHold {
  readonly held: boolean;
  /** Why the destructive plans are held, when they are. */
  readonly reason: string | null;
  /** Accounts this cycle's new plans would disable or delete. */
  readonly destructive: number;
  /** Accounts hr2ad manages (the base of the percentage). */
  readonly managed: number;
  readonly heldPlanIds: readonly string[];
}

export interface CycleResult {
  readonly now: string;
  /** One result per valid or invalid record (in snapshot order), plus one per former worker key whose account was taken over. */
  readonly results: readonly WorkerPlanResult[];
  readonly quarantined: readonly QuarantinedRecord[];
  readonly hold: CycleHold;
  /** Workers hr2ad knows but the snapshot no longer has: left alone (HR is the source of truth, not its absence). */
  readonly missing: readonly string[];
  readonly summary: Readonly<Record<Classification, number>>;
}

/** Plans a whole snapshot. Pure: the caller stores accepted `nextState`s and executes the plans. */
export function planCycle(input: CycleInput): CycleResult {
  const { states, config, now } = input;
  const memo = new PlanningMemo(config.fingerprint);
  const options: CycleOptions = { ...input.options, memo };
  const snapshot = validateSnapshot(input.records, states, config, memo);
  const planned = planWorkers(snapshot, input, options);
  const results = withManagerWarnings(planned.inSnapshot, snapshot, input, memo);
  const all = [...results, ...planned.takenOver];
  const hold = applyThresholds(all, states, config, now.getTime(), memo, options.approvedPlanIds);
  const heldIds = new Set(hold.heldPlanIds);
  const final = hold.held
    ? all.map((r) => (r.plan && heldIds.has(r.plan.planId) ? heldResult(r, hold.reason!) : r))
    : all;
  return {
    now: now.toISOString(),
    results: final,
    quarantined: quarantinedRecords(results),
    hold,
    missing: missingWorkers(all, snapshot.known + planned.takenOver.length, states),
    summary: summaryOf(final),
  };
}

interface PlannedWorkers {
  /** One result per snapshot record, in order. */
  readonly inSnapshot: WorkerPlanResult[];
  /** Former worker keys not in the snapshot whose account a new key took over. */
  readonly takenOver: WorkerPlanResult[];
}

/** Plans every valid record; a former key whose account was taken over is marked instead of planned. */
function planWorkers(snapshot: ValidatedSnapshot, input: CycleInput, options: CycleOptions): PlannedWorkers {
  const { states, config, now } = input;
  const results = snapshot.results;
  const newcomers = snapshot.valid.filter((v) => v.stored === undefined && snapshot.byKey.get(v.workerKey) === v);
  const adoptions = resolveAdoptions(newcomers, snapshot.byKey, states, config, now, options);
  const adoptedKeys = new Set([...adoptions.found.values()].map((old) => old.workerKey));
  const deferred: SnapshotEntry[] = [];
  for (const entry of snapshot.valid) {
    if (results[entry.index]) continue;
    const conflict = adoptions.conflicts.get(entry.workerKey);
    if (conflict) snapshot.quarantine(entry.index, entry.workerKey, [conflict]);
    else if (adoptedKeys.has(entry.workerKey)) deferred.push(entry);
    else {
      const previous = entry.stored ?? adoptions.found.get(entry.workerKey);
      results[entry.index] = planValidatedWorker(previous, entry.validated, config, now, options);
    }
  }
  const takenOver = markTakenOver(results, deferred, states);
  for (const entry of deferred) {
    if (results[entry.index]) continue;
    results[entry.index] = planValidatedWorker(states.get(entry.workerKey), entry.validated, config, now, options);
  }
  return { inSnapshot: results as WorkerPlanResult[], takenOver };
}

/**
 * The former key of a reused account: marked as taken over when the new key's plan stands (in place,
 * when the former key is in the snapshot too); planned normally otherwise. Returns the marks for former
 * keys that are not in the snapshot.
 */
function markTakenOver(
  results: (WorkerPlanResult | undefined)[],
  deferred: readonly SnapshotEntry[],
  states: ReadonlyMap<string, LastKnownState>,
): WorkerPlanResult[] {
  const extra: WorkerPlanResult[] = [];
  for (const result of [...results]) {
    if (!result?.reusesAccountOf || result.outcome === 'quarantined') continue;
    const oldKey = result.reusesAccountOf;
    const old = states.get(oldKey)!;
    const marked: WorkerPlanResult = {
      workerKey: oldKey,
      classification: 'no-op',
      details: [`account reused by ${result.workerKey}`],
      outcome: 'unchanged',
      plan: null,
      nextState: { ...old, adoptedBy: result.workerKey, plan: null },
      diff: { attributes: [] },
      issues: [],
    };
    const own = deferred.find((d) => d.workerKey === oldKey);
    if (own) results[own.index] = marked;
    else extra.push(marked);
  }
  return extra;
}

/** Adds the manager warnings of every planned worker (the manager's own record decides them). */
function withManagerWarnings(
  results: WorkerPlanResult[],
  snapshot: ValidatedSnapshot,
  input: CycleInput,
  memo: PlanningMemo,
): WorkerPlanResult[] {
  if (input.config.document.manager !== 'follow') return results;
  const index: ManagerIndex = {
    valid: snapshot.byKey,
    positionOf: snapshot.positionOf,
    duplicates: snapshot.duplicates,
    resultAt: (i) => results[i],
    config: input.config,
    nowMs: input.now.getTime(),
    memo,
  };
  for (const entry of snapshot.valid) {
    const result = results[entry.index]!;
    if (result.outcome === 'quarantined' || result.workerKey !== entry.workerKey) continue;
    const warnings = workerManagerWarnings(entry, index);
    if (warnings.length) results[entry.index] = { ...result, warnings: [...(result.warnings ?? []), ...warnings] };
  }
  return results;
}

function quarantinedRecords(results: readonly WorkerPlanResult[]): QuarantinedRecord[] {
  const quarantined: QuarantinedRecord[] = [];
  results.forEach((r, index) => {
    if (r.outcome === 'quarantined') quarantined.push({ workerKey: r.workerKey, index, issues: r.issues });
  });
  return quarantined;
}

/** Every stored worker was in the snapshot unless fewer were found than are stored. */
function missingWorkers(
  all: readonly WorkerPlanResult[],
  found: number,
  states: ReadonlyMap<string, LastKnownState>,
): string[] {
  if (found >= states.size) return [];
  const seen = new Set(all.map((r) => r.workerKey));
  return [...states.keys()].filter((k) => !seen.has(k) && states.get(k)!.adoptedBy === null).sort();
}

function summaryOf(results: readonly WorkerPlanResult[]): Record<Classification, number> {
  const summary = Object.fromEntries(CLASSIFICATIONS.map((c) => [c, 0])) as Record<Classification, number>;
  for (const r of results) summary[r.classification]++;
  return summary;
}

function applyThresholds(
  results: readonly WorkerPlanResult[],
  states: ReadonlyMap<string, LastKnownState>,
  config: CompiledMappingConfig,
  nowMs: number,
  memo: PlanningMemo,
  approved: ReadonlySet<string> | undefined,
): CycleHold {
  const limits = config.document.thresholds.disableOrDelete;
  const destructive = results.filter((r) => newlyDestructive(r, states, nowMs, memo));
  let managed = 0;
  for (const state of states.values()) if (state.adoptedBy === null && accountExistsAt(state, nowMs, memo)) managed++;
  const count = destructive.length;
  const percent = (count / Math.max(managed, 1)) * 100;
  const overCount = limits.maxCount !== null && count > limits.maxCount;
  const overPercent = limits.maxPercent !== null && percent > limits.maxPercent;
  const heldPlanIds =
    overCount || overPercent ? destructive.map((r) => r.plan!.planId).filter((id) => !approved?.has(id)) : [];
  if (heldPlanIds.length === 0) return { held: false, reason: null, destructive: count, managed, heldPlanIds };
  const limit = [
    limits.maxCount !== null ? `${limits.maxCount}` : null,
    limits.maxPercent !== null ? `${limits.maxPercent}%` : null,
  ]
    .filter(Boolean)
    .join(' or ');
  const reason = `held for approval: this cycle would disable or delete ${count} account${count === 1 ? '' : 's'} (${percent.toFixed(1)}% of ${managed} managed), over the limit of ${limit}`;
  return { held: true, reason, destructive: count, managed, heldPlanIds };
}

/**
 * A disable or delete counts once per account, only for an account that exists already (not one the
 * same plan creates), and only when the plan in force did not already ask for it.
 */
function newlyDestructive(
  r: WorkerPlanResult,
  states: ReadonlyMap<string, LastKnownState>,
  nowMs: number,
  memo: PlanningMemo,
): boolean {
  if (!r.plan || r.outcome !== 'planned') return false;
  const previous = r.reusesAccountOf ? states.get(r.reusesAccountOf) : states.get(r.workerKey);
  if (!previous || !accountExistsAt(previous, nowMs, memo)) return false;
  const known = new Set(previous.plan?.steps.map((s) => s.fingerprint) ?? []);
  return r.plan.steps.some((s) => isDestructive(s.command.kind) && !known.has(s.fingerprint));
}
