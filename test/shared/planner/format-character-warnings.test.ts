/**
 * Invisible formatting characters in a name: the default mapping strips them from what it writes and
 * the plan says so per field; a mapping that writes them unchanged is flagged per attribute instead.
 *
 * | mapping                           | record                                   | warning                          |
 * |-----------------------------------|------------------------------------------|----------------------------------|
 * | shipped default                   | last name "Love\u202Elace"               | legalName.last: 1 … stripped     |
 * | shipped default                   | first "\u200BAda\u200B", title "\u2066CEO" | two fields, counts 2 and 1     |
 * | shipped default                   | clean                                    | none                             |
 * | custom: givenName ← FirstName raw | first name "A\u202Eda"                   | givenName: will hold …           |
 */
import { planCycle } from '../../../shared/planner';
import type { WorkerInput } from '../../../shared/worker';
import { ada, compile, CONFIG } from './fixtures';

const NOW = new Date('2025-03-03T09:00:00.000Z');
const RAW_GIVEN_NAME = compile((c) => ({
  ...c,
  attributeMappings: c.attributeMappings.map((m) =>
    m.target === 'givenName' ? { type: 'direct' as const, source: 'FirstName', target: 'givenName' } : m,
  ),
}));

const TABLE: readonly [string, Partial<WorkerInput>, typeof CONFIG, [string, RegExp][]][] = [
  [
    'a bidi override in the last name',
    { legalName: { first: 'Ada', last: 'Love\u202Elace' } },
    CONFIG,
    [['legalName.last', /^1 invisible formatting character \(U\+202E RIGHT-TO-LEFT OVERRIDE\) stripped/]],
  ],
  [
    'zero-width spaces in the first name and an isolate in the title',
    { legalName: { first: '\u200BAda\u200B', last: 'Lovelace' }, title: '\u2066CEO' },
    CONFIG,
    [
      ['legalName.first', /^2 invisible formatting characters \(U\+200B ZERO WIDTH SPACE\) stripped/],
      ['title', /^1 invisible formatting character \(U\+2066 LEFT-TO-RIGHT ISOLATE\) stripped/],
    ],
  ],
  ['a clean record', {}, CONFIG, []],
  [
    'a custom mapping that writes the first name as it is',
    { legalName: { first: 'A\u202Eda', last: 'Lovelace' } },
    RAW_GIVEN_NAME,
    [['givenName', /^will hold invisible formatting characters \(U\+202E RIGHT-TO-LEFT OVERRIDE\)/]],
  ],
];

describe('invisible formatting characters', () => {
  it.each(TABLE)('%s', (_name, change, config, expected) => {
    const result = planCycle({ records: [ada({ managerId: null, ...change })], states: new Map(), config, now: NOW });
    const r = result.results[0]!;
    expect(r.outcome).toBe('planned');
    const warnings = (r.warnings ?? []).map((w) => [w.path, w.message]);
    expect(warnings).toEqual(expected.map(([path, message]) => [path, expect.stringMatching(message)]));
  });

  it('the default mapping writes the name without them', () => {
    const record = ada({ managerId: null, legalName: { first: 'Ada', last: 'Love\u202Elace' } });
    const r = planCycle({ records: [record], states: new Map(), config: CONFIG, now: NOW }).results[0]!;
    const command = r.plan!.steps[0]!.command;
    if (command.kind !== 'UpsertAccount') throw new Error(command.kind);
    expect(command.attributes.always.sn).toBe('Lovelace');
    expect(command.unique.cn[0]).toBe('Ada Lovelace');
  });
});
