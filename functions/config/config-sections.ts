/**
 * The sections of the control plane's configuration that every host reads (the HR sources, the mapping, the
 * lifecycle's retry settings, the command lifetime, the channel). Kept apart from the embedded agent's
 * section so that a host without an embedded agent (Azure) reads them without loading the agent.
 */
import { z } from 'zod';
import { DEFAULT_LIFECYCLE_SETTINGS } from '../orchestrations/lifecycle-state';
import { scimLimits, scimUserMapping } from '../../shared/ingest/scim/scim-options';
import { workerSchema } from '../../shared/worker/worker-schema';
import { ingestAuthSettings } from './ingest-auth-settings';
import { fileSourceSettings, type FileSourceSettings } from '../sources/file/file-source-config';
import { CONNECTOR_SETTINGS } from '../sources/connectors/connector-registry';

const seconds = (max: number) => z.number().int().min(1).max(max);

export const lifecycleSettings = z.strictObject({
  /** How long to wait for a command's result before sending it again (default 600). */
  resultTimeoutSeconds: seconds(7 * 86_400).default(DEFAULT_LIFECYCLE_SETTINGS.resultTimeoutSeconds),
  /** Sends of one command before its outcome is recorded as failed (default 5). */
  maxAttempts: z.number().int().min(1).max(50).default(DEFAULT_LIFECYCLE_SETTINGS.maxAttempts),
  /** Backoff before the second send, doubled each time (default 30). */
  retryBackoffSeconds: seconds(86_400).default(DEFAULT_LIFECYCLE_SETTINGS.retryBackoffSeconds),
  /** The backoff's cap (default 3600). */
  maxBackoffSeconds: seconds(7 * 86_400).default(DEFAULT_LIFECYCLE_SETTINGS.maxBackoffSeconds),
  /** Steps one orchestration execution runs before it continues as new (default 20). */
  stepsPerGeneration: z.number().int().min(1).max(1000).default(DEFAULT_LIFECYCLE_SETTINGS.stepsPerGeneration),
});

export const mappingReference = z.union([
  /** A mapping configuration file (schemas/mapping-config.v1.schema.json), relative to this file. */
  z.strictObject({ file: z.string().min(1) }),
  /** The shipped defaults (Entra's Workday-to-AD mappings) for a domain. */
  z.strictObject({
    defaults: z.strictObject({ domainDn: z.string().min(3), upnSuffix: z.string().min(1) }),
  }),
]);
export type MappingReference = z.infer<typeof mappingReference>;

/** A value kept in the control plane's secret store (`hr2ad secret set <name>`), named here, never inlined. */
const secretReference = z.strictObject({
  secret: z.string().regex(/^[A-Za-z0-9-]{1,127}$/, 'must be a secret name (1-127 of A-Z a-z 0-9 -)'),
});

export const channelSettings = z.discriminatedUnion('kind', [
  /** Commands are applied in process by the embedded agent (the default). */
  z.strictObject({ kind: z.literal('embedded') }),
  /** Commands go to a Service Bus session queue for a standalone agent; results come back on another queue. */
  z.strictObject({
    kind: z.literal('serviceBus'),
    /** The secret holding the namespace's connection string (SAS, or `UseDevelopmentEmulator=true`). */
    connectionString: secretReference,
    /** Session-enabled queue the agent reads commands from (default `hr2ad-commands`). */
    commandsQueue: z.string().min(1).max(260).default('hr2ad-commands'),
    /** Queue the agent sends results, heartbeats and refusals to (default `hr2ad-results`). */
    resultsQueue: z.string().min(1).max(260).default('hr2ad-results'),
    /** The secret holding the command signing key (created by `hr2ad signing-key rotate`). */
    signingKey: secretReference,
    /** AMQP over WebSockets on port 443 instead of AMQP on 5671 (default false). */
    webSockets: z.boolean().default(false),
  }),
]);
export type ChannelSettings = z.infer<typeof channelSettings>;

/**
 * A source HR pushes to instead of one hr2ad reads: SCIM bulk requests as Entra's API-driven inbound
 * provisioning takes them (`POST …/api/sources/<id>/bulkUpload`).
 */
export const scimSourceSettings = z.strictObject({
  kind: z.literal('scim'),
  /** The source's id (kebab-case), in its URL. */
  id: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be a kebab-case id such as "hr-scim"'),
  /** The worker key's `source` for the records posted here (e.g. `hr`). */
  source: workerSchema.shape.source,
  /** How a SCIM user becomes a worker where SCIM leaves a choice (defaults as Entra). */
  scim: scimUserMapping.default(scimUserMapping.parse({})),
});
export type ScimSourceSettings = z.infer<typeof scimSourceSettings>;

/** One HR source: a file or an HR system's API, which hr2ad reads on a schedule, or a SCIM endpoint HR posts to. */
export const sourceSettings = z.union([fileSourceSettings, scimSourceSettings, ...CONNECTOR_SETTINGS]);
export type SourceSettings = z.infer<typeof sourceSettings>;

/** The HR sources. Paths are relative to the configuration file. */
export const sourcesSettings = z.array(sourceSettings).min(1, 'configure at least one HR source');

/** The files hr2ad reads (not the sources HR pushes to, nor the HR APIs). */
export function readSources(sources: readonly SourceSettings[]): FileSourceSettings[] {
  return sources.filter((s): s is FileSourceSettings => s.kind === 'csv' || s.kind === 'json');
}

/** What pushing to the control plane takes: who may (bearer tokens) and how much per SCIM request. */
export const ingestSettings = z.strictObject({
  /** How bearer tokens are checked (default: tokens issued by `hr2ad token issue`). */
  auth: ingestAuthSettings.default(ingestAuthSettings.parse({ kind: 'local' })),
  /** Limits of one SCIM bulk request (default Entra's: 50 operations, 1 MiB). */
  limits: scimLimits.default(scimLimits.parse({})),
});
export type IngestSettings = z.infer<typeof ingestSettings>;
export const DEFAULT_INGEST_SETTINGS: IngestSettings = ingestSettings.parse({});

/** How long a command stays valid after it is due (default 24). */
export const commandLifetimeHours = z
  .number()
  .int()
  .min(1)
  .max(24 * 30)
  .default(24);

/** Adds an issue for each source id used a second time. */
export function checkUniqueSourceIds(sources: readonly { readonly id: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  sources.forEach((source, i) => {
    if (seen.has(source.id))
      ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `"${source.id}" is used twice` });
    seen.add(source.id);
  });
}
