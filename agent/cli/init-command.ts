/**
 * `hr2ad-agent init`: writes the agent's configuration sealed at rest (AES-256-GCM, key in a 0600 key
 * file created when absent), from flags — no editing of JSON by hand, no secret in a plain file.
 * Secrets come from a file, standard input (`-`), or a prompt without echo when at a terminal. Run again,
 * it changes only what is given: a secret left blank keeps its stored value. It validates before writing
 * and prints a summary with every stored secret masked.
 */
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseAgentConfig, AgentConfigError } from '../config/agent-config';
import {
  defaultKeyFile,
  readAgentConfigDocument,
  writeSealedAgentConfig,
  type AgentConfigDocument,
} from '../config/load-agent-config';
import { fileExists } from '../config/sealed-file';
import type { AgentCliIo } from './cli-io';
import { AGENT_EXIT, type AgentExitCode } from './exit-codes';

export interface AgentInitOptions {
  readonly config: string;
  readonly keyFile?: string;
  readonly dcUrl?: string;
  readonly bindDn?: string;
  readonly bindPasswordFile?: string;
  readonly caFile?: string;
  readonly serverName?: string;
  readonly domain?: string;
  readonly allowedOu?: string[];
  readonly matchAttribute?: string[];
  readonly agentId?: string;
  readonly serviceBusConnectionStringFile?: string;
  readonly serviceBusNamespace?: string;
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly clientSecretFile?: string;
  readonly commandsQueue?: string;
  readonly resultsQueue?: string;
  readonly transport?: 'amqp' | 'websockets';
  readonly proxy?: string;
  readonly serviceBusCaFile?: string;
  readonly receivers?: number;
  readonly journal?: string;
  readonly signingKey?: string[];
}

export const AGENT_INIT_HELP = `
Writes --config sealed with AES-256-GCM; the key is in --key-file (default <config>.key), created 0600
when absent. Keep the key file apart from backups of the configuration.

Secrets (bind password, Service Bus connection string, client secret) are read from the file given,
from standard input with "-" (one secret at a time), or asked for without echo at a terminal. They are
stored only inside the sealed file. Run init again to change settings: only what is given changes, and
a secret not given keeps its stored value.

Example:
  printf '%s' "$AD_PASSWORD" | hr2ad-agent init --config /etc/hr2ad/agent.json \\
    --dc-url ldaps://dc1.corp.example.com --bind-dn "CN=svc-hr2ad,OU=Service,DC=corp,DC=example,DC=com" \\
    --bind-password-file - --ca-file /etc/hr2ad/ad-ca.pem --domain DC=corp,DC=example,DC=com \\
    --allowed-ou "OU=Users,DC=corp,DC=example,DC=com" --allowed-ou "OU=Disabled Users,DC=corp,DC=example,DC=com" \\
    --service-bus-namespace corp-hr2ad.servicebus.windows.net --transport websockets \\
    --journal /var/lib/hr2ad/journal.sqlite --signing-key hr2ad-2025=/etc/hr2ad/control-plane.pub.pem
`;

type Json = Record<string, unknown>;

const MASK = '********';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `key` of `parent`, created empty when absent. */
function section(parent: Json, key: string): Json {
  const existing = parent[key];
  if (isObject(existing)) return existing;
  const created: Json = {};
  parent[key] = created;
  return created;
}

/** Sets the keys whose value is given; leaves the others as they were. */
function assignGiven(target: Json, values: Json): void {
  for (const [key, value] of Object.entries(values)) if (value !== undefined) target[key] = value;
}

/** Reads secrets from files or standard input (once), or a prompt; errors name the option, never a value. */
class SecretInput {
  private stdinUsedBy: string | undefined;

  constructor(private readonly io: AgentCliIo) {}

  async fromFile(option: string, file: string | undefined): Promise<{ value: string } | undefined> {
    if (file === undefined) return undefined;
    const text = file === '-' ? await this.fromStdin(option) : await this.readSecretFile(option, file);
    const value = text.replace(/\r?\n$/, '');
    if (value === '') throw new AgentConfigError(`${option}: the secret is empty`);
    return { value };
  }

