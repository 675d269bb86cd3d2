/**
 * Reading the control plane's configuration file and what it refers to (the mapping), with every problem
 * reported at once and named by file and field. Relative paths in it are relative to the file.
 */
import { dirname, resolve } from 'node:path';
import type { CompiledMappingConfig } from '../../shared/mapping/config/compile-config';
import { formatIssues } from '../../shared/util/result';
import { ConfigFileError, loadMapping, readJson } from './config-files';
import { parseControlPlaneConfig, type ControlPlaneConfig } from './control-plane-config';

export { ConfigFileError, pathFrom } from './config-files';

export interface LoadedConfig {
  readonly file: string;
  /** The directory relative paths are resolved against. */
  readonly directory: string;
  readonly config: ControlPlaneConfig;
  readonly mapping: CompiledMappingConfig;
}

export function loadControlPlaneConfig(file: string): LoadedConfig {
  const absolute = resolve(file);
  const directory = dirname(absolute);
  const parsed = parseControlPlaneConfig(readJson(absolute, 'configuration'));
  if (!parsed.ok) throw new ConfigFileError(`${absolute} is invalid:\n${formatIssues(parsed.issues)}`);
  const config = parsed.value;
  return { file: absolute, directory, config, mapping: loadMapping(directory, config.mapping) };
}
