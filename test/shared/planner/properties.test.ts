/**
 * Planner properties, checked with fast-check over generated workers, histories and clocks:
 * determinism, "apply the plan's desired state and plan again: nothing to do" (at once, later, and
 * after the state went through JSON as storage does), and incremental planning = full planning.
 */
import fc from 'fast-check';
import type { CompiledMappingConfig } from '../../../shared/mapping/config';
import { planCycle, planWorker, type LastKnownState, type PlanOptions } from '../../../shared/planner';
import { decodeCommand } from '../../../shared/protocol';
import type { WorkerInput } from '../../../shared/worker';
import { compile, CONFIG, ENGINEERS } from './fixtures';

const DAY = 86_400_000;
const BASE = Date.UTC(2024, 0, 1);
const dateOf = (day: number) => new Date(BASE + day * DAY).toISOString().slice(0, 10);

const FIRST = ['Ada', 'Zoë', 'José María', 'Łukasz', "D'Arcy", 'Nguyễn'];
const LAST = ['Lovelace', "O'Brien", 'Van Dyke', 'Müller-Lüdenscheidt', 'Ng'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', null];
const LOCATIONS = ['London', 'Sydney', 'Seattle', 'Paris', null];

const changes = fc.record(
  {
    department: fc.constantFrom(...DEPARTMENTS),
    title: fc.constantFrom('Engineer', 'Manager', null),
    location: fc.constantFrom(...LOCATIONS),
    employeeType: fc.constantFrom('employee' as const, 'contractor' as const),
    managerId: fc.constantFrom('900', '901', null),
  },
  { requiredKeys: [] },
);

/** A valid HR record: hire in 2024–2025, maybe a termination, maybe effective-dated changes before it. */
const worker: fc.Arbitrary<WorkerInput> = fc
  .record({
    id: fc.constantFrom('1001', '1002'),
    first: fc.constantFrom(...FIRST),
    last: fc.constantFrom(...LAST),
    preferred: fc.option(fc.constantFrom('Gus', 'Bea'), { nil: null }),
    department: fc.constantFrom(...DEPARTMENTS),
    title: fc.constantFrom('Engineer', 'Manager', null),
    location: fc.constantFrom(...LOCATIONS),
    managerId: fc.constantFrom('900', '901', null),
    employeeType: fc.constantFrom('employee' as const, 'contractor' as const),
    status: fc.constantFrom('active' as const, 'on-leave' as const, 'terminated' as const, 'rescinded' as const),
    hireDay: fc.integer({ min: 0, max: 700 }),
    lengthDays: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    future: fc.array(fc.tuple(fc.integer({ min: 1, max: 300 }), changes), { maxLength: 2 }),
  })
  .map((w) => {
    const terminationDay =
      w.status === 'terminated'
        ? w.hireDay + (w.lengthDays ?? 30)
        : w.lengthDays === null
          ? null
          : w.hireDay + w.lengthDays;
    const days = [...new Set(w.future.map(([d]) => w.hireDay + d))].filter(
      (d) => terminationDay === null || d <= terminationDay,
    );
    return {
      source: 'workday',
      id: w.id,
      legalName: { first: w.first, last: w.last },
      preferredName: w.preferred ? { first: w.preferred } : null,
      department: w.department,
      title: w.title,
      location: w.location,
      managerId: w.managerId,
      employeeType: w.employeeType,
      employmentStatus: w.status,
      hireDate: dateOf(w.hireDay),
      terminationDate: terminationDay === null ? null : dateOf(terminationDay),
      future: days.map((d, i) => ({ effectiveDate: dateOf(d), changes: w.future[i]![1] })),
    } satisfies WorkerInput;
  });

/** An instant somewhere around the records' dates. */
const instant = fc
  .integer({ min: 150, max: 1100 })
  .chain((day) => fc.integer({ min: 0, max: DAY - 1 }).map((ms) => new Date(BASE + day * DAY + ms)));

/** Configurations: the shipped one, one with groups, deletes, a lead time and a scope, one that disables out-of-scope workers. */
const CONFIGS: CompiledMappingConfig[] = [
  CONFIG,
  compile((c) => ({
    ...c,
    groups: [
      {
        group: ENGINEERS,
        when: [{ clauses: [{ attribute: 'Department', operator: 'EQUALS', value: 'Engineering' }] }],
      },
    ],
    leaver: { deleteAfterDays: 30 },
    joiner: { createDaysBeforeStart: 7 },
    scoping: {
      filters: [
        {
          clauses: [
            { attribute: 'EmployeeType', operator: 'NOT EQUALS', value: 'intern' },
            { attribute: 'Location', operator: 'IS NOT NULL' },
          ],
        },
      ],
      outOfScope: 'disable',
    },
  })),
];
const config = fc.constantFrom(...CONFIGS);

/** A stored state: the record planned at an earlier instant (the state hr2ad would hold). */
function stateAfter(record: WorkerInput, at: Date, cfg: CompiledMappingConfig): LastKnownState | undefined {
  return planWorker(undefined, record, cfg, at).nextState ?? undefined;
}

const FULL: PlanOptions = { incremental: false };
const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) };

type Row = [property: string, check: () => void];

