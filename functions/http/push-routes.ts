/**
 * Pushes that are not SCIM: a CSV export uploaded over HTTP (read with the source's own column map, as
 * if the file had been dropped where the source reads it), and a signed webhook that names workers to
 * read again from their source now. Both answer 202 with the request's id and a `Location` for its status;
 * an ingest cycle of the source starts at once.
 *
 * A webhook is a hint, never data: it is accepted only with a valid HMAC signature made within the
 * tolerance and never seen before, and what is planned is what the source says when it is read.
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { IngestOperation, IngestRequest } from '../../shared/ports/ingest-store.port';
import type { SourceRowIssue } from '../../shared/ports/hr-source.port';
import type { ControlPlanePorts, IngestSource, WebhookPorts } from '../app/control-plane-ports';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../ingest/webhook-signature';
import { workerIdsFromPayload } from '../ingest/webhook-payload';
import { recordsFromCsvUpload } from '../sources/file/csv-upload';
import { authorizeIngest, ingestOperation, refuseAsProblem, requestStatusUrl, startIngestCycle } from './ingest-common';
import { json, problem } from './problem';

/** An upload larger than this is refused (the file source has no limit: it streams from disk). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
/** A webhook body larger than this is refused before its signature is checked. */
const MAX_WEBHOOK_BYTES = 256 * 1024;

/** POST sources/{sourceId}/upload (text/csv). */
export async function csvUpload(ports: ControlPlanePorts, req: HttpRequest, ctx: InvocationContext) {
  const caller = await authorizeIngest(ports.ingest, req, refuseAsProblem, true, ports.clock.now().getTime());
  if (caller.response) return caller.response;
  const source = ports.ingest!.sources.get(req.params.sourceId ?? '');
  if (!source?.csv) return problem('not-found', 'no CSV source with that id takes uploads');
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/csv') return problem('unsupported-media-type', 'send the file as text/csv');
  const bytes = await boundedBody(req, MAX_UPLOAD_BYTES);
  if (!bytes) return problem('too-large', `an upload may hold at most ${MAX_UPLOAD_BYTES} bytes`);
  const read = await recordsFromCsvUpload(bytes, source.csv, source.workerSource);
  if (read.kind === 'refused') return problem('invalid-request', `the upload is refused: ${read.reason}`);
  const operations = [
    ...read.records.map((record, i) => recordOperation(i, read.locations[i] ?? `record ${i}`, source, record)),
    ...read.rowIssues.map((issue, i) => rowIssueOperation(read.records.length + i, issue)),
  ];
  return accepted(ports, req, ctx, pushRequest(ports, source, 'csv', caller.client, operations));
}

/** POST sources/{sourceId}/webhook: signed with the source's shared secret. */
export async function webhook(ports: ControlPlanePorts, req: HttpRequest, ctx: InvocationContext) {
  const source = ports.ingest?.sources.get(req.params.sourceId ?? '');
  if (!source?.webhook) return problem('not-found', 'no source with that id takes webhooks');
  const bytes = await boundedBody(req, MAX_WEBHOOK_BYTES);
  if (!bytes) return problem('too-large', `a webhook may hold at most ${MAX_WEBHOOK_BYTES} bytes`);
  const refusal = await webhookRefusal(ports, source, source.webhook, req, bytes);
  if (refusal) return refusal;
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return problem('invalid-request', 'the webhook body is not UTF-8 JSON');
  }
  const ids = workerIdsFromPayload(payload, source.webhook.workerIds);
  if (!ids.ok) return problem('invalid-request', `the webhook names no workers: ${ids.detail}`);
  const operations = ids.ids.map((id, i) => hintOperation(i, source, id));
  return accepted(ports, req, ctx, pushRequest(ports, source, 'webhook', 'webhook', operations));
}

/** Why the webhook is refused (bad or missing signature, stale, replayed), or null. */
async function webhookRefusal(
  ports: ControlPlanePorts,
  source: IngestSource,
  settings: WebhookPorts,
  req: HttpRequest,
  body: Uint8Array,
): Promise<HttpResponseInit | null> {
  const now = ports.clock.now();
  const check = verifyWebhookSignature({
    header: req.headers.get(WEBHOOK_SIGNATURE_HEADER),
    body,
    secrets: await settings.secrets(),
    nowSeconds: Math.floor(now.getTime() / 1000),
    toleranceSeconds: settings.toleranceSeconds,
  });
  if (!check.ok) {
    ports.logger.warn('webhook refused', { sourceId: source.sourceId, reason: check.reason });
    return problem('unauthorized', check.detail);
  }
  const expiresAt = new Date((check.timestamp + settings.toleranceSeconds) * 1000).toISOString();
  const fresh = await ports.ingest!.store.rememberSignature(
    source.sourceId,
    check.signatureId,
    expiresAt,
    now.toISOString(),
  );
  if (fresh) return null;
  ports.logger.warn('webhook refused', { sourceId: source.sourceId, reason: 'replayed' });
  return problem('unauthorized', 'this signed webhook was delivered before (a replay)');
}

async function accepted(ports: ControlPlanePorts, req: HttpRequest, ctx: InvocationContext, request: IngestRequest) {
  await ports.ingest!.store.append(request);
  await startIngestCycle(ports, ctx, request.sourceId);
  const failed = request.operations.filter((op) => op.status === 'failed').length;
  return {
    ...json(202, { requestId: request.requestId, operations: request.operations.length, failed }),
    headers: { location: requestStatusUrl(req, request.sourceId, request.requestId) },
  };
}

function pushRequest(
  ports: ControlPlanePorts,
  source: IngestSource,
  kind: 'csv' | 'webhook',
  client: string | null,
  operations: readonly IngestOperation[],
): IngestRequest {
  const receivedAt = ports.clock.now().toISOString();
  return { requestId: randomUUID(), sourceId: source.sourceId, kind, receivedAt, client, operations };
}

function recordOperation(index: number, location: string, source: IngestSource, record: unknown): IngestOperation {
  const { id, source: recordSource } = record as { id?: unknown; source?: unknown };
  const workerSource = typeof recordSource === 'string' ? recordSource : source.workerSource;
  const workerKey = typeof id === 'string' ? `${workerSource}:${id.trim()}` : null;
  if (workerKey === null) {
    const issues = [{ path: 'id', message: 'the row has no worker id', scimType: null }];
    return ingestOperation(index, location, { status: 'failed', issues });
  }
  return ingestOperation(index, location, { workerKey, record });
}

function rowIssueOperation(index: number, issue: SourceRowIssue): IngestOperation {
  const issues = [{ path: issue.field, message: issue.message, scimType: null }];
  return ingestOperation(index, issue.location, { status: 'failed', workerKey: issue.workerKey, issues });
}

function hintOperation(index: number, source: IngestSource, id: string): IngestOperation {
  return ingestOperation(index, `worker ${id}`, { workerKey: `${source.workerSource}:${id}` });
}

/** The body's bytes, or null when it is larger than `max` (by its declared length or what came). */
async function boundedBody(req: HttpRequest, max: number): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) return null;
  const bytes = new Uint8Array(await req.arrayBuffer());
  return bytes.byteLength > max ? null : bytes;
}
