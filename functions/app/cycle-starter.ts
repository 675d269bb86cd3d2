/**
 * Starting a sync cycle for a source — from its timer, the HTTP API or the CLI. A source has at most one
 * live cycle (a held cycle waits for its decision), so a start while one is live is refused, not queued:
 * the next poll reads whatever changed meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { OrchestrationClient } from './durable-client';
import { ORCHESTRATION, syncCycleInstanceId } from './durable-names';
import type { SyncCycleInput } from '../orchestrations/sync-cycle.orchestrator';

export type CycleStart =
  | { readonly started: true; readonly cycleId: string; readonly instanceId: string }
  | { readonly started: false; readonly instanceId: string; readonly reason: string };

const LIVE = new Set(['Running', 'Pending', 'ContinuedAsNew']);

/**
 * A cycle id that sorts by time, says its source and is unique: `hr-file.20261201T090000Z.5f3a9c1e`
 * (two cycles may start within one second, or at one instant of a virtual clock).
 */
export function newCycleId(sourceId: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${sourceId}.${stamp}.${randomUUID().slice(0, 8)}`;
}

export async function startCycle(
  client: OrchestrationClient,
  sourceId: string,
  trigger: SyncCycleInput['trigger'],
  now: Date,
): Promise<CycleStart> {
  const instanceId = syncCycleInstanceId(sourceId);
  const status = await client.getStatus(instanceId);
  if (status && LIVE.has(status.runtimeStatus)) {
    return { started: false, instanceId, reason: `a cycle for source ${sourceId} is still running or held` };
  }
  const input: SyncCycleInput = { sourceId, cycleId: newCycleId(sourceId, now), trigger };
  await client.startNew(ORCHESTRATION.syncCycle, { instanceId, input });
  return { started: true, cycleId: input.cycleId, instanceId };
}
