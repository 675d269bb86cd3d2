/**
 * What the results trigger does with each relay message, as a table over fakes of the durable client and
 * the store: the outcome, what was raised or recorded, and what was logged (a message that does not
 * decode is named by id only, never by its body).
 */
import { handleRelayMessage, type RelayMessageOutcome } from '../../../functions/activities/relay-messages';
import type { InstanceState, OrchestrationClient } from '../../../functions/app/durable-client';
import type { Logger } from '../../../shared/ports/logger.port';
import type { StateStore } from '../../../shared/ports/state-store.port';
import type { CommandResult } from '../../../shared/protocol/results';

const RESULT: CommandResult = { kind: 'NoChange', commandId: 'cmd-1', workerKey: 'hr:E1001', sequence: 1, pending: [] };
const AT = '2026-12-01T00:00:00.000Z';
const HEARTBEAT = {
  type: 'AgentHeartbeat',
  agentId: 'agent-a',
  version: '0.1.0',
  hostname: 'h',
  startedAt: AT,
  sentAt: AT,
  sessionsHeld: 0,
  commandsApplied: 0,
  commandsRefused: 0,
  errors: 0,
  deadLettered: 0,
};
const REFUSAL = {
  type: 'CommandRefused',
  agentId: 'agent-a',
  at: AT,
  messageId: 'm',
  sessionId: 's',
  code: 'ProtocolError',
  reason: 'r',
};

function harness(lifecycle: InstanceState | undefined, stored = true) {
  const raised: [string, string, unknown][] = [];
  const warnings: [string, Record<string, unknown>][] = [];
  const orchestrations: OrchestrationClient = {
    getStatus: async () => lifecycle,
    startNew: async () => 'never',
    raiseEvent: async (id, name, data) => {
      raised.push([id, name, data]);
    },
  };
  const stateStore = {
    recordAgentHeartbeat: async () => stored,
    recordAgentRefusal: async () => stored,
  } as unknown as StateStore;
  const logger = {
    warn: (message: string, fields: Record<string, unknown> = {}) => warnings.push([message, fields]),
  } as unknown as Logger;
  return { deps: { orchestrations, stateStore, logger }, raised, warnings };
}

const running: InstanceState = { runtimeStatus: 'Running' };

it.each<[string, unknown, InstanceState | undefined, boolean, RelayMessageOutcome]>([
  [
    'a result for a live lifecycle',
    { type: 'CommandResult', agentId: 'a', result: RESULT },
    running,
    true,
    'result-raised',
  ],
  [
    'a result as JSON text',
    JSON.stringify({ type: 'CommandResult', agentId: 'a', result: RESULT }),
    running,
    true,
    'result-raised',
  ],
  [
    'a result nobody waits for',
    { type: 'CommandResult', agentId: 'a', result: RESULT },
    undefined,
    true,
    'result-unclaimed',
  ],
  [
    'a result for a finished lifecycle',
    { type: 'CommandResult', agentId: 'a', result: RESULT },
    { runtimeStatus: 'Completed' },
    true,
    'result-unclaimed',
  ],
  ['a new heartbeat', HEARTBEAT, running, true, 'heartbeat-recorded'],
  ['an old heartbeat', HEARTBEAT, running, false, 'heartbeat-stale'],
  ['a new refusal', REFUSAL, running, true, 'refusal-recorded'],
  ['a refusal seen before', REFUSAL, running, false, 'refusal-repeated'],
  ['text that is not JSON', 'garbage', running, true, 'undecodable'],
  ['an unknown type', { type: 'Gossip' }, running, true, 'undecodable'],
  ['nothing', undefined, running, true, 'undecodable'],
])('%s', async (_what, body, lifecycle, stored, outcome) => {
  const { deps, raised } = harness(lifecycle, stored);
  expect(await handleRelayMessage(deps, body, { messageId: 'm-1' })).toBe(outcome);
  const expectRaised = outcome === 'result-raised' ? [['lifecycle:hr:E1001', 'CommandResult.cmd-1', RESULT]] : [];
  expect(raised).toEqual(expectRaised);
});

it('names an undecodable message by id and never logs its body', async () => {
  const { deps, warnings } = harness(running);
  await handleRelayMessage(
    deps,
    { type: 'AgentHeartbeat', agentId: 'agent-a', lastError: 'password=hunter2' },
    { messageId: 'm-9' },
  );
  expect(warnings).toHaveLength(1);
  expect(warnings[0]?.[1]).toEqual(expect.objectContaining({ messageId: 'm-9' }));
  expect(JSON.stringify(warnings)).not.toContain('hunter2');
});

it('lets a failing store throw, so the message is abandoned and comes again', async () => {
  const { deps } = harness(running);
  const failing = {
    ...deps,
    stateStore: { recordAgentHeartbeat: () => Promise.reject(new Error('disk')) } as unknown as StateStore,
  };
  await expect(handleRelayMessage(failing, HEARTBEAT, {})).rejects.toThrow('disk');
});
