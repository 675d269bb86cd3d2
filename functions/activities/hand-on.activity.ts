/**
 * Handing a cycle's plans on to the workers' lifecycle orchestrations: start the worker's orchestration
 * with the plan, or raise the plan as an event on the one already running. Through the durable client
 * the host binds to the activity (`df.getClient(context)` in both hosts), narrowed here to what it uses
 * (`OrchestrationClient`) so the rules are tested without a host.
 */
import type { CyclePlan } from '../../shared/ports/state-store.port';
import type { ControlPlanePorts } from '../app/control-plane-ports';
import type { OrchestrationClient } from '../app/durable-client';
import { EVENT, ORCHESTRATION, lifecycleInstanceId } from '../app/durable-names';
import type { HandedOnPlan, LifecycleInput } from '../orchestrations/lifecycle-state';
import type { HandOnInput } from '../orchestrations/sync-cycle.orchestrator';

const LIVE = new Set(['Running', 'Pending', 'ContinuedAsNew']);
/** Client calls in flight at once per activity (several chunks run at once). */
const PARALLEL = 4;

/** Hands one chunk of the cycle's plans on; returns how many. */
export async function handOnPlans(
  ports: ControlPlanePorts,
  client: OrchestrationClient,
  input: HandOnInput,
): Promise<number> {
  const chunk = await ports.stateStore.getCyclePlans(input.cycleId, input);
  for (let i = 0; i < chunk.length; i += PARALLEL) {
    await Promise.all(chunk.slice(i, i + PARALLEL).map((p) => handOnPlan(ports, client, p)));
  }
  return chunk.length;
}

/** Gives one worker's plan to its lifecycle orchestration, starting it when none is live. */
export async function handOnPlan(
  ports: ControlPlanePorts,
  client: OrchestrationClient,
  cyclePlan: CyclePlan,
): Promise<void> {
  const instanceId = lifecycleInstanceId(cyclePlan.workerKey);
  const handedOn: HandedOnPlan = {
    plan: cyclePlan.plan!,
    cycleId: cyclePlan.cycleId,
    classification: cyclePlan.classification,
    details: cyclePlan.details,
    settings: ports.lifecycle,
  };
  const status = await client.getStatus(instanceId);
  if (status && LIVE.has(status.runtimeStatus)) {
    await client.raiseEvent(instanceId, EVENT.newPlan, handedOn);
    return;
  }
  const input: LifecycleInput = {
    workerKey: cyclePlan.workerKey,
    pending: [],
    seenPlanIds: [],
    settings: ports.lifecycle,
    handedOn,
  };
  await client.startNew(ORCHESTRATION.lifecycle, { instanceId, input });
}
