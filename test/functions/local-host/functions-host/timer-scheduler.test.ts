/** Timer functions fire on their NCRONTAB schedules, driven by a virtual clock. */
jest.mock(
  '@azure/functions-core',
  () => jest.requireActual<typeof import('./fixtures/core-mock')>('./fixtures/core-mock').coreModule,
  { virtual: true },
);

import type { Timer } from '@azure/functions';
import { scheduleFunction, TimerScheduler } from '../../../../functions/local-host/functions-host/timer-scheduler';
import { timerRuns } from './fixtures/test-app';
import { startTestHost } from './fixtures/test-host';
import { recordingLogger, VirtualClock } from './fixtures/test-support';

describe('through the host and the app', () => {
  test('runOnStartup fires at start; the 02:00 UTC timer fires once at its slot with Azure timer info', async () => {
    timerRuns.length = 0;
    const t = await startTestHost('2030-01-01T01:59:58Z');
    try {
      expect(timerRuns.map((r) => r.name)).toEqual(['everyFiveMinutes']); // runOnStartup
      await t.host.timers.fireDue();
      expect(timerRuns).toHaveLength(1);

      t.clock.set('2030-01-01T02:00:00Z');
      await t.host.timers.fireDue();
      await t.host.timers.fireDue(); // the same slot again: nothing
      const nightly = timerRuns.filter((r) => r.name === 'nightly');
      expect(nightly).toHaveLength(1);
      expect(nightly[0]?.timer).toEqual({
        schedule: { adjustForDST: true },
        scheduleStatus: {
          last: '0001-01-01T00:00:00.000Z',
          next: '2030-01-02T02:00:00.000Z',
          lastUpdated: '2030-01-01T02:00:00.000Z',
        },
        isPastDue: false,
      });
      // The timer's durable client reached the engine.
      expect(t.engine.calls).toContainEqual(['startNew', 'provision', nightly[0]?.startedId, { name: 'from-timer' }]);
      // The five-minute timer shared the 02:00 slot.
      expect(timerRuns.filter((r) => r.name === 'everyFiveMinutes')).toHaveLength(2);
    } finally {
      await t.host.stop();
    }
  });
});

describe('the scheduler', () => {
  function setup(schedule: string, start: string, invoke?: (name: string, timer: Timer) => Promise<void>) {
    const clock = new VirtualClock(start);
    const runs: { at: string; timer: Timer }[] = [];
    const logger = recordingLogger();
    const scheduler = new TimerScheduler({
      timers: [{ name: 't', schedule }],
      invoke:
        invoke ??
        (async (_name, timer) => {
          runs.push({ at: clock.now().toISOString(), timer });
        }),
      clock,
      logger,
      realTimers: false,
    });
    scheduler.start();
    return { clock, runs, scheduler, logger };
  }

  test('fires each slot once, and reports the previous run as last', async () => {
    const { clock, runs, scheduler } = setup('*/10 * * * * *', '2030-01-01T00:00:01Z');
    expect(scheduler.nextDue()?.toISOString()).toBe('2030-01-01T00:00:10.000Z');
    clock.set('2030-01-01T00:00:09.999Z');
    await scheduler.fireDue();
    expect(runs).toEqual([]);
    clock.set('2030-01-01T00:00:10Z');
    await scheduler.fireDue();
    await scheduler.fireDue();
    clock.set('2030-01-01T00:00:20Z');
    await scheduler.fireDue();
    expect(runs.map((r) => [r.at, r.timer.scheduleStatus.last, r.timer.scheduleStatus.next])).toEqual([
      ['2030-01-01T00:00:10.000Z', '0001-01-01T00:00:00.000Z', '2030-01-01T00:00:20.000Z'],
      ['2030-01-01T00:00:20.000Z', '2030-01-01T00:00:10.000Z', '2030-01-01T00:00:30.000Z'],
    ]);
  });

  test('missed slots coalesce into one late run marked past due', async () => {
    const { clock, runs, scheduler } = setup('0 * * * * *', '2030-01-01T00:00:30Z');
    clock.set('2030-01-01T00:05:30Z');
    await scheduler.fireDue();
    await scheduler.fireDue();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.timer.isPastDue).toBe(true);
    expect(runs[0]?.timer.scheduleStatus.next).toBe('2030-01-01T00:06:00.000Z');
  });

  test('never overlaps runs of one function: a slot that comes while it runs waits for it', async () => {
    let release: () => void = () => undefined;
    const started: string[] = [];
    const { clock, scheduler } = setup('0 * * * * *', '2030-01-01T00:00:30Z', async () => {
      started.push(clock.now().toISOString());
      await new Promise<void>((resolve) => (release = resolve));
    });
    clock.set('2030-01-01T00:01:00Z');
    const first = scheduler.fireDue();
    clock.set('2030-01-01T00:02:00Z');
    await scheduler.fireDue(); // still running: nothing starts
    expect(started).toEqual(['2030-01-01T00:01:00.000Z']);
    release();
    await first;
    const second = scheduler.fireDue(); // the 00:02 slot, late
    expect(started).toEqual(['2030-01-01T00:01:00.000Z', '2030-01-01T00:02:00.000Z']);
    release();
    await second;
  });

  test('a failing run is logged and the schedule goes on', async () => {
    const { clock, scheduler, logger } = setup('0 * * * * *', '2030-01-01T00:00:30Z', async () => {
      throw new Error('timer broke');
    });
    clock.set('2030-01-01T00:01:00Z');
    await scheduler.fireDue();
    expect(logger.events).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'timer function failed',
        fields: expect.objectContaining({ functionName: 't' }),
      }),
    );
    expect(scheduler.nextDue()?.toISOString()).toBe('2030-01-01T00:02:00.000Z');
  });

  test('stop() waits for a run in flight and fires nothing after', async () => {
    let release: () => void = () => undefined;
    let finished = false;
    const { clock, scheduler } = setup('0 * * * * *', '2030-01-01T00:00:30Z', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    clock.set('2030-01-01T00:01:00Z');
    void scheduler.fireDue();
    const stopped = scheduler.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
    clock.set('2030-01-01T00:09:00Z');
    await scheduler.fireDue();
  });
});

describe('schedules', () => {
  const from = new Date('2030-03-01T10:07:13Z');
  test.each([
    ['0 0 2 * * *', '2030-03-02T02:00:00.000Z'],
    ['0 */5 * * * *', '2030-03-01T10:10:00.000Z'],
    ['0 0 9 * * 1-5', '2030-03-04T09:00:00.000Z'], // 2030-03-01 is a Friday; the next weekday is Monday
    ['00:30:00', '2030-03-01T10:37:13.000Z'], // TimeSpan schedules count from the last run
  ])('%s after 10:07:13 is %s (UTC)', (schedule, next) => {
    expect(scheduleFunction(schedule, 'UTC')(from)?.toISOString()).toBe(next);
  });

  test('a time zone moves the slot', () => {
    expect(scheduleFunction('0 0 2 * * *', 'Europe/Paris')(from)?.toISOString()).toBe('2030-03-02T01:00:00.000Z');
  });

  test('%Setting% schedules come from app settings; five-field cron is refused', () => {
    expect(scheduleFunction('%SYNC%', 'UTC', { SYNC: '0 0 * * * *' })(from)?.toISOString()).toBe(
      '2030-03-01T11:00:00.000Z',
    );
    expect(() => scheduleFunction('%MISSING%', 'UTC', {})).toThrow('MISSING');
    expect(() => scheduleFunction('*/5 * * * *', 'UTC')).toThrow();
  });
});
