/**
 * The control plane's configuration document (`hr2ad.config.json`, version 1): the HR sources and their
 * schedules, the embedded agent (how to reach the directory, which OUs it may touch), the mapping, the
 * lifecycle's retry settings, where local state lives and the local API's port. Unknown keys are errors;
 * every problem is reported at once; the result is deep-frozen. Secrets are never in it: the directory
 * password is a file or an environment variable, the API token is in the secret store.
 * JSON Schema: schemas/control-plane-config.v1.schema.json.
 */
import { z } from 'zod';
import { agentConfigSchema } from '../../agent/index';
import { deepFreeze } from '../../shared/util/deep-freeze';
import { issuesFromZod, type Result } from '../../shared/util/result';
import { DEFAULT_LIFECYCLE_SETTINGS } from '../orchestrations/lifecycle-state';
import { fileSourceSettings } from '../sources/file/file-source-config';

export const CONTROL_PLANE_CONFIG_VERSION = 1;
export const CONTROL_PLANE_CONFIG_SCHEMA_FILE = 'control-plane-config.v1.schema.json';

const seconds = (max: number) => z.number().int().min(1).max(max);

const lifecycleSettings = z.strictObject({
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

const mappingReference = z.union([
  /** A mapping configuration file (schemas/mapping-config.v1.schema.json), relative to this file. */
  z.strictObject({ file: z.string().min(1) }),
  /** The shipped defaults (Entra's Workday-to-AD mappings) for a domain. */
  z.strictObject({
    defaults: z.strictObject({ domainDn: z.string().min(3), upnSuffix: z.string().min(1) }),
  }),
]);

/** A value kept in the control plane's secret store (`hr2ad secret set <name>`), named here, never inlined. */
const secretReference = z.strictObject({
  secret: z.string().regex(/^[A-Za-z0-9-]{1,127}$/, 'must be a secret name (1-127 of A-Z a-z 0-9 -)'),
});

const channelSettings = z.discriminatedUnion('kind', [
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

export const controlPlaneConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(CONTROL_PLANE_CONFIG_VERSION),
    /** Where local state, the durable histories and the encrypted secrets live, relative to this file (default `.hr2ad`). */
    dataDirectory: z.string().min(1).default('.hr2ad'),
    /** The HR sources, each polled on its own schedule. Paths are relative to this file. */
    sources: z.array(fileSourceSettings).min(1, 'configure at least one HR source'),
    mapping: mappingReference,
    /** The embedded agent's configuration (the same document a standalone agent reads). */
    agent: agentConfigSchema,
    lifecycle: lifecycleSettings.default(DEFAULT_LIFECYCLE_SETTINGS),
    /** How long a command stays valid after it is due (default 24). */
    commandLifetimeHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(24),
    /** How commands reach the agent (default `{kind: 'embedded'}`). */
    channel: channelSettings.default({ kind: 'embedded' }),
    /** The local HTTP API (always on 127.0.0.1). */
    api: z.strictObject({ port: z.number().int().min(0).max(65_535).default(7071) }).default({ port: 7071 }),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.sources.forEach((source, i) => {
      if (seen.has(source.id))
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `"${source.id}" is used twice` });
      seen.add(source.id);
    });
  });

export type ControlPlaneConfig = z.infer<typeof controlPlaneConfigSchema>;
export type ControlPlaneConfigInput = z.input<typeof controlPlaneConfigSchema>;

export function parseControlPlaneConfig(document: unknown): Result<ControlPlaneConfig> {
  const parsed = controlPlaneConfigSchema.safeParse(document);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
  return { ok: true, value: deepFreeze(parsed.data) };
}

export function controlPlaneConfigJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://hr2ad.dev/schemas/${CONTROL_PLANE_CONFIG_SCHEMA_FILE}`,
    title: 'hr2ad control plane configuration',
    ...z.toJSONSchema(controlPlaneConfigSchema, { io: 'input' }),
  };
}
