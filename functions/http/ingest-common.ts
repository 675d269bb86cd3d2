/**
 * What the ingest routes share: the bearer-token check (401 with a `WWW-Authenticate` challenge, 403 for
 * a token without the ingest role), starting the source's ingest cycle, and the URL of a request's status.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { IngestOperation } from '../../shared/ports/ingest-store.port';
import type { ControlPlanePorts, IngestPorts } from '../app/control-plane-ports';
import { startCycle } from '../app/cycle-starter';
import { orchestrationClient } from '../app/durable-client';
import { IngestKicks } from './ingest-kicks';
import { problem, type ProblemKind } from './problem';
import { IngestRateLimit } from './ingest-rate-limit';

/** How a route answers a refusal in its own format (SCIM error, problem details). */
export type Refusal = (
  failure: { status: number; scimType: null; detail: string; attribute: null },
  headers: Record<string, string>,
) => HttpResponseInit;

/** A refusal as problem details (the CSV upload and status routes; the SCIM route answers SCIM errors). */
export const refuseAsProblem: Refusal = (failure, headers) => {
  const kinds: Readonly<Record<number, ProblemKind>> = { 403: 'forbidden', 404: 'not-found', 429: 'too-many-requests' };
  const response = problem(kinds[failure.status] ?? 'unauthorized', failure.detail);
  return { ...response, headers: { ...(response.headers as Record<string, string>), ...headers } };
};

export interface IngestCaller {
  /** Set when the caller may not go on. */
  readonly response?: HttpResponseInit;
  /** Who called: the token's client id, else its subject. */
  readonly client: string | null;
}

/** The rate limit of each control plane registered in this process (when its limits set one). */
const limitsByPorts = new WeakMap<IngestPorts, IngestRateLimit>();

/**
 * The token check, then the rate limit when one is set: 429 with `Retry-After` for a client over it.
 * `counted`: whether the request counts against the limit (posts do; reading a status does not).
 */
export async function authorizeIngest(
  ingest: IngestPorts | undefined,
  req: HttpRequest,
  refuse: Refusal,
  counted = false,
  nowMs = Date.now(),
): Promise<IngestCaller> {
  const caller = await checkToken(ingest, req, refuse);
  if (caller.response || !counted || !ingest?.limits.rateLimit) return caller;
  let limit = limitsByPorts.get(ingest);
  if (!limit) limitsByPorts.set(ingest, (limit = new IngestRateLimit(ingest.limits.rateLimit)));
  const retryAfter = limit.take(caller.client ?? '(unknown)', nowMs);
  if (retryAfter === null) return caller;
  const { requests, windowSeconds } = ingest.limits.rateLimit;
  const detail = `at most ${requests} requests per ${windowSeconds} s per client; retry after ${retryAfter} s`;
  const failure = { status: 429, scimType: null, detail, attribute: null };
  return { response: refuse(failure, { 'retry-after': String(retryAfter) }), client: caller.client };
}

async function checkToken(ingest: IngestPorts | undefined, req: HttpRequest, refuse: Refusal): Promise<IngestCaller> {
  if (!ingest) {
    const failure = {
      status: 404,
      scimType: null,
      detail: 'this control plane takes no pushed records',
      attribute: null,
    };
    return { response: refuse(failure, {}), client: null };
  }
  const auth = await ingest.authorizer.authorize(req.headers.get('authorization'));
  if (auth.ok) return { client: auth.principal.clientId ?? auth.principal.subject };
  const error = auth.status === 401 ? 'invalid_token' : 'insufficient_scope';
  // The detail names what is wrong with the token, never the token itself.
  const challenge = `Bearer realm="hr2ad", error="${error}", error_description="${auth.code}"`;
  const failure = { status: auth.status, scimType: null, detail: auth.detail, attribute: null };
  return { response: refuse(failure, { 'www-authenticate': challenge }), client: null };
}

/** A queued operation at `index`, found at `location`; `extra` sets what differs (record, status…). */
export function ingestOperation(
  index: number,
  location: string,
  extra: Partial<IngestOperation> = {},
): IngestOperation {
  return {
    index,
    bulkId: null,
    location,
    workerKey: null,
    record: null,
    keepStatus: false,
    status: 'queued',
    issues: [],
    cycleId: null,
    classification: null,
    planId: null,
    decidedAt: null,
    ...extra,
  };
}

/** `…/api/sources/<source>/requests/<id>`, from the URL the request came in on. */
export function requestStatusUrl(req: HttpRequest, sourceId: string, requestId: string): string {
  const url = new URL(req.url);
  const prefix = url.pathname.slice(0, url.pathname.indexOf('/sources/'));
  return `${url.origin}${prefix}/sources/${encodeURIComponent(sourceId)}/requests/${encodeURIComponent(requestId)}`;
}

/** One per app: the kicks of each control plane registered in this process. */
const kicksByPorts = new WeakMap<ControlPlanePorts, IngestKicks>();

/**
 * Starts the source's ingest cycle unless one is live (which then continues with this request). Never
 * rejects: a cycle that could not be started is started by the ingest sweep.
 */
export async function startIngestCycle(ports: ControlPlanePorts, ctx: InvocationContext, sourceId: string) {
  let kicks = kicksByPorts.get(ports);
  if (!kicks) {
    kicks = new IngestKicks((failed, error) => warnNotStarted(ports, failed, error));
    kicksByPorts.set(ports, kicks);
  }
  const start = async () => {
    await startCycle(orchestrationClient(df.getClient(ctx)), sourceId, 'ingest', ports.clock.now(), 'ingest');
  };
  // The push is stored: a failed start must not fail the request (the client would send it again).
  await kicks.kick(sourceId, start).catch((error: unknown) => warnNotStarted(ports, sourceId, error));
}

function warnNotStarted(ports: ControlPlanePorts, sourceId: string, error: unknown): void {
  ports.logger.warn('ingest cycle not started; the ingest sweep will start it', {
    sourceId,
    error: (error as Error).name,
    detail: (error as Error).message,
  });
}
