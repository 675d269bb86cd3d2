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
 *
 * A cycle runs in phases so that its bulk can run anywhere: `prepareCycle` validates the snapshot and
 * sets apart the records whose plan depends on no other (`independent`), `planEntries` plans any share of
 * those, `planDependent` plans the rest (account takeovers), `judgeCycle` applies the cycle-level rules
 * to the results' digests, and `amendResult` gives each result its verdict. `planCycle` runs them in turn.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import type { WorkerIssue } from '../worker/validate-worker';
import { workerManagerWarnings, type ManagerIndex } from './manager-warnings';
import { isDestructive } from './plan-commands';
import { accountExistsAt, planValidatedWorker, type PlanOptions } from './plan-worker';
import { PlanningMemo } from './planning-memo';
import { resolveAdoptions, type Adoptions } from './resolve-adoptions';
import { validateSnapshot, type ForeignFacts, type SnapshotEntry, type ValidatedSnapshot } from './validate-snapshot';
import {
  CLASSIFICATIONS,
  type Classification,
  type LastKnownState,
  type PlanOutcome,
  type WorkerPlanResult,
} from './types';
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
  const prepared = prepareCycle(input);
  const { config, now, states } = input;
  const planned = planEntries(prepared.independent, config, now, prepared.options);
  prepared.independent.forEach((entry, i) => (prepared.snapshot.results[entry.index] = planned[i]));
  const takenOver = planDependent(prepared);
  const all = [...(prepared.snapshot.results as WorkerPlanResult[]), ...takenOver];
  const digests = all.map((r) => digestOf(r, states, now.getTime(), prepared.memo));
  const verdict = judgeCycle(prepared, digests);
  return {
    now: now.toISOString(),
    results: all.map((r, index) => amendResult(r, verdict.amendments, index)),
    quarantined: verdict.quarantined,
    hold: verdict.hold,
    missing: verdict.missing,
    summary: verdict.summary,
  };
}

/** A cycle validated, with its takeovers resolved, before any worker is planned. */
export interface PreparedCycle {
  readonly input: CycleInput;
  readonly options: CycleOptions;
  readonly memo: PlanningMemo;
  /** Its `results` hold the quarantined records; planning fills in the others. */
  readonly snapshot: ValidatedSnapshot;
  readonly adoptions: Adoptions;
  /**
   * Valid records whose plan depends on no other record (no account takeover either way), in snapshot
   * order: `planEntries` plans any share of them, with nothing but the configuration and the clock.
   */
  readonly independent: readonly SnapshotEntry[];
  /** The other valid records: a newcomer taking a former account, or a former key whose account is taken. */
  readonly dependent: readonly SnapshotEntry[];
}

/**
 * Validates the snapshot, quarantines what cannot be planned and resolves account takeovers. Records
 * whose facts are `foreign` were validated elsewhere (a planning thread, which plans them too): they are
 * neither in `independent` nor in `dependent`.
 */
export function prepareCycle(input: CycleInput, foreign: readonly ForeignFacts[] = []): PreparedCycle {
  const { states, config, now } = input;
  const memo = new PlanningMemo(config.fingerprint);
  const options: CycleOptions = { ...input.options, memo };
  const snapshot = validateSnapshot(input.records, states, config, memo, now.getTime(), foreign);
  const newcomers = snapshot.valid.filter((v) => v.stored === undefined && snapshot.byKey.get(v.workerKey) === v);
  const adoptions = resolveAdoptions(newcomers, snapshot.byKey, states, config, now, options);
  const adoptedKeys = new Set([...adoptions.found.values()].map((old) => old.workerKey));
  const independent: SnapshotEntry[] = [];
  const dependent: SnapshotEntry[] = [];
  for (const entry of snapshot.valid) {
    const conflict = adoptions.conflicts.get(entry.workerKey);
    if (conflict) snapshot.quarantine(entry.index, entry.workerKey, [conflict]);
    else if (adoptedKeys.has(entry.workerKey) || adoptions.found.has(entry.workerKey)) dependent.push(entry);
    else independent.push(entry);
  }
  return { input, options, memo, snapshot, adoptions, independent, dependent };
}

/** Plans records that depend on no other (a share of `PreparedCycle.independent`), in their order. */
export function planEntries(
  entries: readonly SnapshotEntry[],
  config: CompiledMappingConfig,
  now: Date,
  options: PlanOptions,
): WorkerPlanResult[] {
  return entries.map((entry) => planEntry(entry, config, now, options));
}

/** Plans one record that depends on no other. */
export function planEntry(
  entry: SnapshotEntry,
  config: CompiledMappingConfig,
  now: Date,
  options: PlanOptions,
): WorkerPlanResult {
  return planValidatedWorker(entry.stored, entry.validated, config, now, options);
}

/**
 * Plans the records involved in an account takeover into the snapshot's results: a newcomer taking a
 * former account first, then the former key, marked as taken over when the new key's plan stands.
 * Returns the marks for former keys that are not in the snapshot.
 */
