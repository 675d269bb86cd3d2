/**
 * The agent's declared entry point: the one module other parts of hr2ad (the local runtime that embeds
 * the agent) may import. It assembles the directory applier from a validated configuration.
 */
import { readFileSync } from 'node:fs';
import { DirectoryApplier } from './applier/directory-applier';
import { parseAgentConfig, type AgentConfig } from './config/agent-config';
import { LdaptsDirectory } from './directory/ldapts-directory';
import type { Logger } from './logger';

export { DirectoryApplier, type ApplierPolicy } from './applier/directory-applier';
export { parseAgentConfig, AgentConfigError, type AgentConfig } from './config/agent-config';
export { createJsonLogger, silentLogger, type Logger } from './logger';

export interface AgentEnvironment {
  logger: Logger;
  now: () => Date;
  /** Reads a file named by the configuration (CA, password file). */
  readFile?: (path: string) => string;
  env?: Readonly<Record<string, string | undefined>>;
}

function bindPassword(
  config: AgentConfig,
  readFile: (path: string) => string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const source = config.directory.bindPassword;
  if ('file' in source) return readFile(source.file).replace(/\r?\n$/, '');
  const value = env[source.env];
  if (!value) throw new Error(`directory.bindPassword: environment variable ${source.env} is not set`);
  return value;
}

/** Builds the directory applier for a configuration document (validated here). */
export function createDirectoryAgent(document: unknown, environment: AgentEnvironment): DirectoryApplier {
  const config = parseAgentConfig(document);
  const readFile = environment.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const d = config.directory;
  const directory = new LdaptsDirectory(
    {
      url: d.url,
      bindDn: d.bindDn,
      bindPassword: bindPassword(config, readFile, environment.env ?? process.env),
      tls: {
        ...(d.tls.caFile ? { ca: readFile(d.tls.caFile) } : {}),
        ...(d.tls.serverName ? { serverName: d.tls.serverName } : {}),
        verifyCertificate: d.tls.verifyCertificate,
      },
      startTls: d.startTls,
      allowPlaintext: d.allowPlaintext,
      operationTimeoutMs: d.operationTimeoutMs,
      connectTimeoutMs: d.connectTimeoutMs,
    },
    environment.logger,
  );
  return new DirectoryApplier({ directory, policy: config.policy, logger: environment.logger, now: environment.now });
}
