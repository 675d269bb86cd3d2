/**
 * Handing plans on (functions/activities/hand-on.activity.ts) with a fake OrchestrationClient and a real
 * SqliteStateStore(':memory:'). Proves:
 * - a worker with no live lifecycle orchestration gets one started (WorkerLifecycle, instance
 *   `lifecycle:<key>`, the plan as `handedOn`, empty pending, the lifecycle settings);
 * - a live one (Running, Pending, ContinuedAsNew) gets the plan raised as a `NewPlan` event instead, and a
 *   finished one (Completed, Failed, Terminated) is started again;
 * - handOnPlans hands on only the plans of the asked kind (held or not), only workers with a plan, in
 *   the chunk (offset, limit) asked, and returns how many.
 */
import { handOnPlan, handOnPlans } from '../../../functions/activities/hand-on.activity';
import { createCycleActivities } from '../../../functions/activities/cycle.activities';
import type { CyclePlan } from '../../../shared/ports/state-store.port';
import {
  FakeOrchestrationClient,
  harness,
  record,
  snapshot,
  SOURCE_ID,
  VALID,
  type ActivityHarness,
} from './activity-fixtures';

let h: ActivityHarness;
let client: FakeOrchestrationClient;
let plans: CyclePlan[];

beforeEach(async () => {
  h = harness();
  client = new FakeOrchestrationClient();
  h.source.next = snapshot(VALID, 'sha:1');
  await createCycleActivities(h.ports).planCycle({
    sourceId: SOURCE_ID,
    cycleId: 'c1',
    trigger: 'api',
    cursor: 'sha:1',
  });
  plans = await h.store.getCyclePlans('c1');
});
afterEach(async () => {
  await h.store.close();
});

const planOf = (key: string): CyclePlan => {
  const found = plans.find((p) => p.workerKey === key);
  if (!found?.plan) throw new Error(`no plan for ${key}`);
  return found;
};

const handedOn = (p: CyclePlan) => ({
  plan: p.plan,
  cycleId: 'c1',
  classification: p.classification,
  details: p.details,
  settings: h.ports.lifecycle,
});

describe('handOnPlan', () => {
  it('starts the lifecycle orchestration when none exists', async () => {
    const p = planOf('workday:1001');
    await handOnPlan(h.ports, client, p);
    expect(client.raised).toEqual([]);
    expect(client.started).toEqual([
      {
        name: 'WorkerLifecycle',
        instanceId: 'lifecycle:workday:1001',
        input: {
          workerKey: 'workday:1001',
          pending: [],
          seenPlanIds: [],
          settings: h.ports.lifecycle,
          handedOn: handedOn(p),
        },
      },
    ]);
  });

  it.each(['Running', 'Pending', 'ContinuedAsNew'])('raises NewPlan on a %s orchestration', async (runtimeStatus) => {
    const p = planOf('workday:1001');
    client.statuses.set('lifecycle:workday:1001', { runtimeStatus });
    await handOnPlan(h.ports, client, p);
    expect(client.started).toEqual([]);
    expect(client.raised).toEqual([
      { instanceId: 'lifecycle:workday:1001', eventName: 'NewPlan', eventData: handedOn(p) },
    ]);
  });

  it.each(['Completed', 'Failed', 'Terminated'])('starts a new orchestration over a %s one', async (runtimeStatus) => {
    client.statuses.set('lifecycle:workday:1001', { runtimeStatus });
    await handOnPlan(h.ports, client, planOf('workday:1001'));
    expect(client.raised).toEqual([]);
    expect(client.started.map((s) => s.instanceId)).toEqual(['lifecycle:workday:1001']);
  });

  it('percent-encodes characters an instance id may not hold', async () => {
    const p = planOf('workday:1001');
    await handOnPlan(h.ports, client, { ...p, workerKey: 'hr:a/b#c' });
    expect(client.started[0]?.instanceId).toBe('lifecycle:hr:a%2Fb%23c');
  });
});

describe('handOnPlans', () => {
  it('hands on every ready plan and returns how many', async () => {
    const ready = plans.filter((p) => p.plan && !p.held).map((p) => `lifecycle:${p.workerKey}`);
    expect(await handOnPlans(h.ports, client, { cycleId: 'c1', held: false, offset: 0, limit: 500 })).toBe(
      ready.length,
    );
    expect(client.started.map((s) => s.instanceId).sort()).toEqual(ready.sort());
  });

  it('hands on the chunk asked for, in worker-key order', async () => {
    const ready = plans.filter((p) => p.plan && !p.held).map((p) => `lifecycle:${p.workerKey}`);
    expect(await handOnPlans(h.ports, client, { cycleId: 'c1', held: false, offset: 1, limit: 2 })).toBe(2);
    expect(client.started.map((s) => s.instanceId).sort()).toEqual(ready.slice(1, 3).sort());
  });

  it('hands on only the held plans when asked for held ones (an approved cycle)', async () => {
    const strict = harness(0);
    const strictClient = new FakeOrchestrationClient();
    const strictCycle = createCycleActivities(strict.ports);
    strict.source.next = snapshot(VALID, 'sha:1');
    await strictCycle.planCycle({ sourceId: SOURCE_ID, cycleId: 'c1', trigger: 'api', cursor: 'sha:1' });
    await strictCycle.commitCycle({
      cycleId: 'c1',
      sourceId: SOURCE_ID,
      cursor: 'sha:1',
      status: 'completed',
      reason: null,
      includeHeld: false,
    });
    const leaver = record('1001', { employmentStatus: 'terminated', terminationDate: '2026-10-30' });
    strict.source.next = snapshot([leaver, ...VALID.filter((r) => r.id !== '1001')], 'sha:2');
    const planned = await strictCycle.planCycle({
      sourceId: SOURCE_ID,
      cycleId: 'c2',
      trigger: 'api',
      cursor: 'sha:2',
    });
    expect(planned.held).toBe(1);

    expect(await handOnPlans(strict.ports, strictClient, { cycleId: 'c2', held: true, offset: 0, limit: 500 })).toBe(1);
    expect(strictClient.started.map((s) => s.instanceId)).toEqual(['lifecycle:workday:1001']);
    await strict.store.close();
  });

  it('hands on nothing for a cycle with no plans', async () => {
    expect(await handOnPlans(h.ports, client, { cycleId: 'none', held: false, offset: 0, limit: 500 })).toBe(0);
    expect(client.started).toEqual([]);
  });
});
