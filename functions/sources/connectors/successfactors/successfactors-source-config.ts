/**
 * Settings of one SuccessFactors source, and the source built from them. Credentials are never in the
 * configuration: the private key (OAuth SAML bearer) or the password (Basic) is a secret in the control
 * plane's secret store (`hr2ad secret set <name>`), read at every read so a rotated one is used at once.
 *
 *     { "id": "hr-sf", "kind": "successfactors", "source": "successfactors",
 *       "baseUrl": "https://api4.successfactors.com",
 *       "auth": { "kind": "oauth", "companyId": "ACME", "clientId": "MjM0…", "userId": "sfadmin",
 *                 "privateKey": { "secret": "sf-private-key" } } }
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
import type { SuccessFactorsCredentials } from './successfactors-auth';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SuccessFactorsSource } from './successfactors-hr-source';

const companyId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a SuccessFactors company id such as "ACME"');

const oauthAuth = z.strictObject({
  kind: z.literal('oauth'),
  /** The company id (Admin Center → company settings). */
  companyId,
  /** The OAuth client's API key (Admin Center → Manage OAuth2 Client Applications). */
  clientId: z.string().min(1).max(200),
  /** The API user the token acts as (`User.userId`), with OData read permissions on Employee Central. */
  userId: z.string().min(1).max(100),
  /** The secret holding the PEM private key of the X.509 certificate registered with the OAuth client. */
  privateKey: secretReference,
});

const basicAuth = z.strictObject({
  kind: z.literal('basic'),
  companyId,
  /** The API user; it signs in as `<username>@<companyId>`. SAP has deprecated Basic for OData. */
  username: z.string().min(1).max(100),
  /** The secret holding the API user's password. */
  password: secretReference,
});

export const successfactorsSourceSettings = z.strictObject({
  kind: z.literal('successfactors'),
  /** The source's id, the key of its cursor: kebab-case (`hr-sf`). */
  id: connectorSourceId('hr-sf'),
  /** The worker key's `source` for SuccessFactors persons (e.g. `successfactors`). */
  source: workerSchema.shape.source,
  /** When SuccessFactors is read (NCRONTAB, default every fifteen minutes); reads after the first are deltas. */
  schedule: ncrontab.default('0 */15 * * * *'),
  /** A whole read planned even when nothing seems changed (default daily at 02:00 UTC; null: never). */
  fullReadSchedule: fullReadSchedule(DAILY_FULL_READ),
  /** The API server of the company's data center (`https://api4.successfactors.com`), without `/odata/v2`. */
  baseUrl: connectorBaseUrl('the token or password'),
  /** OAuth 2.0 SAML bearer (recommended) or Basic. */
  auth: z.discriminatedUnion('kind', [oauthAuth, basicAuth]),
  /** `customPageSize`: records per page (default 500, SAP's recommendation; at most 1,000). */
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  /** `EmpJob` employee class picklist external codes → employee types (default: every class is `employee`). */
  employeeTypes: z.record(z.string(), z.enum(EMPLOYEE_TYPES)).optional(),
  /** A signed webhook (`POST …/api/sources/<id>/webhook`) that makes hr2ad read the persons it names now. */
  webhook: webhookSettings.optional(),
});
export type SuccessFactorsSourceSettings = z.infer<typeof successfactorsSourceSettings>;

function credentialsOf(settings: SuccessFactorsSourceSettings, deps: ConnectorDeps): SuccessFactorsCredentials {
  const secret = (name: string) => async () => (await deps.secrets()).get(name);
  const { auth } = settings;
  if (auth.kind === 'basic')
    return {
      kind: 'basic',
      companyId: auth.companyId,
      username: auth.username,
      password: secret(auth.password.secret),
    };
  return {
    kind: 'oauth',
    companyId: auth.companyId,
    clientId: auth.clientId,
    userId: auth.userId,
    privateKey: secret(auth.privateKey.secret),
  };
}

export function successfactorsSourceFrom(
  settings: SuccessFactorsSourceSettings,
  deps: ConnectorDeps,
): SuccessFactorsSource {
  return new SuccessFactorsSource({
    id: settings.id,
    source: settings.source,
    serverUrl: settings.baseUrl,
    credentials: credentialsOf(settings, deps),
    clock: deps.clock,
    logger: deps.logger.child({ sourceId: settings.id }),
    pageSize: settings.pageSize,
    employeeTypes: settings.employeeTypes ?? {},
  });
}
