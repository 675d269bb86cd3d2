/** What the agent has done since it started, for heartbeats and `hr2ad-agent status`. */
export class RelayCounters {
  commandsApplied = 0;
  commandsRefused = 0;
  errors = 0;
  deadLettered = 0;
  sessionsHeld = 0;
  lastError: string | undefined;

  noteError(message: string): void {
    this.errors++;
    this.lastError = message.slice(0, 1000);
  }
}
