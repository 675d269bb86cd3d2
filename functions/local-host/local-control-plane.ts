/**
 * The local composition root: the control plane as one process on embedded defaults — SQLite for state,
 * durable histories and the command outbox, an encrypted file for secrets, the embedded agent applying
 * commands to AD. With `channel.kind = serviceBus` there is no embedded agent: commands are signed and
 * sent to a Service Bus queue for a standalone agent, and the host runs the app's results trigger. It
 * fills the app's ports, registers the app with the local Functions host, and runs it. The Azure host's
 * root fills the same ports with Cosmos DB, Service Bus and Key Vault.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDirectoryAgent, silentLogger, type Directory, type DirectoryApplier } from '../../agent/index';
import type { Clock } from '../../shared/ports/clock.port';
import type { CommandChannel } from '../../shared/ports/command-channel.port';
import type { Logger } from '../../shared/ports/logger.port';
import type { CommandResult } from '../../shared/protocol/results';
import { LocalCommandChannel } from '../adapters/channel/local-command-channel';
import { ServiceBusCommandChannel } from '../adapters/channel/service-bus-command-channel';
import { EncryptedFileSecretStore } from '../adapters/secrets/encrypted-file-secret-store';
import { SecretStoreCommandSigner } from '../adapters/signing/secret-store-command-signer';
import { signCommand } from '../adapters/signing/sign-command';
import { SqliteStateStore } from '../adapters/sqlite/sqlite-state-store';
import {
  SERVICE_BUS_CONNECTION_SETTING,
  type ControlPlanePorts,
  type RelayPorts,
  type ScheduledSource,
} from '../app/control-plane-ports';
import { commandResultEvent, lifecycleInstanceId } from '../app/durable-names';
import { registerControlPlane } from '../app/register-app';
import type { ChannelSettings } from '../config/control-plane-config';
import { readSources } from '../config/config-sections';
import { ingestSources } from '../config/ingest-sources';
import { ConfigFileError, pathFrom, type LoadedConfig } from '../config/load-config';
import { ingestAuthorizerFor } from '../adapters/ingest-auth/ingest-authorizer-for';
import { SqliteIngestStore } from '../adapters/sqlite/sqlite-ingest-store';
import { FileHrSource } from '../sources/file/file-hr-source';
import { connectorSources } from '../sources/connectors/connector-registry';
import { SqliteDurableEngine } from './durable/sqlite-durable-engine';
import type { DurableEngine } from './durable/durable-engine';
import type { CapturedApp } from './functions-host/functions-core-shim';
import { captureRegistrations } from './functions-host/functions-core-shim';
import { LocalFunctionsHost } from './functions-host/local-functions-host';

/** The secret holding the local API's token (sent as `x-functions-key`). */
export const API_TOKEN_SECRET = 'api-token';

export interface LocalControlPlaneOptions {
  readonly loaded: LoadedConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Overrides the configuration's API port (0: any free port). */
  readonly httpPort?: number;
  /** Poll sources on their schedules (default true; `sync` runs one cycle and no timers). */
  readonly timers?: boolean;
  /** Timers and durable timers follow the wall clock (default true; false when a test drives a virtual clock). */
  readonly realTimers?: boolean;
  /** A ready directory for the embedded agent (tests); default the agent configuration's LDAP connection. */
  readonly directory?: Directory;
  /** Applies commands instead of the embedded agent (benchmarks of the engine alone); default the agent. */
  readonly applyCommand?: (command: unknown) => Promise<CommandResult>;
  /**
   * Answer the API without doing any work: no due timer fires, no command is applied (`hr2ad status`
   * without a running control plane). Default false.
   */
  readonly readOnly?: boolean;
  /**
   * Keep what is started and raised in the durable store but run no orchestration or activity (a
   * benchmark of the HTTP intake alone; the next start runs the backlog). Default false.
   */
  readonly pauseOrchestrations?: boolean;
  /** Captures the app's registrations (inside jest, through a mocked core module). */
  readonly capture?: (loadApp: () => void) => Promise<CapturedApp>;
}

export interface LocalDataFiles {
  readonly state: string;
  readonly durable: string;
  readonly channel: string;
  readonly secrets: string;
  readonly secretsKey: string;
  readonly ingest: string;
}

export function localDataFiles(loaded: LoadedConfig): LocalDataFiles {
  const dir = pathFrom(loaded.directory, loaded.config.dataDirectory);
  return {
    state: join(dir, 'state.db'),
    durable: join(dir, 'durable.db'),
    channel: join(dir, 'commands.db'),
    secrets: join(dir, 'secrets.json.enc'),
    secretsKey: join(dir, 'secrets.key'),
    ingest: join(dir, 'ingest.db'),
  };
}

/** The API token from the secret store, created on first use. */
export async function apiToken(secrets: EncryptedFileSecretStore): Promise<string> {
  const existing = await secrets.get(API_TOKEN_SECRET);
  if (existing) return existing;
  const token = randomBytes(32).toString('base64url');
  await secrets.set(API_TOKEN_SECRET, token);
  return token;
}

