/**
 * The Durable extension's client HTTP API (the routes under `rpcBaseUrl` that durable-functions'
 * DurableClient calls) mapped onto a DurableEngine, with the extension's status codes:
 * start 202 (+ management payload) / 400 / 409; raiseEvent and terminate 202 / 404 / 410; status
 * 200 (finished) / 202 (running) / 404; list 200 + `x-ms-continuation-token`; purge 200 / 404 / 412.
 */
import { randomUUID } from 'node:crypto';
import {
  InstanceExistsError,
  type DurableEngine,
  type InstanceStatus,
  type RaiseOutcome,
  type RuntimeStatus,
  type StatusQuery,
} from '../durable/durable-engine';
import { managementUrls } from './durable-client-binding';

/** One request, with its path relative to the API's base (`instances/abc/raiseEvent/approval`). */
export interface DurableApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

/** The answer; `body` is sent as JSON when defined. */
export interface DurableApiResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** What the mapping needs. */
export interface DurableApiContext {
  readonly engine: DurableEngine;
  readonly taskHubName: string;
  /** The base URL management links point at (ends with `/`). */
  readonly baseUrl: string;
  /** Whether the app has an orchestrator of that name (the extension answers 400 otherwise). */
  readonly hasOrchestrator: (name: string) => boolean;
}

const RUNTIME_STATUSES: readonly RuntimeStatus[] = [
  'Pending',
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Terminated',
];
const FINISHED: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated']);
const OUTCOME_STATUS: Readonly<Record<RaiseOutcome, number>> = { raised: 202, 'not-found': 404, gone: 410 };

