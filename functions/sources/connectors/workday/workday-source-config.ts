/**
 * Settings of one Workday source, and the source built from them. The Integration System User's password
 * is never in the configuration: `password` names a secret in the control plane's secret store
 * (`hr2ad secret set <name>`), read at every read so a rotated password is used at once.
 *
 *     { "id": "hr-workday", "kind": "workday", "source": "workday",
 *       "baseUrl": "https://wd3-impl-services1.workday.com", "tenant": "contoso4",
 *       "username": "ISU_HRSync", "password": { "secret": "workday-isu-password" } }
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
import { ncrontab } from '../../file/file-source-config';
import { DEFAULT_PAGE_SIZE, DEFAULT_VERSION, MAX_PAGE_SIZE, WorkdaySource } from './workday-hr-source';
import { DEFAULT_EMPLOYEE_TYPES } from './workday-records';

export const workdaySourceSettings = z.strictObject({
  kind: z.literal('workday'),
  /** The source's id, the key of its cursor: kebab-case (`hr-workday`). */
  id: connectorSourceId('hr-workday'),
  /** The worker key's `source` for Workday's workers (e.g. `workday`). */
  source: workerSchema.shape.source,
  /** When Workday is read (NCRONTAB, default every ten minutes); reads after the first are deltas. */
  schedule: ncrontab.default('0 */10 * * * *'),
  /** A whole read planned even when nothing seems changed (default daily at 02:00 UTC; null: never). */
  fullReadSchedule: fullReadSchedule(DAILY_FULL_READ),
  /** The Workday services host, e.g. `https://wd3-impl-services1.workday.com`. */
  baseUrl: connectorBaseUrl('the password'),
  /** The tenant (`contoso4`): in the endpoint path and the user name. */
  tenant: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Workday tenant name such as "contoso4"'),
  /** The Integration System User without `@tenant` (`ISU_HRSync`). */
  username: z.string().regex(/^[^\s@]{1,128}$/, 'must be a user name without "@tenant" (it is added)'),
  /** The secret holding the Integration System User's password. */
  password: secretReference,
  /** The Human_Resources web-service version (default `v43.0`). */
  version: z
    .string()
    .regex(/^v\d{1,3}\.\d{1,2}$/, 'must be a version such as "v43.0"')
    .default(DEFAULT_VERSION),
  /** Workers per Get_Workers page (`Count`, default 100, at most 999). */
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  /**
   * Workday Employee_Type_IDs → employee types, matched ignoring case (default: Regular and Permanent →
   * employee, Fixed_Term, Temporary and Seasonal → temporary, Intern → intern; any other → other).
   * Contingent workers are contractors.
   */
  employeeTypes: z.record(z.string(), z.enum(EMPLOYEE_TYPES)).optional(),
});
export type WorkdaySourceSettings = z.infer<typeof workdaySourceSettings>;

/** The Human_Resources endpoint for a host, tenant and version. */
export function workdayEndpoint(baseUrl: string, tenant: string, version: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/ccx/service/${encodeURIComponent(tenant)}/Human_Resources/${version}`;
}

export function workdaySourceFrom(settings: WorkdaySourceSettings, deps: ConnectorDeps): WorkdaySource {
  const lowerCase = (map: Readonly<Record<string, (typeof EMPLOYEE_TYPES)[number]>>) =>
    Object.fromEntries(Object.entries(map).map(([name, type]) => [name.toLowerCase(), type]));
  return new WorkdaySource({
    id: settings.id,
    source: settings.source,
    endpoint: workdayEndpoint(settings.baseUrl, settings.tenant, settings.version),
    version: settings.version,
    username: `${settings.username}@${settings.tenant}`,
    password: async () => (await deps.secrets()).get(settings.password.secret),
    clock: deps.clock,
    logger: deps.logger.child({ sourceId: settings.id }),
    pageSize: settings.pageSize,
    employeeTypes: settings.employeeTypes ? lowerCase(settings.employeeTypes) : DEFAULT_EMPLOYEE_TYPES,
  });
}
