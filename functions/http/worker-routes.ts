/**
 * Worker routes: a worker's status (stored state and plan in force, the lifecycle orchestration's pending
 * steps with their due times, the last outcomes), and provision on demand — plan one worker now from its
 * source's current record and hand the plan on, optionally waiting for the results.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationClient } from '../app/durable-client';
import { planCycle } from '../../shared/planner/plan-cycle';
import { workerKeyOf } from '../../shared/worker/worker-attributes';
import { statesWithLinks } from '../activities/account-links';
import { handOnPlan } from '../activities/hand-on.activity';
import type { ControlPlanePorts } from '../app/control-plane-ports';
import { newCycleId } from '../app/cycle-starter';
import { lifecycleInstanceId } from '../app/durable-names';
import { json, problem } from './problem';
import { findWorkerRecord } from './source-records';

export async function workerStatus(ports: ControlPlanePorts, req: HttpRequest, ctx: InvocationContext) {
  const workerKey = req.params.workerKey ?? '';
  const store = ports.stateStore;
  const state = (await statesWithLinks(store, [workerKey])).get(workerKey) ?? null;
  const instance = await orchestrationClient(df.getClient(ctx)).getStatus(lifecycleInstanceId(workerKey));
  if (!state && !instance) return problem('not-found', `hr2ad knows no worker ${JSON.stringify(workerKey)}`);
  return json(200, {
    workerKey,
    phase: state?.desired.phase ?? null,
    plan: state?.plan ?? null,
    identifiers: state?.identifiers ?? null,
    lifecycle: instance ? { runtimeStatus: instance.runtimeStatus, status: instance.customStatus ?? null } : null,
    outcomes: await store.listOutcomes(workerKey, 10),
  });
}

const WAIT_POLL_MS = 200;
const WAIT_MAX_MS = 60_000;

export async function provisionWorker(
  ports: ControlPlanePorts,
  req: HttpRequest,
  ctx: InvocationContext,
): Promise<HttpResponseInit> {
  const workerKey = req.params.workerKey ?? '';
  const found = await findWorkerRecord(ports, workerKey);
  if (!found) return problem('not-found', `no configured HR source has a record for ${JSON.stringify(workerKey)}`);
  const now = ports.clock.now();
  const states = await statesWithLinks(ports.stateStore, [workerKey]);
  const cycle = planCycle({ records: [found.record], states, config: ports.mapping, now });
  const result = cycle.results.find((r) => r.workerKey === workerKey || workerKeyOf(found.record) === r.workerKey);
  if (!result || !result.nextState)
    return problem('quarantined', 'the record is not valid', { issues: result?.issues ?? [] });
  const view = { workerKey, classification: result.classification, details: result.details, plan: result.plan };
  if (!result.plan) return json(200, { ...view, outcomes: [] });
  const cycleId = newCycleId(`on-demand.${found.sourceId}`, now);
  const plan = { ...result, cycleId, workerKey, held: false };
  await handOnPlan(ports, orchestrationClient(df.getClient(ctx)), plan);
  await ports.stateStore.putState(result.nextState);
  if (req.query.get('wait') !== 'true') return json(202, { ...view, outcomes: [] });
  const outcomes = await waitForOutcomes(ports, workerKey, result.plan);
  return json(outcomes.done ? 200 : 202, { ...view, outcomes: outcomes.list });
}

/** Waits (bounded) until every step of the plan due now has an outcome. */
async function waitForOutcomes(
  ports: ControlPlanePorts,
  workerKey: string,
  plan: NonNullable<Awaited<ReturnType<typeof planCycle>>['results'][number]['plan']>,
) {
  const due = plan.steps.filter((s) => s.immediate).map((s) => s.command.commandId);
  const deadline = Date.now() + WAIT_MAX_MS;
  for (;;) {
    const list = (await ports.stateStore.listOutcomes(workerKey, 100)).filter((o) => o.planId === plan.planId);
    const done = due.every((id) => list.some((o) => o.commandId === id));
    if (done || Date.now() > deadline) return { done, list };
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}
