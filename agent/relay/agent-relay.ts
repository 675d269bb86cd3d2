/**
 * The standalone agent's composition root: the directory applier, the journal, the command guard, the
 * Service Bus session receivers, the result publisher and the heartbeat, built from one validated
 * configuration. Every connection it makes is outbound: Service Bus and the domain controller.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ServiceBusClient } from '@azure/service-bus';
import type { Logger } from '../../shared/ports/logger.port';
import type { AgentConfig, RelaySettings } from '../config/agent-config';
import type { SecretReaders } from '../config/read-secret';
import { createDirectoryAgent } from '../index';
import { CommandGuard } from './command-guard';
import { CommandHandler } from './command-handler';
import { CommandJournal } from './command-journal';
import { Heartbeat, statusFileFor } from './heartbeat';
import { RelayCounters } from './relay-counters';
import { ResultPublisher } from './result-publisher';
import { createServiceBusClient } from './service-bus-client';
import { fencedDirectory } from './session-fence';
import { SessionPump, WorkerTurns } from './session-pump';
import { SignatureVerifier } from './signature-verifier';
import { agentVersion } from './agent-version';

export interface RelayEnvironment {
  readonly logger: Logger;
  readonly now: () => Date;
  readonly readFile?: (path: string) => string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface AgentRelayHandle {
  /** Stops taking sessions, lets the commands in hand finish, sends a last heartbeat and closes everything. */
  stop(): Promise<void>;
  /** Settles once the relay has stopped. */
  readonly stopped: Promise<void>;
}

/** Starts the relay the configuration's `relay` section describes. */
export async function startAgentRelay(config: AgentConfig, environment: RelayEnvironment): Promise<AgentRelayHandle> {
  const relay = config.relay;
  if (!relay) throw new Error('agent configuration: relay is required to run the agent standalone');
  const readers: SecretReaders = {
    readFile: environment.readFile ?? ((path) => readFileSync(path, 'utf8')),
    env: environment.env ?? process.env,
  };
  const { logger, now } = environment;
  const agentId = relay.agentId ?? hostname();
  const applier = createDirectoryAgent(withoutRelay(config), {
    logger,
    now,
    readFile: readers.readFile,
    env: readers.env,
    wrapDirectory: fencedDirectory,
  });
  const journal = CommandJournal.open(relay.journal.path, { clock: { now } });
  journal.prune(now());
  const client = createServiceBusClient(relay.serviceBus, readers);
  const publisher = new ResultPublisher(client.createSender(relay.serviceBus.resultsQueue));
  const counters = new RelayCounters();
  const guard = new CommandGuard({ verifier: new SignatureVerifier(relay.signing.publicKeys), journal });
  const handler = new CommandHandler({
    ...{ agentId, guard, applier, journal, publisher, counters, logger, now },
    maxDeliveries: relay.maxDeliveries,
    retryBackoff: relay.retryBackoff,
  });
  const pumps = pumpsFor(relay, client, handler, counters, logger);
  const heartbeat = new Heartbeat({
    agentId,
    version: agentVersion(),
    startedAt: now(),
    intervalMs: relay.heartbeatSeconds * 1000,
    counters,
    publisher,
    statusFile: statusFileFor(relay.journal.path),
    logger,
    now,
  });
  pumps.forEach((pump) => pump.start());
  heartbeat.start();
  logger.info('agent started', { agentId, receivers: relay.receivers, transport: relay.serviceBus.transport });
  return stoppable(async () => {
    await Promise.all(pumps.map((pump) => pump.stop()));
    await heartbeat.stop();
    await publisher.close();
    await client.close();
    await applier.close();
    journal.close();
    logger.info('agent stopped', { agentId, applied: counters.commandsApplied });
  });
}

/** The applier's own view of the configuration: the relay section is the relay's business. */
function withoutRelay(config: AgentConfig): Omit<AgentConfig, 'relay'> {
  const { relay: _relay, ...rest } = config;
  return rest;
}

function pumpsFor(
  relay: RelaySettings,
  client: ServiceBusClient,
  handler: CommandHandler,
  counters: RelayCounters,
  logger: Logger,
): SessionPump[] {
  const turns = new WorkerTurns();
  return Array.from(
    { length: relay.receivers },
    () =>
      new SessionPump({
        client,
        queue: relay.serviceBus.commandsQueue,
        handler,
        counters,
        logger,
        idleMs: relay.sessionIdleMs,
        sleep: abortableSleep,
        turns,
      }),
  );
}

function stoppable(stop: () => Promise<void>): AgentRelayHandle {
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  return {
    stopped,
    stop: () => (stopping ??= stop().finally(resolveStopped)),
  };
}

/** Resolves after `ms`, or at once when the signal aborts. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
