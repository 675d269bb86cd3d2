/**
 * `hr2ad-agent run`: the standalone agent. It loads the configuration (sealed or plain), starts the relay
 * (Service Bus session receivers, the directory applier, the journal, the heartbeat) and runs until
 * SIGINT or SIGTERM, then stops cleanly: no new sessions, commands in hand finish, a last heartbeat.
 * Logs are JSON lines on standard error, readable lines with --pretty.
 */
import type { AgentConfig } from '../config/agent-config';
import type { Logger } from '../../shared/ports/logger.port';
import { createPinoLogger } from '../logging/pino-logger';
import type { AgentCliIo } from './cli-io';
import { loadConfigOrReport } from './load-or-report';
import { AGENT_EXIT, type AgentExitCode } from './exit-codes';

export interface RelayHandle {
  stop(): Promise<void>;
  readonly stopped: Promise<void>;
}

/** Starts the relay (agent/relay/agent-relay.ts in the process; a stand-in in tests). */
export type StartRelay = (
  config: AgentConfig,
  environment: { logger: Logger; now: () => Date; env?: Readonly<Record<string, string | undefined>> },
) => Promise<RelayHandle>;

export interface AgentRunOptions {
  readonly config: string;
  readonly keyFile?: string;
  readonly pretty?: boolean;
  readonly verbose?: boolean;
}

export interface AgentRunDeps {
  readonly startRelay: StartRelay;
  /** Where logs go (default: pino on standard error). */
  readonly logger?: Logger;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

export async function runAgentRun(
  options: AgentRunOptions,
  io: AgentCliIo,
  deps: AgentRunDeps,
): Promise<AgentExitCode> {
  const loaded = await loadConfigOrReport('run', options, io);
  if (!loaded) return AGENT_EXIT.invalidInput;
  const logger =
    deps.logger ?? createPinoLogger({ level: options.verbose ? 'debug' : 'info', pretty: options.pretty ?? false });
  let relay: RelayHandle;
  try {
    relay = await deps.startRelay(loaded.config, { logger, now: () => io.now(), env: io.env });
  } catch (error) {
    logger.error('the agent could not start', { config: loaded.file, error: oneLine(error) });
    return AGENT_EXIT.startFailed;
  }
  logger.info('agent running', { config: loaded.file, sealed: loaded.sealed });
  const stopRequested = io.stopRequested ?? (() => new Promise<string>(() => {}));
  const outcome = await Promise.race([
    stopRequested().then((signal) => ({ kind: 'signal' as const, signal })),
    relay.stopped.then(
      () => ({ kind: 'stopped' as const }),
      (error: unknown) => ({ kind: 'failed' as const, error }),
    ),
  ]);
  if (outcome.kind !== 'signal') {
    const fields = outcome.kind === 'failed' ? { error: oneLine(outcome.error) } : {};
    logger.error('the agent stopped on its own', fields);
    return AGENT_EXIT.startFailed;
  }
  logger.info('stopping', { signal: outcome.signal });
  await relay.stop();
  logger.info('stopped');
  return AGENT_EXIT.ok;
}
