/**
 * Managers: the plan flags a manager who is not in the snapshot, is ambiguous (several records claim
 * the key), is quarantined, or has left — a warning on the worker, never a quarantine — and the worker's
 * command still names the manager's key, so the agent links the manager once their account exists.
 *
 * | manager's records in the snapshot         | warning on the worker                         |
 * |-------------------------------------------|-----------------------------------------------|
 * | none                                      | not in this snapshot; linked once they exist  |
 * | two                                       | ambiguous: 2 records claim that key           |
 * | one, invalid                              | quarantined                                   |
 * | one, terminated last month                | a former worker (who left on …)               |
 * | one, hire rescinded                       | a former worker (whose hire was rescinded)    |
 * | one, terminating next month (still here)  | none                                          |
 * | one, active                               | none                                          |
 * | the worker is their own manager           | none                                          |
 */
import { planCycle } from '../../../shared/planner';
import type { WorkerInput } from '../../../shared/worker';
import { ada, compile, CONFIG } from './fixtures';

const NOW = new Date('2025-03-03T09:00:00.000Z');
const boss = (changes: Partial<WorkerInput> = {}) =>
  ada({ id: '900', legalName: { first: 'Bo', last: 'Boss' }, managerId: null, ...changes });

const TABLE: readonly [string, WorkerInput[], RegExp | null][] = [
  ['none', [], /^manager workday:900 is not in this snapshot; they are linked once their account exists$/],
  [
    'two',
    [boss(), boss({ title: 'CEO' })],
    /^manager workday:900 is ambiguous: 2 records in the snapshot claim that key$/,
  ],
  ['one, invalid', [boss({ hireDate: 'soon' })], /^manager workday:900 is quarantined/],
  [
    'one, terminated last month',
    [boss({ employmentStatus: 'terminated', terminationDate: '2025-02-14' })],
    /^manager workday:900 is a former worker \(who left on 2025-02-14\)$/,
  ],
  [
    'one, hire rescinded',
    [boss({ employmentStatus: 'rescinded', hireDate: '2025-04-01' })],
    /whose hire was rescinded/,
  ],
  ['one, terminating next month', [boss({ employmentStatus: 'terminated', terminationDate: '2025-04-30' })], null],
  ['one, active', [boss()], null],
];

describe('manager warnings', () => {
  it.each(TABLE)('manager records: %s', (_name, managers, expected) => {
    const result = planCycle({ records: [ada(), ...managers], states: new Map(), config: CONFIG, now: NOW });
    const worker = result.results[0]!;
    expect(worker.outcome).toBe('planned');
    const messages = (worker.warnings ?? []).filter((w) => w.path === 'managerId').map((w) => w.message);
    if (expected) expect(messages).toEqual([expect.stringMatching(expected)]);
    else expect(messages).toEqual([]);
    const command = worker.plan!.steps[0]!.command;
    expect(command.kind === 'UpsertAccount' && command.manager).toEqual({ attribute: 'employeeID', value: '900' });
  });

  it('the worker who is their own manager gets no warning', () => {
    const result = planCycle({ records: [ada({ managerId: '1001' })], states: new Map(), config: CONFIG, now: NOW });
    expect(result.results[0]!.warnings ?? []).toEqual([]);
  });

  it('a manager who appears in a later snapshot is linked without a warning', () => {
    const first = planCycle({ records: [ada()], states: new Map(), config: CONFIG, now: NOW });
    expect(first.results[0]!.warnings).toHaveLength(1);
    const states = new Map([['workday:1001', first.results[0]!.nextState!]]);
    const later = planCycle({
      records: [ada(), boss()],
      states,
      config: CONFIG,
      now: new Date('2025-03-04T09:00:00Z'),
    });
    expect(later.results[0]!.warnings ?? []).toEqual([]);
    expect(later.results[1]!.classification).toBe('joiner');
    const state = later.results[0]!.nextState!;
    expect(state.desired.account!.manager).toEqual({ attribute: 'employeeID', value: '900' });
  });

  it('with manager "ignore" nothing is flagged', () => {
    const config = compile((c) => ({ ...c, manager: 'ignore' }));
    const result = planCycle({ records: [ada()], states: new Map(), config, now: NOW });
    expect(result.results[0]!.warnings ?? []).toEqual([]);
  });
});