export async function openSecrets(files: LocalDataFiles): Promise<EncryptedFileSecretStore> {
  return EncryptedFileSecretStore.open({ file: files.secrets, keyFile: files.secretsKey, createKey: true });
}

/** The channel as the local control plane drives it: started, drained and counted. */
export interface PlaneChannel extends CommandChannel {
  /** Delivers what a previous run left (the local channel); nothing to do for a queue. */
  start(): Promise<void>;
  /** Resolves when no command waits in this process (a queue's commands wait in Service Bus, not here). */
  whenIdle(): Promise<void>;
  stats(): { readonly applied: number; readonly waiting: number };
}

/** The channel a configuration asks for, with the agent embedded for it (none with Service Bus). */
interface BuiltChannel {
  readonly channel: PlaneChannel;
  readonly relay: RelayPorts;
  readonly agent: DirectoryApplier | null;
  /** App settings for the host (the Service Bus connection string the results trigger names). */
  readonly settings: Readonly<Record<string, string>>;
  readonly webSockets: boolean;
}

export class LocalControlPlane {
  private constructor(
    readonly host: LocalFunctionsHost,
    readonly engine: DurableEngine,
    readonly ports: ControlPlanePorts,
    readonly channel: PlaneChannel,
    private readonly agent: DirectoryApplier | null,
    readonly token: string,
  ) {}

  static async start(options: LocalControlPlaneOptions): Promise<LocalControlPlane> {
    const { loaded, clock, logger } = options;
    const files = localDataFiles(loaded);
    mkdirSync(join(files.state, '..'), { recursive: true, mode: 0o700 });
    const secrets = await openSecrets(files);
    const token = await apiToken(secrets);
    const engineRef: { engine?: DurableEngine } = {};
    const built = await buildChannel(options, secrets, (result) => deliverResult(engineRef.engine, result, logger));
    const { channel, agent } = built;
    const ports = controlPlanePorts(options, channel, built.relay, secrets);
    const capture = options.capture ?? captureRegistrations;
    const app = await capture(() => registerControlPlane(ports));
    const host = await LocalFunctionsHost.load({
      app,
      engineFactory: (invoker) => {
        const idle = options.readOnly === true || options.pauseOrchestrations === true;
        const engine = new SqliteDurableEngine({ databasePath: files.durable, invoker, clock, logger, idle });
        engineRef.engine = engine;
        return engine;
      },
      clock,
      logger,
      functionKey: token,
      httpPort: options.httpPort ?? loaded.config.api.port,
      realTimers: options.realTimers ?? true,
      settings: built.settings,
      serviceBusWebSockets: built.webSockets,
    });
    const plane = new LocalControlPlane(host, engineRef.engine!, ports, channel, agent, token);
    await host.start();
    if (options.timers === false || options.readOnly) await host.timers.stop();
    if (!options.readOnly) await channel.start();
    return plane;
  }

  /** The HTTP API's base URL (`http://127.0.0.1:<port>/api`). */
  get url(): string {
    return this.host.url;
  }

  /**
   * Resolves when nothing is runnable now: no orchestration episode, activity or command in flight and no
   * durable timer due. Timers due later stay pending.
   */
  async whenIdle(): Promise<void> {
    for (let quiet = 0; quiet < 2;) {
      await this.engine.whenIdle();
      await this.channel.whenIdle();
      const again = await this.busy();
      quiet = again ? 0 : quiet + 1;
    }
  }

  private async busy(): Promise<boolean> {
    const due = await this.engine.nextTimerDue();
    return due !== null && due.getTime() <= this.ports.clock.now().getTime();
  }

  /** Stops the HTTP API and timers, finishes work in flight, and closes every store. */
  async stop(): Promise<void> {
    await this.host.stop();
    await this.channel.close();
    await this.agent?.close();
    await this.ports.stateStore.close();
    await this.ports.ingest?.store.close();
  }
}

/** The embedded agent the configuration describes (its files resolved against the configuration's folder). */
export function embeddedAgent(
  options: Pick<LocalControlPlaneOptions, 'loaded' | 'clock' | 'logger' | 'directory'>,
): DirectoryApplier {
  const { loaded } = options;
  return createDirectoryAgent(loaded.config.agent, {
    logger: options.logger.child({ component: 'agent' }),
    now: () => options.clock.now(),
    ...(options.directory ? { directory: options.directory } : {}),
    readFile: (path) => readFileSync(pathFrom(loaded.directory, path), 'utf8'),
  });
}

