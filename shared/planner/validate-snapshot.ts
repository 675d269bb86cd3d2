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
import { workerAsOf } from '../worker/worker-as-of';
import { resolveTimeZone } from '../worker/worker-time-zone';
import type { PlanningMemo } from './planning-memo';
import { phaseAt, workerInstants } from './timeline';
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

/**
 * What the cycle-level rules need to know of one record, whoever validated it: small enough to pass
 * between threads, so a planning thread validates its range and this thread only reads the facts.
 */
export interface RecordFacts {
  /** The key the record claims (`UNKNOWN_WORKER` when it names none). */
  readonly workerKey: string;
  /** Why the record is invalid; null when it is valid. */
  readonly issues: readonly WorkerIssue[] | null;
  /** A valid record's manager as of now (`source:id`), when it has one. */
  readonly managerKey: string | null;
  /** How a valid record's worker is gone by now (`who left on 2025-01-31`); null while they are not. */
  readonly gone: string | null;
  /** Enough of the record's name to tell it from another record claiming the same key. */
  readonly person: string;
}

/** The facts of the records in [start, start + facts.length), established elsewhere. */
export interface ForeignFacts {
  readonly start: number;
  readonly facts: readonly RecordFacts[];
}

export interface ValidatedSnapshot {
  /** By position: the quarantined records' results so far; the others are filled in by planning. */
  readonly results: (WorkerPlanResult | undefined)[];
  /** Every record's facts, by position. */
  readonly facts: readonly RecordFacts[];
  /** The positions of every valid record whose key no other record claims. */
  readonly validIndexes: readonly number[];
  /** Those of them validated here (not among the foreign facts). */
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

/** The facts of one record and its validation at `nowMs`. */
export function recordFacts(
  record: unknown,
  validation: WorkerValidation,
  config: CompiledMappingConfig,
  nowMs: number,
  memo: PlanningMemo,
): RecordFacts {
  const person = personOf(record);
  if (!validation.ok)
    return { workerKey: validation.workerKey, issues: validation.issues, managerKey: null, gone: null, person };
  const { worker, timeZone } = validation.value;
  const managerId =
    worker.future.length === 0
      ? worker.managerId
      : workerAsOf(worker, memo.calendar.localDateAt(timeZone.zone, nowMs)).managerId;
  return {
    workerKey: validation.workerKey,
    issues: null,
    managerKey: managerId === null ? null : `${worker.source}:${managerId}`,
    gone: goneBy(validation.value, config, nowMs, memo),
    person,
  };
}

/** How the worker is gone by `nowMs` (left, or their hire rescinded), or null. */
function goneBy(validated: ValidatedWorker, config: CompiledMappingConfig, nowMs: number, memo: PlanningMemo) {
  const { worker, timeZone } = validated;
  if (worker.employmentStatus !== 'terminated' && worker.employmentStatus !== 'rescinded') return null;
  const phase = phaseAt(worker, workerInstants(worker, timeZone.zone, config.document, memo.calendar), nowMs);
  if (phase !== 'terminated' && phase !== 'deleted' && phase !== 'rescinded') return null;
  return worker.employmentStatus === 'rescinded' ? 'whose hire was rescinded' : `who left on ${worker.terminationDate}`;
}

/**
 * Validates the snapshot's records, except those whose facts were established elsewhere (`foreign`:
 * possible only without stored states, since stored states decide how a record is validated).
 */
export function validateSnapshot(
  records: readonly unknown[],
  states: ReadonlyMap<string, LastKnownState>,
  config: CompiledMappingConfig,
  memo: PlanningMemo,
  nowMs: number,
  foreign: readonly ForeignFacts[] = [],
): ValidatedSnapshot {
  if (foreign.length && states.size) throw new Error('records validated elsewhere need a cycle without stored states');
  const results = new Array<WorkerPlanResult | undefined>(records.length);
  const facts = new Array<RecordFacts>(records.length);
  const local = new Map<number, ValidatedWorker>();
  for (const { start, facts: given } of foreign) given.forEach((f, i) => (facts[start + i] = f));
  for (let index = 0; index < records.length; index++) {
    if (facts[index]) continue;
    const validation = validateRecord(records[index], states, config, memo);
    facts[index] = recordFacts(records[index], validation, config, nowMs, memo);
    if (validation.ok) local.set(index, validation.value);
  }
  const { positionOf, duplicates } = claims(facts);
  const quarantine = (index: number, workerKey: string, issues: readonly WorkerIssue[]) => {
    results[index] = quarantinedResult(workerKey, issues);
  };
  const validIndexes: number[] = [];
  const valid: SnapshotEntry[] = [];
  const byKey = new Map<string, SnapshotEntry>();
  facts.forEach((f, index) => {
    const key = f.workerKey;
    const positions = duplicates.size ? duplicates.get(key) : undefined;
    if (positions) quarantine(index, key, [duplicateIssue(key, positions, facts), ...(f.issues ?? [])]);
    else if (f.issues) quarantine(index, key, f.issues);
    else {
      validIndexes.push(index);
      const validated = local.get(index);
      if (!validated) return;
      const entry: SnapshotEntry = { index, workerKey: key, validated, stored: states.get(key) };
      valid.push(entry);
      byKey.set(key, entry);
    }
  });
  let known = 0;
  for (const key of positionOf.keys()) if (states.has(key)) known++;
  return { results, facts, validIndexes, valid, byKey, positionOf, duplicates, known, quarantine };
}

/** Where each worker key is claimed: the first position, and every position of a key claimed more than once. */
function claims(facts: readonly RecordFacts[]) {
  const positionOf = new Map<string, number>();
  const duplicates = new Map<string, number[]>();
  for (let index = 0; index < facts.length; index++) {
    const key = facts[index]!.workerKey;
    if (key === UNKNOWN_WORKER) continue;
    const first = positionOf.get(key);
    if (first === undefined) positionOf.set(key, index);
    else duplicates.set(key, [...(duplicates.get(key) ?? [first]), index]);
  }
  return { positionOf, duplicates };
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

function duplicateIssue(workerKey: string, positions: readonly number[], facts: readonly RecordFacts[]): WorkerIssue {
  const each = positions.map((p) => `position ${p} (${facts[p]!.person})`).join(', ');
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
