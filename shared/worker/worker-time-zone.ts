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
  /** Resolved zones handed out so far, by `from:zone`: one frozen answer each, shared by many workers. */
  readonly answers: Map<string, ResolvedTimeZone>;
}

export interface ResolvedTimeZone {
  readonly zone: string;
  readonly from: 'worker' | 'location' | 'default';
}

/** Settings with no location table: HR's zone, else UTC. */
export function defaultTimeZoneSettings(): TimeZoneSettings {
  return timeZoneSettings('worker-then-location', {}, 'UTC');
}

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
    answers: new Map(),
  };
}

/** Answers are shared (a handful of zones for many workers), so resolving allocates nothing. */
function answer(settings: TimeZoneSettings, zone: string, from: ResolvedTimeZone['from']): ResolvedTimeZone {
  const key = `${from}:${zone}`;
  let known = settings.answers.get(key);
  if (!known) settings.answers.set(key, (known = Object.freeze({ zone, from })));
  return known;
}

/** The worker's zone. The zone itself is checked by validation, not here. */
export function resolveTimeZone(
  worker: Pick<Worker, 'timeZone' | 'location'>,
  settings: TimeZoneSettings,
): ResolvedTimeZone {
  if (settings.source !== 'location' && worker.timeZone) return answer(settings, worker.timeZone, 'worker');
  if (settings.source !== 'worker' && worker.location) {
    const zone = settings.locations.get(worker.location) ?? settings.locations.get(worker.location.toLowerCase());
    if (zone) return answer(settings, zone, 'location');
  }
  return answer(settings, settings.fallback, 'default');
}
