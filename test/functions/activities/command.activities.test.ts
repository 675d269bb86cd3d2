/**
 * The lifecycle orchestration's activities (functions/activities/command.activities.ts) over a real
 * SqliteStateStore(':memory:'), with real plan steps from the planner. Proves:
 * - sendCommand hands the command to the channel as is;
 * - recordOutcome stores the outcome (status per result kind), an audit entry with the effect in the
 *   audit's words (`created`, `moved`, `disabled`, `enabled`, `deleted`, `updated`, `no-change`,
 *   `failed`, `looked-up`, `timed-out`) and the HR cause, and updates the account link from an
 *   Applied/NoChange result only;
 * - recording the same outcome twice (a replayed activity) stores one outcome and one audit entry.
 */
import { createCommandActivities, type CommandActivities } from '../../../functions/activities/command.activities';
import { createCycleActivities } from '../../../functions/activities/cycle.activities';
import type { PendingStep } from '../../../functions/orchestrations/lifecycle-state';
import type { DirectoryCommandInput } from '../../../shared/protocol/commands';
import type { CommandResult } from '../../../shared/protocol/results';
import {
  DOMAIN,
  harness,
  OBJECT_GUID,
  pendingStep,
  record,
  results,
  snapshot,
  SOURCE_ID,
  VALID,
  type ActivityHarness,
} from './activity-fixtures';

const WORKER = 'workday:1001';
let h: ActivityHarness;
let activities: CommandActivities;
/** The joiner's first step (UpsertAccount) and the leaver's disable, from real plans. */
let upsert: PendingStep;
let disable: PendingStep;

beforeEach(async () => {
  h = harness();
  activities = createCommandActivities(h.ports);
  const cycle = createCycleActivities(h.ports);
  h.source.next = snapshot(VALID, 'sha:1');
  await cycle.planCycle({ sourceId: SOURCE_ID, cycleId: 'c1', trigger: 'api', cursor: 'sha:1' });
  await cycle.commitCycle({
    cycleId: 'c1',
    sourceId: SOURCE_ID,
    cursor: 'sha:1',
    status: 'completed',
    reason: null,
    includeHeld: false,
  });
  const joinerPlan = (await h.store.getCyclePlans('c1')).find((p) => p.workerKey === WORKER)?.plan;
  if (!joinerPlan?.steps[0]) throw new Error('no joiner plan');
  upsert = pendingStep(joinerPlan.steps[0], joinerPlan.planId);
  const leaver = record('1001', { employmentStatus: 'terminated', terminationDate: '2026-10-30' });
  h.source.next = snapshot([leaver, ...VALID.filter((r) => r.id !== '1001')], 'sha:2');
  await cycle.planCycle({ sourceId: SOURCE_ID, cycleId: 'c2', trigger: 'api', cursor: 'sha:2' });
  const leaverPlan = (await h.store.getCyclePlans('c2')).find((p) => p.workerKey === WORKER)?.plan;
  const disableStep = leaverPlan?.steps.find((s) => s.command.kind === 'DisableAccount');
  if (!leaverPlan || !disableStep) throw new Error('no leaver plan with a DisableAccount');
  disable = pendingStep(disableStep, leaverPlan.planId, 'c2');
});
afterEach(async () => {
  await h.store.close();
});

/** The upsert step under another command kind (only the audit's wording depends on it). */
function asKind(kind: DirectoryCommandInput['kind']): PendingStep {
  return { ...upsert, command: { ...upsert.command, kind } as DirectoryCommandInput };
}

describe('sendCommand', () => {
  it('hands the command to the channel unchanged', async () => {
    await activities.sendCommand(upsert.command);
    expect(h.sent).toEqual([upsert.command]);
  });
});

