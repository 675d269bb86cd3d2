/**
 * One value read from a store and used for a fixed time, then read again: a key rotated in the store
 * is in force within that time without a restart. Concurrent callers share one read; a failed
 * read is not kept, so the next call reads again.
 */
import type { Clock } from '../../../shared/ports/clock.port';

export class TimedCache<T> {
  private cached: { readonly value: Promise<T>; readonly readAt: number } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
    private readonly read: () => Promise<T>,
  ) {}

  get(): Promise<T> {
    const now = this.clock.now().getTime();
    if (!this.cached || now - this.cached.readAt >= this.maxAgeMs) {
      const value = this.read();
      this.cached = { value, readAt: now };
      value.catch(() => {
        if (this.cached?.value === value) this.cached = null;
      });
    }
    return this.cached.value;
  }
}
