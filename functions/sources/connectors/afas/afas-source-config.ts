/**
 * Settings of one AFAS Profit source, and the source built from them. The App Connector token is never
 * in the configuration: `token` names a secret in the control plane's secret store
 * (`hr2ad secret set <name>`), read at every request so a new token is used at once.
 *
 *     { "id": "hr-afas", "kind": "afas", "source": "afas", "environment": "12345",
 *       "connectorId": "HR2AD_Medewerkers", "token": { "secret": "afas-token" } }
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
import { AfasSource, MAX_PAGE_SIZE, afasBaseUrl } from './afas-hr-source';
import { DEFAULT_EMPLOYEE_TYPES, DEFAULT_FIELD_IDS, type AfasFieldIds } from './afas-records';

/** A GetConnector field id: it goes into filters and orderings, so no `,` `;` or spaces. */
const fieldId = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'must be a GetConnector field id such as "Medewerker"');

const fieldIds = z.strictObject(
  Object.fromEntries(Object.keys(DEFAULT_FIELD_IDS).map((key) => [key, fieldId.optional()])) as Record<
    keyof AfasFieldIds,
    z.ZodOptional<typeof fieldId>
  >,
);

export const afasSourceSettings = z
  .strictObject({
    kind: z.literal('afas'),
    /** The source's id, the key of its cursor: kebab-case (`hr-afas`). */
    id: connectorSourceId('hr-afas'),
    /** The worker key's `source` for AFAS's employees (e.g. `afas`). */
    source: workerSchema.shape.source,
    /** When AFAS is read (NCRONTAB, default every fifteen minutes); reads after the first are deltas. */
    schedule: ncrontab.default('0 */15 * * * *'),
    /** A whole read planned even when nothing seems changed (default daily at 02:00 UTC; null: never). */
    fullReadSchedule: fullReadSchedule(DAILY_FULL_READ),
    /** The AFAS environment number (`12345` for 12345.rest.afas.online); or give `baseUrl`. */
    environment: z
      .string()
      .regex(/^[0-9]{1,10}$/, 'must be an AFAS environment number such as "12345"')
      .optional(),
    /**
     * The URL `/connectors/…` is appended to (default `https://<environment>.rest.afas.online/ProfitRestServices`;
     * test and accept environments use `resttest` / `restaccept`).
     */
    baseUrl: connectorBaseUrl('the AFAS token').optional(),
    /** The GetConnector hr2ad reads (all function periods of every employee; see docs/connectors/afas.md). */
    connectorId: z.string().regex(/^[A-Za-z0-9_]{1,100}$/, 'must be a GetConnector id such as "HR2AD_Medewerkers"'),
    /** The secret holding the App Connector token: its 64 hex characters, or the whole `<token>` XML. */
    token: secretReference,
    /** GetConnector field ids, each defaulting to the HelloID name (`Medewerker`, `Gewijzigd_op`…). */
    fields: fieldIds.default({}),
    /** Rows per page, `take` (default and maximum 1,000: AFAS documents no maximum but runs out of memory on large ones). */
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(MAX_PAGE_SIZE),
    /**
     * AFAS employee kinds (`Soort_medewerker`) → employee types, matched ignoring case (default: Werknemer →
     * employee, Stagiair → intern, Uitzendkracht/Oproepkracht → temporary, Inhuur/Extern/ZZP → contractor…).
     */
    employeeTypes: z.record(z.string(), z.enum(EMPLOYEE_TYPES)).optional(),
  })
  .refine((s) => s.environment !== undefined || s.baseUrl !== undefined, {
    message: 'needs environment (the AFAS environment number) or baseUrl',
    path: ['environment'],
  });
export type AfasSourceSettings = z.infer<typeof afasSourceSettings>;

export function afasSourceFrom(settings: AfasSourceSettings, deps: ConnectorDeps): AfasSource {
  const lowerCase = (map: Readonly<Record<string, (typeof EMPLOYEE_TYPES)[number]>>) =>
    Object.fromEntries(Object.entries(map).map(([name, type]) => [name.toLowerCase(), type]));
  return new AfasSource({
    id: settings.id,
    source: settings.source,
    baseUrl: settings.baseUrl ?? afasBaseUrl(settings.environment ?? ''),
    connectorId: settings.connectorId,
    token: async () => (await deps.secrets()).get(settings.token.secret),
    clock: deps.clock,
    logger: deps.logger.child({ sourceId: settings.id }),
    fields: Object.fromEntries(Object.entries(settings.fields).filter(([, id]) => id !== undefined)),
    pageSize: settings.pageSize,
    employeeTypes: settings.employeeTypes ? lowerCase(settings.employeeTypes) : DEFAULT_EMPLOYEE_TYPES,
  });
}
