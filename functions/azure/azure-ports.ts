/**
 * The Azure composition root's wiring: the app's ports on Azure services, reached with one Microsoft Entra
 * credential — state in Cosmos DB, the signing key in Key Vault, commands to a Service Bus session queue —
 * and the HR sources and mapping from the configuration deployed with the app. It is synchronous: the
 * Functions host indexes the functions an app registers while it loads the entry module, so registration
 * cannot wait for a network call. What needs one (opening the Cosmos DB containers) starts here and is
 * awaited by the first call that needs it. Overrides let a test point the same wiring at local stand-ins
 * (a test credential, clients trusting their self-signed certificates) without changing what runs in Azure.
 */
import type { CosmosClientOptions } from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import type { ServiceBusClientOptions } from '@azure/service-bus';
import type { Clock } from '../../shared/ports/clock.port';
import type { CommandSigner } from '../../shared/ports/command-signer.port';
import type { Logger } from '../../shared/ports/logger.port';
import type { IngestStore } from '../../shared/ports/ingest-store.port';
import type { SecretStore } from '../../shared/ports/secret-store.port';
import type { StateStore } from '../../shared/ports/state-store.port';
import { SecretClient } from '@azure/keyvault-secrets';
import { CosmosIngestStore } from '../adapters/cosmos/cosmos-ingest-store';
import { ingestAuthorizerFor } from '../adapters/ingest-auth/ingest-authorizer-for';
import { KeyVaultSecretStore } from '../adapters/key-vault/key-vault-secret-store';
import { ingestSources } from '../config/ingest-sources';
import { connectorSources } from '../sources/connectors/connector-registry';
import { ServiceBusCommandChannel } from '../adapters/channel/service-bus-command-channel';
import { createCosmosStateStore } from '../adapters/cosmos/cosmos-state-store';
import {
  commandSignerFor,
  keyVaultSigningSettings,
  type KeyVaultClientOptions,
} from '../adapters/key-vault/command-signer-for';
import { signCommand } from '../adapters/signing/sign-command';
import type { ControlPlanePorts, IngestPorts } from '../app/control-plane-ports';
import type { AppSettings } from './app-settings';
import { loadAzureConfig, type LoadedAzureConfig } from './azure-config';
import { azureCredential } from './credential';
import { createJsonConsoleLogger } from './json-console-logger';
import { lazyStore } from './lazy-store';

export interface AzurePortsOverrides {
  /** Default: the managed identity in Azure, a developer's credentials elsewhere (see credential.ts). */
  readonly credential?: TokenCredential;
  readonly cosmosClientOptions?: Partial<CosmosClientOptions>;
  /** For the secret, key and cryptography clients alike. */
  readonly keyVaultClientOptions?: KeyVaultClientOptions;
  readonly serviceBusClientOptions?: ServiceBusClientOptions;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** A CA the token issuer's certificate chains to (a test issuer); default the system's. */
  readonly tokenIssuerCa?: string;
}

/** The ports, and what the root holds beyond them (to close, and for tests to look at). */
export interface AzurePorts {
  readonly ports: ControlPlanePorts;
  readonly signer: CommandSigner;
  /** Closes the channel, the state store and the ingest store. */
  close(): Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };

