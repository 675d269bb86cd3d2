/**
 * A provisioning cycle: every worker of an HR snapshot planned against what hr2ad last stored, with
 * the cycle-level safety rules:
 *
 * - a record that fails validation (or whose mapping fails) is quarantined with its reasons, and the
 *   others are planned as usual;
 * - when the cycle's new plans would disable or delete more accounts than the configured threshold
 *   (a count, or a percentage of managed accounts), those plans come back held for approval; approving
 *   means passing their (deterministic) plan ids back in `approvedPlanIds`;
 * - out-of-scope workers are not disabled unless the configuration says so (see planWorker);
 * - a worker rehired (or converted) under a new id takes over their former account, found through the
 *   configured previous-id attribute or equal matching-attribute values.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import { readAttribute } from '../mapping/config/read-attribute';
import { matchKeysFor } from './desired-account';
import { localDateAt } from '../time/zoned-time';
import {
  claimedWorkerKey,
  isStoredRecord,
  validateWorker,
  type WorkerIssue,
  type WorkerValidation,
} from '../worker/validate-worker';
import { resolveTimeZone } from '../worker/worker-time-zone';
import { workerAsOf } from '../worker/worker-as-of';
import { workerAttributes } from '../worker/worker-attributes';
import { ROOT_PATH } from '../util/result';
import { isDestructive } from './plan-commands';
import { accountExistsAt, planValidatedWorker, type PlanOptions } from './plan-worker';
import { workerInstants } from './timeline';
import type { Classification, LastKnownState, WorkerPlanResult } from './types';

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
  /** Position of the record in the snapshot. */
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

/** Stored accounts by match key (attribute and value compared case-insensitively, as AD does). */
class MatchIndex {
  private readonly byAttribute = new Map<string, Map<string, LastKnownState>>();

  constructor(states: ReadonlyMap<string, LastKnownState>) {
    const lowered = new Map<string, string>();
    for (const state of states.values()) {
      if (state.adoptedBy !== null || !state.desired.account) continue;
      for (const key of state.desired.account.match) {
        let attribute = lowered.get(key.attribute);
        if (attribute === undefined) {
          attribute = key.attribute.toLowerCase();
          lowered.set(key.attribute, attribute);
        }
        let values = this.byAttribute.get(attribute);
        if (!values) this.byAttribute.set(attribute, (values = new Map()));
        values.set(key.value.toLowerCase(), state);
      }
    }
  }

  find(attribute: string, value: string): LastKnownState | undefined {
    return this.byAttribute.get(attribute.toLowerCase())?.get(value.toLowerCase());
  }
}

interface Valid {
  readonly index: number;
  readonly validation: Extract<WorkerValidation, { ok: true }>;
  /** The worker's own stored state, when there is one. */
  readonly stored: LastKnownState | undefined;
}

