/** Rendered text kept as UTF-8 reads back as it was, across blocks and in any script. */
import fc from 'fast-check';
import { RenderedBytes } from '../../../shared/planner/rendered-bytes';

describe('RenderedBytes', () => {
  it('gives back every piece, however many blocks they fill', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 40 }), (pieces) => {
        const bytes = new RenderedBytes();
        // Large pieces, so that some do not fit in the block before them.
        const spans = pieces.map((piece) => bytes.append(piece.repeat(2000)));
        pieces.forEach((piece, i) => {
          const { block, start, end } = spans[i]!;
          expect(bytes.text(block, start, end)).toBe(piece.repeat(2000));
        });
      }),
      { numRuns: 50 },
    );
  });

  it('puts pieces back to back while they fit, and starts a new block when one does not', () => {
    const bytes = new RenderedBytes();
    const first = bytes.append('Ольга → ok\n');
    const second = bytes.append('王');
    expect(second).toMatchObject({ block: first.block, start: first.end });
    const big = bytes.append('x'.repeat(400_000));
    expect(big.block).toBe(first.block + 1);
    expect(bytes.text(big.block, big.start, big.end)).toHaveLength(400_000);
  });
});
