/**
 * The Personio cursor (Personio's newest change and the listed ids, as ranges) and the request pacer.
 *
 * | cursor text                         | decoded                                 |
 * |-------------------------------------|-----------------------------------------|
 * | `v1;2026-06-01T09:00:05Z;1-3,5`     | stamp 2026-06-01T09:00:05Z, ids 1 2 3 5 |
 * | `v1;-;`                             | no stamp, no ids                        |
 * | `abc`, `v1;x;1`, `v1;-;3-1`, `v2;-;` | not a Personio cursor (a full read)    |
 */
import { decodeCursor, encodeCursor } from '../../../../../functions/sources/connectors/personio/personio-cursor';
import { RequestPacer } from '../../../../../functions/sources/connectors/personio/request-pacer';

describe('Personio cursor', () => {
  it.each([
    ['v1;2026-06-01T09:00:05Z;1-3,5', { stamp: Date.parse('2026-06-01T09:00:05Z'), ids: [1, 2, 3, 5] }],
    ['v1;-;', { stamp: null, ids: [] }],
  ])('%s decodes and encodes back', (text, cursor) => {
    expect(decodeCursor(text)).toEqual(cursor);
    expect(encodeCursor(cursor)).toBe(text);
  });

  it.each(['abc', 'v1;x;1', 'v1;-;3-1', 'v2;-;', 'v1;-;1;2'])('%s is not a Personio cursor', (text) => {
    expect(decodeCursor(text)).toBeNull();
  });

  it('keeps 10,000 employees hired in turn short, unordered and repeated ids once', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => 10_000 - i);
    expect(encodeCursor({ stamp: null, ids: [...ids, 5] })).toBe('v1;-;1-10000');
  });
});

describe('request pacer', () => {
  it('spaces requests to keep every limit, counting slots rather than wake-ups', async () => {
    const waits: number[] = [];
    const pacer = new RequestPacer(
      [
        { count: 2, windowMs: 1000 },
        { count: 3, windowMs: 60_000 },
      ],
      () => 0,
      async (ms) => {
        waits.push(ms);
      },
    );
    for (let i = 0; i < 4; i++) await pacer.wait();
    expect(waits).toEqual([1000, 60_000]);
  });
});
