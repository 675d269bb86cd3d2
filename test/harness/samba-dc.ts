import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { LdaptsDirectory, type LdapConnectionOptions } from '../../agent/directory/ldapts-directory';
import { silentLogger } from '../../agent/logging/silent-logger';
import { dcConnectionOptions, readDcConnection, type DcConnection } from '../../agent/demo/dc-connection';

const root = resolve(__dirname, '../..');
export const dcScript = join(root, 'scripts/samba-dc.sh');
const dcDir = process.env.HR2AD_DC_DIR ?? join(root, '.data/samba-dc');

export type { DcConnection };

export function dcConnection(): DcConnection {
  return readDcConnection(join(dcDir, 'connection.json'));
}

/** Held by the suite that is using the DC; jest may run suites in parallel workers, the DC is one. */
export const dcLock = join(dcDir, '..', `${basename(dcDir)}.suite-lock`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until no other suite holds the DC, then holds it. */
export async function acquireDc(timeoutMs = 600_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dcLock);
      return () => rmSync(dcLock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) throw new Error(`the Samba DC stayed busy for ${timeoutMs / 1000} s (lock ${dcLock})`);
      await sleep(100);
    }
  }
}

/** Restores the DC to its freshly provisioned state (about half a second). */
export function resetDc(): void {
  execFileSync('bash', [dcScript, 'reset'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function stopDc(): void {
  execFileSync('bash', [dcScript, 'down'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function startDc(): void {
  execFileSync('bash', [dcScript, 'start'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function connectionOptions(overrides: Partial<LdapConnectionOptions> = {}): LdapConnectionOptions {
  return {
    ...dcConnectionOptions(dcConnection()),
    operationTimeoutMs: 15_000,
    connectTimeoutMs: 3_000,
    ...overrides,
  };
}

export function adminDirectory(overrides: Partial<LdapConnectionOptions> = {}): LdaptsDirectory {
  return new LdaptsDirectory(connectionOptions(overrides), silentLogger);
}

/** A raw ldapts client for setting up fixtures and reading the directory back in assertions. */
export async function rawClient(): Promise<Client> {
  const c = dcConnection();
  const client = new Client({
    url: c.url,
    strictDN: false,
    tlsOptions: { ca: [readFileSync(c.caFile, 'utf8')], servername: c.serverName },
  });
  await client.bind(c.bindDn, readFileSync(c.passwordFile, 'utf8'));
  return client;
}

export async function addOu(client: Client, dn: string): Promise<void> {
  await client.add(dn, { objectClass: ['top', 'organizationalUnit'] });
}

export async function addGroup(client: Client, dn: string, name: string): Promise<void> {
  await client.add(dn, { objectClass: ['top', 'group'], sAMAccountName: name, groupType: '-2147483646' });
}

export async function addMember(client: Client, groupDn: string, memberDn: string): Promise<void> {
  await client.modify(
    groupDn,
    new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [memberDn] }) }),
  );
}

export async function setAttribute(client: Client, dn: string, type: string, values: string[]): Promise<void> {
  await client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type, values }) }));
}

/** Reads one entry back (lower-cased attribute names, every value as a list), or undefined. */
export async function readEntry(
  client: Client,
  base: string,
  attributes: string[] = ['*'],
): Promise<Record<string, string[]> | undefined> {
  try {
    const { searchEntries } = await client.search(base, {
      scope: 'base',
      attributes,
      explicitBufferAttributes: ['objectGUID'],
    });
    const entry = searchEntries[0];
    if (!entry) return undefined;
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(entry)) {
      const list = Array.isArray(v) ? v : [v];
      out[k.toLowerCase()] = list.map((x) => (Buffer.isBuffer(x) ? x.toString('hex') : String(x)));
    }
    return out;
  } catch (error) {
    if ((error as { code?: number }).code === 32) return undefined;
    throw error;
  }
}

/** Users under a subtree, with the given attributes. */
export async function usersUnder(
  client: Client,
  base: string,
  attributes: string[],
): Promise<Array<Record<string, string[]>>> {
  const { searchEntries } = await client.search(base, {
    scope: 'sub',
    filter: '(&(objectCategory=person)(objectClass=user))',
    attributes,
    paged: { pageSize: 500 },
  });
  return searchEntries.map((e) => {
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(e)) out[k.toLowerCase()] = (Array.isArray(v) ? v : [v]).map(String);
    return out;
  });
}
