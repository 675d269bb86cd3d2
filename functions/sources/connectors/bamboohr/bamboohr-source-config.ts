/**
 * Settings of one BambooHR source, and the source built from them. The API key is never in the
 * configuration: `apiKey` names a secret in the control plane's secret store (`hr2ad secret set <name>`),
 * read at every read so a rotated key is used at once.
 *
 *     { "id": "hr-bamboo", "kind": "bamboohr", "source": "bamboohr", "companyDomain": "acme",
 *       "apiKey": { "secret": "bamboohr-api-key" } }
 */
import { z } from 'zod';
import type { Clock } from '../../../../shared/ports/clock.port';
import type { Logger } from '../../../../shared/ports/logger.port';
import type { SecretStore } from '../../../../shared/ports/secret-store.port';
import { EMPLOYEE_TYPES, workerSchema } from '../../../../shared/worker/worker-schema';
import { webhookSettings } from '../../../ingest/webhook-settings';
import { ncrontab } from '../../file/file-source-config';
import { BambooHrSource, MAX_PAGE_SIZE, bamboohrBaseUrl } from './bamboohr-hr-source';
import { DEFAULT_EMPLOYEE_TYPES } from './bamboohr-records';

/** The API key goes with every request: never over plain HTTP, except to this machine (a test server). */
function httpsOrLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

export const bamboohrSourceSettings = z.strictObject({
  kind: z.literal('bamboohr'),
  /** The source's id, the key of its cursor: kebab-case (`hr-bamboo`). */
  id: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be a kebab-case id such as "hr-bamboo"'),
  /** The worker key's `source` for BambooHR's employees (e.g. `bamboohr`). */
  source: workerSchema.shape.source,
  /** When BambooHR is read (NCRONTAB, default every five minutes); reads after the first are deltas. */
  schedule: ncrontab.default('0 */5 * * * *'),
  /** The company's BambooHR subdomain (`acme` for acme.bamboohr.com). */
  companyDomain: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/, 'must be a BambooHR subdomain such as "acme"'),
  /**
   * The URL `/v1/…` is appended to (default `https://api.bamboohr.com/api/gateway.php/<companyDomain>`;
   * `https://<companyDomain>.bamboohr.com/api` also works).
   */
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .refine(
      httpsOrLoopback,
      'must be https (plain http only to 127.0.0.1 or localhost): the API key travels with every request',
    )
    .optional(),
  /** The secret holding the API key (HTTP Basic user name; the password is `x`). */
  apiKey: z.strictObject({
    secret: z.string().regex(/^[A-Za-z0-9-]{1,127}$/, 'must be a secret name (1-127 of A-Z a-z 0-9 -)'),
  }),
  /** Employees per list page and per id batch (default and maximum 100). */
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(MAX_PAGE_SIZE),
  /**
   * BambooHR employment statuses → employee types, matched ignoring case (default: Full-Time and
   * Part-Time → employee, Contractor → contractor, Intern → intern, Temporary → temporary; any other → other).
   */
  employeeTypes: z.record(z.string(), z.enum(EMPLOYEE_TYPES)).optional(),
  /** A signed webhook (`POST …/api/sources/<id>/webhook`) that makes hr2ad read the employees it names now. */
  webhook: webhookSettings.optional(),
});
export type BambooHrSourceSettings = z.infer<typeof bamboohrSourceSettings>;

/** The BambooHR sources among configured ones. */
export function bamboohrSources(sources: readonly { readonly kind: string }[]): BambooHrSourceSettings[] {
  return sources.filter((s): s is BambooHrSourceSettings => s.kind === 'bamboohr');
}

export interface BambooHrSourceDeps {
  /** Opens the secret store (called at each read: the key may have been set or rotated since). */
  readonly secrets: () => Promise<SecretStore>;
  readonly clock: Clock;
  readonly logger: Logger;
}

export function bamboohrSourceFrom(settings: BambooHrSourceSettings, deps: BambooHrSourceDeps): BambooHrSource {
  const lowerCase = (map: Readonly<Record<string, (typeof EMPLOYEE_TYPES)[number]>>) =>
    Object.fromEntries(Object.entries(map).map(([name, type]) => [name.toLowerCase(), type]));
  return new BambooHrSource({
    id: settings.id,
    source: settings.source,
    baseUrl: settings.baseUrl ?? bamboohrBaseUrl(settings.companyDomain),
    apiKey: async () => (await deps.secrets()).get(settings.apiKey.secret),
    clock: deps.clock,
    logger: deps.logger.child({ sourceId: settings.id }),
    pageSize: settings.pageSize,
    employeeTypes: settings.employeeTypes ? lowerCase(settings.employeeTypes) : DEFAULT_EMPLOYEE_TYPES,
  });
}
