/**
 * Fires `app.timer` functions on their schedules, as the Functions host's timer trigger does: NCRONTAB
 * (six fields, seconds first; UTC unless told otherwise) or a TimeSpan (`hh:mm:ss`), `%Setting%`
 * schedules resolved from app settings, `runOnStartup`, the timer info Azure passes, and never two runs
 * of one function at once. Time comes from an injected Clock, so a virtual clock drives it through
 * `fireDue()`; with real timers it wakes itself at the next due slot.
 */
import { Cron } from 'croner';
import type { Timer } from '@azure/functions';
import type { Clock } from '../../../shared/ports/clock.port';
import type { Logger } from '../../../shared/ports/logger.port';

/** One timer function. */
export interface TimerFunction {
  readonly name: string;
  readonly schedule: string;
  readonly runOnStartup?: boolean;
}

/** What the scheduler needs. */
export interface TimerSchedulerOptions {
  readonly timers: readonly TimerFunction[];
  readonly invoke: (name: string, timer: Timer) => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** IANA zone for NCRONTAB schedules (`WEBSITE_TIME_ZONE`); default UTC. */
  readonly timeZone?: string;
  /** App settings for `%Name%` schedules. */
  readonly settings?: Readonly<Record<string, string | undefined>>;
  /** Wake up with setTimeout (default true); false for a virtual clock driven through `fireDue()`. */
  readonly realTimers?: boolean;
  /** Lateness beyond which a run is reported `isPastDue` (default 1 s). */
  readonly pastDueToleranceMs?: number;
}

/** `scheduleStatus.last` before the first run: .NET's DateTime.MinValue, as the host reports it. */
const NEVER = '0001-01-01T00:00:00.000Z';
/** setTimeout's ceiling; longer waits re-arm. */
const MAX_DELAY_MS = 2 ** 31 - 1;

interface TimerState {
  readonly fn: TimerFunction;
  readonly next: (after: Date) => Date | null;
  due: Date | null;
  last: Date | null;
  running: Promise<void> | null;
}

/** Resolves `%Setting%` and builds "the next occurrence strictly after" for a schedule. */
export function scheduleFunction(
  schedule: string,
  timeZone: string,
  settings: Readonly<Record<string, string | undefined>> = {},
): (after: Date) => Date | null {
  const resolved = schedule.replace(/^%(.+)%$/, (_m, name: string) => {
    const value = settings[name];
    if (value === undefined) throw new Error(`timer schedule setting ${name} is not set`);
    return value;
  });
  const span = /^(\d+):(\d{2}):(\d{2})$/.exec(resolved.trim());
  if (span) {
    const ms = (Number(span[1]) * 3600 + Number(span[2]) * 60 + Number(span[3])) * 1000;
    if (ms <= 0) throw new Error(`timer schedule ${resolved} must be positive`);
    return (after) => new Date(after.getTime() + ms);
  }
  // NCRONTAB always has six fields, seconds first; `6-part` refuses the five-field Unix form.
  const cron = new Cron(resolved, { timezone: timeZone, paused: true, mode: '6-part' });
  return (after) => cron.nextRun(after);
}

/** The scheduler. */
export class TimerScheduler {
  private readonly states: TimerState[];
  private wake: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;

  constructor(private readonly options: TimerSchedulerOptions) {
    const zone = options.timeZone ?? 'UTC';
    this.states = options.timers.map((fn) => ({
      fn,
      next: scheduleFunction(fn.schedule, zone, options.settings),
      due: null,
      last: null,
      running: null,
    }));
  }

  /** Computes each timer's first slot and runs the `runOnStartup` ones now. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.options.clock.now();
    for (const state of this.states) {
      state.due = state.next(now);
      if (state.fn.runOnStartup) void this.run(state, now, now);
    }
    this.arm();
  }

  /** The earliest due slot of a timer that is not running, or null. */
  nextDue(): Date | null {
    const dues = this.states.filter((s) => s.due && !s.running).map((s) => s.due!.getTime());
    return dues.length === 0 ? null : new Date(Math.min(...dues));
  }

  /**
   * Fires every timer whose slot has come (once per slot; slots missed meanwhile coalesce into one late
   * run, as the host does) and resolves when the runs it started have finished.
   */
  async fireDue(): Promise<void> {
    if (!this.started || this.stopped) return;
    const now = this.options.clock.now();
    const runs: Promise<void>[] = [];
    for (const state of this.states) {
      if (state.running || !state.due || state.due.getTime() > now.getTime()) continue;
      const slot = state.due;
      state.due = state.next(now);
      runs.push(this.run(state, slot, now));
    }
    await Promise.all(runs);
  }

  /** Stops firing and waits for runs in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wake) clearTimeout(this.wake);
    this.wake = undefined;
    await Promise.all(this.states.flatMap((s) => (s.running ? [s.running] : [])));
  }

  private timerInfo(state: TimerState, slot: Date, now: Date): Timer {
    const tolerance = this.options.pastDueToleranceMs ?? 1000;
    return {
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: state.last?.toISOString() ?? NEVER,
        next: state.due?.toISOString() ?? NEVER,
        lastUpdated: now.toISOString(),
      },
      isPastDue: now.getTime() - slot.getTime() > tolerance,
    };
  }

  private run(state: TimerState, slot: Date, now: Date): Promise<void> {
    const info = this.timerInfo(state, slot, now);
    state.last = slot;
    const name = state.fn.name;
    const running = this.options
      .invoke(name, info)
      .catch((error: unknown) => {
        this.options.logger.error('timer function failed', {
          functionName: name,
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        state.running = null;
        this.arm();
      });
    state.running = running;
    return running;
  }

  /** Real-timer mode: sleep until the next due slot, then fire. */
  private arm(): void {
    if (this.options.realTimers === false || this.stopped || !this.started) return;
    if (this.wake) clearTimeout(this.wake);
    const due = this.nextDue();
    if (!due) return;
    const delay = Math.min(Math.max(due.getTime() - this.options.clock.now().getTime(), 0), MAX_DELAY_MS);
    this.wake = setTimeout(() => {
      this.wake = undefined;
      void this.fireDue().finally(() => this.arm());
    }, delay);
  }
}