const TABLE: Row[] = [
  [
    'planning the same input twice gives equal plans',
    () =>
      fc.assert(
        fc.property(worker, worker, instant, instant, config, (before, after, t0, t1, cfg) => {
          const [early, late] = t0 <= t1 ? [t0, t1] : [t1, t0];
          const previous = stateAfter(before, early, cfg);
          expect(planWorker(previous, after, cfg, late)).toEqual(planWorker(previous, after, cfg, late));
          const cycle = () =>
            planCycle({
              records: [after, { ...before, id: '2001' }],
              states: new Map(previous ? [[previous.workerKey, previous]] : []),
              config: cfg,
              now: late,
            });
          expect(cycle()).toEqual(cycle());
        }),
        runs,
      ),
  ],
  [
    'storing the desired state and planning again gives no changes',
    () =>
      fc.assert(
        fc.property(worker, worker, instant, instant, config, (before, after, t0, t1, cfg) => {
          const [early, late] = t0 <= t1 ? [t0, t1] : [t1, t0];
          const first = planWorker(stateAfter(before, early, cfg), after, cfg, late);
          fc.pre(first.nextState !== null);
          for (const options of [{}, FULL]) {
            const again = planWorker(first.nextState!, after, cfg, late, options);
            expect(again.plan).toBeNull();
            expect(again.outcome).toBe('unchanged');
            expect(['no-op', 'out-of-scope']).toContain(again.classification);
          }
        }),
        runs,
      ),
  ],
  [
    'the stored state read back from JSON, planned later, still gives no changes',
    () =>
      fc.assert(
        fc.property(worker, instant, fc.integer({ min: 0, max: 400 * DAY }), config, (record, t0, later, cfg) => {
          const first = planWorker(undefined, record, cfg, t0);
          fc.pre(first.nextState !== null);
          const stored = JSON.parse(JSON.stringify(first.nextState)) as LastKnownState;
          // Steps due in between have run; the plan in force still describes what remains.
          const again = planWorker(stored, record, cfg, new Date(t0.getTime() + later), FULL);
          expect(again.plan).toBeNull();
          expect(again.outcome).toBe('unchanged');
        }),
        runs,
      ),
  ],
  [
    'incremental planning gives exactly what full evaluation gives',
    () =>
      fc.assert(
        fc.property(worker, worker, instant, instant, config, (before, after, t0, t1, cfg) => {
          const [early, late] = t0 <= t1 ? [t0, t1] : [t1, t0];
          const previous = stateAfter(before, early, cfg);
          const plan = (record: WorkerInput, options?: PlanOptions) => planWorker(previous, record, cfg, late, options);
          expect(plan(after)).toEqual(plan(after, FULL));
          // The unchanged-record shortcut too: the same record again, planned later.
          expect(plan(before)).toEqual(plan(before, FULL));
        }),
        runs,
      ),
  ],
  [
    'a whole cycle stored and planned again (rehires with new ids included) changes nothing',
    () =>
      fc.assert(
        fc.property(
          fc.array(worker, { minLength: 1, maxLength: 4 }),
          fc.array(worker, { minLength: 1, maxLength: 4 }),
          instant,
          instant,
          config,
          (first, second, t0, t1, cfg) => {
            const [early, late] = t0 <= t1 ? [t0, t1] : [t1, t0];
            // Distinct ids per snapshot; the second snapshot may point at the first's ids as previous ids.
            const before = first.map((w, i) => ({ ...w, id: `A${i}` }));
            const after = second.map((w, i) => ({ ...w, id: `B${i}`, previousId: `A${i}` }));
            const store = (result: ReturnType<typeof planCycle>, into: Map<string, LastKnownState>) => {
              for (const r of result.results)
                if (r.nextState && r.outcome !== 'held')
                  into.set(r.workerKey, JSON.parse(JSON.stringify(r.nextState)) as LastKnownState);
              return into;
            };
            const states = store(planCycle({ records: before, states: new Map(), config: cfg, now: early }), new Map());
            const records = [...before, ...after];
            const planned = planCycle({ records, states, config: cfg, now: late });
            const stored = store(planned, new Map(states));
            const again = planCycle({ records, states: stored, config: cfg, now: late });
            for (const r of again.results) {
              if (planned.results.find((p) => p.workerKey === r.workerKey)?.outcome === 'held') continue;
              expect({ workerKey: r.workerKey, plan: r.plan, outcome: r.outcome }).toEqual({
                workerKey: r.workerKey,
                plan: null,
                outcome: r.outcome === 'quarantined' ? 'quarantined' : 'unchanged',
              });
            }
          },
        ),
        { numRuns: Math.ceil(runs.numRuns / 3) },
      ),
  ],
  [
    'every command of every plan is valid protocol, in sequence, due in order',
    () =>
      fc.assert(
        fc.property(worker, worker, instant, instant, config, (before, after, t0, t1, cfg) => {
          const [early, late] = t0 <= t1 ? [t0, t1] : [t1, t0];
          const previous = stateAfter(before, early, cfg);
          const result = planWorker(previous, after, cfg, late);
          const steps = result.plan?.steps ?? [];
          steps.forEach((step, i) => {
            expect(decodeCommand(step.command).ok).toBe(true);
            expect(step.command.sequence).toBe((previous?.sequence ?? 0) + 1 + i);
            if (i > 0) expect(Date.parse(step.dueAt)).toBeGreaterThanOrEqual(Date.parse(steps[i - 1]!.dueAt));
          });
        }),
        runs,
      ),
  ],
];

describe('planner properties', () => {
  it.each(TABLE)('%s', (_property, check) => check());
});
