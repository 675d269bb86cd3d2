/**
 * Cycle-level safety: plans that together would disable or delete more accounts than the threshold are
 * held for approval (and released by approving their plan ids); records that fail validation or mapping
 * are quarantined with reasons naming the field, and never stop the others; workers missing from the
 * snapshot are reported, not disabled.
 */
import type { MappingConfigInput } from '../../../shared/mapping/config';
import { planCycle, type CycleResult } from '../../../shared/planner';
import type { WorkerInput } from '../../../shared/worker';
import { ada, compile, CONFIG, runCycles } from './fixtures';

const BEFORE = '2025-03-01T09:00:00.000Z';
const NOW = new Date('2025-03-03T09:00:00.000Z');

const staff = (n: number, change: (i: number) => Partial<WorkerInput> = () => ({})): WorkerInput[] =>
  Array.from({ length: n }, (_, i) =>
    ada({ id: String(2000 + i), legalName: { first: 'Worker', last: `Number${i}` }, ...change(i) }),
  );

/** 100 provisioned workers, then a snapshot where `leavers` of them have a termination date. */
function withLeavers(leavers: number, config = CONFIG, approved?: ReadonlySet<string>): CycleResult {
  const states = runCycles([{ at: BEFORE, records: staff(100) }], config).result.results.reduce(
    (m, r) => m.set(r.workerKey, r.nextState!),
    new Map(),
  );
  const records = staff(100, (i) =>
    i < leavers ? { terminationDate: '2025-03-31' } : i === 99 ? { department: 'Research' } : {},
  );
  return planCycle({ records, states, config, now: NOW, options: { approvedPlanIds: approved } });
}

const percent = (c: MappingConfigInput): MappingConfigInput => ({
  ...c,
  thresholds: { disableOrDelete: { maxCount: null, maxPercent: 10 } },
});
const rawThenSafe = (c: MappingConfigInput): MappingConfigInput => ({
  ...c,
  uniqueValues: { ...c.uniqueValues, sAMAccountName: 'SelectUniqueValue([LastName], Join("", "u", [WorkerID]))' },
});
const rawLastName = (c: MappingConfigInput): MappingConfigInput => ({
  ...c,
  uniqueValues: { ...c.uniqueValues, sAMAccountName: '[LastName]' },
});