  /** Asks at a terminal for a secret the configuration needs and does not have yet. */
  async prompt(question: string): Promise<{ value: string } | undefined> {
    if (!this.io.promptSecret) return undefined;
    const value = await this.io.promptSecret(question);
    return value === '' ? undefined : { value };
  }

  private async fromStdin(option: string): Promise<string> {
    if (this.stdinUsedBy)
      throw new AgentConfigError(`${option} -: standard input is already read for ${this.stdinUsedBy}`);
    this.stdinUsedBy = option;
    return this.io.readStdin();
  }

  private async readSecretFile(option: string, file: string): Promise<string> {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new AgentConfigError(`${option} ${file}: cannot read (${(error as NodeJS.ErrnoException).code})`);
    }
  }
}

async function applyDirectory(document: Json, options: AgentInitOptions, secrets: SecretInput): Promise<void> {
  const directory = section(document, 'directory');
  assignGiven(directory, { url: options.dcUrl, bindDn: options.bindDn });
  const password =
    (await secrets.fromFile('--bind-password-file', options.bindPasswordFile)) ??
    (directory.bindPassword ? undefined : await secrets.prompt('Directory bind password: '));
  assignGiven(directory, { bindPassword: password });
  if (options.caFile !== undefined || options.serverName !== undefined) {
    const tls = section(directory, 'tls');
    assignGiven(tls, {
      caFile: options.caFile === undefined ? undefined : resolve(options.caFile),
      serverName: options.serverName,
    });
  }
}

function applyPolicy(document: Json, options: AgentInitOptions): void {
  const policy = section(document, 'policy');
  assignGiven(policy, {
    domainDn: options.domain,
    allowedOus: options.allowedOu,
    indexedMatchAttributes: options.matchAttribute,
  });
}

async function applyConnection(serviceBus: Json, options: AgentInitOptions, secrets: SecretInput): Promise<void> {
  const connectionString = await secrets.fromFile(
    '--service-bus-connection-string-file',
    options.serviceBusConnectionStringFile,
  );
  if (connectionString) {
    serviceBus.connection = { connectionString };
    return;
  }
  const existing = isObject(serviceBus.connection) ? serviceBus.connection : undefined;
  const namespace = options.serviceBusNamespace ?? (existing?.namespace as string | undefined);
  if (namespace === undefined) {
    if (existing) return;
    const prompted = await secrets.prompt('Service Bus connection string: ');
    if (prompted) serviceBus.connection = { connectionString: prompted };
    return;
  }
  const connection: Json = { namespace };
  const principal: Json = isObject(existing?.clientSecret) ? { ...existing.clientSecret } : {};
  const secret = await secrets.fromFile('--client-secret-file', options.clientSecretFile);
  assignGiven(principal, { tenantId: options.tenantId, clientId: options.clientId, secret });
  if (principal.tenantId !== undefined && principal.secret === undefined)
    assignGiven(principal, { secret: await secrets.prompt('Client secret: ') });
  if (Object.keys(principal).length > 0) connection.clientSecret = principal;
  serviceBus.connection = connection;
}

