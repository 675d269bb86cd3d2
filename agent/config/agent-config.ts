import { z } from 'zod';
import { SIGNING_ALGORITHMS, signingKeyId } from '../../shared/protocol/signed-command';
import { deepFreeze } from '../../shared/util/deep-freeze';
import { formatIssues, issuesFromZod } from '../../shared/util/result';

/**
 * The agent's configuration: how it reaches the directory and where it may act. Validated once at
 * start (unknown keys rejected, every problem reported at once) and frozen. Secrets are read from the
 * file or environment variable they name, or held in the configuration only when it is encrypted at rest.
 */
/**
 * Where a secret comes from: a file (trailing newline ignored), an environment variable, or the value
 * itself — only in a configuration that `hr2ad-agent init` wrote encrypted at rest.
 */
export const secretSource = z.union([
  z.strictObject({ file: z.string().min(1) }),
  z.strictObject({ env: z.string().min(1) }),
  z.strictObject({ value: z.string().min(1) }),
]);
export type SecretSource = z.infer<typeof secretSource>;

/** A pinned public key that verifies the control plane's command signatures. */
const pinnedKey = z.strictObject({
  keyId: signingKeyId,
  algorithm: z.enum(SIGNING_ALGORITHMS),
  /** The public key, PEM (SPKI). */
  publicKey: z.string().includes('-----BEGIN PUBLIC KEY-----', { message: 'must be a PEM public key (SPKI)' }),
});

/**
 * The relay: how a standalone agent receives commands from the control plane over Service Bus and
 * reports back. Absent when the agent is embedded in the local control plane.
 */
export const relaySettingsSchema = z.strictObject({
  /** This agent's name in heartbeats and the control plane's status (default: the host name). */
  agentId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/)
    .optional(),
  serviceBus: z.strictObject({
    /**
     * A connection string (Shared Access Signature; `UseDevelopmentEmulator=true` for a local broker), or a
     * fully qualified namespace (`name.servicebus.windows.net`) reached with a Microsoft Entra credential.
     */
    connection: z.union([
      z.strictObject({ connectionString: secretSource }),
      z.strictObject({
        namespace: z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, 'must be a host name such as ns.servicebus.windows.net'),
        /** A service principal; without it, DefaultAzureCredential (managed identity, environment, CLI). */
        clientSecret: z
          .strictObject({ tenantId: z.string().min(1), clientId: z.string().min(1), secret: secretSource })
          .optional(),
      }),
    ]),
    commandsQueue: z.string().min(1).default('hr2ad-commands'),
    resultsQueue: z.string().min(1).default('hr2ad-results'),
    /** `amqp`: AMQP over TLS on port 5671. `websockets`: AMQP over WebSockets on 443 (through `proxy` if set). */
    transport: z.enum(['amqp', 'websockets']).default('amqp'),
    /** An HTTPS proxy for the WebSockets transport, e.g. `http://proxy.corp:3128`. */
    proxy: z.url().optional(),
    /** PEM file of an extra CA to trust for the WebSockets transport (a TLS-inspecting proxy, a test broker). */
    caFile: z.string().min(1).optional(),
  }),
  /** Session receivers at once: workers served in parallel, each worker's commands in order (default 4). */
  receivers: z.number().int().min(1).max(256).default(4),
  /** The queue's max delivery count: the delivery on which a command still failing is dead-lettered (default 10). */
  maxDeliveries: z.number().int().min(1).max(2000).default(10),
  /** Backoff before a retryable failure's message is abandoned for redelivery: doubles from the first to the cap. */
  retryBackoff: z
    .strictObject({
      firstMs: z.number().int().min(0).default(1_000),
      maxMs: z.number().int().min(0).default(60_000),
    })
    .default({ firstMs: 1_000, maxMs: 60_000 }),
  /** Seconds between heartbeats (default 30). */
  heartbeatSeconds: z.number().int().min(1).max(3600).default(30),
  /** How long an idle session receiver waits for a next message before it lets the session go (default 5 s). */
  sessionIdleMs: z.number().int().min(100).max(600_000).default(5_000),
  /** The control plane's public keys: one, or two during a key roll. */
  signing: z.strictObject({ publicKeys: z.array(pinnedKey).min(1).max(2) }),
  /** The journal of applied commands and per-worker sequence numbers (SQLite file). */
  journal: z.strictObject({ path: z.string().min(1) }),
});
export type RelaySettings = z.infer<typeof relaySettingsSchema>;

export const agentConfigSchema = z.strictObject({
  /**
   * How to reach the directory over LDAP. Required unless the host hands the agent a ready `Directory`
   * (see `createDirectoryAgent`), in which case it must be absent.
   */
  directory: z
    .strictObject({
      /** `ldaps://dc.example.com:636` (recommended) or `ldap://…:389` with startTls or allowPlaintext. */
      url: z.string().regex(/^ldaps?:\/\/[^/]+$/, 'must be ldaps://host[:port] or ldap://host[:port]'),
      bindDn: z.string().min(1),
      /** Where the bind password comes from: a file (trailing newline ignored) or an environment variable. */
      bindPassword: secretSource,
      tls: z
        .strictObject({
          /** PEM file of the CA that issued the DC certificate (default: the system store). */
          caFile: z.string().min(1).optional(),
          /** Name on the DC certificate when it differs from the URL host. */
          serverName: z.string().min(1).optional(),
          /** Default true. false accepts any certificate — logged loudly at every connect. */
          verifyCertificate: z.boolean().default(true),
        })
        .default({ verifyCertificate: true }),
      startTls: z.boolean().default(false),
      /** Default false. true allows an unencrypted connection — logged loudly at every connect. */
      allowPlaintext: z.boolean().default(false),
      operationTimeoutMs: z.number().int().positive().default(30_000),
      connectTimeoutMs: z.number().int().positive().default(10_000),
    })
    .optional(),
  policy: z.strictObject({
    /** The domain naming context, e.g. `DC=corp,DC=example,DC=com`. */
    domainDn: z.string().min(3),
    /** The only subtrees the agent may change, whatever a command says. */
    allowedOus: z.array(z.string().min(3)).min(1),
    /** Where accounts are matched (default: the whole domain). */
    matchScope: z.array(z.string().min(3)).min(1).optional(),
    /** Match attributes AD does not index, kept in the agent's index (default employeeID, employeeNumber). */
    indexedMatchAttributes: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/)).optional(),
  }),
  /** Where a standalone agent gets its commands (Service Bus); absent when embedded in the local control plane. */
  relay: relaySettingsSchema.optional(),
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;

export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
}

/** Validates a parsed configuration document; every problem is named with its path. */
export function parseAgentConfig(document: unknown, source = 'agent configuration'): AgentConfig {
  const parsed = agentConfigSchema.safeParse(document);
  if (!parsed.success) {
    throw new AgentConfigError(`${source} is invalid:\n${formatIssues(issuesFromZod(parsed.error))}`);
  }
  return deepFreeze(parsed.data);
}
