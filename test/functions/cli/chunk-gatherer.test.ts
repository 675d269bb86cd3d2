/** A planning thread's pieces of the report reach the writing thread whole, in order, in few chunks. */
import fc from 'fast-check';
import { ChunkGatherer } from '../../../functions/cli/chunk-gatherer';

const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.uint8Array({ maxLength: 5000 }),
  fc.integer({ min: 300_000, max: 1_500_000 }).map((n) => new Uint8Array(n).fill(n % 253)),
);

const bytesOf = (p: string | Uint8Array) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p));

describe('ChunkGatherer', () => {
  it('gives back every piece, in order, in chunks that each own their buffer', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const gatherer = new ChunkGatherer();
        const chunks: Uint8Array[] = [];
        for (const p of pieces) {
          gatherer.add(p);
          chunks.push(...gatherer.take());
        }
        chunks.push(...gatherer.take(true));
        expect(Buffer.concat(chunks).equals(Buffer.concat(pieces.map(bytesOf)))).toBe(true);
        expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
        expect(chunks.every((c) => c.length > 0 && c.byteOffset === 0)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('puts thousands of small pieces into a few chunks', () => {
    const gatherer = new ChunkGatherer();
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < 5000; i++) {
      gatherer.add(i % 2 ? `worker ${i} → planned\n` : new Uint8Array(900).fill(120));
      chunks.push(...gatherer.take());
    }
    chunks.push(...gatherer.take(true));
    expect(chunks.length).toBeLessThanOrEqual(3);
  });
});
