/**
 * Reading the control plane's configuration file and what it refers to (the mapping), with every problem
 * reported at once and named by file and field. Relative paths in it are relative to the file.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { compileMappingConfig, createDefaultMappingConfig } from '../../shared/mapping/config';
import type { CompiledMappingConfig } from '../../shared/mapping/config/compile-config';
import { formatIssues } from '../../shared/util/result';
import { parseControlPlaneConfig, type ControlPlaneConfig } from './control-plane-config';

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

export interface LoadedConfig {
  readonly file: string;
  /** The directory relative paths are resolved against. */
  readonly directory: string;
  readonly config: ControlPlaneConfig;
  readonly mapping: CompiledMappingConfig;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigFileError(`the ${what} ${file} is not JSON: ${(error as Error).message}`);
  }
}

/** Resolves a path from the configuration against the configuration's directory. */
export function pathFrom(directory: string, path: string): string {
  return isAbsolute(path) ? path : resolve(directory, path);
}

export function loadControlPlaneConfig(file: string): LoadedConfig {
  const absolute = resolve(file);
  const directory = dirname(absolute);
  const parsed = parseControlPlaneConfig(readJson(absolute, 'configuration'));
  if (!parsed.ok) throw new ConfigFileError(`${absolute} is invalid:\n${formatIssues(parsed.issues)}`);
  const config = parsed.value;
  const mappingDocument =
    'file' in config.mapping
      ? readJson(pathFrom(directory, config.mapping.file), 'mapping configuration')
      : createDefaultMappingConfig(config.mapping.defaults);
  const mapping = compileMappingConfig(mappingDocument);
  if (!mapping.ok) {
    const where = 'file' in config.mapping ? pathFrom(directory, config.mapping.file) : 'the default mapping';
    throw new ConfigFileError(`${where} is invalid:\n${formatIssues(mapping.issues)}`);
  }
  return { file: absolute, directory, config, mapping: mapping.value };
}
