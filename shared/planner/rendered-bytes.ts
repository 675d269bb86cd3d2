/**
 * Rendered report text kept as UTF-8, one piece after another in blocks of about a megabyte. A large
 * preview keeps every worker's part of the report until the cycle's verdict; as bytes in a few blocks it
 * costs the garbage collector nothing per worker, and the bytes are written as they are.
 */

/** Where a piece lies: bytes [start, end) of block `block`. */
export interface ByteSpan {
  readonly block: number;
  readonly start: number;
  readonly end: number;
}

const BLOCK_BYTES = 1 << 20;

export class RenderedBytes {
  private readonly blocks: Uint8Array[] = [];
  private used = 0;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  /** Appends `text` after the pieces before it (in a new block when it does not fit in the last). */
  append(text: string): ByteSpan {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    const room = text.length * 3;
    let block = this.blocks[this.blocks.length - 1];
    if (!block || this.used + room > block.length) {
      block = new Uint8Array(Math.max(BLOCK_BYTES, room));
      this.blocks.push(block);
      this.used = 0;
    }
    const start = this.used;
    const end = start + this.encoder.encodeInto(text, block.subarray(start)).written;
    this.used = end;
    return { block: this.blocks.length - 1, start, end };
  }

  /** Bytes [from, to) of a block (a view, not a copy). */
  bytes(block: number, from: number, to: number): Uint8Array {
    return this.blocks[block]!.subarray(from, to);
  }

  text(block: number, from: number, to: number): string {
    return this.decoder.decode(this.bytes(block, from, to));
  }
}
