/**
 * hr2ad-agent doctor against the Samba DC and a test Service Bus broker:
 *
 *   setup                                   | expected
 *   ----------------------------------------|---------------------------------------------------------
 *   healthy (admin, CA, two OUs, broker)    | no FAIL: Service Bus, LDAPS, bind, both OUs' rights, DC clock PASS
 *   wrong bind password                     | bind FAIL, remedy names InvalidCredentials; rights SKIP
 *   no caFile, verification on              | LDAPS FAIL, remedy "set directory.tls.caFile …"
 *   a user with no rights in an OU          | that OU's rights FAIL with the delegation remedy
 *   wrong Service Bus port                  | Service Bus listen FAIL with a remedy
 *
 * After every run, no probe object (hr2ad-doctor-…) is left anywhere in the domain.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, type Client } from 'ldapts';
import { parseAgentConfig, type AgentConfig } from '../../../agent/config/agent-config';
import type { CheckResult } from '../../../agent/doctor/check';
import { runDoctor } from '../../../agent/doctor/run-doctor';
import { createServiceBusClient } from '../../../agent/relay/service-bus-client';
import { childDn } from '../../../shared/directory/dn';
import { runAgent } from '../cli/agent-cli';
import { openDirectorySuite, type DirectorySuite } from '../../harness/directory-suite';
import { dcConnection } from '../../harness/samba-dc';
import { startBroker, type RunningBroker } from '../../harness/service-bus/broker';

let s: DirectorySuite;
let broker: RunningBroker;
let dir: string;
const LOW_USER_PASSWORD = 'Low-Priv-2025!x';
/** A relay section needs a pinned key to be valid; the doctor does not use it. */
const PINNED_KEY = {
  keyId: 'doctor-test',
  algorithm: 'Ed25519',
  publicKey: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
};

beforeAll(async () => {
  s = await openDirectorySuite('Doctor');
  await s.addOus('Staff', 'Leavers');
  dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  broker = await startBroker({
    queues: [{ name: 'hr2ad-commands', requiresSession: true }, { name: 'hr2ad-results' }],
  });
  await addEnabledUser(s.client, childDn('CN', 'doctor-low', s.root), 'doctor-low', LOW_USER_PASSWORD);
});

afterAll(async () => {
  await broker?.close();
  await s?.close();
});

async function addEnabledUser(client: Client, dn: string, sam: string, password: string): Promise<void> {
  await client.add(dn, [
    new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
    new Attribute({ type: 'sAMAccountName', values: [sam] }),
    new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${password}"`, 'utf16le')] }),
    new Attribute({ type: 'userAccountControl', values: ['512'] }),
  ]);
}

function secretFile(name: string, value: string): string {
  const file = join(dir, name);
  writeFileSync(file, value, { mode: 0o600 });
  return file;
}

interface Setup {
  bindDn?: string;
  passwordFile?: string;
  caFile?: string | null;
  serviceBus?: string | null;
}

function configFor(setup: Setup = {}): AgentConfig {
  const dc = dcConnection();
  const caFile = setup.caFile === undefined ? dc.caFile : setup.caFile;
  const connectionString = setup.serviceBus === undefined ? broker.connectionString : setup.serviceBus;
  return parseAgentConfig({
    directory: {
      url: dc.url,
      bindDn: setup.bindDn ?? dc.bindDn,
      bindPassword: { file: setup.passwordFile ?? dc.passwordFile },
      tls: { serverName: dc.serverName, ...(caFile ? { caFile } : {}) },
      connectTimeoutMs: 3_000,
      operationTimeoutMs: 15_000,
    },
    policy: { domainDn: s.domainDn, allowedOus: [s.ou('Staff')] },
    ...(connectionString
      ? {
          relay: {
            serviceBus: { connection: { connectionString: { value: connectionString } } },
            signing: { publicKeys: [PINNED_KEY] },
            journal: { path: join(dir, 'journal.sqlite') },
          },
        }
      : {}),
  });
}

async function doctor(config: AgentConfig, extraOus: string[] = [s.ou('Leavers')]): Promise<CheckResult[]> {
  return runDoctor(config, {
    readers: { readFile: (path) => readFileSync(path, 'utf8'), env: {} },
    now: () => new Date(),
    extraOus,
    serviceBusClient: createServiceBusClient,
  });
}

function named(results: CheckResult[], name: string): CheckResult {
  const found = results.find((r) => r.name === name);
  if (!found) throw new Error(`no check named ${name} in ${results.map((r) => r.name).join(', ')}`);
  return found;
}

