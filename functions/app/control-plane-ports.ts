/**
 * What the control plane's functions act through. Each host's composition root fills it: SQLite, the
 * in-process channel and an encrypted file locally; Cosmos DB, Service Bus and Key Vault in Azure. The
 * handlers, orchestrators and activities never know which.
 */
import type { CompiledMappingConfig } from '../../shared/mapping/config/compile-config';
import type { Clock } from '../../shared/ports/clock.port';
import type { CommandChannel } from '../../shared/ports/command-channel.port';
import type { HrSource } from '../../shared/ports/hr-source.port';
import type { Logger } from '../../shared/ports/logger.port';
import type { StateStore } from '../../shared/ports/state-store.port';
import type { LifecycleSettings } from '../orchestrations/lifecycle-state';

/** A source with the NCRONTAB schedule its timer polls it on. */
export interface ScheduledSource {
  readonly source: HrSource;
  /** Six fields, seconds first, UTC (Azure Functions' timer format), e.g. `0 *\/5 * * * *`. */
  readonly schedule: string;
}

/** The app setting naming the Service Bus connection the results trigger reads (as Azure's host resolves it). */
export const SERVICE_BUS_CONNECTION_SETTING = 'ServiceBusConnection';

/**
 * How commands reach the agent. `embedded`: the channel applies them in process and delivers results
 * itself. `serviceBus`: the channel sends to the commands queue, and the app's results trigger reads the
 * results queue (connection from the `ServiceBusConnection` app setting).
 */
export type RelayPorts = { readonly kind: 'embedded' } | { readonly kind: 'serviceBus'; readonly resultsQueue: string };

export interface ControlPlanePorts {
  readonly stateStore: StateStore;
  readonly sources: readonly ScheduledSource[];
  readonly channel: CommandChannel;
  /** Default embedded. */
  readonly relay?: RelayPorts;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly mapping: CompiledMappingConfig;
  readonly lifecycle: LifecycleSettings;
  /** How long a command stays valid after it is due (the planner's envelope `expiresAt`). */
  readonly commandLifetimeHours: number;
}

/** The source with that id, or undefined. */
export function findSource(ports: ControlPlanePorts, sourceId: string): ScheduledSource | undefined {
  return ports.sources.find((s) => s.source.id === sourceId);
}
