/**
 * Planner truth table: classification × situation. Each row replays earlier cycles (what hr2ad stored),
 * plans the new snapshot, and checks the classification and the dated steps. London is on GMT until
 * 2025-03-30 and on BST after, so local midnights are 00:00Z before and 23:00Z (the day before) after.
 */
import type { MappingConfigInput } from '../../../shared/mapping/config';
import type { UpsertAccount } from '../../../shared/protocol';
import type { Classification, WorkerPlanResult } from '../../../shared/planner';
import {
  ada,
  compile,
  CONFIG,
  DISABLED_OU,
  LONDON_OU,
  resultFor,
  runCycles,
  stepSummary,
  SYDNEY_OU,
  type Cycle,
} from './fixtures';

const NOW = '2025-03-03T09:00:00.000Z';
const EARLIER = '2025-03-01T09:00:00.000Z';
const KEY = 'workday:1001';

const withDelete = (c: MappingConfigInput): MappingConfigInput => ({ ...c, leaver: { deleteAfterDays: 30 } });
const withLead = (c: MappingConfigInput): MappingConfigInput => ({ ...c, joiner: { createDaysBeforeStart: 5 } });
const scoped =
  (outOfScope: 'ignore' | 'disable') =>
  (c: MappingConfigInput): MappingConfigInput => ({
    ...c,
    scoping: {
      filters: [
        { name: 'not the board', clauses: [{ attribute: 'Department', operator: 'NOT EQUALS', value: 'Board' }] },
      ],
      outOfScope,
    },
  });
const personIdMatch = (c: MappingConfigInput): MappingConfigInput => ({
  ...c,
  attributeMappings: [
    ...c.attributeMappings,
    { type: 'direct', source: 'PersonID', target: 'extensionAttribute1', matchingPrecedence: 2 },
  ],
  rehire: { previousIdAttribute: null },
});

const upsert = (r: WorkerPlanResult, index = 0) => r.plan!.steps[index]!.command as UpsertAccount;

interface Situation {
  /** Earlier cycles, oldest first. */
  readonly history?: readonly Cycle[];
  /** The snapshot planned now (default: just `record`). */
  readonly records?: readonly unknown[];
  readonly record?: unknown;
  readonly key?: string;
  readonly config?: (c: MappingConfigInput) => MappingConfigInput;
}

interface Expected {
  readonly classification: Classification;
  readonly steps: [kind: string, purpose: string, due: string][];
  readonly supersedes?: boolean;
  readonly cancels?: number;
  readonly details?: readonly string[];
  readonly reusesAccountOf?: string;
  readonly check?: (r: WorkerPlanResult) => void;
}

type Row = [situation: string, given: Situation, expected: Expected];

