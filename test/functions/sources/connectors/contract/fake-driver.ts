/**
 * The part of every connector driver that only holds its vendor's fake: started and closed with the suite,
 * its requests counted and reset, the requests it refused taken. A driver extends it and adds what is its
 * vendor's own (records, knobs, the connector it builds).
 */

/** What every vendor fake records of the requests it answered and refused. */
export interface RecordingFake {
  readonly requests: readonly unknown[];
  readonly invalidRequests: unknown[];
  resetRequests(): void;
  close(): Promise<void>;
}

export abstract class FakeDriver<Fake extends RecordingFake> {
  abstract readonly vendor: string;
  private running: Fake | undefined;

  /** Starts the vendor's fake, with the credentials the driver's connector uses. */
  protected abstract startFake(): Promise<Fake>;

  get fake(): Fake {
    if (!this.running) throw new Error(`the fake ${this.vendor} is not started`);
    return this.running;
  }

  async start(): Promise<void> {
    this.running = await this.startFake();
  }

  async close(): Promise<void> {
    await this.running?.close();
  }

  get requestCount(): number {
    return this.fake.requests.length;
  }

  resetRequests(): void {
    this.fake.resetRequests();
  }

  takeInvalidRequests(): readonly unknown[] {
    return this.fake.invalidRequests.splice(0);
  }
}
