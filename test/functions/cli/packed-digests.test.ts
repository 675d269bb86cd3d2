/** A share's digests come out of their trip between threads (packed, cloned, unpacked) as they went in. */
import fc from 'fast-check';
import { packDigests, unpackDigests } from '../../../functions/cli/packed-digests';
import type { ResultDigest } from '../../../shared/planner/plan-cycle';
import { CLASSIFICATIONS } from '../../../shared/planner/types';

const issue = fc.record({ workerKey: fc.string(), path: fc.string(), message: fc.string() });

const digest: fc.Arbitrary<ResultDigest> = fc.record({
  workerKey: fc.string({ unit: 'grapheme' }),
  classification: fc.constantFrom(...CLASSIFICATIONS),
  outcome: fc.constantFrom('planned', 'unchanged', 'held', 'quarantined' as const),
  issues: fc.array(issue, { maxLength: 3 }),
  planId: fc.option(fc.string(), { nil: null }),
  destructive: fc.boolean(),
});

describe('packed digests', () => {
  it('give back every digest, in order, after crossing to another thread', () => {
    fc.assert(
      fc.property(fc.array(digest, { maxLength: 40 }), fc.nat(1000), (digests, first) => {
        const indexes = digests.map((_, i) => first + 2 * i);
        const crossed = structuredClone(packDigests({ indexes, digests }));
        expect(unpackDigests(crossed)).toEqual({ indexes, digests });
      }),
    );
  });

  it('carry the issues of a quarantined result only where it is', () => {
    const quarantined: ResultDigest = {
      workerKey: 'workday:2',
      classification: 'invalid',
      outcome: 'quarantined',
      issues: [{ workerKey: 'workday:2', path: 'uniqueValues.cn', message: 'no usable cn candidate' }],
      planId: null,
      destructive: false,
    };
    const planned: ResultDigest = {
      ...quarantined,
      workerKey: 'workday:1',
      classification: 'joiner',
      outcome: 'planned',
      issues: [],
      planId: 'plan-1',
    };
    const packed = packDigests({ indexes: [4, 9], digests: [planned, quarantined] });
    expect(packed.issues).toEqual([[1, quarantined.issues]]);
    expect(unpackDigests(packed).digests).toEqual([planned, quarantined]);
  });
});