const TABLE: Row[] = [
  [
    'joiner: started in January, first seen now',
    { record: ada({ hireDate: '2025-01-06' }) },
    {
      classification: 'joiner',
      steps: [['UpsertAccount', 'create', 'now']],
      supersedes: false,
      check: (r) => {
        expect(upsert(r)).toMatchObject({
          enabled: true,
          parentOu: LONDON_OU,
          match: [{ attribute: 'employeeID', value: '1001' }],
          attributes: { onCreate: { employeeID: '1001' } },
        });
        expect(upsert(r).unique.sAMAccountName[0]).toBe('alovelace');
      },
    },
  ],
  [
    'pre-hire: starts next Monday; created disabled now, enabled at the start of the local day',
    { record: ada({ hireDate: '2025-03-10' }) },
    {
      classification: 'pre-hire',
      steps: [
        ['UpsertAccount', 'create', 'now'],
        ['EnableAccount', 'enable-at-start', '2025-03-10T00:00:00.000Z'],
      ],
      check: (r) => expect(upsert(r).enabled).toBe(false),
    },
  ],
  [
    'pre-hire with a 5-day lead: created 5 local days before the start',
    { record: ada({ hireDate: '2025-03-10' }), config: withLead },
    {
      classification: 'pre-hire',
      steps: [
        ['UpsertAccount', 'create', '2025-03-05T00:00:00.000Z'],
        ['EnableAccount', 'enable-at-start', '2025-03-10T00:00:00.000Z'],
      ],
    },
  ],
  [
    'mover: department changes',
    { history: [{ at: EARLIER, records: [ada()] }], record: ada({ department: 'Research' }) },
    {
      classification: 'mover',
      steps: [['UpsertAccount', 'sync', 'now']],
      supersedes: true,
      cancels: 0,
      details: ['department'],
      check: (r) => expect(upsert(r).attributes.always.department).toBe('Research'),
    },
  ],
  [
    'mover: location changes, so the OU does',
    { history: [{ at: EARLIER, records: [ada()] }], record: ada({ location: 'Sydney' }) },
    {
      classification: 'mover',
      steps: [['UpsertAccount', 'sync', 'now']],
      details: ['location', 'parentOu', 'l'],
      check: (r) => expect(upsert(r).parentOu).toBe(SYDNEY_OU),
    },
  ],
  [
    'mover: manager changes',
    { history: [{ at: EARLIER, records: [ada()] }], record: ada({ managerId: '901' }) },
    {
      classification: 'mover',
      steps: [['UpsertAccount', 'sync', 'now']],
      details: ['managerId', 'manager'],
      check: (r) => expect(upsert(r).manager).toEqual({ attribute: 'employeeID', value: '901' }),
    },
  ],
  [
    'mover: manager removed',
    { history: [{ at: EARLIER, records: [ada()] }], record: ada({ managerId: null }) },
    {
      classification: 'mover',
      steps: [['UpsertAccount', 'sync', 'now']],
      details: ['manager'],
      check: (r) => expect(upsert(r).manager).toBeNull(),
    },
  ],
  [
    'leaver: last day 31 March; disabled at the end of that London day, deleted 30 days on',
    {
      history: [{ at: EARLIER, records: [ada()] }],
      record: ada({ terminationDate: '2025-03-31' }),
      config: withDelete,
    },
    {
      classification: 'leaver',
      steps: [
        ['UpsertAccount', 'sync', 'now'],
        ['DisableAccount', 'disable-at-termination', '2025-03-31T23:00:00.000Z'],
        ['DeleteAccount', 'delete-after-termination', '2025-04-30T23:00:00.000Z'],
      ],
      check: (r) => expect(r.plan!.steps[1]!.command).toMatchObject({ moveTo: DISABLED_OU }),
    },
  ],
  [
    'leaver: termination entered after the fact; disabled now',
    {
      history: [{ at: EARLIER, records: [ada()] }],
      record: ada({ employmentStatus: 'terminated', terminationDate: '2025-02-28' }),
    },
    { classification: 'leaver', steps: [['DisableAccount', 'sync', 'now']] },
  ],
  [
    'leaver: termination moved later; the earlier plan is superseded',
    {
      history: [{ at: EARLIER, records: [ada({ terminationDate: '2025-03-31' })] }],
      record: ada({ terminationDate: '2025-04-15' }),
    },
    {
      classification: 'leaver',
      steps: [
        ['UpsertAccount', 'sync', 'now'],
        ['DisableAccount', 'disable-at-termination', '2025-04-15T23:00:00.000Z'],
      ],
      supersedes: true,
      cancels: 1,
    },
  ],
  [
    'termination cancelled: the pending disable is cancelled',
    {
      history: [{ at: EARLIER, records: [ada({ terminationDate: '2025-03-31' })] }],
      record: ada(),
    },
    {
      classification: 'mover',
      steps: [['UpsertAccount', 'sync', 'now']],
      supersedes: true,
      cancels: 1,
      details: ['terminationDate', 'lifecycle'],
    },
  ],
  [
    'rehire, same id, starting today: back to the regular OU, enabled',
    {
      history: [{ at: '2024-12-01T09:00:00.000Z', records: [ada({ terminationDate: '2024-12-31' })] }],
      record: ada({ hireDate: '2025-03-03' }),
    },
    {
      classification: 'rehire',
      steps: [['UpsertAccount', 'sync', 'now']],
      check: (r) => expect(upsert(r)).toMatchObject({ enabled: true, parentOu: LONDON_OU }),
    },
  ],
  [
    'rehire, same id, starting in two weeks: moved back disabled, enabled at the start',
    {
      history: [{ at: '2024-12-01T09:00:00.000Z', records: [ada({ terminationDate: '2024-12-31' })] }],
      record: ada({ hireDate: '2025-03-17' }),
    },
    {
      classification: 'rehire',
      steps: [
        ['UpsertAccount', 'sync', 'now'],
        ['EnableAccount', 'enable-at-start', '2025-03-17T00:00:00.000Z'],
      ],
      check: (r) => expect(upsert(r)).toMatchObject({ enabled: false, parentOu: LONDON_OU }),
    },
  ],
  [
    'rehire after the account was hard-deleted: created again',
    {
      history: [{ at: '2024-10-01T09:00:00.000Z', records: [ada({ terminationDate: '2024-10-31' })] }],
      record: ada({ hireDate: '2025-03-03' }),
      config: withDelete,
    },
    { classification: 'rehire', steps: [['UpsertAccount', 'create', 'now']] },
  ],
  [
    'rehire with a new id, found through PreviousWorkerID: the old account takes the new id',
    {
      history: [{ at: '2024-12-01T09:00:00.000Z', records: [ada({ terminationDate: '2024-12-31' })] }],
      records: [
        ada({ id: '2002', hireDate: '2025-03-03', previousId: '1001' }),
        ada({ terminationDate: '2024-12-31' }),
      ],
      key: 'workday:2002',
    },
    {
      classification: 'rehire',
      steps: [['UpsertAccount', 'sync', 'now']],
      supersedes: true,
      reusesAccountOf: KEY,
      check: (r) => {
        expect(upsert(r).match).toEqual([
          { attribute: 'employeeID', value: '2002' },
          { attribute: 'employeeID', value: '1001' },
        ]);
        expect(upsert(r).attributes.always.employeeID).toBe('2002');
      },
    },
  ],
  [
    'rehire with a new id, found through a matching attribute',
    {
      history: [
        {
          at: '2024-12-01T09:00:00.000Z',
          records: [ada({ terminationDate: '2024-12-31', customFields: { PersonID: 'P-1' } })],
        },
      ],
      records: [ada({ id: '2002', hireDate: '2025-03-03', customFields: { PersonID: 'P-1' } })],
      key: 'workday:2002',
      config: personIdMatch,
    },
    {
      classification: 'rehire',
      steps: [['UpsertAccount', 'sync', 'now']],
      reusesAccountOf: KEY,
      check: (r) => expect(upsert(r).match).toContainEqual({ attribute: 'extensionAttribute1', value: 'P-1' }),
    },
  ],
  [
    'conversion, same id: contractor becomes employee now',
    {
      history: [{ at: EARLIER, records: [ada({ employeeType: 'contractor' })] }],
      record: ada(),
    },
    {
      classification: 'conversion',
      steps: [['UpsertAccount', 'sync', 'now']],
      details: ['employeeType'],
      check: (r) => expect(upsert(r).attributes.always.employeeType).toBe('employee'),
    },
  ],
  [
    'conversion, same id, effective 1 April (BST): applied at the start of that local day',
    {
      history: [{ at: EARLIER, records: [ada({ employeeType: 'contractor' })] }],
      record: ada({
        employeeType: 'contractor',
        future: [{ effectiveDate: '2025-04-01', changes: { employeeType: 'employee' } }],
      }),
    },
    {
      classification: 'conversion',
      steps: [
        ['UpsertAccount', 'sync', 'now'],
        ['UpsertAccount', 'effective-change', '2025-03-31T23:00:00.000Z'],
      ],
      check: (r) => {
        expect(upsert(r, 0).attributes.always.employeeType).toBe('contractor');
        expect(upsert(r, 1).attributes.always.employeeType).toBe('employee');
      },
    },
  ],
  [
    'conversion with a new id: the contractor keeps the account until the employee starts',
    {
      history: [
        { at: EARLIER, records: [ada({ id: 'C-77', employeeType: 'contractor', terminationDate: '2025-03-31' })] },
      ],
      records: [
        ada({ id: 'C-77', employeeType: 'contractor', terminationDate: '2025-03-31' }),
        ada({ hireDate: '2025-04-01', previousId: 'C-77' }),
      ],
    },
    {
      classification: 'conversion',
      steps: [['UpsertAccount', 'create', '2025-03-31T23:00:00.000Z']],
      supersedes: true,
      cancels: 1,
      reusesAccountOf: 'workday:C-77',
      check: (r) =>
        expect(upsert(r)).toMatchObject({
          enabled: true,
          match: [{ value: '1001' }, { value: 'C-77' }],
          attributes: { always: { employeeID: '1001', employeeType: 'employee' } },
        }),
    },
  ],
  [
    'rescinded hire after the account was created: disabled and parked',
    {
      history: [{ at: EARLIER, records: [ada({ hireDate: '2025-03-17' })] }],
      record: ada({ hireDate: '2025-03-17', employmentStatus: 'rescinded' }),
    },
    {
      classification: 'rescinded-hire',
      steps: [['DisableAccount', 'rescind', 'now']],
      cancels: 1,
      check: (r) => expect(r.plan!.steps[0]!.command).toMatchObject({ moveTo: DISABLED_OU }),
    },
  ],
  [
    'rescinded hire, policy delete',
    {
      history: [{ at: EARLIER, records: [ada({ hireDate: '2025-03-17' })] }],
      record: ada({ hireDate: '2025-03-17', employmentStatus: 'rescinded' }),
      config: (c) => ({ ...c, leaver: { rescindedHire: 'delete' } }),
    },
    { classification: 'rescinded-hire', steps: [['DeleteAccount', 'rescind', 'now']], cancels: 1 },
  ],
  [
    'rescinded hire before the account was due: the pending creation is cancelled',
    {
      history: [{ at: EARLIER, records: [ada({ hireDate: '2025-03-17' })] }],
      record: ada({ hireDate: '2025-03-17', employmentStatus: 'rescinded' }),
      config: withLead,
    },
    { classification: 'rescinded-hire', steps: [], supersedes: true, cancels: 2 },
  ],
  [
    'name change: cn and displayName follow; the logon names are create-only',
    {
      history: [{ at: EARLIER, records: [ada()] }],
      record: ada({ legalName: { first: 'Ada', last: 'King' } }),
    },
    {
      classification: 'name-change',
      steps: [['UpsertAccount', 'sync', 'now']],
      details: ['legalName', 'sn', 'displayName'],
      check: (r) => {
        expect(upsert(r).attributes.always).toMatchObject({ sn: 'King', displayName: 'Ada King' });
        expect(upsert(r).unique.cn[0]).toBe('Ada King');
        expect(upsert(r).attributes.onCreate).toEqual({ employeeID: '1001' });
      },
    },
  ],
  [
    'name change: preferred name only',
    {
      history: [{ at: EARLIER, records: [ada()] }],
      record: ada({ preferredName: { first: 'Augusta' } }),
    },
    {
      classification: 'name-change',
      steps: [['UpsertAccount', 'sync', 'now']],
      check: (r) =>
        expect(upsert(r).attributes.always).toMatchObject({ givenName: 'Ada', displayName: 'Augusta Lovelace' }),
    },
  ],
  [
    'out of scope: never provisioned',
    { record: ada({ department: 'Board' }), config: scoped('ignore') },
    { classification: 'out-of-scope', steps: [] },
  ],
  [
    'out of scope: left scope, account left alone (default)',
    {
      history: [{ at: EARLIER, records: [ada()] }],
      record: ada({ department: 'Board' }),
      config: scoped('ignore'),
    },
    { classification: 'out-of-scope', steps: [], details: ['left scope'] },
  ],
  [
    'out of scope: left scope, configured to disable',
    {
      history: [{ at: EARLIER, records: [ada()] }],
      record: ada({ department: 'Board' }),
      config: scoped('disable'),
    },
    { classification: 'out-of-scope', steps: [['DisableAccount', 'out-of-scope', 'now']] },
  ],
  [
    'invalid: termination before hire',
    { record: ada({ terminationDate: '2023-12-31' }) },
    { classification: 'invalid', steps: [] },
  ],
  [
    'no-op: nothing changed',
    { history: [{ at: EARLIER, records: [ada()] }], record: ada() },
    { classification: 'no-op', steps: [] },
  ],
  [
    'no-op: left before an account was ever made',
    { record: ada({ employmentStatus: 'terminated', terminationDate: '2025-01-31' }) },
    { classification: 'no-op', steps: [] },
  ],
];

