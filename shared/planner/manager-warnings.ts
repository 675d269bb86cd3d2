/**
 * Warnings about a worker's manager, from the manager's own record in the same snapshot: not there,
 * claimed by several records, quarantined, or gone. None stops the plan: the manager is still asked for
 * by key, so the agent links them as soon as their account exists.
 */
import type { WorkerIssue } from '../worker/validate-worker';
import type { PlanOutcome } from './types';
import type { RecordFacts } from './validate-snapshot';

export interface ManagerIndex {
  /** Every record's facts, by position. */
  readonly facts: readonly RecordFacts[];
  readonly positionOf: ReadonlyMap<string, number>;
  readonly duplicates: ReadonlyMap<string, readonly number[]>;
  /** What became of the record at a position (its result's outcome). */
  readonly outcomeAt: (index: number) => PlanOutcome | undefined;
}

function warning(workerKey: string, message: string): WorkerIssue[] {
  return [{ workerKey, path: 'managerId', message }];
}

/** The warnings of the valid record at `position`. */
export function workerManagerWarnings(position: number, index: ManagerIndex): WorkerIssue[] {
  const { workerKey, managerKey: key } = index.facts[position]!;
  if (key === null || key === workerKey) return [];
  const managerAt = index.positionOf.get(key);
  if (managerAt === undefined)
    return warning(workerKey, `manager ${key} is not in this snapshot; they are linked once their account exists`);
  const positions = index.duplicates.get(key);
  if (positions) {
    return warning(
      workerKey,
      `manager ${key} is ambiguous: ${positions.length} records in the snapshot claim that key`,
    );
  }
  if (index.outcomeAt(managerAt) === 'quarantined') {
    return warning(workerKey, `manager ${key} is quarantined, so their account may not be current`);
  }
  const gone = index.facts[managerAt]!.gone;
  return gone ? warning(workerKey, `manager ${key} is a former worker (${gone})`) : [];
}
