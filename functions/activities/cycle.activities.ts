/**
 * The sync cycle's activities, built over injected ports (never by importing adapters): poll a source,
 * plan its snapshot, record an administrator's decision, commit. Handing plans on is in
 * hand-on.activity.ts (it needs the durable client).
 */
import { planCycle, type CycleResult } from '../../shared/planner/plan-cycle';
import type { HrSnapshotRead } from '../../shared/ports/hr-source.port';
import type { CycleRecord, CyclePlan, QuarantineEntry } from '../../shared/ports/state-store.port';
import { findSource, type ControlPlanePorts } from '../app/control-plane-ports';
import type {
  CommitInput,
  CycleDecision,
  PlanOutcome,
  PollOutcome,
  SyncCycleInput,
} from '../orchestrations/sync-cycle.orchestrator';
import { statesWithLinks, withLink } from './account-links';
import { cycleCounts, quarantineEntries } from './cycle-records';

export interface CycleActivities {
  pollSource(input: SyncCycleInput): Promise<PollOutcome>;
  planCycle(input: SyncCycleInput & { cursor: string | null }): Promise<PlanOutcome>;
  decideCycle(input: { cycleId: string; decision: CycleDecision }): Promise<void>;
  commitCycle(input: CommitInput): Promise<void>;
}

/** Where a read starts: after the stored cursor, or from nothing for a full read. */
function sinceFor(mode: SyncCycleInput['mode'], stored: { readonly cursor: string } | null): string | null {
  return mode === 'full' ? null : (stored?.cursor ?? null);
}

export function createCycleActivities(ports: ControlPlanePorts): CycleActivities {
  const { stateStore: store, clock } = ports;
  const sourceOf = (sourceId: string) => {
    const found = findSource(ports, sourceId);
    if (!found) throw new Error(`no HR source "${sourceId}" is configured`);
    return found.source;
  };
  return {
    async pollSource({ sourceId, mode }) {
      const source = sourceOf(sourceId);
      const stored = await store.getCursor(sourceId);
      let read;
      try {
        read = await source.read({ since: sinceFor(mode, stored) });
      } catch (error) {
        // Connectors retry what may pass; what reaches here (a refused key, a server gone) fails the cycle
        // with the source's own words, which name the source and never a credential.
        const reason = `not read: ${(error as Error).message}`;
        ports.logger.error('HR source could not be read; cycle failed, cursor kept', { sourceId, reason });
        return { kind: 'failed', cursor: null, reason };
      }
      if (read.kind === 'suspect') {
        ports.logger.warn('HR source read is suspect; cycle held, nothing planned', { sourceId, reason: read.reason });
        return { kind: 'suspect', cursor: null, reason: `held, not read: ${read.reason}` };
      }
      const kind = mode !== 'full' && stored?.cursor === read.cursor ? 'unchanged' : 'changed';
      return { kind, cursor: read.cursor, reason: null };
    },

    async planCycle({ cycleId, sourceId, cursor, mode }) {
      const stored = await store.getCursor(sourceId);
      const read = await sourceOf(sourceId).read({ since: sinceFor(mode, stored) });
      if (read.kind !== 'snapshot' || read.cursor !== cursor) return staleOutcome();
      const previousQuarantine = await store.listQuarantine(sourceId);
      const partial = read.partial ? new Set(read.records.map((r) => workerKeyOf(r, sourceId))) : undefined;
      const planned = await planSnapshot(ports, {
        cycleId,
        sourceId,
        cursor,
        read,
        previousQuarantine,
        ...(partial ? { partial } : {}),
      });
      return planned.outcome;
    },

    async decideCycle({ cycleId, decision }) {
      const cycle = await store.getCycle(cycleId);
      if (!cycle) throw new Error(`cycle ${cycleId} is not stored`);
      const at = clock.now().toISOString();
      const status = decision.approved ? 'approved' : 'rejected';
      await store.putCycle({ ...cycle, status, updatedAt: at, decision: { ...decision, at } });
    },

    async commitCycle(input) {
      await commitCycle(ports, input);
    },
  };
}

/** What one cycle plans: the records read, and the quarantine they are judged against. */
export interface SnapshotToPlan {
  readonly cycleId: string;
  readonly sourceId: string;
  readonly cursor: string | null;
  readonly read: HrSnapshotRead;
  /** The source's quarantine before this cycle (a whole read replaces it; a partial one merges into it). */
  readonly previousQuarantine: readonly QuarantineEntry[];
  /** Worker keys a partial read covers: quarantine entries of other workers are kept. Absent: a whole read. */
  readonly partial?: ReadonlySet<string>;
}

/**
 * Plans records against the stored states, stores the cycle's plans, quarantine and record (planned or
 * held), and answers what the orchestration needs. Shared by whole reads and pushed batches.
 */
