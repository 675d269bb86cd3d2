/**
 * What each configured source takes pushed to it, for the ingest routes: a SCIM source takes bulk
 * requests; a CSV source takes uploads read with its column map; a source with a `webhook` takes signed
 * webhooks (their secrets read from the secret store when a webhook arrives, so a rotated secret counts
 * without a restart).
 */
import type { SecretStore } from '../../shared/ports/secret-store.port';
import type { IngestSource, WebhookPorts } from '../app/control-plane-ports';
import type { WebhookSettings } from '../ingest/webhook-settings';
import type { SourceSettings } from './config-sections';

export function ingestSources(sources: readonly SourceSettings[], secrets: SecretStore): Map<string, IngestSource> {
  const map = new Map<string, IngestSource>();
  for (const settings of sources) {
    const base = { sourceId: settings.id, workerSource: settings.source };
    if (settings.kind === 'scim') {
      map.set(settings.id, { ...base, scim: settings.scim, csv: null, webhook: null });
      continue;
    }
    // Not every connector has webhooks (AFAS sends none).
    const webhook = 'webhook' in settings && settings.webhook ? webhookPorts(settings.webhook, secrets) : null;
    const csv = settings.kind === 'csv' ? settings.csv : null;
    map.set(settings.id, { ...base, scim: null, csv, webhook });
  }
  return map;
}

function webhookPorts(settings: WebhookSettings, secrets: SecretStore): WebhookPorts {
  return {
    toleranceSeconds: settings.toleranceSeconds,
    workerIds: settings.workerIds,
    secrets: async () => {
      const values = await Promise.all(settings.secrets.map((s) => secrets.get(s.secret)));
      return values.filter((v): v is string => v !== null);
    },
  };
}
