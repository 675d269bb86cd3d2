/**
 * The optional request rate limit of the ingest routes (`ingest.limits.rateLimit`), per client: a sliding
 * window of the instants of its accepted requests. Kept in the process, so in Azure each instance counts
 * its own requests (as a limit against a runaway script, not a quota).
 */
export interface RateWindow {
  readonly requests: number;
  readonly windowSeconds: number;
}

export class IngestRateLimit {
  private readonly seen = new Map<string, number[]>();

  constructor(private readonly window: RateWindow) {}

  /** Counts a request of `client` at `nowMs`; null when allowed, else the seconds to wait (Retry-After). */
  take(client: string, nowMs: number): number | null {
    const windowMs = this.window.windowSeconds * 1000;
    const recent = (this.seen.get(client) ?? []).filter((at) => at > nowMs - windowMs);
    if (recent.length >= this.window.requests) {
      this.seen.set(client, recent);
      return Math.max(1, Math.ceil((recent[0]! + windowMs - nowMs) / 1000));
    }
    recent.push(nowMs);
    this.seen.set(client, recent);
    return null;
  }
}
