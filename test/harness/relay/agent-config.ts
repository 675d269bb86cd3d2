import { writeFileSync } from 'node:fs';
import type { AgentConfig } from '../../../agent/config/agent-config';
import type { DcConnection } from '../samba-dc';

export interface PinnedKey {
  readonly keyId: string;
  readonly algorithm: 'Ed25519' | 'ES256';
  readonly publicKey: string;
}

export interface RelayAgentConfigOptions {
  readonly dc: DcConnection;
  readonly connectionString: string;
  readonly publicKeys: readonly PinnedKey[];
  readonly journalPath: string;
  readonly allowedOus: readonly string[];
  readonly agentId?: string;
  readonly receivers?: number;
  readonly maxDeliveries?: number;
  readonly commandsQueue?: string;
  readonly resultsQueue?: string;
  readonly heartbeatSeconds?: number;
  readonly sessionIdleMs?: number;
  readonly retryBackoff?: { firstMs: number; maxMs: number };
  /** Extra relay.serviceBus settings (transport, caFile). */
  readonly serviceBus?: Partial<NonNullable<AgentConfig['relay']>['serviceBus']>;
}

/** A standalone agent's configuration against the test DC and a test broker (secrets by file, never inline). */
export function relayAgentConfig(options: RelayAgentConfigOptions): AgentConfig {
  const { dc } = options;
  return {
    directory: {
      url: dc.url,
      bindDn: dc.bindDn,
      bindPassword: { file: dc.passwordFile },
      tls: { caFile: dc.caFile, serverName: dc.serverName, verifyCertificate: true },
      startTls: false,
      allowPlaintext: false,
      operationTimeoutMs: 15_000,
      connectTimeoutMs: 3_000,
    },
    policy: { domainDn: dc.baseDn, allowedOus: [...options.allowedOus] },
    relay: {
      ...(options.agentId ? { agentId: options.agentId } : {}),
      serviceBus: {
        connection: { connectionString: { value: options.connectionString } },
        commandsQueue: options.commandsQueue ?? 'hr2ad-commands',
        resultsQueue: options.resultsQueue ?? 'hr2ad-results',
        transport: 'amqp',
        ...options.serviceBus,
      },
      receivers: options.receivers ?? 4,
      maxDeliveries: options.maxDeliveries ?? 10,
      retryBackoff: options.retryBackoff ?? { firstMs: 200, maxMs: 2_000 },
      heartbeatSeconds: options.heartbeatSeconds ?? 2,
      sessionIdleMs: options.sessionIdleMs ?? 300,
      signing: { publicKeys: options.publicKeys.map((key) => ({ ...key })) },
      journal: { path: options.journalPath },
    },
  };
}

export function writeAgentConfig(file: string, config: AgentConfig): string {
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return file;
}