/** A pinned key from `keyId=file.pem`; the algorithm is the key's own. */
async function pinnedKeyOf(spec: string): Promise<Json> {
  const at = spec.indexOf('=');
  if (at < 1) throw new AgentConfigError(`--signing-key ${spec}: expected keyId=file.pem`);
  const keyId = spec.slice(0, at);
  const file = spec.slice(at + 1);
  let publicKey: string;
  try {
    publicKey = await readFile(file, 'utf8');
  } catch (error) {
    throw new AgentConfigError(`--signing-key ${file}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
  let type: string | undefined;
  let curve: string | undefined;
  try {
    const key = createPublicKey(publicKey);
    type = key.asymmetricKeyType;
    curve = key.asymmetricKeyDetails?.namedCurve;
  } catch {
    throw new AgentConfigError(`--signing-key ${file}: not a PEM public key`);
  }
  const algorithm = type === 'ed25519' ? 'Ed25519' : type === 'ec' && curve === 'prime256v1' ? 'ES256' : undefined;
  if (!algorithm) throw new AgentConfigError(`--signing-key ${file}: expected an Ed25519 or P-256 (ES256) public key`);
  return { keyId, algorithm, publicKey: publicKey.trim() };
}

const RELAY_OPTIONS = [
  'agentId',
  'serviceBusConnectionStringFile',
  'serviceBusNamespace',
  'tenantId',
  'clientId',
  'clientSecretFile',
  'commandsQueue',
  'resultsQueue',
  'transport',
  'proxy',
  'serviceBusCaFile',
  'receivers',
  'journal',
  'signingKey',
] as const;

async function applyRelay(document: Json, options: AgentInitOptions, secrets: SecretInput): Promise<void> {
  const relay = section(document, 'relay');
  assignGiven(relay, { agentId: options.agentId, receivers: options.receivers });
  const serviceBus = section(relay, 'serviceBus');
  await applyConnection(serviceBus, options, secrets);
  assignGiven(serviceBus, {
    commandsQueue: options.commandsQueue,
    resultsQueue: options.resultsQueue,
    transport: options.transport,
    proxy: options.proxy,
    caFile: options.serviceBusCaFile === undefined ? undefined : resolve(options.serviceBusCaFile),
  });
  if (options.journal !== undefined) relay.journal = { path: resolve(options.journal) };
  if (options.signingKey) relay.signing = { publicKeys: await Promise.all(options.signingKey.map(pinnedKeyOf)) };
}

/** The document with every stored secret value masked, for the summary. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'value' && typeof value.value === 'string') return { value: MASK };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'publicKey' ? '(PEM)' : maskSecrets(v)]));
}

async function existingDocument(file: string, keyFile: string): Promise<AgentConfigDocument> {
  if (!(await fileExists(file))) return { document: {}, sealed: false };
  return readAgentConfigDocument(file, keyFile);
}

/** The configuration after the options: what was there, with what is given changed. */
async function updatedDocument(existing: unknown, options: AgentInitOptions, io: AgentCliIo): Promise<Json> {
  const document: Json = isObject(existing) ? structuredClone(existing) : {};
  const secrets = new SecretInput(io);
  await applyDirectory(document, options, secrets);
  applyPolicy(document, options);
  if (isObject(document.relay) || RELAY_OPTIONS.some((name) => options[name] !== undefined))
    await applyRelay(document, options, secrets);
  return document;
}

function checkStandalone(document: Json, file: string): void {
  const config = parseAgentConfig(document, file);
  const missing = [
    ...(config.directory ? [] : ['directory (--dc-url, --bind-dn, --bind-password-file)']),
    ...(config.relay ? [] : ['relay (--service-bus-…, --journal, --signing-key)']),
  ];
  if (missing.length > 0)
    throw new AgentConfigError(`${file} is invalid:\n${missing.map((m) => `  ${m}: required`).join('\n')}`);
}

export async function runAgentInit(options: AgentInitOptions, io: AgentCliIo): Promise<AgentExitCode> {
  const file = resolve(options.config);
  const keyFile = resolve(options.keyFile ?? defaultKeyFile(options.config));
  try {
    const existing = await existingDocument(file, keyFile);
    const document = await updatedDocument(existing.document, options, io);
    checkStandalone(document, file);
    await writeSealedAgentConfig(file, keyFile, document, { alreadySealed: existing.sealed });
    io.stdout(
      `wrote ${file} (sealed with AES-256-GCM; key ${keyFile})\n` +
        `${JSON.stringify(maskSecrets(document), null, 2)}\n`,
    );
    return AGENT_EXIT.ok;
  } catch (error) {
    if (!(error instanceof AgentConfigError)) throw error;
    io.stderr(`hr2ad-agent init: ${error.message}\n`);
    return AGENT_EXIT.invalidInput;
  }
}
