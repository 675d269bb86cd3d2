import { z } from 'zod';
import { deepFreeze } from '../../shared/util/deep-freeze';
import { formatIssues, issuesFromZod } from '../../shared/util/result';

/**
 * The agent's configuration: how it reaches the directory and where it may act. Validated once at
 * start (unknown keys rejected, every problem reported at once) and frozen. Secrets are not in it:
 * the bind password is read from the file or environment variable it names.
 */
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
      bindPassword: z.union([z.strictObject({ file: z.string().min(1) }), z.strictObject({ env: z.string().min(1) })]),
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