/** Plans a whole snapshot. Pure: the caller stores accepted `nextState`s and executes the plans. */
export function planCycle(input: CycleInput): CycleResult {
  const { records, states, config, now } = input;
  const options = input.options ?? {};
  const nowMs = now.getTime();
  const results: (WorkerPlanResult | undefined)[] = new Array<WorkerPlanResult | undefined>(records.length);
  const quarantined: QuarantinedRecord[] = [];
  const extra: WorkerPlanResult[] = [];

  // 1. Validate everything; quarantine bad records and keys that appear twice.
  const valid: Valid[] = [];
  const byKey = new Map<string, Valid>();
  const duplicates = new Map<string, Valid[]>();
  let known = 0;
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    const claimed = claimedWorkerKey(record);
    let stored = states.get(claimed);
    if (stored) known++;
    const validation =
      stored && isStoredRecord(record, stored.record)
        ? storedValidation(claimed, stored, config)
        : validateWorker(record, config.timeZones);
    if (!validation.ok) {
      results[index] = quarantine(validation.workerKey, validation.issues);
      continue;
    }
    if (validation.workerKey !== claimed) stored = states.get(validation.workerKey);
    const entry: Valid = { index, validation, stored };
    valid.push(entry);
    const first = byKey.get(validation.workerKey);
    if (first) duplicates.set(validation.workerKey, [...(duplicates.get(validation.workerKey) ?? [first]), entry]);
    else byKey.set(validation.workerKey, entry);
  }
  for (const [workerKey, list] of duplicates) {
    for (const entry of list) {
      results[entry.index] = quarantine(workerKey, [
        {
          workerKey,
          path: ROOT_PATH,
          message: `the snapshot holds ${list.length} records for ${workerKey} (positions ${list.map((e) => e.index).join(', ')}); HR must send one`,
        },
      ]);
    }
    byKey.delete(workerKey);
  }

  // 2. Former accounts for new worker keys (rehire or conversion with a new id).
  const newcomers =
    valid.length - known === 0
      ? []
      : valid.filter((v) => v.stored === undefined && !duplicates.has(v.validation.workerKey));
  const adoptions = resolveAdoptions(newcomers, byKey, states, config, now, options);

  // 3. Plan every worker; a former key whose account was taken over is not planned on its own.
  const adoptedKeys = new Set<string>();
  for (const [, old] of adoptions.found) adoptedKeys.add(old.workerKey);
  const deferred: Valid[] = [];
  for (const entry of valid) {
    if (results[entry.index]) continue;
    const key = entry.validation.workerKey;
    const conflict = adoptions.conflicts.get(key);
    if (conflict) {
      results[entry.index] = quarantine(key, [conflict]);
      continue;
    }
    if (adoptedKeys.has(key)) {
      deferred.push(entry);
      continue;
    }
    const previous = entry.stored ?? adoptions.found.get(key);
    results[entry.index] = planValidatedWorker(previous, entry.validation, config, now, options);
  }
  // The former key: marked as taken over when the new key's plan stands; planned normally otherwise.
  const takenOver = new Map<string, string>();
  for (const result of results)
    if (result?.reusesAccountOf && result.outcome !== 'quarantined')
      takenOver.set(result.reusesAccountOf, result.workerKey);
  for (const [oldKey, newKey] of takenOver) {
    const old = states.get(oldKey)!;
    const marked: WorkerPlanResult = {
      workerKey: oldKey,
      classification: 'no-op',
      details: [`account reused by ${newKey}`],
      outcome: 'unchanged',
      plan: null,
      nextState: { ...old, adoptedBy: newKey, plan: null },
      diff: { attributes: [] },
      issues: [],
    };
    const own = deferred.find((d) => d.validation.workerKey === oldKey);
    if (own) results[own.index] = marked;
    else extra.push(marked);
  }
  for (const entry of deferred) {
    if (results[entry.index]) continue;
    const key = entry.validation.workerKey;
    results[entry.index] = planValidatedWorker(states.get(key), entry.validation, config, now, options);
  }

  const all = [...(results as WorkerPlanResult[]), ...extra];
  for (const [i, r] of (results as WorkerPlanResult[]).entries()) {
    if (r.outcome === 'quarantined') quarantined.push({ workerKey: r.workerKey, index: i, issues: r.issues });
  }

  // 4. Thresholds.
  const hold = applyThresholds(all, states, config, nowMs, options.approvedPlanIds);
  const heldIds = new Set(hold.heldPlanIds);
  const final = hold.held
    ? all.map((r) => (r.plan && heldIds.has(r.plan.planId) ? heldResult(r, hold.reason!) : r))
    : all;

  // Every stored worker was in the snapshot unless fewer were found than are stored.
  let missing: string[] = [];
  if (known + extra.length < states.size) {
    const seen = new Set(all.map((r) => r.workerKey));
    missing = [...states.keys()].filter((k) => !seen.has(k) && states.get(k)!.adoptedBy === null).sort();
  }
  const summary = Object.fromEntries(
    (
      [
        'joiner',
        'pre-hire',
        'mover',
        'leaver',
        'rehire',
        'conversion',
        'rescinded-hire',
        'name-change',
        'no-op',
        'out-of-scope',
        'invalid',
      ] as const
    ).map((c) => [c, 0]),
  ) as Record<Classification, number>;
  for (const r of final) summary[r.classification]++;
  return { now: now.toISOString(), results: final, quarantined, hold, missing, summary };
}

/** A record identical to the stored one was validated when stored: it is reused as it is. */
function storedValidation(workerKey: string, stored: LastKnownState, config: CompiledMappingConfig): WorkerValidation {
  return { ok: true, workerKey, worker: stored.record, timeZone: resolveTimeZone(stored.record, config.timeZones) };
}

function quarantine(workerKey: string, issues: readonly WorkerIssue[]): WorkerPlanResult {
  return {
    workerKey,
    classification: 'invalid',
    details: [],
    outcome: 'quarantined',
    plan: null,
    nextState: null,
    diff: { attributes: [] },
    issues,
  };
}

function heldResult(result: WorkerPlanResult, reason: string): WorkerPlanResult {
  return { ...result, outcome: 'held', issues: [{ workerKey: result.workerKey, path: '(plan)', message: reason }] };
}

interface Adoptions {
  /** New worker key → the former worker's state whose account it reuses. */
  readonly found: Map<string, LastKnownState>;
  /** New worker keys that point at an account another current worker still uses. */
  readonly conflicts: Map<string, WorkerIssue>;
}

/**
 * Finds former accounts for workers hr2ad has never planned: by the previous-id attribute first, then
 * (if enabled) by equal matching-attribute values. A former account is reused only when its worker has
 * left (or leaves) before the new one starts; otherwise two people would share one account, and the
 * new record is quarantined instead.
 */
