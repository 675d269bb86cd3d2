import type { Clock } from '../../../shared/ports/clock.port';
import type { Logger } from '../../../shared/ports/logger.port';
import type { SecretStore } from '../../../shared/ports/secret-store.port';

/** What every connector gets from its host. */
export interface ConnectorDeps {
  /** Opens the secret store (called at each read: a credential may have been set or rotated since). */
  readonly secrets: () => Promise<SecretStore>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The settings every connector has besides its own. */
export interface ConnectorSettingsBase {
  readonly kind: string;
  readonly id: string;
  /** NCRONTAB, seconds first, UTC. */
  readonly schedule: string;
  /** When the source is read whole as well (NCRONTAB); null: never. */
  readonly fullReadSchedule: string | null;
}
