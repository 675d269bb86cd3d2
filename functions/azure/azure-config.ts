/**
 * The configuration deployed with the app (`hr2ad.config.json`, the same document the local control plane
 * reads): the Azure app takes its HR sources, mapping, lifecycle settings and command lifetime from it. The
 * sections only the local host uses (the embedded agent, the local data folder, the local API, the channel,
 * whose Azure counterparts are app settings) may be present and are not read here, so one file can serve
 * both hosts; any other key is an error. Relative paths are relative to the file.
 */
import { dirname } from 'node:path';
import { z } from 'zod';
import type { CompiledMappingConfig } from '../../shared/mapping/config/compile-config';
import { deepFreeze } from '../../shared/util/deep-freeze';
import { formatIssues, issuesFromZod } from '../../shared/util/result';
import type { ScheduledSource } from '../app/control-plane-ports';
import { ConfigFileError, loadMapping, pathFrom, readJson } from '../config/config-files';
import {
  checkUniqueSourceIds,
  commandLifetimeHours,
  lifecycleSettings,
  ingestSettings,
  mappingReference,
  readSources,
  sourcesSettings,
} from '../config/config-sections';
import { DEFAULT_LIFECYCLE_SETTINGS } from '../orchestrations/lifecycle-state';
import { FileHrSource } from '../sources/file/file-hr-source';

/** Sections of the document that belong to the local host; their content is its business. */
const localOnly = z.unknown().optional();

export const azureConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    sources: sourcesSettings,
    mapping: mappingReference,
    lifecycle: lifecycleSettings.default(DEFAULT_LIFECYCLE_SETTINGS),
    commandLifetimeHours,
    /** Bearer-token checks and SCIM limits; in Azure the token issuer is Entra ID (`kind: "oidc"`). */
    ingest: ingestSettings.optional(),
    agent: localOnly,
    dataDirectory: localOnly,
    api: localOnly,
    channel: localOnly,
  })
  .superRefine((config, ctx) => checkUniqueSourceIds(config.sources, ctx));

export type AzureConfig = z.infer<typeof azureConfigSchema>;

export interface LoadedAzureConfig {
  readonly file: string;
  readonly config: AzureConfig;
  readonly mapping: CompiledMappingConfig;
  /** The files among the sources (the HR systems' connectors need the secret store: see azure-ports). */
  readonly sources: readonly ScheduledSource[];
}

/** Reads the deployed configuration at `file` (relative to `appDirectory`); every problem in one error. */
export function loadAzureConfig(appDirectory: string, file: string): LoadedAzureConfig {
  const absolute = pathFrom(appDirectory, file);
  const directory = dirname(absolute);
  const parsed = azureConfigSchema.safeParse(readJson(absolute, 'configuration'));
  if (!parsed.success)
    throw new ConfigFileError(`${absolute} is invalid:\n${formatIssues(issuesFromZod(parsed.error))}`);
  const config = deepFreeze(parsed.data);
  const sources = readSources(config.sources).map((settings) => ({
    source: new FileHrSource({ ...settings, path: pathFrom(directory, settings.path) }),
    schedule: settings.schedule,
  }));
  return { file: absolute, config, mapping: loadMapping(directory, config.mapping), sources };
}