function resolveAdoptions(
  newcomers: readonly Valid[],
  byKey: ReadonlyMap<string, Valid>,
  states: ReadonlyMap<string, LastKnownState>,
  config: CompiledMappingConfig,
  now: Date,
  options: PlanOptions,
): Adoptions {
  const found = new Map<string, LastKnownState>();
  const conflicts = new Map<string, WorkerIssue>();
  const rehire = config.document.rehire;
  if (newcomers.length === 0 || (rehire.previousIdAttribute === null && !rehire.matchOnAttributes))
    return { found, conflicts };

  let matchIndex: MatchIndex | undefined;

  const claimedBy = new Map<string, string>();
  for (const { validation } of newcomers) {
    const key = validation.workerKey;
    const worker = validation.worker;
    const zone = validation.timeZone.zone;
    const bag = workerAttributes(workerAsOf(worker, localDateAt(zone, now.getTime())), zone);
    let former: LastKnownState | undefined;
    let how = '';
    if (rehire.previousIdAttribute !== null) {
      const previousId = readAttribute(bag, rehire.previousIdAttribute);
      if (typeof previousId === 'string' && previousId) {
        const state = states.get(`${worker.source}:${previousId}`);
        if (state && state.adoptedBy === null && state.workerKey !== key) {
          former = state;
          how = `${rehire.previousIdAttribute} ${previousId}`;
        }
      }
    }
    if (!former && rehire.matchOnAttributes) {
      const keys = matchKeysFor(bag, {
        config,
        workerKey: key,
        source: worker.source,
        managerId: worker.managerId,
        evaluation: { attributes: bag, now, seed: `${options.seed ?? 'hr2ad'}:${key}` },
        formerMatch: [],
        validated: null,
        reuse: null,
      });
      if (keys) {
        for (const m of keys) {
          matchIndex ??= new MatchIndex(states);
          const state = matchIndex.find(m.attribute, m.value);
          if (state && state.workerKey !== key) {
            former = state;
            how = `${m.attribute}=${m.value}`;
            break;
          }
        }
      }
    }
    if (!former) continue;

    // The former worker must be gone by the new start: per their record in this snapshot if present.
    const formerRecord = byKey.get(former.workerKey)?.validation;
    const formerWorker = formerRecord?.worker ?? former.record;
    const formerZone = formerRecord?.timeZone.zone ?? zone;
    const formerEnd = workerInstants(formerWorker, formerZone, config.document).terminationAt;
    const newStart = workerInstants(worker, zone, config.document).hireStart;
    const gone =
      formerWorker.employmentStatus === 'rescinded' || formerEnd <= newStart || !accountExistsAt(former, now.getTime());
    if (!gone) {
      conflicts.set(key, {
        workerKey: key,
        path:
          rehire.previousIdAttribute !== null && how.startsWith(rehire.previousIdAttribute)
            ? rehire.previousIdAttribute
            : ROOT_PATH,
        message: `${how} points at the account of ${former.workerKey}, who is still employed when ${key} starts; one account cannot serve both`,
      });
      continue;
    }
    const other = claimedBy.get(former.workerKey);
    if (other !== undefined) {
      const message = `${former.workerKey}'s account is claimed by both ${other} and ${key}`;
      conflicts.set(key, { workerKey: key, path: ROOT_PATH, message });
      conflicts.set(other, { workerKey: other, path: ROOT_PATH, message });
      found.delete(other);
      continue;
    }
    claimedBy.set(former.workerKey, key);
    found.set(key, former);
  }
  return { found, conflicts };
}

function applyThresholds(
  results: readonly WorkerPlanResult[],
  states: ReadonlyMap<string, LastKnownState>,
  config: CompiledMappingConfig,
  nowMs: number,
  approved: ReadonlySet<string> | undefined,
): CycleHold {
  const limits = config.document.thresholds.disableOrDelete;
  const destructive: WorkerPlanResult[] = [];
  for (const r of results) {
    if (!r.plan || r.outcome !== 'planned') continue;
    // A disable or delete counts once per account, only for an account that exists already (not one the
    // same plan creates), and only when the plan in force did not already ask for it.
    const previous = r.reusesAccountOf ? states.get(r.reusesAccountOf) : states.get(r.workerKey);
    if (!previous || !accountExistsAt(previous, nowMs)) continue;
    const known = new Set(previous.plan?.steps.map((s) => s.fingerprint) ?? []);
    if (r.plan.steps.some((s) => isDestructive(s.command.kind) && !known.has(s.fingerprint))) destructive.push(r);
  }
  let managed = 0;
  for (const state of states.values()) if (state.adoptedBy === null && accountExistsAt(state, nowMs)) managed++;
  const base = Math.max(managed, 1);
  const count = destructive.length;
  const percent = (count / base) * 100;
  const overCount = limits.maxCount !== null && count > limits.maxCount;
  const overPercent = limits.maxPercent !== null && percent > limits.maxPercent;
  const heldPlanIds =
    overCount || overPercent ? destructive.map((r) => r.plan!.planId).filter((id) => !approved?.has(id)) : [];
  const reason =
    heldPlanIds.length === 0
      ? null
      : `held for approval: this cycle would disable or delete ${count} account${count === 1 ? '' : 's'} (${percent.toFixed(1)}% of ${managed} managed), over the limit of ${[
          limits.maxCount !== null ? `${limits.maxCount}` : null,
          limits.maxPercent !== null ? `${limits.maxPercent}%` : null,
        ]
          .filter(Boolean)
          .join(' or ')}`;
  return { held: heldPlanIds.length > 0, reason, destructive: count, managed, heldPlanIds };
}
