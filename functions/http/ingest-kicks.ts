/**
 * Starting a source's ingest cycle after a push, without a round trip to the durable client for every
 * request: at most one start attempt per source is in flight, and pushes that arrive during it ask for one
 * more attempt after it (made with the latest caller's client). So every push is followed by an attempt
 * that begins after the push was stored — what starting once per request gives — while a burst of
 * requests costs a few attempts, not one each. (A running cycle picks pushes up itself before it ends; the
 * ingest sweep catches what arrives as it ends.)
 */
type Start = () => Promise<void>;

export class IngestKicks {
  private readonly inFlight = new Set<string>();
  /** Sources with pushes since their attempt in flight began, and how to start them. */
  private readonly again = new Map<string, Start>();

  constructor(private readonly onError: (sourceId: string, error: unknown) => void) {}

  /** The caller that makes the attempt waits for it; one that only asks for another returns at once. */
  async kick(sourceId: string, start: Start): Promise<void> {
    if (this.inFlight.has(sourceId)) {
      this.again.set(sourceId, start);
      return;
    }
    this.inFlight.add(sourceId);
    try {
      await start();
    } finally {
      this.inFlight.delete(sourceId);
      this.followUp(sourceId);
    }
  }

  private followUp(sourceId: string): void {
    const next = this.again.get(sourceId);
    if (!next) return;
    this.again.delete(sourceId);
    this.kick(sourceId, next).catch((error: unknown) => this.onError(sourceId, error));
  }
}
