/**
 * Shares of a snapshot: contiguous ranges that cover every record once, in order, for any size and any
 * number of shares; the coordinating thread's (share 0) a little smaller than the others, by what it
 * coordinates, and never empty while the others are not.
 */
import fc from 'fast-check';
import { shareRange } from '../../../shared/planner/preview-shard';

it('covers every record once, in order, whatever the size and the number of shares', () => {
  fc.assert(
    fc.property(fc.nat(2_000_000), fc.integer({ min: 1, max: 64 }), (records, shares) => {
      let next = 0;
      for (let k = 0; k < shares; k++) {
        const [start, end] = shareRange(records, k, shares);
        expect(start).toBe(next);
        expect(end).toBeGreaterThanOrEqual(start);
        next = end;
      }
      expect(next).toBe(records);
    }),
  );
});

it.each([2, 4, 8])('with %i shares the coordinating thread’s is a little smaller than each other', (shares) => {
  const size = (k: number) => {
    const [start, end] = shareRange(100_000, k, shares);
    return end - start;
  };
  const other = size(1);
  expect(size(0)).toBeLessThan(other);
  expect(size(0)).toBeGreaterThan(other * 0.8);
  for (let k = 2; k < shares; k++) expect(Math.abs(size(k) - other)).toBeLessThanOrEqual(1);
});