export function planDependent(prepared: PreparedCycle): WorkerPlanResult[] {
  const { snapshot, adoptions, options } = prepared;
  const { states, config, now } = prepared.input;
  const results = snapshot.results;
  const adoptedKeys = new Set([...adoptions.found.values()].map((old) => old.workerKey));
  const deferred: SnapshotEntry[] = [];
  for (const entry of prepared.dependent) {
    if (adoptedKeys.has(entry.workerKey)) deferred.push(entry);
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
  return takenOver;
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

/** What the cycle-level rules read of one worker's result: small enough to pass between threads. */
export interface ResultDigest {
  readonly workerKey: string;
  readonly classification: Classification;
  readonly outcome: PlanOutcome;
  /** Why the record is quarantined (empty otherwise). */
  readonly issues: readonly WorkerIssue[];
  readonly planId: string | null;
  /** The plan disables or deletes an account that exists, which the plan in force did not already ask for. */
  readonly destructive: boolean;
}

export function digestOf(
  r: WorkerPlanResult,
  states: ReadonlyMap<string, LastKnownState>,
  nowMs: number,
  memo: PlanningMemo,
): ResultDigest {
  return {
    workerKey: r.workerKey,
    classification: r.classification,
    outcome: r.outcome,
    issues: r.outcome === 'quarantined' ? r.issues : [],
    planId: r.plan?.planId ?? null,
    destructive: newlyDestructive(r, states, nowMs, memo),
  };
}

/** What the cycle-level rules add to the workers' own results. */
export interface CycleAmendments {
  /** Manager warnings, by result position. */
  readonly warnings: ReadonlyMap<number, readonly WorkerIssue[]>;
  /** Held plans and why, when the cycle is over its threshold. */
  readonly held: { readonly reason: string; readonly planIds: ReadonlySet<string> } | null;
}

export interface CycleVerdict {
  readonly amendments: CycleAmendments;
  readonly quarantined: readonly QuarantinedRecord[];
  readonly hold: CycleHold;
  readonly missing: readonly string[];
  readonly summary: Readonly<Record<Classification, number>>;
}

/**
 * The cycle-level rules over every result's digest (snapshot records in order, then the takeover marks):
 * manager warnings, the destructive threshold, and the cycle's summary.
 */
export function judgeCycle(prepared: PreparedCycle, digests: readonly ResultDigest[]): CycleVerdict {
  const { states, config, now } = prepared.input;
  const warnings = managerWarnings(prepared, digests);
  const hold = applyThresholds(digests, states, config, now.getTime(), prepared.memo, prepared.options.approvedPlanIds);
  const held = hold.held ? { reason: hold.reason!, planIds: new Set(hold.heldPlanIds) } : null;
  const amendments: CycleAmendments = { warnings, held };
  const quarantined: QuarantinedRecord[] = [];
  const summary = Object.fromEntries(CLASSIFICATIONS.map((c) => [c, 0])) as Record<Classification, number>;
  const records = prepared.snapshot.results.length;
  digests.forEach((d, index) => {
    summary[d.classification]++;
    if (index < records && d.outcome === 'quarantined')
      quarantined.push({ workerKey: d.workerKey, index, issues: d.issues });
  });
  const found = prepared.snapshot.known + digests.length - records;
  return { amendments, quarantined, hold, missing: missingWorkers(digests, found, states), summary };
}

/** A result with the cycle's verdict on it: its manager warnings, and held when its plan is. */
export function amendResult(r: WorkerPlanResult, amendments: CycleAmendments, index: number): WorkerPlanResult {
  const warnings = amendments.warnings.get(index);
  const warned = warnings ? { ...r, warnings: [...(r.warnings ?? []), ...warnings] } : r;
  const held = amendments.held;
  return held && warned.plan && held.planIds.has(warned.plan.planId) ? heldResult(warned, held.reason) : warned;
}

/** The manager warnings of every planned worker (the manager's own record decides them). */
function managerWarnings(prepared: PreparedCycle, digests: readonly ResultDigest[]): Map<number, WorkerIssue[]> {
  const { snapshot, input } = prepared;
  const warnings = new Map<number, WorkerIssue[]>();
  if (input.config.document.manager !== 'follow') return warnings;
  const index: ManagerIndex = {
    facts: snapshot.facts,
    positionOf: snapshot.positionOf,
    duplicates: snapshot.duplicates,
    outcomeAt: (i) => digests[i]?.outcome,
  };
  for (const position of snapshot.validIndexes) {
    const digest = digests[position]!;
    if (digest.outcome === 'quarantined' || digest.workerKey !== snapshot.facts[position]!.workerKey) continue;
    const found = workerManagerWarnings(position, index);
    if (found.length) warnings.set(position, found);
  }
  return warnings;
}

/** Every stored worker was in the snapshot unless fewer were found than are stored. */
function missingWorkers(
  digests: readonly ResultDigest[],
  found: number,
  states: ReadonlyMap<string, LastKnownState>,
): string[] {
  if (found >= states.size) return [];
  const seen = new Set(digests.map((d) => d.workerKey));
  return [...states.keys()].filter((k) => !seen.has(k) && states.get(k)!.adoptedBy === null).sort();
}

function applyThresholds(
  digests: readonly ResultDigest[],
  states: ReadonlyMap<string, LastKnownState>,
  config: CompiledMappingConfig,
  nowMs: number,
  memo: PlanningMemo,
  approved: ReadonlySet<string> | undefined,
): CycleHold {
  const limits = config.document.thresholds.disableOrDelete;
  const destructive = digests.filter((d) => d.destructive);
  let managed = 0;
  for (const state of states.values()) if (state.adoptedBy === null && accountExistsAt(state, nowMs, memo)) managed++;
  const count = destructive.length;
  const percent = (count / Math.max(managed, 1)) * 100;
  const overCount = limits.maxCount !== null && count > limits.maxCount;
  const overPercent = limits.maxPercent !== null && percent > limits.maxPercent;
  const heldPlanIds =
    overCount || overPercent ? destructive.map((d) => d.planId!).filter((id) => !approved?.has(id)) : [];
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
