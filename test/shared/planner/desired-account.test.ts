/**
 * Unique-value candidates: a candidate that repeats an earlier one (case-insensitively, as AD compares
 * these attributes) is dropped, since it can never win; one AD would refuse is dropped with a warning
 * while a valid one is left; the worker is quarantined only when none is. Messages carry the candidate
 * number once and leave the path to the issue's `path`.
 *
 * | attribute         | candidates                          | valid                  | warnings | quarantined |
 * |-------------------|-------------------------------------|------------------------|----------|-------------|
 * | sAMAccountName    | alee, ALee, alee                    | alee                   | 0        | no          |
 * | sAMAccountName    | a,lee, alee                         | alee                   | 1 (#1)   | no          |
 * | sAMAccountName    | alee, averyveryverylongname21       | alee                   | 1 (#2)   | no          |
 * | sAMAccountName    | a,lee, a;lee                        | —                      | —        | yes         |
 * | userPrincipalName | .@x.test, ann.lee@x.test            | ann.lee@x.test         | 1 (#1)   | no          |
 * | cn                | Ann Lee, ANN LEE, Ann Lee 7         | Ann Lee, Ann Lee 7     | 0        | no          |
 * | mail              | (nothing)                           | —                      | —        | yes         |
 * | sAMAccountName    | "", alee                            | alee                   | 0        | no          |
 */
import { usableCandidates } from '../../../shared/planner/desired-account';
import { planCycle } from '../../../shared/planner';
import { ada, compile } from './fixtures';

type Attribute = Parameters<typeof usableCandidates>[0];
const TABLE: readonly [Attribute, string[], string[], string[], boolean][] = [
  ['sAMAccountName', ['alee', 'ALee', 'alee'], ['alee'], [], false],
  [
    'sAMAccountName',
    ['a,lee', 'alee'],
    ['alee'],
    ['candidate 1 "a,lee": sAMAccountName may not contain ","; left out'],
    false,
  ],
  [
    'sAMAccountName',
    ['alee', 'averyveryverylongname21'],
    ['alee'],
    ['candidate 2 "averyveryverylongname21": sAMAccountName is 23 characters; AD allows at most 20; left out'],
    false,
  ],
  ['sAMAccountName', ['a,lee', 'a;lee'], [], [], true],
  ['userPrincipalName', ['.@x.test', 'ann.lee@x.test'], ['ann.lee@x.test'], ['candidate 1 ".@x.test"'], false],
  ['cn', ['Ann Lee', 'ANN LEE', 'Ann Lee 7'], ['Ann Lee', 'Ann Lee 7'], [], false],
  ['mail', [], [], [], true],
  ['sAMAccountName', ['', 'alee'], ['alee'], [], false],
];

describe('unique-value candidates', () => {
  it.each(TABLE)('%s %j → %j', (attribute, candidates, valid, warnings, quarantined) => {
    const result = usableCandidates(attribute, candidates, `uniqueValues.${attribute}`, 'workday:1');
    expect(result.valid).toEqual(valid);
    expect(result.issues.length > 0).toBe(quarantined);
    expect(result.warnings.map((w) => w.message)).toEqual(warnings.map((w) => expect.stringContaining(w) as unknown));
    for (const w of [...result.warnings, ...result.issues]) {
      expect(w.path).toBe(`uniqueValues.${attribute}`);
      expect(w.message).not.toContain('uniqueValues');
      expect(w.message.match(/candidate \d/gi)?.length ?? 0).toBeLessThanOrEqual(candidates.length);
    }
    if (quarantined) expect(result.issues[0]!.message).toMatch(new RegExp(`^no usable ${attribute} candidate \\(`));
  });

  it('a refusal message names each refused candidate once', () => {
    const result = usableCandidates('sAMAccountName', ['a,lee', 'a;lee'], 'uniqueValues.sAMAccountName', 'workday:1');
    expect(result.issues).toEqual([
      {
        workerKey: 'workday:1',
        path: 'uniqueValues.sAMAccountName',
        message:
          'no usable sAMAccountName candidate (candidate 1 "a,lee": sAMAccountName may not contain ","; candidate 2 "a;lee": sAMAccountName may not contain ";")',
      },
    ]);
  });
});

describe('unique values that follow name changes (uniqueValues.apply)', () => {
  const NOW = new Date('2025-03-03T09:00:00.000Z');
  const upsertOf = (config: ReturnType<typeof compile>) => {
    const result = planCycle({ records: [ada({ managerId: null })], states: new Map(), config, now: NOW });
    const command = result.results[0]!.plan!.steps[0]!.command;
    if (command.kind !== 'UpsertAccount') throw new Error(command.kind);
    return command;
  };

  it('by default nothing but cn follows, and the command stays protocol 1', () => {
    const command = upsertOf(compile());
    expect(command.unique.follow).toBeUndefined();
    expect(command.protocol).toBe(1);
  });

  it('"always" for sAMAccountName and UPN asks the agent to follow them, in protocol 2', () => {
    const config = compile((c) => ({
      ...c,
      uniqueValues: { ...c.uniqueValues, apply: { sAMAccountName: 'always', userPrincipalName: 'always' } },
    }));
    const command = upsertOf(config);
    expect(command.unique.follow).toEqual(['sAMAccountName', 'userPrincipalName']);
    expect(command.protocol).toBe(2);
  });

  it('"always" for mail without mail candidates asks for nothing', () => {
    const config = compile((c) => ({ ...c, uniqueValues: { ...c.uniqueValues, apply: { mail: 'always' } } }));
    expect(upsertOf(config).unique.follow).toBeUndefined();
  });

  it('a legal name change under "always" re-plans the new candidates for the existing account', () => {
    const config = compile((c) => ({
      ...c,
      uniqueValues: { ...c.uniqueValues, apply: { userPrincipalName: 'always' } },
    }));
    const first = planCycle({ records: [ada({ managerId: null })], states: new Map(), config, now: NOW });
    const states = new Map([[first.results[0]!.workerKey, first.results[0]!.nextState!]]);
    const married = ada({ managerId: null, legalName: { first: 'Ada', last: 'King' } });
    const second = planCycle({ records: [married], states, config, now: new Date('2025-03-04T09:00:00.000Z') });
    const r = second.results[0]!;
    expect(r.classification).toBe('name-change');
    const command = r.plan!.steps[0]!.command;
    expect(command.kind === 'UpsertAccount' && command.unique.userPrincipalName[0]).toBe('Ada.King@corp.example.test');
    expect(command.kind === 'UpsertAccount' && command.unique.follow).toEqual(['userPrincipalName']);
  });
});
