/** Rendered text kept as UTF-8 reads back as it was, across blocks and in any script. */
import fc from 'fast-check';
import { RenderedBytes } from '../../../shared/planner/rendered-bytes';

describe('RenderedBytes', () => {
  it('gives back every piece and both its halves, however many blocks they fill', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' })), { maxLength: 40 }),
        (pieces) => {
          const bytes = new RenderedBytes();
          // Large pieces, so that some do not fit in the block before them.
          const spans = pieces.map(([a, b]) => bytes.appendTwo(a.repeat(2000), b));
          pieces.forEach(([a, b], i) => {
            const { block, start, middle, end } = spans[i]!;
            expect(bytes.text(block, start, middle)).toBe(a.repeat(2000));
            expect(bytes.text(block, middle, end)).toBe(b);
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('puts pieces back to back while they fit, and starts a new block when one does not', () => {
    const bytes = new RenderedBytes();
    const first = bytes.appendTwo('Ольга → ', 'ok\n');
    const second = bytes.appendTwo('王');
    expect(second).toMatchObject({ block: first.block, start: first.end });
    const big = bytes.appendTwo('x'.repeat(400_000));
    expect(big.block).toBe(first.block + 1);
    expect(bytes.text(big.block, big.start, big.end)).toHaveLength(400_000);
  });
});
