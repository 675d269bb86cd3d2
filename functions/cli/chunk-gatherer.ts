/**
 * A planning thread's part of the report, gathered for the trip to the thread that writes it: the
 * pieces (runs of rendered bytes, text of workers rendered again) are copied into chunks of about a
 * megabyte. A message between threads costs about as much as copying tens of kilobytes, and a share's
 * part comes in thousands of pieces wherever the cycle's rules amended a worker; as chunks it is a few
 * dozen messages.
 */
import type { ReportChunk } from '../../shared/planner/preview';

const CHUNK_BYTES = 1 << 20;

export class ChunkGatherer {
  private chunk = new Uint8Array(0);
  private used = 0;
  private full: Uint8Array<ArrayBuffer>[] = [];
  private readonly encoder = new TextEncoder();

  add(piece: ReportChunk): void {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    const room = typeof piece === 'string' ? piece.length * 3 : piece.length;
    if (room === 0) return;
    if (this.used + room > this.chunk.length) this.startChunk(room);
    if (typeof piece === 'string') this.used += this.encoder.encodeInto(piece, this.chunk.subarray(this.used)).written;
    else {
      this.chunk.set(piece, this.used);
      this.used += piece.length;
    }
  }

  /**
   * The chunks filled so far, each in a buffer of its own (so it can be moved to another thread), and
   * with `last` the one being filled too.
   */
  take(last = false): Uint8Array<ArrayBuffer>[] {
    if (last) this.startChunk(0);
    const full = this.full;
    this.full = [];
    return full;
  }

  private startChunk(room: number): void {
    if (this.used) this.full.push(this.chunk.subarray(0, this.used));
    this.chunk = new Uint8Array(room ? Math.max(CHUNK_BYTES, room) : 0);
    this.used = 0;
  }
}
