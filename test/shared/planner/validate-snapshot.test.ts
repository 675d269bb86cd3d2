/**
 * Duplicate worker keys: every record that claims a key another record claims too is quarantined,
 * whether it is otherwise valid or not; the message names the count, every position and each person's
 * name; an invalid copy keeps its own issues as well; the rest of the snapshot is planned as usual.
 *
 * | copies | kinds of the copies (in snapshot order)       |
 * |--------|-----------------------------------------------|
 * | 2..5   | all valid                                     |
 * | 2..5   | one valid, the rest invalid (no last name)    |
 * | 2..5   | invalid (no last name), invalid (bad date)... |
 * | 2..5   | valid, invalid, invalid for another reason... |
 */
import { planCycle } from '../../../shared/planner';
import type { WorkerInput } from '../../../shared/worker';
import { ada, CONFIG } from './fixtures';

const NOW = new Date('2025-03-03T09:00:00.000Z');
const FIRST_NAMES = ['Ada', 'Bea', 'Cyd', 'Dee', 'Eve'];
type Kind = 'valid' | 'no-last-name' | 'bad-hire-date';

function copy(kind: Kind, n: number): WorkerInput {
  const base = ada({ id: '1001', legalName: { first: FIRST_NAMES[n]!, last: 'Lovelace' }, managerId: null });
  if (kind === 'no-last-name') return { ...base, legalName: { first: FIRST_NAMES[n]!, last: '' } };
  if (kind === 'bad-hire-date') return { ...base, hireDate: '2024-02-30' };
  return base;
}

const PATTERNS: Record<string, (i: number) => Kind> = {
  'all valid': () => 'valid',
  'one valid, the rest invalid': (i) => (i === 0 ? 'valid' : 'no-last-name'),
  'all invalid, for two reasons': (i) => (i % 2 === 0 ? 'no-last-name' : 'bad-hire-date'),
  'valid, invalid, invalid for another reason': (i) => (['valid', 'no-last-name', 'bad-hire-date'] as const)[i % 3]!,
};

const TABLE = [2, 3, 4, 5].flatMap((copies) =>
  Object.entries(PATTERNS).map(([pattern, kindAt]) => ({
    copies,
    pattern,
    kinds: Array.from({ length: copies }, (_, i) => kindAt(i)),
  })),
);

describe('duplicate worker keys', () => {
  it.each(TABLE)('$copies copies, $pattern: every copy quarantined, named', ({ copies, kinds }) => {
    // Another worker first, so positions are not simply 0..n-1.
    const other = ada({ id: '7', legalName: { first: 'Grace', last: 'Hopper' }, managerId: null });
    const records = [other, ...kinds.map((kind, n) => copy(kind, n))];
    const result = planCycle({ records, states: new Map(), config: CONFIG, now: NOW });

    expect(result.results[0]!.outcome).toBe('planned');
    expect(result.quarantined.map((q) => q.index)).toEqual(kinds.map((_, n) => n + 1));
    expect(result.summary.invalid).toBe(copies);
    expect(result.summary.joiner).toBe(1);
    const names = kinds.map(
      (kind, n) => `position ${n + 1} (${kind === 'no-last-name' ? FIRST_NAMES[n] : `${FIRST_NAMES[n]} Lovelace`})`,
    );
    const expected = `${copies} records in the snapshot claim workday:1001: ${names.join(', ')}; HR must send one record per worker`;
    kinds.forEach((kind, n) => {
      const r = result.results[n + 1]!;
      expect(r).toMatchObject({ workerKey: 'workday:1001', outcome: 'quarantined', plan: null, nextState: null });
      expect(r.issues[0]).toEqual({ workerKey: 'workday:1001', path: '(root)', message: expected });
      const own = r.issues.slice(1).map((i) => i.path);
      if (kind === 'valid') expect(own).toEqual([]);
      if (kind === 'no-last-name') expect(own).toEqual(['legalName.last']);
      if (kind === 'bad-hire-date') expect(own).toEqual(['hireDate']);
    });
  });

  it('records without any key are not duplicates of each other', () => {
    const result = planCycle({ records: [{}, {}], states: new Map(), config: CONFIG, now: NOW });
    for (const r of result.results) expect(r.issues.some((i) => /claim/.test(i.message))).toBe(false);
    expect(result.quarantined).toHaveLength(2);
  });
});
