/**
 * Reading what became of pushed records: one request's status (where its 202 `Location` points), and the
 * provisioning log across requests, shaped as Microsoft Graph's provisioning log entries
 * (`provisioningObjectSummary`) so that administrators and their tools read it as they read Entra's.
 * Each planned operation links to what it did in the directory: the audit entries of its plan.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type {
  IngestLogEntry,
  IngestOperation,
  IngestOperationStatus,
  StoredIngestRequest,
} from '../../shared/ports/ingest-store.port';
import type { AuditEntry, StateStore } from '../../shared/ports/state-store.port';
import type { ControlPlanePorts } from '../app/control-plane-ports';
import { authorizeIngest, refuseAsProblem } from './ingest-common';
import { json, problem } from './problem';

/** What an operation did in the directory: one line per audit entry of its plan. */
export interface DirectoryEffect {
  readonly commandId: string;
  readonly action: string;
  readonly effect: string;
  readonly at: string;
  readonly dn: string | null;
  readonly objectGUID: string | null;
}

type OperationView = IngestOperation & { readonly directory: readonly DirectoryEffect[] };

const STATUSES: readonly IngestOperationStatus[] = [
  'queued',
  'failed',
  'planned',
  'quarantined',
  'superseded',
  'not-found',
];

/** GET sources/{sourceId}/requests/{requestId}: the request, each operation's outcome and its directory effects. */
export async function ingestRequestStatus(ports: ControlPlanePorts, req: HttpRequest): Promise<HttpResponseInit> {
  const denied = await authorizeIngest(ports.ingest, req, refuseAsProblem);
  if (denied.response) return denied.response;
  const request = await ports.ingest!.store.getRequest(req.params.requestId ?? '');
  if (!request || request.sourceId !== req.params.sourceId) {
    return problem('not-found', `no request ${JSON.stringify(req.params.requestId)} for this source`);
  }
  const operations = await Promise.all(request.operations.map((op) => withDirectory(ports.stateStore, op)));
  return json(200, requestView(request, operations));
}

function requestView(request: StoredIngestRequest, operations: readonly OperationView[]) {
  const summary: Record<string, number> = {};
  for (const op of operations) summary[op.status] = (summary[op.status] ?? 0) + 1;
  const waiting = operations.some((op) => op.status === 'queued' || (op.planId !== null && op.directory.length === 0));
  const { seq: _seq, operations: _ops, ...header } = request;
  return { ...header, status: waiting ? 'running' : 'completed', summary, operations };
}

async function withDirectory(store: StateStore, op: IngestOperation): Promise<OperationView> {
  return { ...op, directory: await directoryEffects(store, op) };
}

/** The audit entries of the operation's plan (recorded after it was planned). */
async function directoryEffects(store: StateStore, op: IngestOperation): Promise<DirectoryEffect[]> {
  if (op.planId === null || op.workerKey === null || op.decidedAt === null) return [];
  const effects: DirectoryEffect[] = [];
  let after: string | undefined;
  do {
    const page = await store.queryAudit({
      workerKey: op.workerKey,
      from: op.decidedAt,
      limit: 200,
      ...(after ? { after } : {}),
    });
    effects.push(...page.entries.filter((e) => e.planId === op.planId).map(effectOf));
    after = page.next ?? undefined;
  } while (after);
  return effects;
}

function effectOf(entry: AuditEntry): DirectoryEffect {
  const result = entry.result as { dn?: string; objectGUID?: string } | null;
  return {
    commandId: entry.commandId,
    action: entry.action,
    effect: entry.effect,
    at: entry.at,
    dn: result?.dn ?? null,
    objectGUID: result?.objectGUID ?? null,
  };
}

