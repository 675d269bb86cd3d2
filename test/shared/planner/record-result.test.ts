/**
 * Agent results folded back into the last known state: the identifiers the agent chose and the
 * account's DN and objectGUID reach the next cycle; failures and other workers' results change nothing.
 */
import { recordResult, type LastKnownState } from '../../../shared/planner';
import type { CommandResult } from '../../../shared/protocol';
import { ada, CONFIG, runCycles } from './fixtures';

const state: LastKnownState = runCycles([{ at: '2025-03-03T09:00:00.000Z', records: [ada()] }], CONFIG).result
  .results[0]!.nextState!;
const envelope = { commandId: 'c-1', workerKey: 'workday:1001', sequence: 1 };
const applied = (extra: Partial<Extract<CommandResult, { kind: 'Applied' }>>): CommandResult => ({
  kind: 'Applied',
  ...envelope,
  dn: 'CN=Ada Lovelace,OU=London,OU=Users,DC=corp,DC=example,DC=test',
  objectGUID: '0b6d3c8e-6f0a-4a8e-9a55-1c8d8f1f7e01',
  created: true,
  deleted: false,
  changes: [],
  chosen: { sAMAccountName: 'alovelace', userPrincipalName: 'Ada.Lovelace@corp.example.test', cn: 'Ada Lovelace' },
  groupsAdded: [],
  groupsRemoved: [],
  pending: [],
  ...extra,
});

type Row = [situation: string, result: CommandResult, identifiers: LastKnownState['identifiers']];

const TABLE: Row[] = [
  [
    'a create: chosen values, DN and GUID recorded',
    applied({}),
    {
      sAMAccountName: 'alovelace',
      userPrincipalName: 'Ada.Lovelace@corp.example.test',
      cn: 'Ada Lovelace',
      dn: 'CN=Ada Lovelace,OU=London,OU=Users,DC=corp,DC=example,DC=test',
      objectGUID: '0b6d3c8e-6f0a-4a8e-9a55-1c8d8f1f7e01',
    },
  ],
  [
    'no change: the DN and GUID only',
    { kind: 'NoChange', ...envelope, dn: 'CN=A,DC=x', objectGUID: 'g', pending: [] },
    { dn: 'CN=A,DC=x', objectGUID: 'g' },
  ],
  ['a delete: identifiers forgotten', applied({ deleted: true, created: false, chosen: {} }), {}],
  [
    'a failure: nothing changes',
    { kind: 'Failed', ...envelope, code: 'Unexpected', retryable: true, message: 'x' },
    {},
  ],
  ['another worker’s result: nothing changes', applied({ workerKey: 'workday:7' }), {}],
];

describe('recordResult', () => {
  it.each(TABLE)('%s', (_situation, result, identifiers) => {
    const next = recordResult(state, result);
    expect(next.identifiers).toEqual(identifiers);
    expect({ ...next, identifiers: {} }).toEqual({ ...state, identifiers: {} });
  });
});
