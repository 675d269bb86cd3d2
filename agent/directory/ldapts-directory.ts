import { Attribute, Change, Client } from 'ldapts';
import type { ConnectionOptions } from 'node:tls';
import type { Directory, DirectoryEntry, Modification, SearchRequest } from './directory.port';
import { isNoSuchObject, toDirectoryError } from './ldap-errors';
import { guidToString, sidToString } from './ad-binary';
import type { Logger } from '../../shared/ports/logger.port';

/** How the agent reaches the directory. TLS with certificate verification unless explicitly opted out. */
export interface LdapConnectionOptions {
  /** `ldaps://host:636` (default and recommended), or `ldap://host:389` with `startTls` or `allowPlaintext`. */
  url: string;
  bindDn: string;
  bindPassword: string;
  tls?: {
    /** PEM of the CA(s) that issued the DC's certificate; the system store is used when absent. */
    ca?: string;
    /** The name on the DC's certificate, when it differs from the URL's host. */
    serverName?: string;
    /** Default true. False accepts any certificate: explicit opt-in, logged at every connect. */
    verifyCertificate?: boolean;
  };
  /** Upgrade an `ldap://` connection with StartTLS. */
  startTls?: boolean;
  /** Allow an unencrypted `ldap://` connection. Explicit opt-in, logged at every connect; AD refuses passwords on it. */
  allowPlaintext?: boolean;
  /** Per-operation timeout (default 30 s). */
  operationTimeoutMs?: number;
  /** TCP/TLS connect timeout (default 10 s). */
  connectTimeoutMs?: number;
}

const BINARY_ATTRIBUTES = ['objectGUID', 'objectSid', 'tokenGroups'];
const PAGE_SIZE = 500;

function decodeBinary(name: string, value: Buffer): string {
  if (name === 'objectguid') return guidToString(value);
  return sidToString(value);
}

function toEntry(raw: Record<string, unknown>): DirectoryEntry {
  const attributes: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'dn') continue;
    const name = key.toLowerCase();
    const values = Array.isArray(value) ? value : [value];
    attributes[name] = values.map((v) => (Buffer.isBuffer(v) ? decodeBinary(name, v) : String(v)));
  }
  return { dn: String(raw.dn), attributes };
}

/**
 * The directory port over ldapts: one multiplexed connection, bound lazily and rebuilt after a
 * connection failure so the next operation reconnects.
 */
export class LdaptsDirectory implements Directory {
  private client: Client | undefined;
  private binding: Promise<Client> | undefined;

  constructor(
    private readonly options: LdapConnectionOptions,
    private readonly logger: Logger,
  ) {
    const url = new URL(options.url);
    if (url.protocol !== 'ldaps:' && url.protocol !== 'ldap:') {
      throw new Error(`directory url must be ldaps:// or ldap://, got ${url.protocol}`);
    }
    if (url.protocol === 'ldap:' && !options.startTls && !options.allowPlaintext) {
      throw new Error(
        'directory url is plain ldap://: set startTls, or allowPlaintext to accept an unencrypted connection',
      );
    }
  }

  private tlsOptions(): ConnectionOptions {
    // A fresh object every time: ldapts' startTLS mutates the options it is given.
    const tls = this.options.tls ?? {};
    const verify = tls.verifyCertificate !== false;
    return {
      minVersion: 'TLSv1.2',
      rejectUnauthorized: verify,
      ...(tls.ca ? { ca: [tls.ca] } : {}),
      ...(tls.serverName ? { servername: tls.serverName } : {}),
    };
  }

  private async connect(): Promise<Client> {
    const secure = this.options.url.startsWith('ldaps:');
    if (this.options.tls?.verifyCertificate === false && (secure || this.options.startTls)) {
      this.logger.warn(
        'directory TLS certificate verification is DISABLED by configuration: the connection can be intercepted',
        { url: this.options.url },
      );
    }
    if (!secure && !this.options.startTls) {
      this.logger.warn(
        'directory connection is UNENCRYPTED by configuration (allowPlaintext): credentials and data travel in clear text',
        { url: this.options.url },
      );
    }
    const client = new Client({
      url: this.options.url,
      timeout: this.options.operationTimeoutMs ?? 30_000,
      connectTimeout: this.options.connectTimeoutMs ?? 10_000,
      strictDN: false,
      ...(secure ? { tlsOptions: this.tlsOptions() } : {}),
    });
    try {
      if (!secure && this.options.startTls) await client.startTLS(this.tlsOptions());
      await client.bind(this.options.bindDn, this.options.bindPassword);
    } catch (error) {
      await client.unbind().catch(() => undefined);
      throw toDirectoryError(error, `bind to ${this.options.url} as ${this.options.bindDn}`);
    }
    return client;
  }

