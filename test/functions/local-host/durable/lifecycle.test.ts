import type { OrchestrationContext } from 'durable-functions';
import { InstanceExistsError } from '../../../../functions/local-host/durable/durable-engine';
import { eventTypes, eventsOf, TestInvoker } from './test-invoker';
import { harness, T0, type Harness } from './harness';

interface Generation {
  readonly gen: number;
  readonly seen: number[];
}

describe('SqliteDurableEngine: lifecycle and client operations', () => {
  let h: Harness;
  afterEach(async () => h.engine.stop());

  it('continues as new over 3 generations without losing an event raised meanwhile', async () => {
    const invoker = new TestInvoker()
      .orchestration('eternal', function* (ctx: OrchestrationContext) {
        const state = ctx.df.getInput() as Generation;
        const value = (yield ctx.df.callActivity('work', state.gen)) as number;
        if (state.gen < 2) {
          ctx.df.continueAsNew({ gen: state.gen + 1, seen: [...state.seen, value] });
          return undefined;
        }
        const late = (yield ctx.df.waitForExternalEvent('late')) as string;
        return { seen: [...state.seen, value], late };
      })
      .activity('work', async (gen) => (gen as number) * 10);
    h = harness(invoker);
    await h.engine.startNew('eternal', 'e1', { gen: 0, seen: [] });
    // Raised while generation 0 runs (which never waits for it): it must reach generation 2.
    expect(await h.engine.raiseEvent('e1', 'late', 'hello')).toBe('raised');
    await h.engine.whenIdle();
    const status = await h.engine.getStatus('e1', { showHistory: true });
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: { seen: [0, 10, 20], late: 'hello' } });
    expect(status?.input).toEqual({ gen: 2, seen: [0, 10] });
    expect(invoker.callsOf('work')).toEqual([0, 1, 2]);
    // A fresh history per generation: one ExecutionStarted, generation 2's input.
    expect(eventsOf(status?.history, 'ExecutionStarted')).toHaveLength(1);
  });

  it('runs a sub-orchestration and reports its result (and its failure) to the parent', async () => {
    const invoker = new TestInvoker()
      .orchestration('parent', function* (ctx: OrchestrationContext) {
        const ok = (yield ctx.df.callSubOrchestrator('child', { n: 2 })) as number;
        let failure = '';
        try {
          yield ctx.df.callSubOrchestrator('child', { n: -1 }, 'child-explicit');
        } catch (error) {
          failure = (error as Error).message;
        }
        return { ok, failure };
      })
      .orchestration('child', function* (ctx: OrchestrationContext) {
        const { n } = ctx.df.getInput() as { n: number };
        if (n < 0) throw new Error('negative input');
        return (yield ctx.df.callActivity('square', n)) as number;
      })
      .activity('square', async (n) => (n as number) ** 2);
    h = harness(invoker);
    await h.engine.startNew('parent', 'p1', null);
    await h.engine.whenIdle();
    const parent = await h.engine.getStatus('p1', { showHistory: true });
    expect(parent?.runtimeStatus).toBe('Completed');
    expect(parent?.output).toEqual({ ok: 4, failure: expect.stringContaining('negative input') as unknown });
    expect(eventTypes(parent?.history)).toEqual(
      expect.arrayContaining([
        'SubOrchestrationInstanceCreated',
        'SubOrchestrationInstanceCompleted',
        'SubOrchestrationInstanceFailed',
      ]),
    );
    expect(await h.engine.getStatus('p1:0')).toMatchObject({ name: 'child', runtimeStatus: 'Completed', output: 4 });
    expect(await h.engine.getStatus('child-explicit')).toMatchObject({
      runtimeStatus: 'Failed',
      output: 'negative input',
    });
  });

  const waiter = function* (ctx: OrchestrationContext) {
    ctx.df.setCustomStatus({ stage: 'waiting' });
    yield ctx.df.callActivity('prepare', 'p');
    return (yield ctx.df.waitForExternalEvent('Go')) as unknown;
  };

  it('reports custom status and the history in the extension shape', async () => {
    h = harness(new TestInvoker().orchestration('waiter', waiter).activity('prepare', async () => 'ready'));
    await h.engine.startNew('waiter', 'g1', { employee: 7 });
    await h.engine.whenIdle();
    const status = await h.engine.getStatus('g1', { showHistory: true });
    expect(status).toMatchObject({
      name: 'waiter',
      instanceId: 'g1',
      runtimeStatus: 'Running',
      input: { employee: 7 },
      output: null,
      customStatus: { stage: 'waiting' },
      createdTime: T0.toISOString(),
    });
    expect(eventTypes(status?.history)).toEqual([
      'OrchestratorStarted',
      'ExecutionStarted',
      'TaskScheduled',
      'OrchestratorCompleted',
      'OrchestratorStarted',
      'TaskCompleted',
      'OrchestratorCompleted',
    ]);
    expect(eventsOf(status?.history, 'TaskCompleted')[0]).toMatchObject({ TaskScheduledId: 0, Result: '"ready"' });
    expect((await h.engine.getStatus('g1'))?.history).toBeUndefined();
    expect(await h.engine.getStatus('unknown')).toBeNull();
  });

  it('terminates a running instance and drops its pending work', async () => {
    h = harness(new TestInvoker().orchestration('waiter', waiter).activity('prepare', async () => 'ready'));
    await h.engine.startNew('waiter', 'k1', null);
    expect(await h.engine.terminate('k1', 'no longer needed')).toBe('raised');
    await h.engine.whenIdle();
    const status = await h.engine.getStatus('k1', { showHistory: true });
    expect(status).toMatchObject({ runtimeStatus: 'Terminated', output: 'no longer needed' });
    expect(eventTypes(status?.history)).toEqual(['ExecutionTerminated']);
    expect(h.invoker.activityCalls).toHaveLength(0);
    expect(await h.engine.terminate('k1', 'again')).toBe('gone');
    expect(await h.engine.terminate('nobody', 'x')).toBe('not-found');
    expect(await h.engine.raiseEvent('k1', 'Go', 1)).toBe('gone');
  });

  it('refuses a second start of a running instance and replaces a finished one', async () => {
    h = harness(new TestInvoker().orchestration('waiter', waiter).activity('prepare', async () => 'ready'));
    await h.engine.startNew('waiter', 'x1', 1);
    await expect(h.engine.startNew('waiter', 'x1', 2)).rejects.toBeInstanceOf(InstanceExistsError);
    await h.engine.raiseEvent('x1', 'Go', 'first');
    await h.engine.whenIdle();
    expect(await h.engine.getStatus('x1')).toMatchObject({ runtimeStatus: 'Completed', output: 'first' });
    await h.engine.startNew('waiter', 'x1', 3);
    await h.engine.whenIdle();
    expect(await h.engine.getStatus('x1')).toMatchObject({ runtimeStatus: 'Running', input: 3, output: null });
  });

  it('purges an instance and its history', async () => {
    h = harness(new TestInvoker().orchestration('waiter', waiter).activity('prepare', async () => 'ready'));
    await h.engine.startNew('waiter', 'pg1', null);
    await h.engine.raiseEvent('pg1', 'Go', 1);
    await h.engine.whenIdle();
    expect(await h.engine.purge('pg1')).toBe(1);
    expect(await h.engine.getStatus('pg1')).toBeNull();
    expect(await h.engine.purge('pg1')).toBe(0);
    expect(await h.engine.raiseEvent('pg1', 'Go', 1)).toBe('not-found');
  });

  it('lists instances by status, creation time and id prefix, a page at a time', async () => {
    h = harness(new TestInvoker().orchestration('waiter', waiter).activity('prepare', async () => 'ready'));
    for (const id of ['job-1', 'job-2', 'job-3', 'job-4', 'other-1']) {
      await h.engine.startNew('waiter', id, null);
      h.clock.advance(1000);
    }
    await h.engine.raiseEvent('job-2', 'Go', 1);
    await h.engine.whenIdle();
    const ids: string[] = [];
    let token: string | null | undefined;
    let pages = 0;
    do {
      const page = await h.engine.listStatus({
        instanceIdPrefix: 'job-',
        top: 2,
        ...(token ? { continuationToken: token } : {}),
      });
      ids.push(...page.instances.map((i) => i.instanceId));
      token = page.continuationToken;
      pages++;
    } while (token !== null);
    expect(ids).toEqual(['job-1', 'job-2', 'job-3', 'job-4']);
    expect(pages).toBe(2);
    const completed = await h.engine.listStatus({ runtimeStatus: ['Completed'] });
    expect(completed.instances.map((i) => i.instanceId)).toEqual(['job-2']);
    const window = await h.engine.listStatus({
      createdTimeFrom: new Date(T0.getTime() + 1000).toISOString(),
      createdTimeTo: new Date(T0.getTime() + 3000).toISOString(),
    });
    expect(window.instances.map((i) => i.instanceId)).toEqual(['job-2', 'job-3', 'job-4']);
    expect((await h.engine.listStatus({ instanceIdPrefix: '%' })).instances).toEqual([]);
  });

  it('logs ids and sizes, never inputs or outputs', async () => {
    h = harness(new TestInvoker().orchestration('waiter', waiter).activity('prepare', async () => 'ready'));
    await h.engine.startNew('waiter', 'log1', { secretish: 'Jane Doe 1970-01-01' });
    await h.engine.raiseEvent('log1', 'Go', { personal: 'Jane Doe' });
    await h.engine.whenIdle();
    const logged = JSON.stringify(h.logger.records);
    expect(logged).toContain('log1');
    expect(logged).not.toContain('Jane Doe');
  });
});
