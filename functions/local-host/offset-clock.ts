import type { Clock } from '../../shared/ports/clock.port';

/**
 * Real time, shifted: starts at a chosen instant and then runs at the wall clock's pace. `hr2ad run --now`
 * uses it to replay a dated sample (its "today" fixed) with timers that still fire in real time.
 */
export class OffsetClock implements Clock {
  private readonly offsetMs: number;

  constructor(
    start: Date,
    private readonly wall: () => number = Date.now,
  ) {
    this.offsetMs = start.getTime() - wall();
  }

  now(): Date {
    return new Date(this.wall() + this.offsetMs);
  }
}
