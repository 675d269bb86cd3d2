/** Settings every connector's schema shares: its id, where its credentials are, its base URL. */
import { z } from 'zod';
import { ncrontab } from '../file/file-source-config';

/** The source's id, the key of its cursor: kebab-case (`hr-bamboo`). */
export function connectorSourceId(example: string) {
  return z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, `must be a kebab-case id such as "${example}"`);
}

/** A credential kept in the control plane's secret store (`hr2ad secret set <name>`), named, never inlined. */
export const secretReference = z.strictObject({
  secret: z.string().regex(/^[A-Za-z0-9-]{1,127}$/, 'must be a secret name (1-127 of A-Z a-z 0-9 -)'),
});

/** Credentials go with every request: never over plain HTTP, except to this machine (a test server). */
function httpsOrLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** A vendor's base URL; `credential` names what travels with every request (`the API key`). */
export function connectorBaseUrl(credential: string) {
  return z
    .url({ protocol: /^https?$/ })
    .refine(
      httpsOrLoopback,
      `must be https (plain http only to 127.0.0.1 or localhost): ${credential} travels with every request`,
    );
}

/**
 * When the HR system is also read whole (NCRONTAB, UTC), planned even when its cursor has not moved: a
 * reconcile that catches a change a delta missed (an HR API's change feed can lag or drop one). `null`: never.
 */
export function fullReadSchedule(fallback: string | null) {
  return ncrontab.nullable().default(fallback);
}

/** Daily at 02:00 UTC: the default reconcile of a connector that reads deltas. */
export const DAILY_FULL_READ = '0 0 2 * * *';