async function buildChannel(
  options: LocalControlPlaneOptions,
  secrets: EncryptedFileSecretStore,
  sink: (result: CommandResult) => Promise<void>,
): Promise<BuiltChannel> {
  const settings = options.loaded.config.channel;
  if (settings.kind === 'serviceBus') return serviceBusChannel(options, secrets, settings);
  const agent = embeddedAgent(options);
  const channel = new LocalCommandChannel({
    databasePath: localDataFiles(options.loaded).channel,
    apply: options.applyCommand ?? ((command) => agent.applyPayload(command)),
    sink,
    logger: options.logger.child({ component: 'channel' }),
  });
  return { channel, relay: { kind: 'embedded' }, agent, settings: {}, webSockets: false };
}

/**
 * Commands signed and sent to the commands queue; results read from the results queue by the app's
 * trigger. Read-only (status) connects to nothing: it sends no command and takes no result.
 */
async function serviceBusChannel(
  options: LocalControlPlaneOptions,
  secrets: EncryptedFileSecretStore,
  settings: Extract<ChannelSettings, { kind: 'serviceBus' }>,
): Promise<BuiltChannel> {
  const none = { agent: null, settings: {}, webSockets: false } as const;
  if (options.readOnly) return { ...none, channel: refusingChannel(), relay: { kind: 'embedded' } };
  const connectionString = await secrets.get(settings.connectionString.secret);
  if (!connectionString)
    throw new ConfigFileError(
      `channel.connectionString: secret ${settings.connectionString.secret} is not in the secret store`,
    );
  const signer = new SecretStoreCommandSigner({
    secrets,
    clock: options.clock,
    secretName: settings.signingKey.secret,
  });
  // Fails the start, naming the secret, when there is no usable signing key (not on the first command).
  await signer.keyId();
  const channel = new ServiceBusCommandChannel({
    connectionString,
    commandsQueue: settings.commandsQueue,
    webSockets: settings.webSockets,
    sign: (command) => signCommand(command, signer),
    clock: options.clock,
    logger: options.logger.child({ component: 'channel' }),
  });
  return {
    channel: queuedChannel(channel),
    relay: { kind: 'serviceBus', resultsQueue: settings.resultsQueue },
    agent: null,
    settings: { [SERVICE_BUS_CONNECTION_SETTING]: connectionString },
    webSockets: settings.webSockets,
  };
}

/**
 * A queue's channel as the plane drives it: sent commands wait in Service Bus, not here, and what the
 * agent applied is known from results and heartbeats (status), not from the channel.
 */
function queuedChannel(channel: ServiceBusCommandChannel): PlaneChannel {
  return {
    send: (command) => channel.send(command),
    close: () => channel.close(),
    start: async () => {},
    whenIdle: async () => {},
    stats: () => ({ applied: 0, waiting: 0 }),
  };
}

/** The read-only plane's channel: it never sends. */
function refusingChannel(): PlaneChannel {
  return {
    send: async () => {
      throw new Error('a read-only control plane sends no command');
    },
    close: async () => {},
    start: async () => {},
    whenIdle: async () => {},
    stats: () => ({ applied: 0, waiting: 0 }),
  };
}

function controlPlanePorts(
  options: LocalControlPlaneOptions,
  channel: CommandChannel,
  relay: RelayPorts,
  secrets: EncryptedFileSecretStore,
): ControlPlanePorts {
  const { loaded, clock, logger } = options;
  const files = localDataFiles(loaded);
  const { config } = loaded;
  return {
    stateStore: SqliteStateStore.open(files.state),
    sources: configuredSources(loaded, clock, logger),
    channel,
    relay,
    clock,
    logger,
    mapping: loaded.mapping,
    lifecycle: loaded.config.lifecycle,
    commandLifetimeHours: loaded.config.commandLifetimeHours,
    ingest: {
      store: SqliteIngestStore.open(files.ingest),
      authorizer: ingestAuthorizerFor(config.ingest.auth, secrets),
      limits: config.ingest.limits,
      sources: ingestSources(config.sources, secrets),
    },
  };
}

/** The configuration's HR sources with their schedules (paths resolved against its folder). */
export function configuredSources(
  loaded: LoadedConfig,
  clock: Clock = { now: () => new Date() },
  logger: Logger = silentLogger,
): ScheduledSource[] {
  const files = readSources(loaded.config.sources).map((settings) => ({
    source: new FileHrSource({ ...settings, path: pathFrom(loaded.directory, settings.path) }),
    schedule: settings.schedule,
  }));
  const secrets = () => openSecrets(localDataFiles(loaded));
  return [...files, ...connectorSources(loaded.config.sources, { secrets, clock, logger })];
}

/** A result becomes an event on its worker's lifecycle orchestration; one nobody waits for is logged. */
async function deliverResult(engine: DurableEngine | undefined, result: CommandResult, logger: Logger): Promise<void> {
  if (!engine) throw new Error('the durable engine is not running yet');
  const outcome = await engine.raiseEvent(
    lifecycleInstanceId(result.workerKey),
    commandResultEvent(result.commandId),
    result,
  );
  if (outcome !== 'raised')
    logger.warn('command result has no live orchestration', { commandId: result.commandId, outcome });
}
