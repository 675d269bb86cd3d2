/**
 * Warnings about a worker's manager, from the manager's own record in the same snapshot: not there,
 * claimed by several records, quarantined, or gone. None stops the plan: the manager is still asked for
 * by key, so the agent links them as soon as their account exists.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import type { WorkerIssue } from '../worker/validate-worker';
import { workerAsOf } from '../worker/worker-as-of';
import { phaseAt, workerInstants } from './timeline';
import type { PlanningMemo } from './planning-memo';
import type { PlanOutcome } from './types';
import type { SnapshotEntry } from './validate-snapshot';

export interface ManagerIndex {
  readonly valid: ReadonlyMap<string, SnapshotEntry>;
  readonly positionOf: ReadonlyMap<string, number>;
  readonly duplicates: ReadonlyMap<string, readonly number[]>;
  /** What became of the record at a position (its result's outcome). */
  readonly outcomeAt: (index: number) => PlanOutcome | undefined;
  readonly config: CompiledMappingConfig;
  readonly nowMs: number;
  readonly memo: PlanningMemo;
}

/** The worker's manager id as of now (effective-dated changes included). */
function currentManagerId(entry: SnapshotEntry, nowMs: number, index: ManagerIndex): string | null {
  const { worker, timeZone } = entry.validated;
  if (worker.future.length === 0) return worker.managerId;
  return workerAsOf(worker, index.memo.calendar.localDateAt(timeZone.zone, nowMs)).managerId;
}

/** Whether the manager has left (or their hire was rescinded) by now. */
function goneAt(manager: SnapshotEntry, index: ManagerIndex): boolean {
  const { config, nowMs } = index;
  const { worker, timeZone } = manager.validated;
  if (worker.employmentStatus !== 'terminated' && worker.employmentStatus !== 'rescinded') return false;
  const phase = phaseAt(worker, workerInstants(worker, timeZone.zone, config.document, index.memo.calendar), nowMs);
  return phase === 'terminated' || phase === 'deleted' || phase === 'rescinded';
}

function warning(entry: SnapshotEntry, message: string): WorkerIssue[] {
  return [{ workerKey: entry.workerKey, path: 'managerId', message }];
}

export function workerManagerWarnings(entry: SnapshotEntry, index: ManagerIndex): WorkerIssue[] {
  const managerId = currentManagerId(entry, index.nowMs, index);
  if (managerId === null) return [];
  const key = `${entry.validated.worker.source}:${managerId}`;
  if (key === entry.workerKey) return [];
  const position = index.positionOf.get(key);
  if (position === undefined)
    return warning(entry, `manager ${key} is not in this snapshot; they are linked once their account exists`);
  const positions = index.duplicates.get(key);
  if (positions) {
    return warning(entry, `manager ${key} is ambiguous: ${positions.length} records in the snapshot claim that key`);
  }
  if (index.outcomeAt(position) === 'quarantined') {
    return warning(entry, `manager ${key} is quarantined, so their account may not be current`);
  }
  const manager = index.valid.get(key);
  if (manager && goneAt(manager, index)) {
    const worker = manager.validated.worker;
    const when =
      worker.employmentStatus === 'rescinded' ? 'whose hire was rescinded' : `who left on ${worker.terminationDate}`;
    return warning(entry, `manager ${key} is a former worker (${when})`);
  }
  return [];
}
