import { z } from 'zod';
import { commandResult } from './results';

/**
 * What the agent sends back on the results queue. A result goes to the worker's lifecycle orchestration
 * as its result event; a heartbeat tells the control plane the agent is alive and what it holds; a
 * refusal reports a message the agent would not act on and whose identity it cannot trust (no valid
 * signature), so it is shown to administrators but never raised on an orchestration.
 */
export const RELAY_MESSAGE_TYPE_PROPERTY = 'hr2adMessageType';

export const relayCommandResult = z.strictObject({
  type: z.literal('CommandResult'),
  agentId: z.string().min(1).max(256),
  result: commandResult,
});
export type RelayCommandResult = z.infer<typeof relayCommandResult>;

export const agentHeartbeat = z.strictObject({
  type: z.literal('AgentHeartbeat'),
  agentId: z.string().min(1).max(256),
  /** The agent's software version. */
  version: z.string().min(1).max(64),
  hostname: z.string().max(256),
  startedAt: z.iso.datetime({ offset: true }),
  sentAt: z.iso.datetime({ offset: true }),
  /** Sessions (workers) this agent holds a lock on now. */
  sessionsHeld: z.number().int().nonnegative(),
  /** Since start: commands applied (results published), refused, failed, and dead-lettered. */
  commandsApplied: z.number().int().nonnegative(),
  commandsRefused: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  deadLettered: z.number().int().nonnegative(),
  /** The last error, one line, no secrets. */
  lastError: z.string().max(1000).optional(),
});
export type AgentHeartbeat = z.infer<typeof agentHeartbeat>;

export const commandRefused = z.strictObject({
  type: z.literal('CommandRefused'),
  agentId: z.string().min(1).max(256),
  at: z.iso.datetime({ offset: true }),
  /** The Service Bus message id and session id as received (claimed, not trusted). */
  messageId: z.string().max(256),
  sessionId: z.string().max(256),
  code: z.enum(['SignatureInvalid', 'ProtocolError', 'UnsupportedVersion']),
  reason: z.string().max(2000),
});
export type CommandRefused = z.infer<typeof commandRefused>;

export const relayMessage = z.discriminatedUnion('type', [relayCommandResult, agentHeartbeat, commandRefused]);
export type RelayMessage = z.infer<typeof relayMessage>;
