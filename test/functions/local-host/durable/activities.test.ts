import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { eventTypes, eventsOf, TestInvoker } from './test-invoker';
import { harness, T0, type Harness } from './harness';

describe('SqliteDurableEngine: activities', () => {
  let h: Harness;
  afterEach(async () => h.engine.stop());

  it('runs an activity chain, passing each result to the next (string and object inputs decoded)', async () => {
    const invoker = new TestInvoker()
      .orchestration('chain', function* (ctx: OrchestrationContext) {
        const a = (yield ctx.df.callActivity('upper', ctx.df.getInput())) as string;
        const b = (yield ctx.df.callActivity('wrap', { text: a })) as { wrapped: string };
        return b;
      })
      .activity('upper', async (s) => (s as string).toUpperCase())
      .activity('wrap', async (o) => ({ wrapped: `[${(o as { text: string }).text}]` }));
    h = harness(invoker);
    await h.engine.startNew('chain', 'c1', 'emp-1');
    await h.engine.whenIdle();
    const status = await h.engine.getStatus('c1');
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: { wrapped: '[EMP-1]' }, input: 'emp-1' });
    expect(invoker.activityCalls).toEqual([
      { name: 'upper', input: 'emp-1' },
      { name: 'wrap', input: { text: 'EMP-1' } },
    ]);
  });

  it('delivers an activity failure to the orchestrator as an error it can catch', async () => {
    const invoker = new TestInvoker()
      .orchestration('catcher', function* (ctx: OrchestrationContext) {
        try {
          yield ctx.df.callActivity('explode', 1);
          return 'no error';
        } catch (error) {
          return {
            caught: (error as Error).message,
            type: (error as { failureDetails?: { errorType: string } }).failureDetails?.errorType,
          };
        }
      })
      .activity('explode', async () => {
        throw new RangeError('disk on fire');
      });
    h = harness(invoker);
    await h.engine.startNew('catcher', 'f1', null);
    await h.engine.whenIdle();
    const status = await h.engine.getStatus('f1', { showHistory: true });
    expect(status?.runtimeStatus).toBe('Completed');
    expect(status?.output).toEqual({ caught: 'RangeError: disk on fire', type: 'RangeError' });
    const failed = eventsOf(status?.history, 'TaskFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.['FailureDetails']).toMatchObject({ ErrorType: 'RangeError', ErrorMessage: 'disk on fire' });
  });

  it('fails the instance with the error message when the orchestrator throws', async () => {
    const invoker = new TestInvoker().orchestration('thrower', function* (ctx: OrchestrationContext) {
      ctx.df.setCustomStatus({ stage: 'before' });
      yield ctx.df.callActivity('noop');
      throw new Error('orchestrator broke');
    });
    invoker.activity('noop', async () => undefined);
    h = harness(invoker);
    await h.engine.startNew('thrower', 't1', undefined);
    await h.engine.whenIdle();
    expect(await h.engine.getStatus('t1')).toMatchObject({
      runtimeStatus: 'Failed',
      output: 'orchestrator broke',
      input: null,
    });
  });

  describe('callActivityWithRetry', () => {
    const retrying = (maxAttempts: number) =>
      function* (ctx: OrchestrationContext) {
        const options = new df.RetryOptions(1000, maxAttempts);
        options.backoffCoefficient = 10;
        options.maxRetryIntervalInMilliseconds = 5000;
        try {
          return (yield ctx.df.callActivityWithRetry('flaky', options, 'x')) as unknown;
        } catch (error) {
          return `gave up: ${(error as Error).message}`;
        }
      };

    it('succeeds on attempt 3 after backoff timers of 1 s and 5 s (10 s capped)', async () => {
      let calls = 0;
      const invoker = new TestInvoker().orchestration('retry', retrying(5)).activity('flaky', async (input) => {
        calls++;
        if (calls < 3) throw new Error(`attempt ${calls} failed`);
        return `ok ${String(input)}`;
      });
      h = harness(invoker);
      await h.engine.startNew('retry', 'r1', null);
      await h.engine.whenIdle();
      expect(calls).toBe(1);
      expect(await h.engine.nextTimerDue()).toEqual(new Date(T0.getTime() + 1000));
      h.clock.advance(999);
      await h.engine.whenIdle();
      expect(calls).toBe(1);
      h.clock.advance(1);
      await h.engine.whenIdle();
      expect(calls).toBe(2);
      expect(await h.engine.nextTimerDue()).toEqual(new Date(T0.getTime() + 1000 + 5000));
      h.clock.advance(5000);
      await h.engine.whenIdle();
      const status = await h.engine.getStatus('r1', { showHistory: true });
      expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'ok x' });
      const ids = (status?.history ?? [])
        .map((e) => e as Record<string, unknown>)
        .filter((e) =>
          ['TaskScheduled', 'TaskFailed', 'TimerCreated', 'TimerFired', 'TaskCompleted'].includes(
            String(e['EventType']),
          ),
        )
        .map((e) => `${String(e['EventType'])}:${String(e['TaskScheduledId'] ?? e['TimerId'] ?? e['EventId'])}`);
      expect(ids).toEqual([
        'TaskScheduled:0',
        'TaskFailed:0',
        'TimerCreated:1',
        'TimerFired:1',
        'TaskScheduled:2',
        'TaskFailed:2',
        'TimerCreated:3',
        'TimerFired:3',
        'TaskScheduled:4',
        'TaskCompleted:4',
      ]);
      expect(await h.engine.nextTimerDue()).toBeNull();
    });

    it('surfaces the last error once the attempts are exhausted', async () => {
      const invoker = new TestInvoker().orchestration('retry', retrying(2)).activity('flaky', async () => {
        throw new Error('always down');
      });
      h = harness(invoker);
      await h.engine.startNew('retry', 'r2', null);
      await h.engine.whenIdle();
      expect(await h.engine.nextTimerDue()).toEqual(new Date(T0.getTime() + 1000));
      h.clock.advance(1000);
      await h.engine.whenIdle();
      const status = await h.engine.getStatus('r2', { showHistory: true });
      expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'gave up: Error: always down' });
      expect(invoker.callsOf('flaky')).toHaveLength(2);
      expect(eventTypes(status?.history).filter((t) => t === 'TimerFired')).toHaveLength(2);
    });
  });

  it('retries two tasks side by side whose failures arrive together (sequence numbers stay aligned)', async () => {
    const failures = new Map<string, number>();
    const invoker = new TestInvoker()
      .orchestration('pair', function* (ctx: OrchestrationContext) {
        const options = new df.RetryOptions(1000, 4);
        const a = ctx.df.callActivityWithRetry('wobbly', options, 'a');
        const b = ctx.df.callActivityWithRetry('wobbly', options, 'b');
        const plain = ctx.df.callActivity('steady', 'c');
        return yield ctx.df.Task.all([a, b, plain]);
      })
      .activity('wobbly', async (key) => {
        const n = (failures.get(key as string) ?? 0) + 1;
        failures.set(key as string, n);
        if (n <= 2) throw new Error(`${String(key)} failed ${n}`);
        return `${String(key)} ok`;
      })
      .activity('steady', async (key) => `${String(key)} ok`);
    h = harness(invoker);
    await h.engine.startNew('pair', 'pair1', null);
    for (let i = 0; i < 4; i++) {
      await h.engine.whenIdle();
      h.clock.advance(1000);
    }
    await h.engine.whenIdle();
    expect(await h.engine.getStatus('pair1')).toMatchObject({
      runtimeStatus: 'Completed',
      output: ['a ok', 'b ok', 'c ok'],
    });
    expect(invoker.callsOf('wobbly')).toHaveLength(6);
  });

  it('never runs more activities at once than activityConcurrency (Task.all fan-out)', async () => {
    let running = 0;
    let peak = 0;
    const invoker = new TestInvoker()
      .orchestration('fan', function* (ctx: OrchestrationContext) {
        const tasks = [1, 2, 3, 4, 5, 6].map((n) => ctx.df.callActivity('double', n));
        const results = (yield ctx.df.Task.all(tasks)) as number[];
        return results.reduce((a, b) => a + b, 0);
      })
      .activity('double', async (n) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return (n as number) * 2;
      });
    h = harness(invoker, { activityConcurrency: 2 });
    await h.engine.startNew('fan', 'fan1', null);
    await h.engine.whenIdle();
    expect(await h.engine.getStatus('fan1')).toMatchObject({ runtimeStatus: 'Completed', output: 42 });
    expect(invoker.callsOf('double').sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
  });
});
