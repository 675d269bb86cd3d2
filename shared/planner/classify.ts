/**
 * Naming a worker's change. The plan is computed first (the truth); the classification explains it
 * in HR terms for previews, audit and thresholds, from what changed in the record and the state.
 */
import type { EmployeeType, Worker } from '../worker/worker-schema';
import { deepEqual } from '../util/deep-equal';
import type { RecordPhase } from './timeline';
import type { Classification, LastKnownState, StateDiff } from './types';

/** Top-level record fields that differ (and `future` when the effective-dated entries do). */
export function changedFields(before: Worker, after: Worker): string[] {
  const fields: string[] = [];
  for (const key of Object.keys(after) as (keyof Worker)[]) if (!deepEqual(before[key], after[key])) fields.push(key);
  return fields;
}

function employeeTypes(worker: Worker): (EmployeeType | string)[] {
  return [
    worker.employeeType,
    ...worker.future.flatMap((f) => (f.changes.employeeType ? [f.effectiveDate, f.changes.employeeType] : [])),
  ];
}

function names(worker: Worker): unknown[] {
  const future = worker.future.filter(
    (f) => f.changes.legalName !== undefined || f.changes.preferredName !== undefined,
  );
  return [
    worker.legalName,
    worker.preferredName,
    ...future.map((f) => [f.effectiveDate, f.changes.legalName, f.changes.preferredName]),
  ];
}

/** What the diff shows changing, in words a preview can list. */
export function diffDetails(diff: StateDiff): string[] {
  const details: string[] = [];
  if (diff.phase) details.push('lifecycle');
  // A created or removed account changes everything about it: naming each part says nothing more.
  if (diff.account) return [...details, diff.account.after ? 'account-created' : 'account-removed'];
  if (diff.parentOu) details.push('parentOu');
  if (diff.enabled) details.push('enabled');
  if (diff.manager) details.push('manager');
  if (diff.groups) details.push('groups');
  if (diff.match) details.push('match');
  for (const a of diff.attributes) if (!details.includes(a.attribute)) details.push(a.attribute);
  return details;
}

export interface ClassifyInput {
  readonly previous: LastKnownState | undefined;
  readonly adopting: boolean;
  readonly worker: Worker;
  /** The new record's phase now, and the previous record's (null without one). */
  readonly phaseNow: RecordPhase;
  readonly previousPhaseNow: RecordPhase | null;
  /** Whether the account was planned to exist before this plan. */
  readonly existedBefore: boolean;
}

const GONE: ReadonlySet<RecordPhase> = new Set(['terminated', 'deleted']);

export function classify(input: ClassifyInput): Classification {
  const { previous, worker, phaseNow, previousPhaseNow } = input;
  if (input.adopting && previous) {
    return deepEqual(employeeTypes(previous.record).slice(0, 1), [worker.employeeType]) ? 'rehire' : 'conversion';
  }
  if (phaseNow === 'rescinded') return 'rescinded-hire';
  if (!previous || (!input.existedBefore && previous.desired.account === null && previous.plan === null)) {
    if (GONE.has(phaseNow)) return 'leaver';
    return phaseNow === 'pre-hire' ? 'pre-hire' : 'joiner';
  }
  const before = previous.record;
  const wasGone = previousPhaseNow !== null && (GONE.has(previousPhaseNow) || previousPhaseNow === 'rescinded');
  if (wasGone && !GONE.has(phaseNow)) return 'rehire';
  if (before.terminationDate !== worker.terminationDate && worker.terminationDate !== null) return 'leaver';
  if (GONE.has(phaseNow) && previousPhaseNow !== null && !GONE.has(previousPhaseNow)) return 'leaver';
  if (!deepEqual(employeeTypes(before), employeeTypes(worker))) return 'conversion';
  if (!deepEqual(names(before), names(worker))) return 'name-change';
  if (phaseNow === 'pre-hire') return 'pre-hire';
  return 'mover';
}
