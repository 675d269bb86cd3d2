/**
 * Reading configuration files: JSON with a named error per problem, paths relative to the configuration's
 * folder, and the mapping a configuration refers to. Shared by every host's configuration loader.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { compileMappingConfig, createDefaultMappingConfig } from '../../shared/mapping/config';
import type { CompiledMappingConfig } from '../../shared/mapping/config/compile-config';
import { formatIssues } from '../../shared/util/result';
import type { MappingReference } from './config-sections';

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

/** The file's JSON; errors name the file and what it is, never its content. */
export function readJson(file: string, what: string): unknown {
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

/** The mapping a configuration refers to (a file relative to `directory`, or the shipped defaults), compiled. */
export function loadMapping(directory: string, reference: MappingReference): CompiledMappingConfig {
  const document =
    'file' in reference
      ? readJson(pathFrom(directory, reference.file), 'mapping configuration')
      : createDefaultMappingConfig(reference.defaults);
  const mapping = compileMappingConfig(document);
  if (mapping.ok) return mapping.value;
  const where = 'file' in reference ? pathFrom(directory, reference.file) : 'the default mapping';
  throw new ConfigFileError(`${where} is invalid:\n${formatIssues(mapping.issues)}`);
}