export async function planSnapshot(
  ports: ControlPlanePorts,
  input: SnapshotToPlan,
): Promise<{ result: CycleResult; outcome: PlanOutcome }> {
  const { stateStore: store, clock } = ports;
  const { cycleId, sourceId, cursor, read } = input;
  const now = clock.now();
  const result = planCycle({
    records: read.records,
    states: await statesWithLinks(store),
    config: ports.mapping,
    now,
    options: { commandLifetimeHours: ports.commandLifetimeHours },
  });
  const plans = cyclePlans(cycleId, result);
  await store.putCyclePlans(plans);
  const fresh = quarantineEntries(sourceId, cycleId, read, result, input.previousQuarantine, now);
  const kept = input.partial
    ? input.previousQuarantine.filter((e) => !input.partial!.has(e.workerKey) && !fresh.some((f) => sameEntry(f, e)))
    : [];
  const quarantine = [...kept, ...fresh];
  const record = plannedRecord(cycleId, sourceId, cursor, result, plans, fresh.length, now.toISOString());
  await store.commitCycle({ cycle: record, cursor: null, states: [], quarantine });
  logPlanned(ports, record);
  const outcome: PlanOutcome = {
    kind: 'planned',
    counts: record.counts,
    ready: plans.filter((p) => p.plan && !p.held).length,
    held: record.heldPlanIds.length,
    holdReason: record.reason,
  };
  return { result, outcome };
}

function sameEntry(a: QuarantineEntry, b: QuarantineEntry): boolean {
  return a.workerKey === b.workerKey && a.location === b.location;
}

/** A record's worker key as the planner keys it (`<source>:<id>`), or its source id when it has none. */
function workerKeyOf(record: unknown, sourceId: string): string {
  const { source, id } = (record ?? {}) as { source?: unknown; id?: unknown };
  return typeof source === 'string' && typeof id === 'string' ? `${source}:${id.trim()}` : sourceId;
}

function staleOutcome(): PlanOutcome {
  return { kind: 'stale', counts: {}, ready: 0, held: 0, holdReason: null };
}

function cyclePlans(cycleId: string, result: CycleResult): CyclePlan[] {
  const held = new Set(result.hold.heldPlanIds);
  return result.results.map((r) => ({
    cycleId,
    workerKey: r.workerKey,
    classification: r.classification,
    details: r.details,
    plan: r.plan,
    nextState: r.nextState,
    held: r.plan !== null && held.has(r.plan.planId),
  }));
}

function plannedRecord(
  cycleId: string,
  sourceId: string,
  cursor: string | null,
  result: CycleResult,
  plans: readonly CyclePlan[],
  quarantined: number,
  at: string,
): CycleRecord {
  return {
    cycleId,
    sourceId,
    status: result.hold.held ? 'held' : 'planned',
    startedAt: at,
    updatedAt: at,
    cursor,
    reason: result.hold.reason,
    counts: cycleCounts(result, plans, quarantined),
    heldPlanIds: result.hold.heldPlanIds,
    decision: null,
  };
}

function logPlanned(ports: ControlPlanePorts, record: CycleRecord): void {
  const fields = { cycleId: record.cycleId, sourceId: record.sourceId, ...record.counts };
  if (record.status === 'held') ports.logger.warn('cycle held for approval', { ...fields, reason: record.reason });
  else ports.logger.info('cycle planned', fields);
}

/** Stores the cycle's outcome: its states (held ones only when approved) and, unless skipped, the cursor. */
async function commitCycle(ports: ControlPlanePorts, input: CommitInput): Promise<void> {
  const { stateStore: store } = ports;
  const at = ports.clock.now().toISOString();
  const quarantine = await store.listQuarantine(input.sourceId);
  const previous = await store.getCycle(input.cycleId);
  const cycle: CycleRecord = {
    ...(previous ?? skippedRecord(input, at)),
    status: input.status,
    updatedAt: at,
    reason: input.reason ?? previous?.reason ?? null,
  };
  const partial = input.ingestThroughSeq !== undefined && input.ingestThroughSeq !== null;
  if (input.status === 'skipped' || (input.cursor === null && !partial)) {
    await store.commitCycle({ cycle, cursor: null, states: [], quarantine });
    return;
  }
  const plans = await store.getCyclePlans(input.cycleId);
  const kept = plans.filter((p) => p.nextState !== null && (!p.held || input.includeHeld));
  const links = await store.getLinks(kept.map((p) => p.workerKey));
  const states = kept.map((p) => withLink(p.nextState!, links.get(p.workerKey)));
  const cursor =
    input.cursor === null
      ? null
      : { sourceId: input.sourceId, cursor: input.cursor, committedAt: at, cycleId: input.cycleId };
  await store.commitCycle({ cycle, cursor, states, quarantine });
  // After the states: a crash between the two plans the batch again, which then changes nothing.
  if (partial) await ports.ingest!.store.markPlanned(input.sourceId, input.ingestThroughSeq!);
  ports.logger.info('cycle committed', { cycleId: input.cycleId, status: input.status, states: states.length });
}

function skippedRecord(input: CommitInput, at: string): CycleRecord {
  return {
    cycleId: input.cycleId,
    sourceId: input.sourceId,
    status: 'skipped',
    startedAt: at,
    updatedAt: at,
    cursor: null,
    reason: input.reason,
    counts: {},
    heldPlanIds: [],
    decision: null,
  };
}
