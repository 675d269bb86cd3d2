/**
 * Settings of one HiBob source, and the source built from them. HiBob's API takes a service user's id and
 * token as HTTP Basic; the token is never in the configuration: `token` names a secret in the control
 * plane's secret store (`hr2ad secret set <name>`), read at every read so a rotated token is used at once.
 *
 *     { "id": "hr-hibob", "kind": "hibob", "source": "hibob", "serviceUserId": "SERVICE-1234",
 *       "token": { "secret": "hibob-token" } }
 */
import { z } from 'zod';
import type { ConnectorDeps } from '../connector-deps';
import { connectorBaseUrl, connectorSourceId, fullReadSchedule, secretReference } from '../connector-settings';
import { EMPLOYEE_TYPES, workerSchema } from '../../../../shared/worker/worker-schema';
import { webhookSettings } from '../../../ingest/webhook-settings';
import { ncrontab } from '../../file/file-source-config';
import { HibobSource, MAX_PAGE_SIZE } from './hibob-hr-source';
import { DEFAULT_EMPLOYEE_TYPES } from './hibob-records';

/** HiBob's production API; the sandbox is `https://api.sandbox.hibob.com/v1`. */
export const HIBOB_BASE_URL = 'https://api.hibob.com/v1';

/** A search field id: `category.field`, nested (`work.custom.costCenter`). */
const fieldId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/, 'must be a HiBob field id such as "work.custom.field_1"');

export const hibobSourceSettings = z.strictObject({
  kind: z.literal('hibob'),
  /** The source's id, the key of its cursor: kebab-case (`hr-hibob`). */
  id: connectorSourceId('hr-hibob'),
  /** The worker key's `source` for HiBob's employees (e.g. `hibob`). */
  source: workerSchema.shape.source,
  /**
   * When HiBob is read (NCRONTAB, default every fifteen minutes). Each read is a whole read (HiBob has no
   * change feed): one search and the history tables; an unchanged company costs a read and no cycle.
   */
  schedule: ncrontab.default('0 */15 * * * *'),
  /** A whole read planned even when nothing seems changed (default none: every read is already whole; null: never). */
  fullReadSchedule: fullReadSchedule(null),
  /** The URL `/people/search` and the other paths are appended to (default `https://api.hibob.com/v1`). */
  baseUrl: connectorBaseUrl("the service user's token").default(HIBOB_BASE_URL),
  /** The service user's id (HTTP Basic user name; not a secret). */
  serviceUserId: z.string().trim().min(1).max(256),
  /** The secret holding the service user's token (HTTP Basic password). */
  token: secretReference,
  /** History-table rows per page and employee ids per targeted request (default and maximum 200). */
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(MAX_PAGE_SIZE),
  /**
   * HiBob employment types → employee types, matched ignoring case (default: Permanent, Full-time and
   * Part-time → employee, Contractor and Freelance → contractor, Intern → intern, Temporary → temporary;
   * any other → other; none → employee).
   */
  employeeTypes: z.record(z.string(), z.enum(EMPLOYEE_TYPES)).optional(),
  /** Extra HiBob field ids to read, each kept as a custom field named by its last segment. */
  customFields: z.array(fieldId).max(100).default([]),
  /**
   * A signed webhook (`POST …/api/sources/<id>/webhook`) that makes hr2ad read the employees it names now.
   * HiBob's v2 events name the employee at `data.employeeId`.
   */
  webhook: webhookSettings.optional(),
});
export type HibobSourceSettings = z.infer<typeof hibobSourceSettings>;

export function hibobSourceFrom(settings: HibobSourceSettings, deps: ConnectorDeps): HibobSource {
  const lowerCase = (map: Readonly<Record<string, (typeof EMPLOYEE_TYPES)[number]>>) =>
    Object.fromEntries(Object.entries(map).map(([name, type]) => [name.toLowerCase(), type]));
  return new HibobSource({
    id: settings.id,
    source: settings.source,
    baseUrl: settings.baseUrl,
    serviceUserId: settings.serviceUserId,
    token: async () => (await deps.secrets()).get(settings.token.secret),
    clock: deps.clock,
    logger: deps.logger.child({ sourceId: settings.id }),
    pageSize: settings.pageSize,
    employeeTypes: settings.employeeTypes ? lowerCase(settings.employeeTypes) : DEFAULT_EMPLOYEE_TYPES,
    customFields: settings.customFields,
  });
}
