/**
 * Data for the state store contract: real worker states and plans, made by running the real planner
 * with the shipped mapping on examples/hr-snapshot.json, and builders for the store's own records.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMappingConfig, DEFAULT_MAPPING_CONFIG, describeConfigIssues } from '../../../shared/mapping/config';
import { planCycle, type CycleResult } from '../../../shared/planner/plan-cycle';
import type { LastKnownState, WorkerPlanResult } from '../../../shared/planner/types';
import type {
  AuditEntry,
  CommandOutcome,
  CyclePlan,
  CycleRecord,
  QuarantineEntry,
  SourceCursor,
} from '../../../shared/ports/state-store.port';
import type { DirectoryCommandInput } from '../../../shared/protocol/commands';
import type { CommandResult } from '../../../shared/protocol/results';

export const SOURCE = 'workday';
export const PLANNED_AT = '2026-11-01T06:00:00.000Z';

function planSnapshot(): CycleResult {
  const loaded = compileMappingConfig(DEFAULT_MAPPING_CONFIG);
  if (!loaded.ok) throw new Error(describeConfigIssues(loaded.issues));
  const file = join(__dirname, '../../../examples/hr-snapshot.json');
  const records = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  return planCycle({ records, states: new Map(), config: loaded.value, now: new Date(PLANNED_AT) });
}

/** The planner's result for the example snapshot (planned once: it is pure). */
export const CYCLE_RESULT = planSnapshot();

/** Results with a plan and a next state (the valid workers). */
export const PLANNED: readonly (WorkerPlanResult & { plan: NonNullable<WorkerPlanResult['plan']> })[] =
  CYCLE_RESULT.results.filter((r): r is WorkerPlanResult & { plan: NonNullable<WorkerPlanResult['plan']> } =>
    Boolean(r.plan && r.nextState),
  );

/** Real next states, by worker key. */
export const STATES: readonly LastKnownState[] = PLANNED.map((r) => r.nextState as LastKnownState);

/** A state the state codec refuses (a lifecycle phase that does not exist). */
export function invalidState(base: LastKnownState): LastKnownState {
  return { ...base, desired: { ...base.desired, phase: 'retired' as LastKnownState['desired']['phase'] } };
}

/** A planned command (the first step of the first plan) under another command id. */
export function command(commandId: string, index = 0): DirectoryCommandInput {
  const plan = PLANNED[index % PLANNED.length]!.plan;
  return { ...plan.steps[0]!.command, commandId };
}

export function cycle(cycleId: string, changes: Partial<CycleRecord> = {}): CycleRecord {
  return {
    cycleId,
    sourceId: SOURCE,
    status: 'planned',
    startedAt: PLANNED_AT,
    updatedAt: PLANNED_AT,
    cursor: null,
    reason: null,
    counts: { joiner: 3, 'pre-hire': 1, quarantined: 1 },
    heldPlanIds: [],
    decision: null,
    ...changes,
  };
}

export function cursor(value: string, cycleId: string, sourceId = SOURCE): SourceCursor {
  return { sourceId, cursor: value, committedAt: PLANNED_AT, cycleId };
}

/** The quarantine of the example snapshot's invalid records, under `sourceId`. */
export function quarantineOf(cycleId: string, sourceId = SOURCE, since = PLANNED_AT): QuarantineEntry[] {
  return CYCLE_RESULT.quarantined.map((q) => ({
    sourceId,
    workerKey: q.workerKey,
    location: `record ${q.index}`,
    issues: q.issues,
    since,
    cycleId,
  }));
}

export function quarantineEntry(location: string, workerKey: string, changes: Partial<QuarantineEntry> = {}) {
  return {
    sourceId: SOURCE,
    workerKey,
    location,
    issues: [{ workerKey, path: 'hireDate', message: 'expected a date' }],
    since: PLANNED_AT,
    cycleId: 'c1',
    ...changes,
  } satisfies QuarantineEntry;
}

/** The example snapshot's outcomes as the cycle `cycleId` keeps them. */
export function cyclePlans(cycleId: string): CyclePlan[] {
  return CYCLE_RESULT.results.map((r) => ({
    cycleId,
    workerKey: r.workerKey,
    classification: r.classification,
    details: r.details,
    plan: r.plan,
    nextState: r.nextState,
    held: false,
  }));
}

function appliedResult(cmd: DirectoryCommandInput): CommandResult {
  return {
    kind: 'Applied',
    commandId: cmd.commandId,
    workerKey: cmd.workerKey,
    sequence: cmd.sequence,
    dn: 'CN=Ada Lovelace,OU=London,OU=Users,DC=contoso,DC=com',
    objectGUID: '6f1c1a52-8d0c-4f5e-9d3a-3b1f0e9c2a11',
    created: true,
    deleted: false,
    changes: [{ attribute: 'title', before: null, after: 'Engineer' }],
    chosen: { sAMAccountName: 'alovelace' },
    groupsAdded: [],
    groupsRemoved: [],
    pending: [],
  };
}

/** An outcome of a planned command (of the `worker`th planned worker) under `commandId`. */
export function outcome(
  commandId: string,
  at: string,
  changes: Partial<CommandOutcome> = {},
  worker = 0,
): CommandOutcome {
  const cmd = command(commandId, worker);
  return {
    commandId,
    workerKey: cmd.workerKey,
    planId: PLANNED[worker % PLANNED.length]!.plan.planId,
    sequence: cmd.sequence,
    kind: cmd.kind,
    at,
    attempts: 1,
    result: appliedResult(cmd),
    status: 'applied',
    ...changes,
  };
}

/** An audit entry for a planned command (of the `worker`th planned worker) under `commandId`. */
export function auditEntry(commandId: string, at: string, changes: Partial<AuditEntry> = {}, worker = 0): AuditEntry {
  const cmd = command(commandId, worker);
  return {
    commandId,
    workerKey: cmd.workerKey,
    at,
    action: cmd.kind,
    effect: 'created',
    cause: { cycleId: 'c1', classification: 'joiner', details: [] },
    planId: PLANNED[worker % PLANNED.length]!.plan.planId,
    command: cmd,
    result: appliedResult(cmd),
    ...changes,
  };
}

/** `n` minutes after `base`, as an ISO instant. */
export function minutesAfter(base: string, n: number): string {
  return new Date(Date.parse(base) + n * 60_000).toISOString();
}

/** An audit entry for a real planned command of `kind` (DisableAccount, EnableAccount…) under `commandId`. */
export function auditEntryOfKind(kind: DirectoryCommandInput['kind'], commandId: string, at: string): AuditEntry {
  const step = PLANNED.flatMap((r) => r.plan.steps).find((s) => s.command.kind === kind);
  if (!step) throw new Error(`the example snapshot plans no ${kind}`);
  const cmd = { ...step.command, commandId };
  const effect = kind === 'DisableAccount' ? 'disabled' : kind === 'EnableAccount' ? 'enabled' : 'updated';
  return { ...auditEntry(commandId, at), workerKey: cmd.workerKey, action: kind, command: cmd, effect };
}
