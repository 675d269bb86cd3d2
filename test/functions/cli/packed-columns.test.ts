/** A share's facts and digests come out of their trip between threads (packed, cloned, unpacked) as they went in. */
import fc from 'fast-check';
import { packDigests, packFacts, unpackDigests, unpackFacts } from '../../../functions/cli/packed-columns';
import type { ResultDigest } from '../../../shared/planner/plan-cycle';
import type { RecordFacts } from '../../../shared/planner/validate-snapshot';
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

const fact: fc.Arbitrary<RecordFacts> = fc.record({
  workerKey: fc.string({ unit: 'grapheme' }),
  issues: fc.option(fc.array(issue, { maxLength: 3 }), { nil: null }),
  managerKey: fc.option(fc.string(), { nil: null }),
  gone: fc.option(fc.string(), { nil: null }),
  person: fc.string({ unit: 'grapheme' }),
});

describe('packed facts', () => {
  it("give back every record's facts, in order, after crossing to another thread", () => {
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 40 }), fc.nat(1000), (facts, start) => {
        const crossed = structuredClone(packFacts({ start, facts }));
        expect(unpackFacts(crossed)).toEqual({ start, facts });
      }),
    );
  });

  it('tell an invalid record with no issues listed from a valid one', () => {
    const valid: RecordFacts = { workerKey: 'w:1', issues: null, managerKey: null, gone: null, person: 'Ann' };
    const invalid: RecordFacts = { ...valid, workerKey: 'w:2', issues: [] };
    expect(unpackFacts(structuredClone(packFacts({ start: 7, facts: [valid, invalid] }))).facts).toEqual([
      valid,
      invalid,
    ]);
  });
});
