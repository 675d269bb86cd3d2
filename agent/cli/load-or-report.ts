/** The configuration for a command, or the reason it cannot be loaded written to standard error. */
import { AgentConfigError } from '../config/agent-config';
import { loadAgentConfig, type LoadedAgentConfig } from '../config/load-agent-config';
import type { AgentCliIo } from './cli-io';

export interface ConfigOptions {
  readonly config: string;
  readonly keyFile?: string;
}

export async function loadConfigOrReport(
  command: string,
  options: ConfigOptions,
  io: AgentCliIo,
): Promise<LoadedAgentConfig | undefined> {
  try {
    return await loadAgentConfig(options.config, options.keyFile);
  } catch (error) {
    if (!(error instanceof AgentConfigError)) throw error;
    io.stderr(`hr2ad-agent ${command}: ${error.message}\n`);
    return undefined;
  }
}
