/**
 * Employment status: every planned worker's result carries HR's status (the preview shows it), and
 * `leaveOfAbsence` decides whether an on-leave worker's account stays enabled (default) or is disabled
 * until they return.
 *
 * | status   | leaveOfAbsence  | account enabled | classification on the change |
 * |----------|-----------------|-----------------|------------------------------|
 * | active   | (default)       | yes             | —                            |
 * | on-leave | (default)       | yes             | no directory change          |
 * | on-leave | disable         | no              | mover (enabled: true → false)|
 * | active   | disable (back)  | yes             | mover (enabled: false → true)|
 */
import { planCycle, type LastKnownState } from '../../../shared/planner';
import { ada, compile, CONFIG } from './fixtures';

const T0 = new Date('2025-03-03T09:00:00.000Z');
const T1 = new Date('2025-03-10T09:00:00.000Z');
const T2 = new Date('2025-04-10T09:00:00.000Z');
const DISABLE = compile((c) => ({ ...c, leaveOfAbsence: 'disable' }));

function after(config = CONFIG) {
  const first = planCycle({ records: [ada({ managerId: null })], states: new Map(), config, now: T0 });
  return new Map<string, LastKnownState>([['workday:1001', first.results[0]!.nextState!]]);
}

describe('employment status', () => {
  it('is on every planned result, as HR gives it', () => {
    const result = planCycle({
      records: [ada({ managerId: null }), ada({ id: '2', managerId: null, employmentStatus: 'on-leave' }), { id: 'x' }],
      states: new Map(),
      config: CONFIG,
      now: T0,
    });
    expect(result.results.map((r) => r.employmentStatus)).toEqual(['active', 'on-leave', undefined]);
  });

  it('on leave keeps the account enabled by default', () => {
    const states = after();
    const result = planCycle({
      records: [ada({ managerId: null, employmentStatus: 'on-leave' })],
      states,
      config: CONFIG,
      now: T1,
    });
    const r = result.results[0]!;
    expect(r.employmentStatus).toBe('on-leave');
    expect(r.nextState!.desired.account!.enabled).toBe(true);
    expect(r.diff.enabled).toBeUndefined();
  });

  it('leaveOfAbsence "disable" disables the account on leave and enables it on return', () => {
    const states = after(DISABLE);
    const away = planCycle({
      records: [ada({ managerId: null, employmentStatus: 'on-leave' })],
      states,
      config: DISABLE,
      now: T1,
    });
    const r = away.results[0]!;
    expect(r.classification).toBe('mover');
    expect(r.diff.enabled).toEqual({ before: true, after: false });
    const command = r.plan!.steps[0]!.command;
    expect(command.kind === 'UpsertAccount' && command.enabled).toBe(false);

    const stored = new Map([['workday:1001', r.nextState!]]);
    const back = planCycle({ records: [ada({ managerId: null })], states: stored, config: DISABLE, now: T2 });
    expect(back.results[0]!.diff.enabled).toEqual({ before: false, after: true });
  });
});
