/**
 * The first step of a cycle: every record of the snapshot validated once, and every record that cannot
 * be planned set aside with its reasons. A worker key that several records claim is ambiguous: each of
 * those records is quarantined, valid or not, because an account for an ambiguous identity could go to
 * the wrong person.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import { ROOT_PATH } from '../util/result';
import {
  claimedWorkerKey,
  isStoredRecord,
  UNKNOWN_WORKER,
  validateWorker,
  type ValidatedWorker,
  type WorkerIssue,
  type WorkerValidation,
} from '../worker/validate-worker';
import { resolveTimeZone } from '../worker/worker-time-zone';
import type { PlanningMemo } from './planning-memo';
import type { LastKnownState, WorkerPlanResult } from './types';
import { quarantinedResult } from './worker-results';

/** A valid record whose key no other record claims. */
export interface SnapshotEntry {
  /** Position in the snapshot (from 0). */
  readonly index: number;
  readonly workerKey: string;
  readonly validated: ValidatedWorker;
  /** The worker's own stored state, when there is one. */
  readonly stored: LastKnownState | undefined;
}

export interface ValidatedSnapshot {
  /** By position: the quarantined records' results so far; the others are filled in by planning. */
  readonly results: (WorkerPlanResult | undefined)[];
  readonly valid: readonly SnapshotEntry[];
  readonly byKey: ReadonlyMap<string, SnapshotEntry>;
  /** The position of the record claiming each worker key, valid or not (the first, for a duplicated key). */
  readonly positionOf: ReadonlyMap<string, number>;
  /** Every position of each worker key that several records claim. */
  readonly duplicates: ReadonlyMap<string, readonly number[]>;
  /** Worker keys in the snapshot that hr2ad has stored state for. */
  readonly known: number;
  quarantine(index: number, workerKey: string, issues: readonly WorkerIssue[]): void;
}

export function validateSnapshot(
  records: readonly unknown[],
  states: ReadonlyMap<string, LastKnownState>,
  config: CompiledMappingConfig,
  memo: PlanningMemo,
): ValidatedSnapshot {
  const results = new Array<WorkerPlanResult | undefined>(records.length);
  const validations = records.map((record) => validateRecord(record, states, config, memo));
  const positionOf = new Map<string, number>();
  const duplicates = new Map<string, number[]>();
  for (let index = 0; index < validations.length; index++) {
    const key = validations[index]!.workerKey;
    if (key === UNKNOWN_WORKER) continue;
    const first = positionOf.get(key);
    if (first === undefined) positionOf.set(key, index);
    else duplicates.set(key, [...(duplicates.get(key) ?? [first]), index]);
  }
  const quarantine = (index: number, workerKey: string, issues: readonly WorkerIssue[]) => {
    results[index] = quarantinedResult(workerKey, issues);
  };
  const valid: SnapshotEntry[] = [];
  const byKey = new Map<string, SnapshotEntry>();
  validations.forEach((validation, index) => {
    const key = validation.workerKey;
    const positions = duplicates.size ? duplicates.get(key) : undefined;
    if (positions) {
      const own = validation.ok ? [] : validation.issues;
      quarantine(index, key, [duplicateIssue(key, positions, records), ...own]);
    } else if (!validation.ok) quarantine(index, key, validation.issues);
    else {
      const entry: SnapshotEntry = { index, workerKey: key, validated: validation.value, stored: states.get(key) };
      valid.push(entry);
      byKey.set(key, entry);
    }
  });
  let known = 0;
  for (const key of positionOf.keys()) if (states.has(key)) known++;
  return { results, valid, byKey, positionOf, duplicates, known, quarantine };
}

/** A record identical to the stored one was validated when stored: it is reused as it is. */
export function validateRecord(
  record: unknown,
  states: ReadonlyMap<string, LastKnownState>,
  config: CompiledMappingConfig,
  memo: PlanningMemo,
): WorkerValidation {
  const claimed = claimedWorkerKey(record);
  const stored = states.get(claimed);
  if (stored && isStoredRecord(record, stored.record)) {
    const timeZone = resolveTimeZone(stored.record, config.timeZones);
    return { ok: true, workerKey: claimed, value: { workerKey: claimed, worker: stored.record, timeZone } };
  }
  return validateWorker(record, config.timeZones, memo.calendar);
}

function duplicateIssue(workerKey: string, positions: readonly number[], records: readonly unknown[]): WorkerIssue {
  const each = positions.map((p) => `position ${p} (${personOf(records[p])})`).join(', ');
  return {
    workerKey,
    path: ROOT_PATH,
    message: `${positions.length} records in the snapshot claim ${workerKey}: ${each}; HR must send one record per worker`,
  };
}

/** Enough of a raw record's name to tell two records apart, whatever else is wrong with them. */
function personOf(record: unknown): string {
  const raw = record && typeof record === 'object' ? (record as Record<string, unknown>) : {};
  const parts = (name: unknown) => {
    const n = name && typeof name === 'object' ? (name as Record<string, unknown>) : {};
    return [n.first, n.last].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  };
  const preferred = parts(raw.preferredName);
  const legal = parts(raw.legalName);
  const name = (preferred.length === 2 ? preferred : legal).join(' ').slice(0, 80);
  return name || 'no name';
}
