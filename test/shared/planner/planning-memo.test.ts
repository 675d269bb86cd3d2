/** The cycle's memo answers what it remembers exactly as computing it again would. */
import fc from 'fast-check';
import { PlanningMemo } from '../../../shared/planner/planning-memo';

describe('PlanningMemo.sortedNames', () => {
  it('sorts any sequence of name lists as Array.prototype.sort does, whether it has met the list before or not', () => {
    const names = fc.array(fc.constantFrom('sn', 'cn', 'mail', 'givenName', 'title', 'l', 'employeeID', 'Company'), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.array(names, { maxLength: 40 }), (lists) => {
        const memo = new PlanningMemo('fingerprint');
        for (const list of lists) {
          const asked = [...list];
          expect(memo.sortedNames(asked)).toEqual([...list].sort());
          expect(asked).toEqual(list); // the names asked about are left as they were
        }
      }),
    );
  });

  it('gives the same sorted list again for the same names in the same order', () => {
    const memo = new PlanningMemo('fingerprint');
    const first = memo.sortedNames(['sn', 'cn', 'mail']);
    expect(memo.sortedNames(['sn', 'cn', 'mail'])).toBe(first);
    expect(memo.sortedNames(['cn', 'sn', 'mail'])).toEqual(['cn', 'mail', 'sn']);
  });
});
