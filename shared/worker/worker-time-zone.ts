/**
 * Which time zone a worker's dates are in: the zone HR gives, or the one configured for the worker's
 * location, or the configured default. Effective dates are converted to instants in this zone.
 */
import type { Worker } from './worker-schema';

/** Where a worker's zone comes from (the mapping configuration chooses). */
export type TimeZoneSource = 'worker' | 'location' | 'worker-then-location';

/** The compiled settings: location names are looked up case-insensitively. */
export interface TimeZoneSettings {
  readonly source: TimeZoneSource;
  /** Location (lower-cased) → IANA zone. */
  readonly locations: ReadonlyMap<string, string>;
  /** Used when neither the worker nor the table gives a zone. */
  readonly fallback: string;
}

export interface ResolvedTimeZone {
  readonly zone: string;
  readonly from: 'worker' | 'location' | 'default';
}

/** Settings with no location table: HR's zone, else UTC. */
export const DEFAULT_TIME_ZONE_SETTINGS: TimeZoneSettings = {
  source: 'worker-then-location',
  locations: new Map(),
  fallback: 'UTC',
};

/** Builds settings from the configuration's plain table. */
export function timeZoneSettings(
  source: TimeZoneSource,
  locations: Readonly<Record<string, string>>,
  fallback: string,
): TimeZoneSettings {
  return {
    source,
    locations: new Map(Object.entries(locations).map(([location, zone]) => [location.toLowerCase(), zone])),
    fallback,
  };
}

/** Answers are shared (a handful of zones for many workers), so resolving allocates nothing. */
const resolved = {
  worker: new Map<string, ResolvedTimeZone>(),
  location: new Map<string, ResolvedTimeZone>(),
  default: new Map<string, ResolvedTimeZone>(),
};

function answer(zone: string, from: ResolvedTimeZone['from']): ResolvedTimeZone {
  const known = resolved[from].get(zone);
  if (known) return known;
  const made = Object.freeze({ zone, from });
  resolved[from].set(zone, made);
  return made;
}

/** The worker's zone. The zone itself is checked by validation, not here. */
export function resolveTimeZone(
  worker: Pick<Worker, 'timeZone' | 'location'>,
  settings: TimeZoneSettings,
): ResolvedTimeZone {
  if (settings.source !== 'location' && worker.timeZone) return answer(worker.timeZone, 'worker');
  if (settings.source !== 'worker' && worker.location) {
    const zone = settings.locations.get(worker.location) ?? settings.locations.get(worker.location.toLowerCase());
    if (zone) return answer(zone, 'location');
  }
  return answer(settings.fallback, 'default');
}
