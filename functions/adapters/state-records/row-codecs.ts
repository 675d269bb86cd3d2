/**
 * How the state stores turn documents into row text and back. Worker states (alone, or inside a
 * cycle's worker outcome) go through the state codec both ways: one `hr2ad-state` document per row, so
 * each row carries its own version, a state the codec refuses is never written, and a row that no longer
 * decodes is reported with its worker key instead of reaching the planner half-read.
 */
import type { CyclePlan } from '../../../shared/ports/state-store.port';
import { decodeStates, encodeStates } from '../../../shared/planner/state-codec';
import type { LastKnownState } from '../../../shared/planner/types';
import { formatIssues } from '../../../shared/util/result';

/** A stored row that cannot be read back: its message names the row (table and key). */
export class StoredRowError extends Error {
  override readonly name = 'StoredRowError';
}

/** A document the store refuses to write: its message names the worker and every problem. */
export class InvalidDocumentError extends Error {
  override readonly name = 'InvalidDocumentError';
}

/** Parses a row's JSON text; `row` names it in the error (never the text itself). */
export function parseRow<T>(text: string, row: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StoredRowError(`${row} is unreadable: not valid JSON`);
  }
}

/** The decoded state of a stored `hr2ad-state` document, or the codec's problems as text. */
function decodeOne(document: unknown, workerKey: string): LastKnownState | string {
  const decoded = decodeStates(document);
  if (!decoded.ok) return formatIssues(decoded.issues, '; ');
  const [state, ...more] = decoded.value;
  if (!state || more.length > 0) return `expected one state, found ${decoded.value.length}`;
  if (state.workerKey !== workerKey) return `the document holds the state of ${state.workerKey}`;
  return state;
}

/** The row text for a state; throws when the codec refuses it, so nothing unreadable is stored. */
export function encodeStateRow(state: LastKnownState): string {
  const text = JSON.stringify(encodeStates([state]));
  // Checked as it will be read back (after JSON), not as the in-memory object, which may hold undefined.
  const check = decodeOne(JSON.parse(text), state.workerKey);
  if (typeof check === 'string')
    throw new InvalidDocumentError(`state of ${state.workerKey} refused by the state codec: ${check}`);
  return text;
}

/** The state stored for `workerKey`; throws a `StoredRowError` naming the worker when it does not decode. */
export function decodeStateRow(workerKey: string, text: string): LastKnownState {
  const state = decodeOne(parseRow(text, `stored state of ${workerKey}`), workerKey);
  if (typeof state === 'string') throw new StoredRowError(`stored state of ${workerKey} is unreadable: ${state}`);
  return state;
}

/** A cycle's worker outcome as row text, its next state checked by the state codec. */
export function encodeCyclePlanRow(plan: CyclePlan): string {
  if (plan.nextState && plan.nextState.workerKey !== plan.workerKey)
    throw new InvalidDocumentError(`plan of ${plan.workerKey} carries the next state of ${plan.nextState.workerKey}`);
  const nextState = plan.nextState === null ? null : JSON.parse(encodeStateRow(plan.nextState));
  return JSON.stringify({ ...plan, nextState });
}

/** A cycle's worker outcome read back, its next state decoded by the state codec. */
export function decodeCyclePlanRow(cycleId: string, workerKey: string, text: string): CyclePlan {
  const row = `plan of ${workerKey} in cycle ${cycleId}`;
  const stored = parseRow<Omit<CyclePlan, 'nextState'> & { nextState: unknown }>(text, row);
  if (stored.nextState === null) return { ...stored, nextState: null };
  const state = decodeOne(stored.nextState, workerKey);
  if (typeof state === 'string') throw new StoredRowError(`${row}: next state is unreadable: ${state}`);
  return { ...stored, nextState: state };
}
