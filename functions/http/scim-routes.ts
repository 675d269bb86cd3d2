/**
 * The SCIM bulk endpoint, as Entra's API-driven inbound provisioning takes it: `POST …/bulkUpload` with an
 * `application/scim+json` BulkRequest (RFC 7644 §3.7) of `POST /Users` operations, answered `202 Accepted`
 * with a `Location` for the request's status. Each operation is checked at once: a malformed one fails
 * alone with a SCIM error naming the attribute; the others are kept durably, then planned by an ingest
 * cycle of the source, started now (or, when the source's cycle is busy, by the one that follows it).
 *
 * The body of the 202 is a SCIM BulkResponse with each operation's intake status (`202` queued, `4xx`
 * refused), which Entra's own endpoint leaves empty: clients that ignore it lose nothing.
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import {
  parseBulkRequest,
  payloadTooLarge,
  operationProblem,
  type BulkOperation,
} from '../../shared/ingest/scim/bulk-request';
import { scimErrorBody, type ScimError } from '../../shared/ingest/scim/scim-error';
import { workerFromScimUser } from '../../shared/ingest/scim/scim-user';
import { earliestDateAt } from '../../shared/time/calendar-date';
import type { IngestOperation, IngestRequest } from '../../shared/ports/ingest-store.port';
import type { ControlPlanePorts, IngestPorts, IngestSource } from '../app/control-plane-ports';
import { authorizeIngest, ingestOperation, requestStatusUrl, startIngestCycle } from './ingest-common';

const SCIM_CONTENT_TYPE = 'application/scim+json';
const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

export async function scimBulkUpload(
  ports: ControlPlanePorts,
  req: HttpRequest,
  ctx: InvocationContext,
): Promise<HttpResponseInit> {
  const ingest = ports.ingest;
  const denied = await authorizeIngest(ingest, req, scimFailure, true, ports.clock.now().getTime());
  if (denied.response) return denied.response;
  const source = ingest!.sources.get(req.params.sourceId ?? '');
  if (!source?.scim)
    return scimFailure({ status: 404, scimType: null, detail: 'no SCIM source has that id', attribute: null });
  const read = await readScimBody(ingest!, req);
  if ('error' in read) return scimFailure(read.error);
  const parsed = parseBulkRequest(read.body, ingest!.limits);
  if (!parsed.ok) return scimFailure(parsed.error);
  const { request, errors } = scimRequest(ports, source, parsed.operations, parsed.failOnErrors, denied.client);
  await ingest!.store.append(request);
  await startIngestCycle(ports, ctx, source.sourceId);
  return {
    status: 202,
    headers: { 'content-type': SCIM_CONTENT_TYPE, location: requestStatusUrl(req, source.sourceId, request.requestId) },
    body: JSON.stringify(bulkResponse(request, errors)),
  };
}

async function readScimBody(ingest: IngestPorts, req: HttpRequest): Promise<{ body: unknown } | { error: ScimError }> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== SCIM_CONTENT_TYPE) {
    const detail = `Content-Type must be ${SCIM_CONTENT_TYPE}, not ${type || 'absent'}`;
    return { error: { status: 415, scimType: 'invalidSyntax', detail, attribute: null } };
  }
  const declared = Number(req.headers.get('content-length') ?? NaN);
  const early = Number.isFinite(declared) ? payloadTooLarge(declared, ingest.limits) : null;
  if (early) return { error: early };
  const bytes = new Uint8Array(await req.arrayBuffer());
  const late = payloadTooLarge(bytes.byteLength, ingest.limits);
  if (late) return { error: late };
  try {
    return { body: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { error: { status: 400, scimType: 'invalidSyntax', detail: 'the body is not UTF-8 JSON', attribute: null } };
  }
}

function scimRequest(
  ports: ControlPlanePorts,
  source: IngestSource,
  operations: readonly BulkOperation[],
  failOnErrors: number | null,
  client: string | null,
): { request: IngestRequest; errors: (ScimError | null)[] } {
  const now = ports.clock.now();
  const context = { source: source.workerSource, receivedOn: earliestDateAt(now), mapping: source.scim! };
  const errors: (ScimError | null)[] = [];
  const refuse = (op: BulkOperation, externalId: string | null, error: ScimError): IngestOperation => {
    errors.push(error);
    return failedOperation(op, externalId, error);
  };
  const ops = operations.map((op): IngestOperation => {
    if (failOnErrors !== null && errors.filter(Boolean).length >= failOnErrors) {
      const detail = `not processed: failOnErrors (${failOnErrors}) was reached`;
      return refuse(op, null, { status: 412, scimType: null, detail, attribute: null });
    }
    const problem = operationProblem(op);
    if (problem) return refuse(op, null, problem);
    const converted = workerFromScimUser(op.data, context);
    if (!converted.ok) return refuse(op, converted.externalId, converted.error);
    errors.push(null);
    return {
      ...blankOperation(op),
      workerKey: `${source.workerSource}:${converted.externalId}`,
      record: converted.record,
      keepStatus: converted.keepStatus,
    };
  });
  const request: IngestRequest = {
    requestId: randomUUID(),
    sourceId: source.sourceId,
    kind: 'scim',
    receivedAt: now.toISOString(),
    client,
    operations: ops,
  };
  return { request, errors };
}

function blankOperation(op: BulkOperation): IngestOperation {
  const location = `operation ${op.index}${op.bulkId === null ? '' : ` (bulkId ${op.bulkId})`}`;
  return ingestOperation(op.index, location, { bulkId: op.bulkId });
}

function failedOperation(op: BulkOperation, externalId: string | null, error: ScimError): IngestOperation {
  return {
    ...blankOperation(op),
    status: 'failed',
    issues: [{ path: error.attribute ?? '(root)', message: error.detail, scimType: error.scimType }],
    // Kept for the status: which worker the refused operation was about, when it said.
    ...(externalId === null ? {} : { location: `${blankOperation(op).location}, externalId ${externalId}` }),
  };
}

/** RFC 7644 §3.7.3's BulkResponse: each operation's intake status, a SCIM error for the refused ones. */
function bulkResponse(request: IngestRequest, errors: readonly (ScimError | null)[]): Record<string, unknown> {
  return {
    schemas: [BULK_RESPONSE_SCHEMA],
    Operations: request.operations.map((op, i) => {
      const base = { method: 'POST', ...(op.bulkId === null ? {} : { bulkId: op.bulkId }) };
      const error = errors[i];
      if (!error) return { ...base, status: '202' };
      return { ...base, status: String(error.status), response: scimErrorBody(error) };
    }),
  };
}

export function scimFailure(error: ScimError, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status: error.status,
    headers: { 'content-type': SCIM_CONTENT_TYPE, ...headers },
    body: JSON.stringify(scimErrorBody(error)),
  };
}
