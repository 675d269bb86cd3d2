/**
 * The control plane as an Azure Functions app: the one module that registers it. Every `app.*` and
 * `df.app.*` call is here, so this is the single description of what the app is — Azure's Functions
 * host receives exactly these registrations, and so does the local host. Each host's composition root
 * builds the ports and calls `registerControlPlane` once.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { orchestrationClient } from './durable-client';
import { createCommandActivities } from '../activities/command.activities';
import { createCycleActivities } from '../activities/cycle.activities';
import { createIngestActivities } from '../activities/ingest.activities';
import { handOnPlans } from '../activities/hand-on.activity';
import { handleRelayMessage } from '../activities/relay-messages';
import { registerHttpApi } from '../http/register-http-api';
import { lifecycleOrchestrator } from '../orchestrations/lifecycle.orchestrator';
import {
  syncCycleOrchestrator,
  type HandOnInput,
  type SyncCycleInput,
} from '../orchestrations/sync-cycle.orchestrator';
import { SERVICE_BUS_CONNECTION_SETTING, type ControlPlanePorts } from './control-plane-ports';
import { startCycle } from './cycle-starter';
import { ACTIVITY, ORCHESTRATION } from './durable-names';

/** The function reading the results queue. */
export const RESULTS_TRIGGER = 'CommandResults';

export function registerControlPlane(ports: ControlPlanePorts): void {
  df.app.orchestration(ORCHESTRATION.lifecycle, lifecycleOrchestrator);
  df.app.orchestration(ORCHESTRATION.syncCycle, syncCycleOrchestrator);
  registerActivities(ports);
  registerTimers(ports);
  registerIngestSweep(ports);
  registerResultsTrigger(ports);
  registerHttpApi(ports);
}

function registerActivities(ports: ControlPlanePorts): void {
  const cycle = createCycleActivities(ports);
  const command = createCommandActivities(ports);
  const ingest = createIngestActivities(ports);
  df.app.activity(ACTIVITY.pollSource, { handler: (input) => cycle.pollSource(input) });
  df.app.activity(ACTIVITY.planCycle, { handler: (input) => cycle.planCycle(input) });
  df.app.activity(ACTIVITY.decideCycle, { handler: (input) => cycle.decideCycle(input) });
  df.app.activity(ACTIVITY.commitCycle, { handler: (input) => cycle.commitCycle(input) });
  df.app.activity(ACTIVITY.handOnPlans, {
    extraInputs: [df.input.durableClient()],
    handler: (input: HandOnInput, context: InvocationContext) =>
      handOnPlans(ports, orchestrationClient(df.getClient(context)), input),
  });
  df.app.activity(ACTIVITY.planIngest, { handler: (input) => ingest.planIngest(input) });
  df.app.activity(ACTIVITY.ingestWaiting, { handler: (input) => ingest.ingestWaiting(input) });
  df.app.activity(ACTIVITY.sendCommand, { handler: (input) => command.sendCommand(input) });
  df.app.activity(ACTIVITY.recordOutcome, { handler: (input) => command.recordOutcome(input) });
}

/** One timer per source, on the source's own schedule; one more for a source's full reads (a reconcile). */
function registerTimers(ports: ControlPlanePorts): void {
  for (const { source, schedule, fullReadSchedule } of ports.sources) {
    registerCycleTimer(ports, `poll-${source.id}`, schedule, source.id);
    if (fullReadSchedule) registerCycleTimer(ports, `full-read-${source.id}`, fullReadSchedule, source.id, 'full');
  }
}

function registerCycleTimer(
  ports: ControlPlanePorts,
  name: string,
  schedule: string,
  sourceId: string,
  mode?: SyncCycleInput['mode'],
): void {
  app.timer(name, {
    schedule,
    extraInputs: [df.input.durableClient()],
    handler: async (_timer: Timer, context: InvocationContext) => {
      const client = orchestrationClient(df.getClient(context));
      const start = await startCycle(client, sourceId, 'schedule', ports.clock.now(), mode);
      if (!start.started) ports.logger.info('poll skipped', { sourceId, timer: name, reason: start.reason });
    },
  });
}

/** How often pushed records left waiting are looked for (NCRONTAB). */
export const INGEST_SWEEP_SCHEDULE = '*/20 * * * * *';

/**
 * Pushed records start a cycle at once; this timer is the safety net for a push that arrived while its
 * source's cycle was finishing (too late for it, too early to start another), or before a restart.
 */
function registerIngestSweep(ports: ControlPlanePorts): void {
  const ingest = ports.ingest;
  if (!ingest || ingest.sources.size === 0) return;
  app.timer('ingest-sweep', {
    schedule: INGEST_SWEEP_SCHEDULE,
    extraInputs: [df.input.durableClient()],
    handler: async (_timer: Timer, context: InvocationContext) => {
      const client = orchestrationClient(df.getClient(context));
      for (const sourceId of ingest.sources.keys()) {
        if (await ingest.store.hasPending(sourceId)) {
          await startCycle(client, sourceId, 'ingest', ports.clock.now(), 'ingest');
        }
      }
    },
  });
}

/**
 * With the Service Bus relay, agents' results, heartbeats and refusals arrive on the results queue. The
 * handler throws only on a fault worth redelivering; the queue's max delivery count bounds the retries.
 */
function registerResultsTrigger(ports: ControlPlanePorts): void {
  const relay = ports.relay;
  if (relay?.kind !== 'serviceBus') return;
  app.serviceBusQueue(RESULTS_TRIGGER, {
    connection: SERVICE_BUS_CONNECTION_SETTING,
    queueName: relay.resultsQueue,
    extraInputs: [df.input.durableClient()],
    handler: async (message: unknown, context: InvocationContext) => {
      const orchestrations = orchestrationClient(df.getClient(context));
      // The library JSON-parses metadata text, so a numeric-looking id arrives as a number.
      const messageId = context.triggerMetadata?.['messageId'];
      await handleRelayMessage({ stateStore: ports.stateStore, logger: ports.logger, orchestrations }, message, {
        ...(messageId !== undefined ? { messageId: String(messageId) } : {}),
      });
    },
  });
}
