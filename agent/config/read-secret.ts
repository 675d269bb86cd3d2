import type { SecretSource } from './agent-config';

export interface SecretReaders {
  readonly readFile: (path: string) => string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A secret's value from where the configuration says it is; errors name the setting, never the value. */
export function readSecret(source: SecretSource, setting: string, readers: SecretReaders): string {
  if ('value' in source) return source.value;
  if ('file' in source) return readers.readFile(source.file).replace(/\r?\n$/, '');
  const value = readers.env[source.env];
  if (!value) throw new Error(`${setting}: environment variable ${source.env} is not set`);
  return value;
}
