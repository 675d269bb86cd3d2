/**
 * The agent's declared entry point: the one module other parts of hr2ad (the local runtime that embeds
 * the agent) may import. It assembles the directory applier from a validated configuration.
 */
import { readFileSync } from 'node:fs';
import { DirectoryApplier } from './applier/directory-applier';
import { AgentConfigError, parseAgentConfig, type AgentConfig } from './config/agent-config';
import type { Directory } from './directory/directory.port';
import { LdaptsDirectory } from './directory/ldapts-directory';
import type { Logger } from '../shared/ports/logger.port';
import { createPinoLogger } from './logging/pino-logger';
import { readSecret } from './config/read-secret';

export { DirectoryApplier, type ApplierPolicy, type ListedAccount } from './applier/directory-applier';
export {
  parseAgentConfig,
  agentConfigSchema,
  AgentConfigError,
  type AgentConfig,
  type RelaySettings,
  type SecretSource,
} from './config/agent-config';
export { readSecret, type SecretReaders } from './config/read-secret';
export { DirectoryError, type Directory, type DirectoryEntry, type Modification } from './directory/directory.port';
export type { Logger, LogFields } from '../shared/ports/logger.port';
export { createPinoLogger, type PinoLoggerOptions } from './logging/pino-logger';
export { silentLogger } from './logging/silent-logger';

export interface AgentEnvironment {
  /** Where the agent logs (default: JSON lines on standard error through pino, level info). */
  logger?: Logger;
  now: () => Date;
  /**
   * A ready directory for the agent to act through — a host embedding the agent, or a relay wrapping the
   * directory. The configuration then has no `directory` section. Default: an LDAP connection built from
   * the configuration's `directory` section. The applier's `close()` closes it.
   */
  directory?: Directory;
  /** Wraps the directory the agent acts through (the relay fences its writes with it). */
  wrapDirectory?: (directory: Directory) => Directory;
  /** Reads a file named by the configuration (CA, password file). */
  readFile?: (path: string) => string;
  env?: Readonly<Record<string, string | undefined>>;
}

type LdapSettings = NonNullable<AgentConfig['directory']>;

/** The default directory: LDAP over ldapts, as the configuration's `directory` section says. */
function ldapDirectory(settings: LdapSettings, environment: AgentEnvironment, logger: Logger): LdaptsDirectory {
  const readFile = environment.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  return new LdaptsDirectory(
    {
      url: settings.url,
      bindDn: settings.bindDn,
      bindPassword: readSecret(settings.bindPassword, 'directory.bindPassword', {
        readFile,
        env: environment.env ?? process.env,
      }),
      tls: {
        ...(settings.tls.caFile ? { ca: readFile(settings.tls.caFile) } : {}),
        ...(settings.tls.serverName ? { serverName: settings.tls.serverName } : {}),
        verifyCertificate: settings.tls.verifyCertificate,
      },
      startTls: settings.startTls,
      allowPlaintext: settings.allowPlaintext,
      operationTimeoutMs: settings.operationTimeoutMs,
      connectTimeoutMs: settings.connectTimeoutMs,
    },
    logger,
  );
}

/** The directory the agent acts through: the host's, or the configured LDAP connection (the default). */
function directoryFor(config: AgentConfig, environment: AgentEnvironment, logger: Logger): Directory {
  const problem = (message: string) => new AgentConfigError(`agent configuration is invalid:\ndirectory: ${message}`);
  if (environment.directory) {
    if (config.directory) throw problem('not used when the host gives the agent its Directory; remove it');
    return environment.directory;
  }
  if (!config.directory) throw problem('required (how to reach the directory over LDAP)');
  return ldapDirectory(config.directory, environment, logger);
}

/**
 * Builds the directory applier for a configuration document (validated here). It acts through
 * `environment.directory` when given, else through an LDAP connection built from the configuration.
 */
export function createDirectoryAgent(document: unknown, environment: AgentEnvironment): DirectoryApplier {
  const config = parseAgentConfig(document);
  const logger = environment.logger ?? createPinoLogger();
  const own = directoryFor(config, environment, logger);
  const directory = environment.wrapDirectory ? environment.wrapDirectory(own) : own;
  return new DirectoryApplier({ directory, policy: config.policy, logger, now: environment.now });
}
export {
  AGENT_CONFIG_FORMAT,
  SealedFileError,
  checkKeyFileMode,
  loadKey,
  looksSealed,
  sealText,
  unsealText,
  writeFileAtomically,
  type LoadKeyOptions,
  type SealedFormat,
} from './config/sealed-file';