function decodeSegments(path: string): string[] | null {
  try {
    return path.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

/** Answers one request. Engine failures propagate (the server answers 500 and logs them). */
export async function handleDurableApi(ctx: DurableApiContext, req: DurableApiRequest): Promise<DurableApiResponse> {
  const parts = decodeSegments(req.path.replace(/^\/+/, ''));
  if (!parts) return { status: 400, body: { message: 'malformed path' } };
  const [controller, first, operation, event, ...extra] = parts;
  const method = req.method.toUpperCase();
  if (controller === 'orchestrators' && first && method === 'POST' && event === undefined) {
    return startOrchestration(ctx, req, first, operation ?? '');
  }
  if (controller === 'entities') return { status: 501, body: { message: 'entities are not supported locally' } };
  if (controller !== 'instances' || extra.length > 0) return { status: 404 };
  if (!first) return instancesCollection(ctx, req, method);
  if (operation === undefined) return instanceResource(ctx, req, method, first);
  if (method !== 'POST') return { status: 404 };
  if (operation.toLowerCase() === 'raiseevent' && event) return raiseEvent(ctx, req, first, event);
  if (event !== undefined) return { status: 404 };
  if (operation.toLowerCase() === 'terminate') {
    return { status: OUTCOME_STATUS[await ctx.engine.terminate(first, req.query.get('reason') ?? '')] };
  }
  if (['rewind', 'restart', 'suspend', 'resume'].includes(operation.toLowerCase())) {
    return { status: 501, body: { message: `${operation} is not supported locally` } };
  }
  return { status: 404 };
}

function parseJsonBody(body: string): { ok: true; value: unknown } | { ok: false } {
  if (body.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

async function startOrchestration(
  ctx: DurableApiContext,
  req: DurableApiRequest,
  name: string,
  requestedId: string,
): Promise<DurableApiResponse> {
  const input = parseJsonBody(req.body);
  if (!input.ok) return { status: 400, body: { message: 'Invalid JSON content' } };
  if (!ctx.hasOrchestrator(name)) {
    return {
      status: 400,
      body: { message: `The function '${name}' doesn't exist or is not an orchestrator function` },
    };
  }
  // The extension's default id: a GUID without dashes.
  const instanceId = requestedId === '' ? randomUUID().replaceAll('-', '') : requestedId;
  try {
    await ctx.engine.startNew(name, instanceId, input.value);
  } catch (error) {
    if (error instanceof InstanceExistsError) return { status: 409, body: { message: error.message } };
    throw error;
  }
  const links = managementUrls(ctx.baseUrl, ctx.taskHubName, instanceId);
  return {
    status: 202,
    headers: { location: links['statusQueryGetUri'] ?? '', 'retry-after': '10' },
    body: links,
  };
}

async function raiseEvent(
  ctx: DurableApiContext,
  req: DurableApiRequest,
  instanceId: string,
  eventName: string,
): Promise<DurableApiResponse> {
  const data = parseJsonBody(req.body);
  if (!data.ok) return { status: 400, body: { message: 'Invalid JSON content' } };
  return { status: OUTCOME_STATUS[await ctx.engine.raiseEvent(instanceId, eventName, data.value ?? null)] };
}

/** The extension's status payload; `input` and `output` are never absent (the client rejects that). */
function statusPayload(status: InstanceStatus, showInput: boolean): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    name: status.name,
    instanceId: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    input: showInput ? (status.input ?? null) : null,
    customStatus: status.customStatus ?? null,
    output: status.output ?? null,
    createdTime: status.createdTime,
    lastUpdatedTime: status.lastUpdatedTime,
  };
  if (status.history !== undefined) {
    // The extension names it `historyEvents`; durable-functions' status object reads `history`.
    payload['historyEvents'] = status.history;
    payload['history'] = status.history;
  }
  return payload;
}

async function instanceResource(
  ctx: DurableApiContext,
  req: DurableApiRequest,
  method: string,
  instanceId: string,
): Promise<DurableApiResponse> {
  if (method === 'GET') {
    const status = await ctx.engine.getStatus(instanceId, { showHistory: req.query.get('showHistory') === 'true' });
    if (!status) return { status: 404 };
    const running = !FINISHED.has(status.runtimeStatus);
    return {
      status: running ? 202 : 200,
      headers: running ? { 'retry-after': '5' } : {},
      body: statusPayload(status, req.query.get('showInput') !== 'false'),
    };
  }
  if (method !== 'DELETE') return { status: 404 };
  const status = await ctx.engine.getStatus(instanceId);
  if (!status) return { status: 404 };
  if (!FINISHED.has(status.runtimeStatus)) {
    return { status: 412, body: { message: `Only orchestrations in a terminal state can be purged` } };
  }
  return { status: 200, body: { instancesDeleted: await ctx.engine.purge(instanceId) } };
}

function isoParam(query: URLSearchParams, key: string): string | undefined {
  const value = query.get(key);
  if (value === null || Number.isNaN(Date.parse(value))) return undefined;
  return new Date(value).toISOString();
}

/** The list filters the extension reads from the query string. */
export function statusQueryFrom(query: URLSearchParams, continuationToken: string | undefined): StatusQuery {
  const statuses = (query.getAll('runtimeStatus') ?? [])
    .flatMap((v) => v.split(','))
    .filter((s): s is RuntimeStatus => (RUNTIME_STATUSES as readonly string[]).includes(s));
  const top = Number.parseInt(query.get('top') ?? '', 10);
  return {
    ...(statuses.length > 0 ? { runtimeStatus: statuses } : {}),
    ...(isoParam(query, 'createdTimeFrom') ? { createdTimeFrom: isoParam(query, 'createdTimeFrom') } : {}),
    ...(isoParam(query, 'createdTimeTo') ? { createdTimeTo: isoParam(query, 'createdTimeTo') } : {}),
    ...(query.get('instanceIdPrefix') ? { instanceIdPrefix: query.get('instanceIdPrefix') ?? '' } : {}),
    ...(Number.isInteger(top) && top > 0 ? { top } : {}),
    ...(continuationToken ? { continuationToken } : {}),
  };
}

async function instancesCollection(
  ctx: DurableApiContext,
  req: DurableApiRequest,
  method: string,
): Promise<DurableApiResponse> {
  if (method === 'GET') {
    const page = await ctx.engine.listStatus(statusQueryFrom(req.query, req.headers['x-ms-continuation-token']));
    const showInput = req.query.get('showInput') !== 'false';
    return {
      status: 200,
      headers: page.continuationToken ? { 'x-ms-continuation-token': page.continuationToken } : {},
      body: page.instances.map((s) => statusPayload(s, showInput)),
    };
  }
  if (method === 'DELETE') return purgeByFilter(ctx, req);
  return { status: 404 };
}

/** `DELETE instances/?createdTimeFrom=…`: purges the finished instances the filter selects. */
async function purgeByFilter(ctx: DurableApiContext, req: DurableApiRequest): Promise<DurableApiResponse> {
  if (isoParam(req.query, 'createdTimeFrom') === undefined) {
    return { status: 400, body: { message: "Please provide value for 'createdTimeFrom' parameter." } };
  }
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await ctx.engine.listStatus(statusQueryFrom(req.query, token));
    for (const status of page.instances) {
      if (FINISHED.has(status.runtimeStatus)) deleted += await ctx.engine.purge(status.instanceId);
    }
    token = page.continuationToken ?? undefined;
  } while (token);
  return deleted === 0 ? { status: 404 } : { status: 200, body: { instancesDeleted: deleted } };
}