  private async bound(): Promise<Client> {
    if (this.client?.isConnected) return this.client;
    this.binding ??= this.connect().then(
      (client) => {
        this.client = client;
        this.binding = undefined;
        return client;
      },
      (error: unknown) => {
        this.binding = undefined;
        throw error;
      },
    );
    return this.binding;
  }

  /** Runs one operation; a transport failure drops the connection so the next call starts afresh. */
  private async run<T>(what: string, op: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.bound();
    try {
      return await op(client);
    } catch (error) {
      const classified = toDirectoryError(error, what);
      if (classified.code === 'ConnectionFailed' || classified.code === 'Timeout') {
        this.client = undefined;
        await client.unbind().catch(() => undefined);
      }
      throw classified;
    }
  }

  async search(request: SearchRequest): Promise<DirectoryEntry[]> {
    try {
      return await this.run(`search ${request.base}`, async (client) => {
        const { searchEntries } = await client.search(request.base, {
          scope: request.scope,
          filter: request.filter,
          attributes: [...request.attributes],
          explicitBufferAttributes: BINARY_ATTRIBUTES,
          ...(request.scope === 'base' ? {} : { paged: { pageSize: PAGE_SIZE } }),
          ...(request.sizeLimit ? { sizeLimit: request.sizeLimit } : {}),
        });
        return searchEntries.map((e) => toEntry(e as unknown as Record<string, unknown>));
      });
    } catch (error) {
      // A missing base is an empty answer for the applier, which asks "does this exist?" this way.
      if (isNoSuchObject(error)) return [];
      throw error;
    }
  }

  async add(dn: string, attributes: Readonly<Record<string, readonly string[]>>): Promise<void> {
    const list = Object.entries(attributes)
      .filter(([, values]) => values.length > 0)
      .map(([type, values]) => new Attribute({ type, values: [...values] }));
    await this.run(`add ${dn}`, (client) => client.add(dn, list));
  }

  async modify(dn: string, modifications: readonly Modification[]): Promise<void> {
    const changes = modifications.map((m) => {
      if (m.operation === 'setPassword') {
        // AD takes a password as the UTF-16LE bytes of the password in double quotes, over TLS only.
        const encoded = Buffer.from(`"${m.password}"`, 'utf16le');
        return new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'unicodePwd', values: [encoded] }),
        });
      }
      const values = m.operation === 'delete' ? [...(m.values ?? [])] : [...m.values];
      return new Change({ operation: m.operation, modification: new Attribute({ type: m.attribute, values }) });
    });
    const what = modifications.some((m) => m.operation === 'setPassword')
      ? `set password of ${dn}`
      : `modify ${modifications.map((m) => (m.operation === 'setPassword' ? 'unicodePwd' : m.attribute)).join(', ')} of ${dn}`;
    await this.run(what, (client) => client.modify(dn, changes));
  }

  async move(dn: string, newDn: string): Promise<void> {
    await this.run(`move ${dn} to ${newDn}`, (client) => client.modifyDN(dn, newDn));
  }

  async delete(dn: string): Promise<void> {
    await this.run(`delete ${dn}`, (client) => client.del(dn));
  }

  async highestCommittedUsn(): Promise<bigint> {
    return this.run('read rootDSE', async (client) => {
      const { searchEntries } = await client.search('', {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['highestCommittedUSN'],
      });
      const value = searchEntries[0]?.highestCommittedUSN;
      return BigInt(String(Array.isArray(value) ? value[0] : (value ?? '0')));
    });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.unbind().catch(() => undefined);
  }
}
