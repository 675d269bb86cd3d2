/**
 * Cycle routes: start a cycle for a source now, list and read cycles (with the orchestration's live
 * status), and approve or reject a held cycle (an event on the source's cycle orchestration).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationClient } from '../app/durable-client';
import type { CycleStatus } from '../../shared/ports/state-store.port';
import { findSource, type ControlPlanePorts } from '../app/control-plane-ports';
import { startCycle } from '../app/cycle-starter';
import { EVENT, syncCycleInstanceId } from '../app/durable-names';
import type { CycleDecision } from '../orchestrations/sync-cycle.orchestrator';
import { json, problem } from './problem';

/** POST sources/{id}/sync[?full=true]: a read since the stored cursor, or a full read (a reconcile). */
export async function startSourceCycle(ports: ControlPlanePorts, req: HttpRequest, ctx: InvocationContext) {
  const sourceId = req.params.sourceId ?? '';
  if (!findSource(ports, sourceId)) return problem('unknown-source', `no HR source ${JSON.stringify(sourceId)}`);
  const full = req.query.get('full');
  if (full !== null && full !== 'true' && full !== 'false')
    return problem('invalid-request', 'full must be true or false');
  const client = orchestrationClient(df.getClient(ctx));
  const start = await startCycle(client, sourceId, 'api', ports.clock.now(), full === 'true' ? 'full' : undefined);
  if (!start.started) return problem('conflict', start.reason);
  return json(202, { cycleId: start.cycleId, sourceId, status: 'running' });
}

const STATUSES: readonly CycleStatus[] = ['planned', 'held', 'approved', 'rejected', 'completed', 'failed', 'skipped'];

export async function listCycles(ports: ControlPlanePorts, req: HttpRequest): Promise<HttpResponseInit> {
  const status = req.query.get('status');
  if (status !== null && !STATUSES.includes(status as CycleStatus)) {
    return problem('invalid-request', `status must be one of ${STATUSES.join(', ')}`);
  }
  const limit = Math.min(Number(req.query.get('limit') ?? 50) || 50, 500);
  const cycles = await ports.stateStore.listCycles({ ...(status ? { status: status as CycleStatus } : {}), limit });
  return json(200, { cycles });
}

export async function getCycle(ports: ControlPlanePorts, req: HttpRequest, ctx: InvocationContext) {
  const cycle = await ports.stateStore.getCycle(req.params.cycleId ?? '');
  if (!cycle) return problem('not-found', `no cycle ${JSON.stringify(req.params.cycleId)}`);
  const instance = await orchestrationClient(df.getClient(ctx)).getStatus(syncCycleInstanceId(cycle.sourceId));
  const live = instance && instance.input && (instance.input as { cycleId?: string }).cycleId === cycle.cycleId;
  return json(200, { ...cycle, orchestration: live ? { runtimeStatus: instance.runtimeStatus } : null });
}

/** Approve or reject: only a cycle that is held, and only through its own live orchestration. */
export function decideCycle(approved: boolean) {
  return async (ports: ControlPlanePorts, req: HttpRequest, ctx: InvocationContext): Promise<HttpResponseInit> => {
    const cycle = await ports.stateStore.getCycle(req.params.cycleId ?? '');
    if (!cycle) return problem('not-found', `no cycle ${JSON.stringify(req.params.cycleId)}`);
    if (cycle.status !== 'held') return problem('conflict', `cycle ${cycle.cycleId} is ${cycle.status}, not held`);
    const by = (await readBy(req)) ?? 'api';
    const decision: CycleDecision = { approved, by };
    await orchestrationClient(df.getClient(ctx)).raiseEvent(
      syncCycleInstanceId(cycle.sourceId),
      EVENT.cycleDecision,
      decision,
    );
    return json(202, { cycleId: cycle.cycleId, decision: approved ? 'approved' : 'rejected', by });
  };
}

/** Who decided, from an optional JSON body `{ "by": "name" }` (at most 128 characters). */
async function readBy(req: HttpRequest): Promise<string | null> {
  const text = await req.text();
  if (!text) return null;
  try {
    const by = (JSON.parse(text) as { by?: unknown }).by;
    return typeof by === 'string' && by.length > 0 ? by.slice(0, 128) : null;
  } catch {
    return null;
  }
}