/** GET provisioningLogs: operations newest first, as Graph's provisioning log entries. */
export async function provisioningLogs(ports: ControlPlanePorts, req: HttpRequest): Promise<HttpResponseInit> {
  if (!ports.ingest) return problem('not-found', 'this control plane takes no pushed records');
  const status = req.query.get('status');
  if (status !== null && !STATUSES.includes(status as IngestOperationStatus)) {
    return problem('invalid-request', `status must be one of ${STATUSES.join(', ')}`);
  }
  const query = {
    ...optional('sourceId', req.query.get('sourceId')),
    ...optional('requestId', req.query.get('requestId')),
    ...optional('workerKey', req.query.get('workerKey')),
    ...optional('after', req.query.get('after')),
    ...(status ? { status: status as IngestOperationStatus } : {}),
    limit: Number(req.query.get('limit') ?? 100) || 100,
  };
  let page;
  try {
    page = await ports.ingest.store.listOperations(query);
  } catch (error) {
    if (error instanceof RangeError) return problem('invalid-request', error.message);
    throw error;
  }
  const value = await Promise.all(
    page.entries.map(async (e) => logEntry(e, await directoryEffects(ports.stateStore, e))),
  );
  return json(200, { value, next: page.next });
}

function optional(key: string, value: string | null): Record<string, string> {
  return value === null ? {} : { [key]: value };
}

/** Graph's provisioningObjectSummary fields, filled from the operation and its directory effects. */
function logEntry(entry: IngestLogEntry, directory: readonly DirectoryEffect[]) {
  const target = directory.at(-1);
  return {
    id: `${entry.requestId}.${entry.index}`,
    activityDateTime: entry.decidedAt ?? entry.receivedAt,
    jobId: entry.sourceId,
    cycleId: entry.cycleId,
    changeId: entry.requestId,
    provisioningAction: provisioningAction(entry.classification, directory),
    provisioningStatusInfo: statusInfo(entry, directory),
    sourceIdentity: {
      id: entry.workerKey?.slice(entry.workerKey.indexOf(':') + 1) ?? null,
      identityType: 'Worker',
      details: { workerKey: entry.workerKey, bulkId: entry.bulkId, location: entry.location, kind: entry.kind },
    },
    targetIdentity: { id: target?.objectGUID ?? null, identityType: 'User', details: { dn: target?.dn ?? null } },
    provisioningSteps: steps(entry, directory),
  };
}

function provisioningAction(classification: string | null, directory: readonly DirectoryEffect[]): string {
  if (directory.some((d) => d.effect === 'created')) return 'create';
  if (directory.some((d) => d.effect === 'deleted')) return 'delete';
  if (directory.some((d) => d.effect === 'disabled')) return 'disable';
  if (classification === 'joiner') return 'create';
  if (directory.length > 0 || classification === 'mover') return 'update';
  return 'other';
}

function statusInfo(entry: IngestLogEntry, directory: readonly DirectoryEffect[]) {
  const failedInDirectory = directory.find((d) => d.effect === 'failed' || d.effect === 'timed-out');
  if (
    entry.status === 'failed' ||
    entry.status === 'quarantined' ||
    entry.status === 'not-found' ||
    failedInDirectory
  ) {
    const issue = entry.issues[0];
    const reason = failedInDirectory
      ? `${failedInDirectory.action} ${failedInDirectory.effect}`
      : (issue?.message ?? entry.status);
    return {
      status: 'failure',
      errorInformation: { errorCode: issue?.scimType ?? entry.status, reason, path: issue?.path ?? null },
    };
  }
  if (entry.status === 'superseded' || entry.classification === 'no-op')
    return { status: 'skipped', errorInformation: null };
  if (entry.status === 'queued' || (entry.planId !== null && directory.length === 0))
    return { status: 'pending', errorInformation: null };
  return { status: 'success', errorInformation: null };
}

function steps(entry: IngestLogEntry, directory: readonly DirectoryEffect[]) {
  const intake = entry.status === 'failed' ? 'failure' : 'success';
  const list = [{ name: 'ImportEntry', provisioningStepType: 'import', status: intake, description: entry.location }];
  if (entry.cycleId !== null) {
    const description = entry.classification ?? entry.issues[0]?.message ?? entry.status;
    const status = entry.status === 'planned' ? 'success' : entry.status === 'superseded' ? 'skipped' : 'failure';
    list.push({ name: 'EntryPlanned', provisioningStepType: 'processing', status, description });
  }
  for (const d of directory) {
    const status = d.effect === 'failed' || d.effect === 'timed-out' ? 'failure' : 'success';
    list.push({
      name: d.action,
      provisioningStepType: 'export',
      status,
      description: `${d.effect}${d.dn ? ` ${d.dn}` : ''}`,
    });
  }
  return list;
}
