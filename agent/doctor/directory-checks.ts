/**
 * The doctor's directory checks, through ldapts directly (the applier's port hides what the doctor must
 * show: certificates, result codes, the schema): the TLS handshake and certificate chain, the bind, the
 * rights in each OU the agent acts in (a probe user created, changed, moved and deleted — always cleaned
 * up), whether the match attributes are indexed, and the clock against the DC.
 */
import { randomBytes } from 'node:crypto';
import { connect as tlsConnect, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { Attribute, Change, Client, EqualityFilter, InvalidCredentialsError } from 'ldapts';
import type { AgentConfig } from '../config/agent-config';
import { clockSkewVerdict, fail, oneLine, pass, warn, type CheckResult } from './check';

type DirectorySettings = NonNullable<AgentConfig['directory']>;

/** The directory settings with the files they name read (CA) and the secret resolved. */
export interface DirectoryTarget {
  readonly settings: DirectorySettings;
  readonly bindPassword: string;
  readonly ca?: string;
}

function tlsOptions(target: DirectoryTarget): ConnectionOptions {
  const { tls } = target.settings;
  return {
    minVersion: 'TLSv1.2',
    rejectUnauthorized: tls.verifyCertificate,
    ...(target.ca ? { ca: [target.ca] } : {}),
    ...(tls.serverName ? { servername: tls.serverName } : {}),
  };
}

function hostAndPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || (parsed.protocol === 'ldaps:' ? 636 : 389)) };
}

function describeCertificate(cert: PeerCertificate): string {
  const name = (n: PeerCertificate['subject'] | undefined) => n?.CN ?? JSON.stringify(n ?? {});
  return `subject ${name(cert.subject)}, issuer ${name(cert.issuer)}, expires ${new Date(cert.valid_to).toISOString()}`;
}

const CERTIFICATE = 'LDAPS certificate';

