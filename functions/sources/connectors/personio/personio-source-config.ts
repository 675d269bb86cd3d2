/**
 * Settings of one Personio source, and the source built from them. The API credentials are never in the
 * configuration: `clientId` and `clientSecret` name secrets in the control plane's secret store
 * (`hr2ad secret set <name>`), read whenever a token is needed, so rotated credentials are used at once.
 *
 *     { "id": "hr-personio", "kind": "personio", "source": "personio",
 *       "clientId": { "secret": "personio-client-id" }, "clientSecret": { "secret": "personio-client-secret" } }
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
import { workerSchema } from '../../../../shared/worker/worker-schema';
import { webhookSettings } from '../../../ingest/webhook-settings';
import { ncrontab } from '../../file/file-source-config';
import { DEFAULT_BASE_URL, MAX_PAGE_SIZE, PersonioSource } from './personio-hr-source';

export const personioSourceSettings = z.strictObject({
  kind: z.literal('personio'),
  /** The source's id, the key of its cursor: kebab-case (`hr-personio`). */
  id: connectorSourceId('hr-personio'),
  /** The worker key's `source` for Personio's employees (e.g. `personio`). */
  source: workerSchema.shape.source,
  /** When Personio is read (NCRONTAB, default every five minutes); reads after the first are deltas. */
  schedule: ncrontab.default('0 */5 * * * *'),
  /** A whole read planned even when nothing seems changed (default daily at 02:00 UTC; null: never). */
  fullReadSchedule: fullReadSchedule(DAILY_FULL_READ),
  /** The URL `/v1/…` is appended to (default `https://api.personio.de`). */
  baseUrl: connectorBaseUrl('the access token').default(DEFAULT_BASE_URL),
  /** The secret holding the API credentials' client id (Settings → Integrations → API credentials). */
  clientId: secretReference,
  /** The secret holding the API credentials' client secret. */
  clientSecret: secretReference,
  /** Employees per list page (default and maximum 100, Personio's enforced maximum). */
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(MAX_PAGE_SIZE),
  /** A signed webhook (`POST …/api/sources/<id>/webhook`) that makes hr2ad read the employees it names now. */
  webhook: webhookSettings.optional(),
});
export type PersonioSourceSettings = z.infer<typeof personioSourceSettings>;

export function personioSourceFrom(settings: PersonioSourceSettings, deps: ConnectorDeps): PersonioSource {
  return new PersonioSource({
    id: settings.id,
    source: settings.source,
    baseUrl: settings.baseUrl,
    credentials: async () => {
      const secrets = await deps.secrets();
      return {
        clientId: await secrets.get(settings.clientId.secret),
        clientSecret: await secrets.get(settings.clientSecret.secret),
      };
    },
    clock: deps.clock,
    logger: deps.logger.child({ sourceId: settings.id }),
    pageSize: settings.pageSize,
  });
}
