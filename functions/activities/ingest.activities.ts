/**
 * The ingest cycle's activities: take the oldest batch pushed to a source (SCIM requests, CSV uploads,
 * the workers signed webhooks named, read from the source now), plan it like any read, and record each
 * operation's outcome, which the request's status and the provisioning log show.
 *
 * A batch is planned as a partial read: workers it does not name are left as they are (absence is never
 * a termination), and their quarantine entries stay. Within a batch the latest record for a worker wins;
 * the earlier ones are `superseded`.
 */
import type { LastKnownState } from '../../shared/planner/types';
import type { HrSnapshotRead } from '../../shared/ports/hr-source.port';
import type {
  IngestIssue,
  IngestOperation,
  IngestOutcome,
  StoredIngestRequest,
} from '../../shared/ports/ingest-store.port';
import type { WorkerInput } from '../../shared/worker/worker-schema';
import { findSource, type ControlPlanePorts, type IngestPorts } from '../app/control-plane-ports';
import type { IngestPlanOutcome, SyncCycleInput } from '../orchestrations/sync-cycle.orchestrator';
import { statesWithLinks } from './account-links';
import { planSnapshot } from './cycle.activities';

/** Operations planned per ingest cycle: a cycle stays short, and later requests go into the next one. */
export const INGEST_BATCH_OPERATIONS = 5000;

export interface IngestActivities {
  planIngest(input: SyncCycleInput): Promise<IngestPlanOutcome>;
  ingestWaiting(input: { sourceId: string }): Promise<boolean>;
}

/** One operation to plan, and where it came from. */
interface BatchEntry {
  readonly requestId: string;
  readonly index: number;
  readonly workerKey: string;
  readonly record: unknown;
  readonly location: string;
}

/** A batch made ready to plan: the entries (latest per worker), and outcomes already known. */
interface PreparedBatch {
  readonly entries: readonly BatchEntry[];
  readonly decided: readonly Omit<IngestOutcome, 'cycleId' | 'decidedAt'>[];
}

export function createIngestActivities(ports: ControlPlanePorts): IngestActivities {
  return {
    async planIngest({ cycleId, sourceId }) {
      const ingest = ingestPorts(ports);
      const pending = await ingest.store.pending(sourceId, INGEST_BATCH_OPERATIONS);
      if (pending.throughSeq === null) return { kind: 'empty' };
      const batch = await prepareBatch(ports, sourceId, pending.requests);
      const read = batchRead(batch.entries);
      const previousQuarantine = await ports.stateStore.listQuarantine(sourceId);
      const partial = new Set(batch.entries.map((e) => e.workerKey));
      const planned = await planSnapshot(ports, { cycleId, sourceId, cursor: null, read, previousQuarantine, partial });
      const at = ports.clock.now().toISOString();
      const outcomes = [
        ...batch.decided.map((d) => ({ ...d, cycleId, decidedAt: at })),
        ...batch.entries.map((entry, i) => plannedOutcome(entry, planned.result.results[i], cycleId, at)),
      ];
      await ingest.store.recordOutcomes(outcomes);
      return { ...planned.outcome, throughSeq: pending.throughSeq };
    },

    async ingestWaiting({ sourceId }) {
      return ports.ingest ? ports.ingest.store.hasPending(sourceId) : false;
    },
  };
}

function ingestPorts(ports: ControlPlanePorts): IngestPorts {
  if (!ports.ingest) throw new Error('this control plane takes no pushed records (no ingest store)');
  return ports.ingest;
}

/** The entries of a batch in arrival order, the latest per worker, with stored statuses filled in. */
async function prepareBatch(
  ports: ControlPlanePorts,
  sourceId: string,
  requests: readonly StoredIngestRequest[],
): Promise<PreparedBatch> {
  const decided: Omit<IngestOutcome, 'cycleId' | 'decidedAt'>[] = [];
  const candidates: { entry: BatchEntry; keepStatus: boolean }[] = [];
  for (const request of requests) {
    const queued = request.operations.filter((op) => op.status === 'queued');
    const hinted = queued.filter((op) => op.record === null);
    const read = hinted.length > 0 ? await readHinted(ports, sourceId, request, hinted, decided) : [];
    for (const op of queued) {
      if (op.record !== null && op.workerKey !== null)
        candidates.push({ entry: entryOf(request, op), keepStatus: op.keepStatus });
    }
    candidates.push(...read.map((entry) => ({ entry, keepStatus: false })));
  }
  const latest = new Map<string, number>();
  candidates.forEach((c, i) => latest.set(c.entry.workerKey, i));
  const kept = candidates.filter((c, i) => latest.get(c.entry.workerKey) === i);
  for (const [i, c] of candidates.entries()) {
    if (latest.get(c.entry.workerKey) !== i) decided.push(superseded(c.entry));
  }
  const states = await statesWithLinks(
    ports.stateStore,
    kept.filter((c) => c.keepStatus).map((c) => c.entry.workerKey),
  );
  return { entries: kept.map((c) => (c.keepStatus ? withStoredStatus(c.entry, states) : c.entry)), decided };
}

