import type { Clock } from '../../shared/ports/clock.port';

/**
 * A clock that only moves when told to, so tests and demos can let months of durable time pass in an
 * instant (timers fire when the engine next looks at the clock).
 */
export class VirtualClock implements Clock {
  private current: number;

  constructor(start: Date = new Date('2025-01-01T00:00:00.000Z')) {
    this.current = start.getTime();
  }

  /** The current virtual instant (a fresh Date each time, so callers cannot move the clock by mutation). */
  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `ms` milliseconds; time never goes backwards. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance(ms) needs a finite, non-negative number');
    this.current += ms;
  }

  /** Moves the clock to `date`, which must not be earlier than now. */
  set(date: Date): void {
    const target = date.getTime();
    if (!Number.isFinite(target) || target < this.current) {
      throw new RangeError('set(date) needs a valid instant not before the current one');
    }
    this.current = target;
  }
}