/** Builds the app's ports from validated settings; `appDirectory` is where the deployed configuration lies. */
export function buildAzurePorts(
  settings: AppSettings,
  appDirectory: string,
  overrides: AzurePortsOverrides = {},
): AzurePorts {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createJsonConsoleLogger({ level: settings.HR2AD_LOG_LEVEL });
  const credential = overrides.credential ?? azureCredential(settings);
  const config = loadAzureConfig(appDirectory, settings.HR2AD_CONFIG);
  const signer = commandSigner(settings, credential, clock, overrides);
  const stateStore = cosmosStateStore(settings, credential, overrides, logger);
  const secrets = new KeyVaultSecretStore(
    new SecretClient(settings.HR2AD_KEY_VAULT_URL, credential, overrides.keyVaultClientOptions),
  );
  const ingest = ingestPorts(settings, config, secrets, credential, overrides, logger);
  const channel = new ServiceBusCommandChannel({
    fullyQualifiedNamespace: settings.ServiceBusConnection__fullyQualifiedNamespace,
    credential,
    commandsQueue: settings.HR2AD_COMMANDS_QUEUE,
    webSockets: settings.HR2AD_SERVICE_BUS_WEBSOCKETS,
    ...(overrides.serviceBusClientOptions ? { clientOptions: overrides.serviceBusClientOptions } : {}),
    sign: (command) => signCommand(command, signer),
    clock,
    logger: logger.child({ component: 'channel' }),
  });
  const ports: ControlPlanePorts = {
    stateStore,
    // Files, and HR systems read through their connectors with their credentials in Key Vault.
    sources: [
      ...config.sources,
      ...connectorSources(config.config.sources, { secrets: async () => secrets, clock, logger }),
    ],
    channel,
    relay: { kind: 'serviceBus', resultsQueue: settings.HR2AD_RESULTS_QUEUE },
    clock,
    logger,
    mapping: config.mapping,
    lifecycle: config.config.lifecycle,
    commandLifetimeHours: config.config.commandLifetimeHours,
    ...(ingest ? { ingest } : {}),
  };
  const close = async () => {
    await channel.close();
    await stateStore.close();
    await ingest?.store.close();
  };
  return { ports, signer, close };
}

/** The signer the settings choose (see HR2AD_SIGNING_MODE). */
function commandSigner(
  settings: AppSettings,
  credential: TokenCredential,
  clock: Clock,
  overrides: AzurePortsOverrides,
): CommandSigner {
  const signing = keyVaultSigningSettings.parse({
    vaultUrl: settings.HR2AD_KEY_VAULT_URL,
    mode: settings.HR2AD_SIGNING_MODE,
    secretName: settings.HR2AD_SIGNING_KEY_SECRET,
    keyName: settings.HR2AD_SIGNING_KEY_NAME,
    cacheSeconds: settings.HR2AD_SIGNING_KEY_CACHE_SECONDS,
  });
  return commandSignerFor(signing, credential, clock, overrides.keyVaultClientOptions);
}

const SECONDS_PER_DAY = 86_400;

function cosmosStateStore(
  settings: AppSettings,
  credential: TokenCredential,
  overrides: AzurePortsOverrides,
  logger: Logger,
): StateStore {
  const retentionDays = settings.HR2AD_AUDIT_RETENTION_DAYS;
  return lazyStore<StateStore>(
    () =>
      createCosmosStateStore({
        endpoint: settings.HR2AD_COSMOS_ENDPOINT,
        credential,
        databaseId: settings.HR2AD_COSMOS_DATABASE,
        auditTtlSeconds: retentionDays === undefined ? null : retentionDays * SECONDS_PER_DAY,
        ...(overrides.cosmosClientOptions ? { clientOptions: overrides.cosmosClientOptions } : {}),
      }),
    logger.child({ component: 'state' }),
    'state store',
  );
}

/**
 * Pushed records, when the configuration has an `ingest` section: the requests in Cosmos DB (their own
 * containers, opened in the background like the state store), tokens checked as the section says (Entra
 * ID: `kind: "oidc"`), webhook secrets read from Key Vault.
 */
function ingestPorts(
  settings: AppSettings,
  config: LoadedAzureConfig,
  secrets: SecretStore,
  credential: TokenCredential,
  overrides: AzurePortsOverrides,
  logger: Logger,
): IngestPorts | undefined {
  const ingest = config.config.ingest;
  if (!ingest) return undefined;
  const store = lazyStore<IngestStore>(
    () =>
      CosmosIngestStore.open({
        endpoint: settings.HR2AD_COSMOS_ENDPOINT,
        credential,
        databaseId: settings.HR2AD_COSMOS_DATABASE,
        ...(overrides.cosmosClientOptions ? { clientOptions: overrides.cosmosClientOptions } : {}),
      }),
    logger.child({ component: 'ingest' }),
    'ingest store',
  );
  return {
    store,
    authorizer: ingestAuthorizerFor(
      ingest.auth,
      secrets,
      overrides.tokenIssuerCa ? { ca: overrides.tokenIssuerCa } : {},
    ),
    limits: ingest.limits,
    sources: ingestSources(config.config.sources, secrets),
  };
}
