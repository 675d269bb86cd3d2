import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrchestrationContext } from 'durable-functions';
import { fromStatusHistory } from '../../../../functions/local-host/durable/history-events';
import { VirtualClock } from '../../../../functions/local-host/virtual-clock';
import { deferred, eventsOf, TestInvoker } from './test-invoker';
import { harness, HOUR, T0 } from './harness';

const provision = function* (ctx: OrchestrationContext) {
  const wait = ctx.df.createTimer(new Date(ctx.df.currentUtcDateTime.getTime() + HOUR));
  const account = ctx.df.callActivity('createAccount', ctx.df.getInput());
  const [created] = (yield ctx.df.Task.all([account, wait])) as [string, unknown];
  return `provisioned ${created}`;
};

describe('SqliteDurableEngine: restart and replay', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'durable-engine-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes after a stop mid-work: the timer fires once, the activity runs again, the orchestration completes once', async () => {
    const databasePath = join(dir, 'durable.db');
    const clock = new VirtualClock(T0);
    const started = deferred<void>();
    const neverBeforeStop = deferred<string>();
    const first = new TestInvoker().orchestration('provision', provision).activity('createAccount', async () => {
      started.resolve();
      return neverBeforeStop.promise;
    });
    const one = harness(first, { databasePath, clock });
    await one.engine.startNew('provision', 'emp-42', 'emp-42');
    one.engine.start();
    await started.promise;
    await one.engine.stop({ abandonInFlight: true });
    neverBeforeStop.resolve('too late'); // its result lands on a closed engine and is ignored

    const second = new TestInvoker()
      .orchestration('provision', provision)
      .activity('createAccount', async (id) => `cn=${String(id)}`);
    const two = harness(second, { databasePath, clock });
    await two.engine.whenIdle();
    expect(second.callsOf('createAccount')).toEqual(['emp-42']);
    expect((await two.engine.getStatus('emp-42'))?.runtimeStatus).toBe('Running');
    expect(await two.engine.nextTimerDue()).toEqual(new Date(T0.getTime() + HOUR));
    clock.advance(HOUR);
    await two.engine.whenIdle();
    clock.advance(HOUR);
    await two.engine.whenIdle();
    const status = await two.engine.getStatus('emp-42', { showHistory: true });
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'provisioned cn=emp-42' });
    expect(eventsOf(status?.history, 'TimerFired')).toHaveLength(1);
    expect(eventsOf(status?.history, 'TaskCompleted')).toHaveLength(1);
    expect(eventsOf(status?.history, 'ExecutionCompleted')).toHaveLength(1);
    expect(first.callsOf('createAccount')).toHaveLength(1);
    await two.engine.stop();
  });

  it('fires a timer that fell due while no engine ran, once, on restart', async () => {
    const databasePath = join(dir, 'durable.db');
    const clock = new VirtualClock(T0);
    const invoker = new TestInvoker().orchestration('provision', provision).activity('createAccount', async () => 'y');
    const one = harness(invoker, { databasePath, clock });
    await one.engine.startNew('provision', 'due1', 'due1');
    await one.engine.whenIdle();
    await one.engine.stop();
    clock.advance(5 * HOUR);
    const two = harness(invoker, { databasePath, clock });
    await two.engine.whenIdle();
    await two.engine.whenIdle();
    const status = await two.engine.getStatus('due1', { showHistory: true });
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'provisioned y' });
    expect(eventsOf(status?.history, 'TimerFired')).toHaveLength(1);
    expect(invoker.callsOf('createAccount')).toHaveLength(1);
    await two.engine.stop();
  });

  it('keeps a completed instance across a restart', async () => {
    const databasePath = join(dir, 'durable.db');
    const invoker = new TestInvoker().orchestration('provision', provision).activity('createAccount', async () => 'x');
    const one = harness(invoker, { databasePath });
    await one.engine.startNew('provision', 'i1', 'i1');
    await one.engine.whenIdle();
    one.clock.advance(HOUR);
    await one.engine.whenIdle();
    await one.engine.stop();
    const two = harness(invoker, { databasePath });
    expect(await two.engine.getStatus('i1')).toMatchObject({ runtimeStatus: 'Completed', output: 'provisioned x' });
    await expect(one.engine.getStatus('i1')).rejects.toThrow('stopped');
    await two.engine.stop();
  });

  it('replaying a recorded history (from getStatus showHistory) yields the same actions and result', async () => {
    const invoker = new TestInvoker()
      .orchestration('provision', provision)
      .activity('createAccount', async () => 'cn=a');
    const { engine, clock } = harness(invoker);
    await engine.startNew('provision', 'rp1', 'a');
    await engine.whenIdle();
    clock.advance(HOUR);
    await engine.whenIdle();
    const status = await engine.getStatus('rp1', { showHistory: true });
    const last = invoker.episodes[invoker.episodes.length - 1];
    expect(last?.episode?.isDone).toBe(true);
    const replayed = await invoker.runOrchestrator('provision', {
      ...(last?.payload ?? { input: 'a', instanceId: 'rp1', isReplaying: false, parentInstanceId: null }),
      history: fromStatusHistory(status?.history ?? []),
    } as never);
    expect(replayed.actions).toEqual(last?.episode?.actions);
    expect(replayed).toMatchObject({ isDone: true, output: 'provisioned cn=a' });
    await engine.stop();
  });
});
