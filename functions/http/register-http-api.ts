/**
 * The HTTP API's routes (under the host's `api/` prefix). Every route requires a function key
 * (`authLevel: 'function'`): Azure checks its function keys; the local host checks the token in its
 * secret store and listens on 127.0.0.1 only. OpenAPI: schemas/control-plane-api.openapi.json.
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
import { provisionWorker, workerStatus } from './worker-routes';

type Route = (ports: ControlPlanePorts, req: HttpRequest, ctx: InvocationContext) => Promise<HttpResponseInit>;

/** name, method, route template, handler: the API in one table (names are the Functions' names). */
export const API_ROUTES: readonly (readonly [string, HttpMethod, string, Route])[] = [
  ['health', 'GET', 'health', health],
  ['worker-status', 'GET', 'workers/{workerKey}', workerStatus],
  ['worker-provision', 'POST', 'workers/{workerKey}/provision', provisionWorker],
  ['preview', 'GET', 'preview', preview],
  ['source-sync', 'POST', 'sources/{sourceId}/sync', startSourceCycle],
  ['cycle-list', 'GET', 'cycles', listCycles],
  ['cycle-get', 'GET', 'cycles/{cycleId}', getCycle],
  ['cycle-approve', 'POST', 'cycles/{cycleId}/approve', decideCycle(true)],
  ['cycle-reject', 'POST', 'cycles/{cycleId}/reject', decideCycle(false)],
  ['quarantine-list', 'GET', 'quarantine', quarantine],
  ['audit-query', 'GET', 'audit', audit],
  ['agent-list', 'GET', 'agents', agents],
];

export function registerHttpApi(ports: ControlPlanePorts): void {
  for (const [name, method, route, handler] of API_ROUTES) {
    app.http(name, {
      methods: [method],
      route,
      authLevel: 'function',
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
