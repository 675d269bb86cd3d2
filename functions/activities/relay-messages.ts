/**
 * What the control plane does with each message the agents send on the results queue (the app's results
 * trigger calls it): a command result is raised on its worker's lifecycle orchestration, as the local
 * channel's result sink does; a heartbeat updates the agent's record; a refusal is counted on the agent's
 * record and logged for administrators (its identity is unsigned, so it never reaches an orchestration).
 * A message that does not decode is logged by id and dropped: redelivering it would never help.
 */
import type { Logger } from '../../shared/ports/logger.port';
import type { StateStore } from '../../shared/ports/state-store.port';
import { relayMessage, type RelayMessage } from '../../shared/protocol/relay-messages';
import type { CommandResult } from '../../shared/protocol/results';
import { formatIssues, issuesFromZod } from '../../shared/util/result';
import type { OrchestrationClient } from '../app/durable-client';
import { commandResultEvent, lifecycleInstanceId } from '../app/durable-names';

/** What a relay message needs: the store, the log, and the durable client for results. */
export interface RelayMessageDeps {
  readonly stateStore: StateStore;
  readonly logger: Logger;
  readonly orchestrations: OrchestrationClient;
}

/** The broker's view of the message (claimed by the sender, used only to name it in logs). */
export interface RelayMessageMetadata {
  readonly messageId?: string;
  readonly deliveryCount?: number;
}

export type RelayMessageOutcome =
  | 'result-raised'
  | 'result-unclaimed'
  | 'heartbeat-recorded'
  | 'heartbeat-stale'
  | 'refusal-recorded'
  | 'refusal-repeated'
  | 'undecodable';

/** Orchestration states that can still take an event. */
const LIVE = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

/** Handles one message; throws only on a fault worth redelivering (the store or the durable API failing). */
export async function handleRelayMessage(
  deps: RelayMessageDeps,
  body: unknown,
  metadata: RelayMessageMetadata,
): Promise<RelayMessageOutcome> {
  const message = decode(body);
  if (typeof message === 'string') {
    deps.logger.warn('relay message does not decode; dropped', { messageId: metadata.messageId, problem: message });
    return 'undecodable';
  }
  switch (message.type) {
    case 'CommandResult':
      return raiseResult(deps, message.result);
    case 'AgentHeartbeat':
      return (await deps.stateStore.recordAgentHeartbeat(message)) ? 'heartbeat-recorded' : 'heartbeat-stale';
    case 'CommandRefused': {
      const counted = await deps.stateStore.recordAgentRefusal(message.agentId, message);
      if (counted)
        deps.logger.warn('agent refused a command message', {
          agentId: message.agentId,
          refusedMessageId: message.messageId,
          sessionId: message.sessionId,
          code: message.code,
          reason: message.reason,
        });
      return counted ? 'refusal-recorded' : 'refusal-repeated';
    }
  }
}

/** The decoded message, or what is wrong with it (field paths and messages, never the body). */
function decode(body: unknown): RelayMessage | string {
  let value = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      value = JSON.parse(body.toString()) as unknown;
    } catch {
      return 'not JSON';
    }
  }
  const parsed = relayMessage.safeParse(value);
  return parsed.success ? parsed.data : formatIssues(issuesFromZod(parsed.error), '; ');
}

/** The result becomes its command's event on the worker's lifecycle; with no live lifecycle it is logged. */
async function raiseResult(deps: RelayMessageDeps, result: CommandResult): Promise<RelayMessageOutcome> {
  const instanceId = lifecycleInstanceId(result.workerKey);
  const status = await deps.orchestrations.getStatus(instanceId);
  if (!status || !LIVE.has(status.runtimeStatus)) {
    deps.logger.warn('command result has no live orchestration', {
      commandId: result.commandId,
      outcome: status?.runtimeStatus ?? 'not-found',
    });
    return 'result-unclaimed';
  }
  await deps.orchestrations.raiseEvent(instanceId, commandResultEvent(result.commandId), result);
  return 'result-raised';
}
