/**
 * Starting a sync cycle for a source — from its timer, the HTTP API or the CLI. A source has at most one
 * live cycle (a held cycle waits for its decision), so a start while one is live is refused, not queued:
 * the next poll reads whatever changed meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { OrchestrationClient } from './durable-client';
import { ORCHESTRATION, cycleIdAt, syncCycleInstanceId } from './durable-names';
import type { SyncCycleInput } from '../orchestrations/sync-cycle.orchestrator';

export type CycleStart =
  | { readonly started: true; readonly cycleId: string; readonly instanceId: string }
  | { readonly started: false; readonly instanceId: string; readonly reason: string };

const LIVE = new Set(['Running', 'Pending', 'ContinuedAsNew']);

/** A new cycle id for the source (see `cycleIdAt`). */
export function newCycleId(sourceId: string, now: Date): string {
  return cycleIdAt(sourceId, now, randomUUID());
}

export async function startCycle(
  client: OrchestrationClient,
  sourceId: string,
  trigger: SyncCycleInput['trigger'],
  now: Date,
  mode?: SyncCycleInput['mode'],
): Promise<CycleStart> {
  const instanceId = syncCycleInstanceId(sourceId);
  const status = await client.getStatus(instanceId);
  if (status && LIVE.has(status.runtimeStatus)) {
    return { started: false, instanceId, reason: `a cycle for source ${sourceId} is still running or held` };
  }
  const input: SyncCycleInput = { sourceId, cycleId: newCycleId(sourceId, now), trigger, ...(mode ? { mode } : {}) };
  await client.startNew(ORCHESTRATION.syncCycle, { instanceId, input });
  return { started: true, cycleId: input.cycleId, instanceId };
}