function entryOf(request: StoredIngestRequest, op: IngestOperation): BatchEntry {
  return {
    requestId: request.requestId,
    index: op.index,
    workerKey: op.workerKey!,
    record: op.record,
    location: `request ${request.requestId} ${op.location}`,
  };
}

/**
 * Reads the workers a webhook named from the source now (the webhook is a hint; the source says what is
 * true). One record per worker comes back; a worker the source does not have is `not-found`.
 */
async function readHinted(
  ports: ControlPlanePorts,
  sourceId: string,
  request: StoredIngestRequest,
  hinted: readonly IngestOperation[],
  decided: Omit<IngestOutcome, 'cycleId' | 'decidedAt'>[],
): Promise<BatchEntry[]> {
  const source = findSource(ports, sourceId)?.source;
  const ids = hinted.map((op) => op.workerKey!.slice(op.workerKey!.indexOf(':') + 1));
  const read = source ? await source.read({ workerIds: ids }) : null;
  if (!read || read.kind !== 'snapshot') {
    const message = read ? `the source could not be read: ${read.reason}` : `${sourceId} is not a source hr2ad reads`;
    for (const op of hinted) decided.push(failedHint(request, op, 'quarantined', message));
    return [];
  }
  const byId = new Map<string, { record: unknown; location: string }>();
  read.records.forEach((record, i) => {
    const id = (record as Partial<WorkerInput> | null)?.id;
    if (typeof id === 'string') byId.set(id.trim(), { record, location: read.locations[i] ?? `record ${i}` });
  });
  const entries: BatchEntry[] = [];
  hinted.forEach((op, i) => {
    const found = byId.get(ids[i]!);
    if (!found) decided.push(failedHint(request, op, 'not-found', `the source has no worker ${ids[i]}`));
    else entries.push({ requestId: request.requestId, index: op.index, workerKey: op.workerKey!, ...found });
  });
  return entries;
}

function failedHint(
  request: StoredIngestRequest,
  op: IngestOperation,
  status: 'quarantined' | 'not-found',
  message: string,
): Omit<IngestOutcome, 'cycleId' | 'decidedAt'> {
  const issues: IngestIssue[] = [{ path: 'workerIds', message, scimType: null }];
  return { requestId: request.requestId, index: op.index, status, issues, classification: null, planId: null };
}

function superseded(entry: BatchEntry): Omit<IngestOutcome, 'cycleId' | 'decidedAt'> {
  const issues: IngestIssue[] = [
    { path: '(root)', message: 'a later record for this worker replaced it', scimType: null },
  ];
  return {
    requestId: entry.requestId,
    index: entry.index,
    status: 'superseded',
    issues,
    classification: null,
    planId: null,
  };
}

/** `active` omitted: the stored employment status and last day stand (a new worker is active). */
function withStoredStatus(entry: BatchEntry, states: ReadonlyMap<string, LastKnownState>): BatchEntry {
  const stored = states.get(entry.workerKey)?.record;
  if (!stored) return entry;
  const record = entry.record as WorkerInput;
  const terminationDate = record.terminationDate ?? stored.terminationDate;
  return { ...entry, record: { ...record, employmentStatus: stored.employmentStatus, terminationDate } };
}

function batchRead(entries: readonly BatchEntry[]): HrSnapshotRead {
  return {
    kind: 'snapshot',
    records: entries.map((e) => e.record),
    locations: entries.map((e) => e.location),
    rowIssues: [],
    cursor: '',
  };
}

function plannedOutcome(
  entry: BatchEntry,
  result:
    | {
        classification: string;
        plan: { planId: string } | null;
        outcome: string;
        issues: readonly { path: string; message: string }[];
      }
    | undefined,
  cycleId: string,
  decidedAt: string,
): IngestOutcome {
  const base = { requestId: entry.requestId, index: entry.index, cycleId, decidedAt };
  if (!result || result.outcome === 'quarantined') {
    const issues = (result?.issues ?? []).map((i) => ({ path: i.path, message: i.message, scimType: null }));
    return { ...base, status: 'quarantined', issues, classification: null, planId: null };
  }
  return {
    ...base,
    status: 'planned',
    issues: [],
    classification: result.classification,
    planId: result.plan?.planId ?? null,
  };
}
