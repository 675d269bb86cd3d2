/**
 * Settings of one BambooHR source, and the source built from them. The API key is never in the
 * configuration: `apiKey` names a secret in the control plane's secret store (`hr2ad secret set <name>`),
 * read at every read so a rotated key is used at once.
 *
 *     { "id": "hr-bamboo", "kind": "bamboohr", "source": "bamboohr", "companyDomain": "acme",
 *       "apiKey": { "secret": "bamboohr-api-key" } }
 */
import { z } from 'zod';
import type { ConnectorDeps } from '../connector-deps';
import {
  connectorBaseUrl,
  connectorSourceId,
  DAILY_FULL_READ,
  fullReadSchedule,
  secretReference,
} from '../connector-settings';
import { EMPLOYEE_TYPES, workerSchema } from '../../../../shared/worker/worker-schema';
import { webhookSettings } from '../../../ingest/webhook-settings';
import { ncrontab } from '../../file/file-source-config';
import { BambooHrSource, MAX_PAGE_SIZE, bamboohrBaseUrl } from './bamboohr-hr-source';
import { DEFAULT_EMPLOYEE_TYPES } from './bamboohr-records';

export const bamboohrSourceSettings = z.strictObject({
  kind: z.literal('bamboohr'),
  /** The source's id, the key of its cursor: kebab-case (`hr-bamboo`). */
  id: connectorSourceId('hr-bamboo'),
  /** The worker key's `source` for BambooHR's employees (e.g. `bamboohr`). */
  source: workerSchema.shape.source,
  /** When BambooHR is read (NCRONTAB, default every five minutes); reads after the first are deltas. */
  schedule: ncrontab.default('0 */5 * * * *'),
  /** A whole read planned even when nothing seems changed (default daily at 02:00 UTC; null: never). */
  fullReadSchedule: fullReadSchedule(DAILY_FULL_READ),
  /** The company's BambooHR subdomain (`acme` for acme.bamboohr.com). */
  companyDomain: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/, 'must be a BambooHR subdomain such as "acme"'),
  /**
   * The URL `/v1/…` is appended to (default `https://api.bamboohr.com/api/gateway.php/<companyDomain>`;
   * `https://<companyDomain>.bamboohr.com/api` also works).
   */
  baseUrl: connectorBaseUrl('the API key').optional(),
  /** The secret holding the API key (HTTP Basic user name; the password is `x`). */
  apiKey: secretReference,
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

export function bamboohrSourceFrom(settings: BambooHrSourceSettings, deps: ConnectorDeps): BambooHrSource {
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
