/**
 * What the control plane's functions act through. Each host's composition root fills it: SQLite, the
 * in-process channel and an encrypted file locally; Cosmos DB, Service Bus and Key Vault in Azure. The
 * handlers, orchestrators and activities never know which.
 */
import type { CompiledMappingConfig } from '../../shared/mapping/config/compile-config';
import type { Clock } from '../../shared/ports/clock.port';
import type { CommandChannel } from '../../shared/ports/command-channel.port';
import type { HrSource } from '../../shared/ports/hr-source.port';
import type { IngestAuthorizer } from '../../shared/ports/ingest-authorizer.port';
import type { IngestStore } from '../../shared/ports/ingest-store.port';
import type { ScimLimits, ScimUserMapping } from '../../shared/ingest/scim/scim-options';
import type { CsvSettings } from '../sources/file/file-source-config';
import type { Logger } from '../../shared/ports/logger.port';
import type { StateStore } from '../../shared/ports/state-store.port';
import type { LifecycleSettings } from '../orchestrations/lifecycle-state';

/** A source with the NCRONTAB schedule its timer polls it on. */
export interface ScheduledSource {
  readonly source: HrSource;
  /** Six fields, seconds first, UTC (Azure Functions' timer format), e.g. `0 *\/5 * * * *`. */
  readonly schedule: string;
  /** When the source is also read whole, planned even if its cursor has not moved (an HR system's reconcile). */
  readonly fullReadSchedule?: string;
}

/** The app setting naming the Service Bus connection the results trigger reads (as Azure's host resolves it). */
export const SERVICE_BUS_CONNECTION_SETTING = 'ServiceBusConnection';

/**
 * How commands reach the agent. `embedded`: the channel applies them in process and delivers results
 * itself. `serviceBus`: the channel sends to the commands queue, and the app's results trigger reads the
 * results queue (connection from the `ServiceBusConnection` app setting).
 */
export type RelayPorts = { readonly kind: 'embedded' } | { readonly kind: 'serviceBus'; readonly resultsQueue: string };

/** A source's webhook: the shared secrets (two during a rotation), the clock tolerance, where ids are. */
export interface WebhookPorts {
  readonly secrets: () => Promise<readonly string[]>;
  readonly toleranceSeconds: number;
  /** Where the payload names the workers (`workerIds`, `employees[].id`). */
  readonly workerIds: string;
}

/** What one source takes pushed to it; a null part is refused (404 for its route). */
export interface IngestSource {
  readonly sourceId: string;
  /** The worker key's `source` for what is pushed here. */
  readonly workerSource: string;
  /** SCIM bulk requests, converted with this mapping (a `scim` source). */
  readonly scim: ScimUserMapping | null;
  /** CSV uploads, read with this file source's column map (a `csv` source). */
  readonly csv: CsvSettings | null;
  /** Signed webhooks naming workers to read again now (a source hr2ad reads). */
  readonly webhook: WebhookPorts | null;
}

/** Records pushed to the control plane: where they wait, who may push, and what each source takes. */
export interface IngestPorts {
  readonly store: IngestStore;
  readonly authorizer: IngestAuthorizer;
  readonly limits: ScimLimits;
  readonly sources: ReadonlyMap<string, IngestSource>;
}

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
  /** Pushed records (SCIM, CSV upload, webhooks); absent: the control plane only reads its sources. */
  readonly ingest?: IngestPorts;
}

/** The source with that id, or undefined. */
export function findSource(ports: ControlPlanePorts, sourceId: string): ScheduledSource | undefined {
  return ports.sources.find((s) => s.source.id === sourceId);
}