async function probesLeft(): Promise<string[]> {
  const { searchEntries } = await s.client.search(s.domainDn, {
    scope: 'sub',
    filter: '(|(cn=hr2ad-doctor-*)(sAMAccountName=hr2ad-doctor-*))',
    attributes: ['dn'],
  });
  return searchEntries.map((e) => e.dn);
}

afterEach(async () => {
  expect(await probesLeft()).toEqual([]);
});

describe('hr2ad-agent doctor', () => {
  it('passes every check on a healthy setup (match attributes may only warn)', async () => {
    const results = await doctor(configFor());
    expect(results.filter((r) => r.verdict === 'FAIL')).toEqual([]);
    for (const name of [
      'Service Bus listen (commands queue)',
      'Service Bus send (results queue)',
      'LDAPS certificate',
      'directory bind',
      `rights in ${s.ou('Staff')}`,
      `rights in ${s.ou('Leavers')}`,
      'clock against the DC',
    ])
      expect(named(results, name).verdict).toBe('PASS');
    expect(named(results, `rights in ${s.ou('Staff')}`).detail).toContain(`moved to ${s.ou('Leavers')}`);
    expect(named(results, 'LDAPS certificate').detail).toMatch(/subject .*, issuer .*, expires \d{4}-/);
    expect(['PASS', 'WARN']).toContain(named(results, 'match attributes indexed').verdict);
    // The test broker stamps a scheduled message with its scheduled time: nothing to measure from.
    expect(['PASS', 'SKIP']).toContain(named(results, 'clock against Service Bus').verdict);
  });

  it('renames the probe within the OU when only one OU is checked', async () => {
    const results = await doctor(configFor(), []);
    expect(named(results, `rights in ${s.ou('Staff')}`)).toMatchObject({ verdict: 'PASS' });
    expect(named(results, `rights in ${s.ou('Staff')}`).detail).toContain('renamed');
  });

  it('fails the bind on a wrong password, with the InvalidCredentials remedy, and skips what needs it', async () => {
    const results = await doctor(configFor({ passwordFile: secretFile('wrong', 'not-the-password') }));
    const bind = named(results, 'directory bind');
    expect(bind.verdict).toBe('FAIL');
    expect(bind.remedy).toContain('InvalidCredentials');
    expect(bind.detail).not.toContain('not-the-password');
    expect(named(results, 'rights, schema, clock').verdict).toBe('SKIP');
  });

  it('fails LDAPS on a certificate not trusted (no caFile, verification on), remedy naming directory.tls.caFile', async () => {
    const results = await doctor(configFor({ caFile: null }));
    const certificate = named(results, 'LDAPS certificate');
    expect(certificate.verdict).toBe('FAIL');
    expect(certificate.remedy).toContain('set directory.tls.caFile to the CA that issued');
  });

  it('fails the rights of an OU the account may not write in, and leaves nothing behind', async () => {
    const results = await doctor(
      configFor({
        bindDn: childDn('CN', 'doctor-low', s.root),
        passwordFile: secretFile('low', LOW_USER_PASSWORD),
      }),
    );
    expect(named(results, 'directory bind').verdict).toBe('PASS');
    const rights = named(results, `rights in ${s.ou('Staff')}`);
    expect(rights.verdict).toBe('FAIL');
    expect(rights.detail).toContain('could not create a user');
    expect(rights.remedy).toContain(`delegate to ${childDn('CN', 'doctor-low', s.root)} on ${s.ou('Staff')}`);
  });

  it('fails the Service Bus check on a wrong port, with a remedy', async () => {
    const wrongPort = broker.connectionString.replace(/:(\d+)(?=[/;])/, ':1');
    expect(wrongPort).not.toBe(broker.connectionString);
    const results = await doctor(configFor({ serviceBus: wrongPort }));
    const listen = named(results, 'Service Bus listen (commands queue)');
    expect(listen.verdict).toBe('FAIL');
    expect(listen.remedy).toMatch(/outbound TCP/);
  });

  it('exits 3 through the command line when a check fails, printing FAIL and the remedy', async () => {
    const config = join(dir, 'plain-agent.json');
    const document = { ...configFor({ passwordFile: secretFile('wrong2', 'nope'), serviceBus: null }) };
    writeFileSync(config, JSON.stringify(document));
    const result = await runAgent(['doctor', '--config', config]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^FAIL {2}directory bind: .*\n {6}remedy: InvalidCredentials/m);
  });
});
