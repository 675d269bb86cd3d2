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

export interface ControlPlanePorts {
  readonly stateStore: StateStore;
  readonly sources: readonly ScheduledSource[];
  readonly channel: CommandChannel;
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
