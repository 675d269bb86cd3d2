/** Settings every connector's schema shares: its id, where its credentials are, its base URL. */
import { z } from 'zod';

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
