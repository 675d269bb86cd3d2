/**
 * Paces requests to a vendor's published rate limits (e.g. Personio's 15 per second and 300 per minute on
 * the employee list), so the limits are never hit and 429 stays the exception it is meant to be.
 *
 * Each limit is "at most `count` requests in any `windowMs`". A request takes the earliest slot that keeps
 * every limit, waits until then, and the slot (not the time it woke up) is recorded: so a sleep that
 * returns at once (a test's) still spaces the slots, and pacing never loops.
 */
export interface RateLimit {
  readonly count: number;
  readonly windowMs: number;
}

export class RequestPacer {
  /** Slot times (ms) still inside the longest window, oldest first. */
  private readonly slots: number[] = [];
  private readonly longestMs: number;
  /** Requests queue here so concurrent callers take slots in turn. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limits: readonly RateLimit[],
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    this.longestMs = Math.max(0, ...limits.map((l) => l.windowMs));
  }

  /** Resolves when the next request may go. */
  wait(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, ...this.limits.map((limit) => this.earliest(limit)));
    this.slots.push(slot);
    while (this.slots.length > 0 && this.slots[0]! <= slot - this.longestMs) this.slots.shift();
    if (slot > now) await this.sleep(slot - now);
  }

  /** The first time a new request keeps `limit`: a window after the `count`-th latest slot. */
  private earliest(limit: RateLimit): number {
    const nth = this.slots[this.slots.length - limit.count];
    return nth === undefined ? -Infinity : nth + limit.windowMs;
  }
}