/** A TLS handshake with the DC, verifying as configured; shows the certificate it presented. */
export async function checkLdapsCertificate(target: DirectoryTarget): Promise<CheckResult> {
  const { url, tls, connectTimeoutMs } = target.settings;
  if (!url.startsWith('ldaps:'))
    return warn(
      CERTIFICATE,
      `${url} is not LDAPS`,
      'use ldaps://<dc>:636 so the connection is encrypted from the start',
    );
  const { host, port } = hostAndPort(url);
  return new Promise((resolve) => {
    const socket = tlsConnect({ host, port, ...tlsOptions(target), timeout: connectTimeoutMs }, () => {
      const cert = socket.getPeerCertificate();
      const detail = describeCertificate(cert);
      socket.destroy();
      const daysLeft = (Date.parse(cert.valid_to) - Date.now()) / 86_400_000;
      if (!tls.verifyCertificate)
        resolve(warn(CERTIFICATE, `${detail}; NOT verified`, 'set directory.tls.verifyCertificate to true'));
      else if (daysLeft < 30)
        resolve(warn(CERTIFICATE, `${detail}; expires in ${Math.floor(daysLeft)} days`, 'renew the DC certificate'));
      else resolve(pass(CERTIFICATE, `${detail}; verified`));
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(
        fail(
          CERTIFICATE,
          `${host}:${port}: no answer in ${connectTimeoutMs} ms`,
          'check the DC address, port and firewall',
        ),
      );
    });
    socket.on('error', (error) => resolve(certificateFailure(target, host, port, error)));
  });
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

function certificateFailure(target: DirectoryTarget, host: string, port: number, error: Error): CheckResult {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const detail = `${host}:${port}: ${oneLine(error)}`;
  if (UNTRUSTED.has(code))
    return fail(
      CERTIFICATE,
      detail,
      `set directory.tls.caFile to the CA that issued the DC certificate${target.ca ? ' (the one configured did not)' : ''}`,
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return fail(CERTIFICATE, detail, 'set directory.tls.serverName to the name on the DC certificate');
  if (code === 'CERT_HAS_EXPIRED') return fail(CERTIFICATE, detail, 'renew the DC certificate');
  return fail(CERTIFICATE, detail, 'check the DC address and port, and that it serves LDAPS');
}

const BIND = 'directory bind';

/** Binds as the configured account; the client stays bound for the checks that follow. */
export async function bindClient(target: DirectoryTarget): Promise<{ client?: Client; result: CheckResult }> {
  const { settings } = target;
  const secure = settings.url.startsWith('ldaps:');
  const client = new Client({
    url: settings.url,
    timeout: settings.operationTimeoutMs,
    connectTimeout: settings.connectTimeoutMs,
    strictDN: false,
    ...(secure ? { tlsOptions: tlsOptions(target) } : {}),
  });
  try {
    if (!secure && settings.startTls) await client.startTLS(tlsOptions(target));
    await client.bind(settings.bindDn, target.bindPassword);
    return { client, result: pass(BIND, `bound to ${settings.url} as ${settings.bindDn}`) };
  } catch (error) {
    await client.unbind().catch(() => undefined);
    const remedy =
      error instanceof InvalidCredentialsError
        ? 'InvalidCredentials: check directory.bindDn and the bind password (hr2ad-agent init --bind-password-file -), and that the account is enabled and its password not expired'
        : 'check the DC address, TLS settings and that the account may bind';
    return { result: fail(BIND, `as ${settings.bindDn}: ${oneLine(error)}`, remedy) };
  }
}

interface RootDse {
  readonly currentTime?: string;
  readonly schemaNamingContext?: string;
}

export async function readRootDse(client: Client): Promise<RootDse> {
  const { searchEntries } = await client.search('', {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: ['currentTime', 'schemaNamingContext'],
  });
  const entry: Record<string, unknown> = searchEntries[0] ?? {};
  const text = (v: unknown) => (v === undefined ? undefined : String(Array.isArray(v) ? v[0] : v));
  return { currentTime: text(entry.currentTime), schemaNamingContext: text(entry.schemaNamingContext) };
}

/** An LDAP GeneralizedTime (`20250102030405.0Z`) as a date. */
export function parseGeneralizedTime(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,]\d+)?Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

const DC_CLOCK = 'clock against the DC';

export async function checkDcClock(client: Client, now: () => Date): Promise<CheckResult> {
  const before = now().getTime();
  const rootDse = await readRootDse(client);
  const after = now().getTime();
  const dcTime = rootDse.currentTime ? parseGeneralizedTime(rootDse.currentTime) : undefined;
  if (!dcTime)
    return warn(DC_CLOCK, 'the DC did not give its currentTime', 'compare the clocks by hand (w32tm /stripchart)');
  // The DC's time has one-second resolution: compare with the middle of the round trip.
  const skew = (before + after) / 2 - dcTime.getTime();
  return clockSkewVerdict(
    DC_CLOCK,
    Math.abs(skew) < 1000 ? 0 : skew,
    'the DC',
    'synchronise this machine with the domain time (NTP / w32time)',
  );
}

const DEFAULT_MATCH_ATTRIBUTES = ['employeeID', 'employeeNumber'];

/** Whether each match attribute is indexed (searchFlags bit 1); WARN only: the agent keeps its own index. */
export async function checkMatchAttributesIndexed(client: Client, config: AgentConfig): Promise<CheckResult> {
  const name = 'match attributes indexed';
  const attributes = config.policy.indexedMatchAttributes ?? DEFAULT_MATCH_ATTRIBUTES;
  const { schemaNamingContext } = await readRootDse(client);
  if (!schemaNamingContext)
    return warn(name, 'the DC did not name its schema', 'check the account may read the rootDSE');
  const notIndexed: string[] = [];
  for (const attribute of attributes) {
    const { searchEntries } = await client.search(schemaNamingContext, {
      scope: 'one',
      filter: new EqualityFilter({ attribute: 'lDAPDisplayName', value: attribute }),
      attributes: ['searchFlags'],
    });
    const flags = Number(searchEntries[0]?.searchFlags ?? 0);
    if ((flags & 1) === 0) notIndexed.push(attribute);
  }
  if (notIndexed.length === 0) return pass(name, `${attributes.join(', ')} indexed`);
  return warn(
    name,
    `${notIndexed.join(', ')} not indexed in the schema`,
    `index ${notIndexed.join(', ')} (Active Directory Schema snap-in: "Index this attribute", searchFlags bit 1) for faster matching; until then the agent keeps its own index`,
  );
}

/** The RDN value of a probe: random, recognisable, and a valid sAMAccountName (20 characters at most). */
function probeName(): string {
  return `hr2ad-doctor-${randomBytes(3).toString('hex')}`;
}

export const PROBE_PREFIX = 'hr2ad-doctor-';

interface ProbeState {
  /** Where the probe is now; undefined once deleted (or never created). */
  dn?: string;
  step: string;
}

/** Walks a probe user through create, modify, move (or rename) and delete in `ou`. */
async function walkProbe(client: Client, ou: string, moveTo: string | undefined, state: ProbeState): Promise<void> {
  const probe = probeName();
  state.step = 'create a user';
  const created = `CN=${probe},${ou}`;
  await client.add(created, {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: probe,
    // 514: a normal account, disabled — it can never be signed in with.
    userAccountControl: '514',
  });
  state.dn = created;
  state.step = 'modify it';
  const description = new Attribute({ type: 'description', values: ['hr2ad doctor probe'] });
  await client.modify(created, new Change({ operation: 'replace', modification: description }));
  state.step = moveTo ? `move it to ${moveTo}` : 'rename it';
  const target = moveTo ? `CN=${probe},${moveTo}` : `CN=${probe}-renamed,${ou}`;
  await client.modifyDN(created, target);
  state.dn = target;
  state.step = 'delete it';
  await client.del(target);
  state.dn = undefined;
}

/**
 * Creates a disabled probe user in `ou`, modifies it, moves it to `moveTo` (or renames it in `ou`), and
 * deletes it. Deletion is attempted again wherever the probe is when a step fails, so nothing is left
 * behind; a probe that still cannot be deleted is named in the result.
 */
export async function checkOuRights(
  client: Client,
  ou: string,
  moveTo: string | undefined,
  bindDn: string,
): Promise<CheckResult> {
  const name = `rights in ${ou}`;
  const state: ProbeState = { step: 'create a user' };
  let result: CheckResult;
  try {
    await walkProbe(client, ou, moveTo, state);
    result = pass(name, `created, modified, ${moveTo ? `moved to ${moveTo}` : 'renamed'} and deleted a probe user`);
  } catch (error) {
    result = fail(
      name,
      `could not ${state.step}: ${oneLine(error)}`,
      `delegate to ${bindDn} on ${ou}: create and delete user objects, write their properties (Delegation of Control: "Create, delete, and manage user accounts")`,
    );
  } finally {
    const left = state.dn;
    if (left)
      await client.del(left).then(
        () => (state.dn = undefined),
        () => undefined,
      );
  }
  if (!state.dn) return result;
  return { ...result, detail: `${result.detail}; the probe ${state.dn} could not be deleted: delete it by hand` };
}
