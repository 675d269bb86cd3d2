/**
 * The agent's heartbeat: every few seconds it tells the control plane it is alive, which version it
 * runs and what it holds (published on the results queue), and writes the same facts next to its
 * journal for `hr2ad-agent status`. A heartbeat that cannot be sent is logged, never fatal.
 */
import { hostname } from 'node:os';
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from '../../shared/ports/logger.port';
import type { AgentHeartbeat } from '../../shared/protocol/relay-messages';
import type { RelayCounters } from './relay-counters';
import type { ResultPublisher } from './result-publisher';

export interface HeartbeatOptions {
  readonly agentId: string;
  readonly version: string;
  readonly startedAt: Date;
  readonly intervalMs: number;
  readonly counters: RelayCounters;
  readonly publisher: ResultPublisher;
  /** The status file `hr2ad-agent status` reads. */
  readonly statusFile: string;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** The status file: the last heartbeat and the process that wrote it. */
export function statusFileFor(journalPath: string): string {
  return `${journalPath}.status.json`;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> = Promise.resolve();

  constructor(private readonly options: HeartbeatOptions) {}

  start(): void {
    this.beat();
    this.timer = setInterval(() => this.beat(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops beating after one last heartbeat (so the control plane sees the final counts). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    this.beat();
    await this.beating;
  }

  current(): AgentHeartbeat {
    const { counters } = this.options;
    return {
      type: 'AgentHeartbeat',
      agentId: this.options.agentId,
      version: this.options.version,
      hostname: hostname().slice(0, 256),
      startedAt: this.options.startedAt.toISOString(),
      sentAt: this.options.now().toISOString(),
      sessionsHeld: counters.sessionsHeld,
      commandsApplied: counters.commandsApplied,
      commandsRefused: counters.commandsRefused,
      errors: counters.errors,
      deadLettered: counters.deadLettered,
      ...(counters.lastError ? { lastError: counters.lastError } : {}),
    };
  }

  private beat(): void {
    this.beating = this.beating.then(() => this.send(this.current()));
  }

  private async send(heartbeat: AgentHeartbeat): Promise<void> {
    const file = this.options.statusFile;
    try {
      await writeFile(`${file}.tmp`, `${JSON.stringify({ ...heartbeat, pid: process.pid })}\n`, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      await this.options.publisher.publish(heartbeat);
    } catch (error) {
      this.options.logger.warn('heartbeat not sent', { error: (error as Error).message.slice(0, 300) });
    }
  }
}
