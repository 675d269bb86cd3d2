/**
 * How an agent's record follows its relay messages, the same for every store: a heartbeat replaces what
 * the agent reports about itself, a refusal adds to what the control plane counts.
 */
import type { AgentRecord } from '../../../shared/ports/state-store.port';
import type { AgentHeartbeat, CommandRefused } from '../../../shared/protocol/relay-messages';

/** The record after a heartbeat newer than the stored one. */
export function agentFromHeartbeat(heartbeat: AgentHeartbeat, stored: AgentRecord | null): AgentRecord {
  const interval = stored?.version ? secondsBetween(stored.lastSeen, heartbeat.sentAt) : null;
  return {
    agentId: heartbeat.agentId,
    version: heartbeat.version,
    hostname: heartbeat.hostname,
    lastSeen: heartbeat.sentAt,
    heartbeatIntervalSeconds: interval ?? stored?.heartbeatIntervalSeconds ?? null,
    sessionsHeld: heartbeat.sessionsHeld,
    commandsApplied: heartbeat.commandsApplied,
    refused: stored?.refused ?? 0,
    errors: heartbeat.errors,
    deadLettered: heartbeat.deadLettered,
    lastError: heartbeat.lastError ?? null,
    lastRefusal: stored?.lastRefusal ?? null,
  };
}

/** The record after a refusal not counted before (an agent first heard of by a refusal gets a bare record). */
export function agentFromRefusal(agentId: string, refusal: CommandRefused, stored: AgentRecord | null): AgentRecord {
  const base = stored ?? emptyAgent(agentId, refusal.at);
  const newer = !base.lastRefusal || Date.parse(refusal.at) >= Date.parse(base.lastRefusal.at);
  return {
    ...base,
    refused: base.refused + 1,
    lastRefusal: newer ? { at: refusal.at, code: refusal.code, reason: refusal.reason } : base.lastRefusal,
  };
}

function emptyAgent(agentId: string, seen: string): AgentRecord {
  return {
    agentId,
    version: '',
    hostname: '',
    lastSeen: seen,
    heartbeatIntervalSeconds: null,
    sessionsHeld: 0,
    commandsApplied: 0,
    refused: 0,
    errors: 0,
    deadLettered: 0,
    lastError: null,
    lastRefusal: null,
  };
}

/** Whole seconds from one instant to a later one; null when not later. */
function secondsBetween(from: string, to: string): number | null {
  const seconds = Math.round((Date.parse(to) - Date.parse(from)) / 1000);
  return seconds > 0 ? seconds : null;
}
