/**
 * A source's health from its latest cycles (newest first).
 *
 * | cycles (newest first)                 | healthy | failingSince   | reason        |
 * |---------------------------------------|---------|----------------|---------------|
 * | none                                  | null    | null           | null          |
 * | planned only                          | null    | null           | null          |
 * | completed                             | true    | null           | null          |
 * | skipped, failed                       | true    | null           | null          |
 * | held                                  | true    | null           | null          |
 * | failed                                | false   | its start      | its reason    |
 * | planned, failed(b), failed(a), completed | false | a's start      | b's reason    |
 * | failed, failed (whole window)         | false   | the oldest's   | the newest's  |
 */
import type { CycleRecord, CycleStatus } from '../../../shared/ports/state-store.port';
import { sourceHealth } from '../../../functions/http/source-health';

function cycle(cycleId: string, status: CycleStatus, minute: number, reason: string | null = null): CycleRecord {
  const at = new Date(Date.UTC(2026, 5, 1, 9, minute)).toISOString();
  return {
    cycleId,
    sourceId: 'hr-api',
    status,
    startedAt: at,
    updatedAt: at,
    cursor: null,
    reason,
    counts: {},
    heldPlanIds: [],
    decision: null,
  };
}

const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 9, minute)).toISOString();

it.each([
  ['none', [], null, null, null],
  ['planned only', [cycle('c1', 'planned', 1)], null, null, null],
  ['completed', [cycle('c1', 'completed', 1)], true, null, null],
  ['skipped after a failure', [cycle('c2', 'skipped', 2), cycle('c1', 'failed', 1, 'x')], true, null, null],
  ['held', [cycle('c1', 'held', 1)], true, null, null],
  ['failed', [cycle('c1', 'failed', 1, 'refused (401)')], false, at(1), 'refused (401)'],
  [
    'two failures in a row after a success, one running',
    [
      cycle('c4', 'planned', 4),
      cycle('c3', 'failed', 3, 'newest'),
      cycle('c2', 'failed', 2, 'older'),
      cycle('c1', 'completed', 1),
    ],
    false,
    at(2),
    'newest',
  ],
  ['failures only', [cycle('c2', 'failed', 2, 'b'), cycle('c1', 'failed', 1, 'a')], false, at(1), 'b'],
] as const)('%s', (_name, cycles, healthy, failingSince, reason) => {
  const health = sourceHealth('hr-api', cycles);
  expect(health).toMatchObject({ sourceId: 'hr-api', healthy, failingSince, reason });
  const lastFinished = cycles.find((c) => c.status !== 'planned');
  expect(health.lastCycle?.cycleId ?? null).toBe(lastFinished?.cycleId ?? null);
});