const outcomes = (result: CycleResult) => {
  const counts: Record<string, number> = {};
  for (const r of result.results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  return counts;
};

type Row = [situation: string, run: () => CycleResult, check: (result: CycleResult) => void];

const TABLE: Row[] = [
  [
    '60 leavers of 100 with a count limit of 50: all 60 held, the mover still planned',
    () => withLeavers(60),
    (result) => {
      expect(result.hold).toMatchObject({ held: true, destructive: 60, managed: 100 });
      expect(result.hold.heldPlanIds).toHaveLength(60);
      expect(result.hold.reason).toMatch(/disable or delete 60 accounts .* over the limit of 50/);
      expect(outcomes(result)).toEqual({ held: 60, planned: 1, unchanged: 39 });
      const held = result.results.find((r) => r.outcome === 'held')!;
      expect(held.issues).toEqual([expect.objectContaining({ workerKey: held.workerKey, path: '(plan)' })]);
    },
  ],
  [
    '3 leavers of 100: nothing held',
    () => withLeavers(3),
    (result) => {
      expect(result.hold).toMatchObject({ held: false, destructive: 3, heldPlanIds: [] });
      expect(outcomes(result)).toEqual({ planned: 4, unchanged: 96 });
    },
  ],
  [
    '12 leavers of 100 with a 10% limit: held',
    () => withLeavers(12, compile(percent)),
    (result) => {
      expect(result.hold).toMatchObject({ held: true, destructive: 12 });
      expect(result.hold.reason).toMatch(/12\.0% of 100 managed\), over the limit of 10%/);
    },
  ],
  [
    'the same 60 after an administrator approved their plan ids: released',
    () => withLeavers(60, CONFIG, new Set(withLeavers(60).hold.heldPlanIds)),
    (result) => {
      expect(result.hold.held).toBe(false);
      expect(outcomes(result)).toEqual({ planned: 61, unchanged: 39 });
    },
  ],
  [
    '60 fixed-term joiners with an end date: nothing existing is disabled, nothing held',
    () =>
      planCycle({
        records: staff(60, () => ({ hireDate: '2025-03-03', terminationDate: '2025-09-30' })),
        states: new Map(),
        config: CONFIG,
        now: NOW,
      }),
    (result) => {
      expect(result.hold.held).toBe(false);
      expect(result.summary.joiner).toBe(60);
    },
  ],
  [
    'a bad record is quarantined with every reason, naming fields; the others plan',
    () =>
      planCycle({
        records: [
          ada({ id: '1' }),
          ada({
            id: '2',
            legalName: { first: '', last: 'X' },
            timeZone: 'Mars/Olympus',
            terminationDate: '2020-01-01',
            hireDate: '2024-02-30',
          }),
          ada({ id: '3' }),
        ],
        states: new Map(),
        config: CONFIG,
        now: NOW,
      }),
    (result) => {
      expect(result.quarantined).toHaveLength(1);
      const q = result.quarantined[0]!;
      expect(q).toMatchObject({ workerKey: 'workday:2', index: 1 });
      expect(q.issues.map((i) => i.path).sort()).toEqual(['hireDate', 'legalName.first', 'timeZone']);
      expect(q.issues.every((i) => i.workerKey === 'workday:2')).toBe(true);
      expect(q.issues.find((i) => i.path === 'timeZone')!.message).toMatch(/Mars\/Olympus/);
      expect(result.results.filter((r) => r.outcome === 'planned').map((r) => r.workerKey)).toEqual([
        'workday:1',
        'workday:3',
      ]);
    },
  ],
  [
    'termination before hire is named on terminationDate',
    () => planCycle({ records: [ada({ terminationDate: '2023-12-31' })], states: new Map(), config: CONFIG, now: NOW }),
    (result) => {
      expect(result.quarantined[0]!.issues).toEqual([
        {
          workerKey: 'workday:1001',
          path: 'terminationDate',
          message: 'the last day of work 2023-12-31 is before the hire date 2024-01-08',
        },
      ]);
    },
  ],
  [
    'two records for one worker: both quarantined, the rest planned',
    () =>
      planCycle({
        records: [ada(), ada({ department: 'Research' }), ada({ id: '7' })],
        states: new Map(),
        config: CONFIG,
        now: NOW,
      }),
    (result) => {
      expect(result.quarantined.map((q) => q.index)).toEqual([0, 1]);
      expect(result.quarantined[0]!.issues[0]!.message).toMatch(
        /^2 records in the snapshot claim workday:1001: position 0 \(Ada Lovelace\), position 1 \(Ada Lovelace\)/,
      );
      expect(result.results[2]!.outcome).toBe('planned');
    },
  ],
  [
    'a value AD would refuse (sAMAccountName with "[") quarantines that worker only',
    () =>
      planCycle({
        records: [ada({ id: '1', legalName: { first: 'Ann', last: 'Lee [Jr]' } }), ada({ id: '2' })],
        states: new Map(),
        config: compile(rawLastName),
        now: NOW,
      }),
    (result) => {
      expect(result.quarantined).toHaveLength(1);
      expect(result.quarantined[0]!.issues[0]).toMatchObject({
        workerKey: 'workday:1',
        path: 'uniqueValues.sAMAccountName',
        message: expect.stringMatching(/may not contain "\["/),
      });
      expect(result.results[1]!.outcome).toBe('planned');
    },
  ],
  [
    'a first candidate AD would refuse, with a valid one after it, is a warning naming it; the worker is planned',
    () =>
      planCycle({
        records: [ada({ id: '1', legalName: { first: 'Ann', last: 'Lee, Jr' }, managerId: null }), ada({ id: '2' })],
        states: new Map(),
        config: compile(rawThenSafe),
        now: NOW,
      }),
    (result) => {
      expect(result.quarantined).toHaveLength(0);
      expect(result.results[0]!.warnings).toEqual([
        {
          workerKey: 'workday:1',
          path: 'uniqueValues.sAMAccountName',
          message: 'candidate 1 "Lee, Jr": sAMAccountName may not contain ","; left out',
        },
      ]);
      const upsert = result.results[0]!.plan!.steps[0]!.command;
      expect(upsert.kind === 'UpsertAccount' && upsert.unique.sAMAccountName).toEqual(['u1']);
      expect(result.results[1]!.outcome).toBe('planned');
    },
  ],
  [
    'a new id claiming the account of someone still employed is quarantined',
    () => {
      const states = runCycles([{ at: BEFORE, records: [ada()] }]).result.results.reduce(
        (m, r) => m.set(r.workerKey, r.nextState!),
        new Map(),
      );
      return planCycle({
        records: [ada(), ada({ id: '2002', previousId: '1001', hireDate: '2025-03-03' })],
        states,
        config: CONFIG,
        now: NOW,
      });
    },
    (result) => {
      expect(result.quarantined).toEqual([
        expect.objectContaining({
          workerKey: 'workday:2002',
          issues: [
            expect.objectContaining({
              path: 'PreviousWorkerID',
              message: expect.stringMatching(/workday:1001, who is still employed/),
            }),
          ],
        }),
      ]);
      expect(result.results[0]!.classification).toBe('no-op');
    },
  ],
  [
    'a worker missing from the snapshot is reported and left alone',
    () => {
      const states = runCycles([{ at: BEFORE, records: [ada(), ada({ id: '7' })] }]).result.results.reduce(
        (m, r) => m.set(r.workerKey, r.nextState!),
        new Map(),
      );
      return planCycle({ records: [ada()], states, config: CONFIG, now: NOW });
    },
    (result) => {
      expect(result.missing).toEqual(['workday:7']);
      expect(result.results.map((r) => r.workerKey)).toEqual(['workday:1001']);
      expect(result.hold.destructive).toBe(0);
    },
  ],
];

describe('cycle safety', () => {
  it.each(TABLE)('%s', (_situation, run, check) => check(run()));
});
