/**
 * The HTTP API's routes (under the host's `api/` prefix). Every administration route requires a function
 * key (`authLevel: 'function'`): Azure checks its function keys; the local host checks the token in its
 * secret store. The ingest routes are `anonymous` to the host because they check their own credentials:
 * an OAuth 2.0 bearer token with the ingest role (SCIM, CSV upload, a request's status), or the HMAC
 * signature of a webhook. OpenAPI: schemas/control-plane-api.openapi.json.
 */
import {
  app,
  type HttpMethod,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import * as df from 'durable-functions';
import type { ControlPlanePorts } from '../app/control-plane-ports';
import { decideCycle, getCycle, listCycles, startSourceCycle } from './cycle-routes';
import { problem } from './problem';
import { agents, audit, health, preview, quarantine } from './read-routes';
import { ingestRequestStatus, provisioningLogs } from './ingest-status-routes';
import { csvUpload, webhook } from './push-routes';
import { scimBulkUpload } from './scim-routes';
import { sources } from './source-health';
import { provisionWorker, workerStatus } from './worker-routes';

type Route = (ports: ControlPlanePorts, req: HttpRequest, ctx: InvocationContext) => Promise<HttpResponseInit>;

/** name, method, route template, handler: the API in one table (names are the Functions' names). */
export const API_ROUTES: readonly (readonly [string, HttpMethod, string, Route])[] = [
  ['health', 'GET', 'health', health],
  ['worker-status', 'GET', 'workers/{workerKey}', workerStatus],
  ['worker-provision', 'POST', 'workers/{workerKey}/provision', provisionWorker],
  ['preview', 'GET', 'preview', preview],
  ['source-list', 'GET', 'sources', sources],
  ['source-sync', 'POST', 'sources/{sourceId}/sync', startSourceCycle],
  ['cycle-list', 'GET', 'cycles', listCycles],
  ['cycle-get', 'GET', 'cycles/{cycleId}', getCycle],
  ['cycle-approve', 'POST', 'cycles/{cycleId}/approve', decideCycle(true)],
  ['cycle-reject', 'POST', 'cycles/{cycleId}/reject', decideCycle(false)],
  ['quarantine-list', 'GET', 'quarantine', quarantine],
  ['audit-query', 'GET', 'audit', audit],
  ['agent-list', 'GET', 'agents', agents],
  ['provisioning-logs', 'GET', 'provisioningLogs', provisioningLogs],
];

/** Routes that check their own credentials (a bearer token or a webhook signature). */
export const INGEST_ROUTES: readonly (readonly [string, HttpMethod, string, Route])[] = [
  ['scim-bulk-upload', 'POST', 'sources/{sourceId}/bulkUpload', scimBulkUpload],
  ['csv-upload', 'POST', 'sources/{sourceId}/upload', csvUpload],
  ['ingest-request-status', 'GET', 'sources/{sourceId}/requests/{requestId}', ingestRequestStatus],
  ['source-webhook', 'POST', 'sources/{sourceId}/webhook', webhook],
];

export function registerHttpApi(ports: ControlPlanePorts): void {
  const routes = [
    ...API_ROUTES.map((r) => [...r, 'function'] as const),
    ...(ports.ingest ? INGEST_ROUTES.map((r) => [...r, 'anonymous'] as const) : []),
  ];
  for (const [name, method, route, handler, authLevel] of routes) {
    app.http(name, {
      methods: [method],
      route,
      authLevel,
      extraInputs: [df.input.durableClient()],
      handler: (req, ctx) => guarded(ports, name, () => handler(ports, req, ctx)),
    });
  }
}

/** An unexpected error is logged and answered as a generic problem: its text may hold anything. */
async function guarded(ports: ControlPlanePorts, name: string, run: () => Promise<HttpResponseInit>) {
  try {
    return await run();
  } catch (error) {
    ports.logger.error('API request failed', {
      route: name,
      error: (error as Error).name,
      detail: (error as Error).message,
    });
    return problem('internal', 'the request failed; the control plane logged the error');
  }
}
