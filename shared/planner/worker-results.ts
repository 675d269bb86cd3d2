/** The planner's one builder for each kind of per-worker result that carries no plan. */
import type { WorkerIssue } from '../worker/validate-worker';
import type { Classification, LastKnownState, StateDiff, WorkerPlanResult } from './types';

export const EMPTY_DIFF: StateDiff = Object.freeze({ attributes: Object.freeze([]) as readonly never[] });

/** A worker who cannot be planned: nothing is stored or sent, and the reasons are shown. */
export function quarantinedResult(workerKey: string, issues: readonly WorkerIssue[]): WorkerPlanResult {
  return {
    workerKey,
    classification: 'invalid',
    details: [],
    outcome: 'quarantined',
    plan: null,
    nextState: null,
    diff: EMPTY_DIFF,
    issues,
  };
}

/** A worker whose directory state does not change. */
export function unchangedResult(
  workerKey: string,
  nextState: LastKnownState | null,
  details: readonly string[] = [],
  classification: Classification = 'no-op',
): WorkerPlanResult {
  return {
    workerKey,
    classification,
    details,
    outcome: 'unchanged',
    plan: null,
    nextState,
    diff: EMPTY_DIFF,
    issues: [],
  };
}

/** A plan held for approval (a destructive cycle over its threshold). */
export function heldResult(result: WorkerPlanResult, reason: string): WorkerPlanResult {
  return { ...result, outcome: 'held', issues: [{ workerKey: result.workerKey, path: '(plan)', message: reason }] };
}
