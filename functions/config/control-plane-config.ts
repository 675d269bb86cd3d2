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
import {
  channelSettings,
  checkUniqueSourceIds,
  commandLifetimeHours,
  DEFAULT_INGEST_SETTINGS,
  ingestSettings,
  lifecycleSettings,
  mappingReference,
  sourcesSettings,
} from './config-sections';

export type { ChannelSettings } from './config-sections';

export const CONTROL_PLANE_CONFIG_VERSION = 1;
export const CONTROL_PLANE_CONFIG_SCHEMA_FILE = 'control-plane-config.v1.schema.json';

export const controlPlaneConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(CONTROL_PLANE_CONFIG_VERSION),
    /** Where local state, the durable histories and the encrypted secrets live, relative to this file (default `.hr2ad`). */
    dataDirectory: z.string().min(1).default('.hr2ad'),
    /** The HR sources, each polled on its own schedule. Paths are relative to this file. */
    sources: sourcesSettings,
    mapping: mappingReference,
    /** The embedded agent's configuration (the same document a standalone agent reads). */
    agent: agentConfigSchema,
    lifecycle: lifecycleSettings.default(DEFAULT_LIFECYCLE_SETTINGS),
    /** How long a command stays valid after it is due (default 24). */
    commandLifetimeHours,
    /** How commands reach the agent (default `{kind: 'embedded'}`). */
    channel: channelSettings.default({ kind: 'embedded' }),
    /** What pushing records takes: bearer-token checks and SCIM limits (default: local tokens, Entra's limits). */
    ingest: ingestSettings.default(DEFAULT_INGEST_SETTINGS),
    /** The local HTTP API (always on 127.0.0.1). */
    api: z.strictObject({ port: z.number().int().min(0).max(65_535).default(7071) }).default({ port: 7071 }),
  })
  .superRefine((config, ctx) => checkUniqueSourceIds(config.sources, ctx));

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