describe('recordOutcome', () => {
  type Case = {
    what: string;
    step: () => PendingStep;
    result: (c: DirectoryCommandInput) => CommandResult | null;
    status: string;
    effect: string;
  };
  const cases: Case[] = [
    {
      what: 'a created account',
      step: () => upsert,
      result: (c) => results.applied(c, { created: true }),
      status: 'applied',
      effect: 'created',
    },
    {
      what: 'a moved account',
      step: () => upsert,
      result: (c) => results.applied(c, { moved: { from: `OU=Old,${DOMAIN}`, to: `OU=Users,${DOMAIN}` } }),
      status: 'applied',
      effect: 'moved',
    },
    {
      what: 'an updated account',
      step: () => upsert,
      result: (c) => results.applied(c),
      status: 'applied',
      effect: 'updated',
    },
    {
      what: 'a disable',
      step: () => disable,
      result: (c) => results.applied(c),
      status: 'applied',
      effect: 'disabled',
    },
    {
      what: 'an enable',
      step: () => asKind('EnableAccount'),
      result: (c) => results.applied(c),
      status: 'applied',
      effect: 'enabled',
    },
    {
      what: 'a delete',
      step: () => asKind('DeleteAccount'),
      result: (c) => results.applied(c, { deleted: true }),
      status: 'applied',
      effect: 'deleted',
    },
    {
      what: 'no change',
      step: () => upsert,
      result: (c) => results.noChange(c),
      status: 'unchanged',
      effect: 'no-change',
    },
    { what: 'a failure', step: () => upsert, result: (c) => results.failed(c), status: 'failed', effect: 'failed' },
    {
      what: 'a lookup',
      step: () => asKind('LookupAccount'),
      result: (c) => results.lookedUp(c),
      status: 'looked-up',
      effect: 'looked-up',
    },
    { what: 'no result in time', step: () => upsert, result: () => null, status: 'timed-out', effect: 'timed-out' },
  ];

  it.each(cases)('$what → outcome $status, audit effect $effect', async ({ step, result, status, effect }) => {
    const s = step();
    const r = result(s.command);
    await activities.recordOutcome({ workerKey: WORKER, step: s, attempts: 2, result: r });
    const at = h.clock.now().toISOString();

    expect(await h.store.listOutcomes(WORKER)).toEqual([
      {
        commandId: s.command.commandId,
        workerKey: WORKER,
        planId: s.planId,
        sequence: s.command.sequence,
        kind: s.command.kind,
        at,
        attempts: 2,
        result: r,
        status,
      },
    ]);
    const { entries } = await h.store.queryAudit({ workerKey: WORKER });
    expect(entries).toEqual([
      {
        commandId: s.command.commandId,
        workerKey: WORKER,
        at,
        action: s.command.kind,
        effect,
        cause: s.cause,
        planId: s.planId,
        command: s.command,
        result: r,
      },
    ]);
  });

  it('records the same outcome twice as one outcome and one audit entry', async () => {
    const outcome = {
      workerKey: WORKER,
      step: upsert,
      attempts: 1,
      result: results.applied(upsert.command, { created: true }),
    };
    await activities.recordOutcome(outcome);
    await activities.recordOutcome(outcome);
    expect(await h.store.listOutcomes(WORKER)).toHaveLength(1);
    expect((await h.store.queryAudit({ workerKey: WORKER })).entries).toHaveLength(1);
  });

  it('links the account from an Applied result: objectGUID, DN and the chosen identifiers', async () => {
    const dn = `CN=Ada Lovelace,OU=London,OU=Users,${DOMAIN}`;
    const result = results.applied(upsert.command, { created: true, dn, chosen: { sAMAccountName: 'alovelace' } });
    await activities.recordOutcome({ workerKey: WORKER, step: upsert, attempts: 1, result });
    expect(await h.store.getLink(WORKER)).toMatchObject({
      workerKey: WORKER,
      objectGUID: OBJECT_GUID,
      dn,
      identifiers: expect.objectContaining({ sAMAccountName: 'alovelace', objectGUID: OBJECT_GUID, dn }) as unknown,
      updatedAt: h.clock.now().toISOString(),
    });
  });

  it('keeps the chosen identifiers when a later result moves the account', async () => {
    const first = results.applied(upsert.command, { created: true, chosen: { sAMAccountName: 'alovelace' } });
    await activities.recordOutcome({ workerKey: WORKER, step: upsert, attempts: 1, result: first });
    const to = `CN=Ada Lovelace,OU=Berlin,OU=Users,${DOMAIN}`;
    const moved = results.applied(disable.command, { dn: to, moved: { from: first.dn ?? '', to } });
    await activities.recordOutcome({ workerKey: WORKER, step: disable, attempts: 1, result: moved });
    expect(await h.store.getLink(WORKER)).toMatchObject({
      dn: to,
      identifiers: expect.objectContaining({ sAMAccountName: 'alovelace', dn: to }) as unknown,
    });
  });

  it.each([
    ['a failure', (c: DirectoryCommandInput) => results.failed(c)],
    ['no result', () => null],
  ])('leaves the link alone after %s', async (_what, result) => {
    await activities.recordOutcome({ workerKey: WORKER, step: upsert, attempts: 5, result: result(upsert.command) });
    expect(await h.store.getLink(WORKER)).toBeNull();
  });
});