describe('planner truth table', () => {
  it.each(TABLE)('%s', (_situation, given, expected) => {
    const config = given.config ? compile(given.config) : CONFIG;
    const records = given.records ?? [given.record];
    const { result } = runCycles([...(given.history ?? []), { at: NOW, records }], config);
    const r = resultFor(result, given.key ?? KEY);

    expect(r.classification).toBe(expected.classification);
    expect(stepSummary(r)).toEqual(expected.steps);
    if (expected.supersedes !== undefined) expect(r.plan?.supersedes != null).toBe(expected.supersedes);
    if (expected.cancels !== undefined) expect(r.plan?.cancels.length).toBe(expected.cancels);
    if (expected.details) expect(r.details).toEqual(expect.arrayContaining([...expected.details]));
    if (expected.reusesAccountOf) {
      expect(r.reusesAccountOf).toBe(expected.reusesAccountOf);
      expect(resultFor(result, expected.reusesAccountOf).nextState?.adoptedBy).toBe(r.workerKey);
    }
    if (expected.classification === 'invalid') expect(r.outcome).toBe('quarantined');
    // Every command is in protocol shape, ordered by sequence, and due no earlier than it is issued.
    r.plan?.steps.forEach((step, i) => {
      expect(step.command.commandId).toBe(`${r.plan!.planId}.${i}`);
      expect(step.command.workerKey).toBe(r.workerKey);
      if (i > 0) expect(step.command.sequence).toBe(r.plan!.steps[i - 1]!.command.sequence + 1);
      expect(step.command.issuedAt).toBe(step.dueAt);
    });
    expected.check?.(r);
  });
});
