/**
 * `hr2ad-agent status`: what the agent on this machine is doing, from the files it writes, without
 * disturbing it: the status file its heartbeat rewrites (`<journal>.status.json`) and the journal, opened
 * read-only. Running means the process that wrote the status file is alive and its heartbeat is fresh
 * (no older than three heartbeat intervals): a live process whose heartbeat has stalled is not running.
 */
import { readFile, stat } from 'node:fs/promises';
import { agentHeartbeat, type AgentHeartbeat } from '../../shared/protocol/relay-messages';
import type { JournalStats } from '../relay/command-journal';
import type { AgentCliIo } from './cli-io';
import { AGENT_EXIT, type AgentExitCode } from './exit-codes';
import { loadConfigOrReport } from './load-or-report';

export interface AgentStatusOptions {
  readonly config: string;
  readonly keyFile?: string;
  readonly json?: boolean;
}

export interface AgentStatusDeps {
  /** The journal's totals, read-only (CommandJournal.openReadOnly in the process). */
  readonly journalStats: (path: string) => JournalStats;
  readonly statusFileFor: (journalPath: string) => string;
  /** Whether a process id is alive (default: signal 0). */
  readonly isAlive?: (pid: number) => boolean;
}

export interface AgentStatus {
  readonly running: boolean;
  /** Why it is not running. */
  readonly reason?: string;
  readonly pid?: number;
  readonly heartbeat?: AgentHeartbeat;
  readonly heartbeatAgeSeconds?: number;
  readonly journal: { readonly path: string; readonly bytes: number; readonly stats?: JournalStats };
}

const FRESH_INTERVALS = 3;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface StatusFile {
  readonly heartbeat: AgentHeartbeat;
  readonly pid: number;
}

async function readStatusFile(file: string): Promise<StatusFile | string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return `no status file (${file}): the agent has not run with this configuration`;
  }
  try {
    const { pid, ...rest } = JSON.parse(text) as { pid?: unknown };
    const heartbeat = agentHeartbeat.safeParse(rest);
    if (heartbeat.success && typeof pid === 'number') return { heartbeat: heartbeat.data, pid };
  } catch {
    // Reported below, without the text.
  }
  return `${file}: not a status file`;
}

async function bytesOf(paths: string[]): Promise<number> {
  const sizes = await Promise.all(
    paths.map((p) =>
      stat(p).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

async function journalOf(path: string, deps: AgentStatusDeps): Promise<AgentStatus['journal']> {
  const bytes = await bytesOf([path, `${path}-wal`]);
  if (bytes === 0) return { path, bytes };
  return { path, bytes, stats: deps.journalStats(path) };
}

/** The agent's status from its files, judged at `now`. */
export async function agentStatus(
  journalPath: string,
  heartbeatSeconds: number,
  now: Date,
  deps: AgentStatusDeps,
): Promise<AgentStatus> {
  const journal = await journalOf(journalPath, deps);
  const file = await readStatusFile(deps.statusFileFor(journalPath));
  if (typeof file === 'string') return { running: false, reason: file, journal };
  const ageSeconds = Math.round((now.getTime() - Date.parse(file.heartbeat.sentAt)) / 1000);
  const seen = { pid: file.pid, heartbeat: file.heartbeat, heartbeatAgeSeconds: ageSeconds, journal };
  if (!(deps.isAlive ?? processAlive)(file.pid))
    return { running: false, reason: `process ${file.pid} is not running`, ...seen };
  if (ageSeconds > FRESH_INTERVALS * heartbeatSeconds)
    return {
      running: false,
      reason: `process ${file.pid} is alive but its last heartbeat is ${ageSeconds} s old`,
      ...seen,
    };
  return { running: true, ...seen };
}

function describe(status: AgentStatus): string {
  const lines = [status.running ? `running (pid ${status.pid})` : `not running: ${status.reason}`];
  const h = status.heartbeat;
  if (h) {
    lines.push(
      `agent ${h.agentId} ${h.version} on ${h.hostname}, started ${h.startedAt}`,
      `last heartbeat ${h.sentAt} (${status.heartbeatAgeSeconds} s ago)`,
      `sessions held ${h.sessionsHeld}; since start: applied ${h.commandsApplied}, refused ${h.commandsRefused}, ` +
        `errors ${h.errors}, dead-lettered ${h.deadLettered}`,
      `last error: ${h.lastError ?? 'none'}`,
    );
  }
  const { journal } = status;
  const stats = journal.stats;
  lines.push(
    stats
      ? `journal ${journal.path}: ${journal.bytes} bytes; ${stats.commandsCompleted} commands completed for ` +
          `${stats.workers} workers, ${stats.refusals} refused; last completed ${stats.lastCompletedAt ?? 'never'}`
      : `journal ${journal.path}: not created yet`,
  );
  return `${lines.join('\n')}\n`;
}

export async function runAgentStatus(
  options: AgentStatusOptions,
  io: AgentCliIo,
  deps: AgentStatusDeps,
): Promise<AgentExitCode> {
  const loaded = await loadConfigOrReport('status', options, io);
  if (!loaded) return AGENT_EXIT.invalidInput;
  const relay = loaded.config.relay;
  if (!relay) {
    io.stderr(`hr2ad-agent status: ${loaded.file} has no relay section (the agent runs embedded elsewhere)\n`);
    return AGENT_EXIT.invalidInput;
  }
  const status = await agentStatus(relay.journal.path, relay.heartbeatSeconds, io.now(), deps);
  io.stdout(options.json ? `${JSON.stringify(status, null, 2)}\n` : describe(status));
  return status.running ? AGENT_EXIT.ok : AGENT_EXIT.notRunning;
}
