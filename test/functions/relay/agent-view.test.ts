/** An agent is reported silent once more than three of its heartbeat intervals (30 s until two came) have passed. */
import { agentView } from '../../../functions/http/read-routes';
import type { AgentRecord } from '../../../shared/ports/state-store.port';

const SEEN = '2026-12-01T00:00:00.000Z';
const agent = (heartbeatIntervalSeconds: number | null): AgentRecord => ({
  agentId: 'agent-a',
  version: '0.1.0',
  hostname: 'h',
  lastSeen: SEEN,
  heartbeatIntervalSeconds,
  sessionsHeld: 0,
  commandsApplied: 0,
  refused: 0,
  errors: 0,
  deadLettered: 0,
  lastError: null,
  lastRefusal: null,
});
const after = (seconds: number) => new Date(Date.parse(SEEN) + seconds * 1000);

it.each([
  [null, 90, 90, false],
  [null, 91, 91, true],
  [10, 30, 30, false],
  [10, 31, 31, true],
  [60, 120, 120, false],
])('interval %p, %p s later: %p s since seen, silent %p', (interval, elapsed, since, silent) => {
  expect(agentView(agent(interval), after(elapsed))).toEqual(
    expect.objectContaining({ secondsSinceSeen: since, silent }),
  );
});
