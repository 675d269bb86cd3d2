/**
 * The Azure composition root end to end: the ports `buildAzurePorts` builds from app settings — state in
 * Cosmos DB (the test server, over TLS), the signing key in Key Vault (the HTTPS stand-in), commands to
 * Service Bus on a namespace with a credential (the test broker, over WebSockets) — registered with
 * `registerControlPlane` and run by the local Functions host, with a real `hr2ad-agent` process applying
 * the commands to the Samba DC. A joiner, a mover and a leaver, as in the relay's end-to-end test; and a
 * SCIM bulk request with a token from an OpenID Connect issuer (the test issuer, as Entra ID would sign
 * it), kept in Cosmos DB's ingest containers and applied through the relay. And an HR system read through
 * its connector (BambooHR's fake) with its API key in Key Vault.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SecretClient } from '@azure/keyvault-secrets';
import cosmosServer from '@vercel/cosmosdb-server';
import type { Client } from 'ldapts';
import { generateSigningKey, pinFor } from '../../../functions/adapters/signing/signing-keys';
import { registerControlPlane } from '../../../functions/app/register-app';
import { readAppSettings } from '../../../functions/azure/app-settings';
import { buildAzurePorts, type AzurePorts } from '../../../functions/azure/azure-ports';
import { SqliteDurableEngine } from '../../../functions/local-host/durable/sqlite-durable-engine';
import { LocalFunctionsHost } from '../../../functions/local-host/functions-host/local-functions-host';
import { VirtualClock } from '../../../functions/local-host/virtual-clock';
import { captureFresh } from '../../harness/functions-core-mock';
import { auditWatch, startRelayAgent } from '../e2e/fixtures/relay-env';
import { startKeyVault, type KeyVaultStandIn } from '../../harness/key-vault';
import { standInClientOptions, standInCredential } from '../../harness/key-vault/clients';
import { AgentProcess } from '../../harness/relay/agent-process';
import { acquireDc, rawClient, resetDc } from '../../harness/samba-dc';
import { startBroker, type RunningBroker } from '../../harness/service-bus/broker';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../../harness/oidc';
import { BambooHrDriver } from '../sources/connectors/bamboohr/bamboohr-driver';
import { contractPerson } from '../sources/connectors/contract/connector-contract';
import {
  auditOf,
  createOus,
  csvOf,
  disabledOu,
  mustAccountOf,
  officeOu,
  parentOf,
  SOURCE,
  testLogger,
  writeConfigDir,
  type ConfigDir,
  type Row,
} from '../e2e/fixtures/e2e-env';

jest.setTimeout(120_000);

const FUNCTION_KEY = 'azure-root-test-key';
const key = generateSigningKey('Ed25519');
const clock = new VirtualClock(new Date());
const today = new Date().toISOString().slice(0, 10);
const ada: Row = { id: 'E1001', first: 'Ada', last: 'Lovelace', location: 'London', start: '2020-01-06' };

let release: () => void;
let ldap: Client;
let broker: RunningBroker;
let vault: KeyVaultStandIn;
let cosmos: ReturnType<typeof cosmosServer>;
let dir: ConfigDir;
let azure: AzurePorts;
let host: LocalFunctionsHost;
let engine: SqliteDurableEngine;
let agent: AgentProcess;
let issuer: TestIssuer;
const bamboo = new BambooHrDriver();

async function startCosmos(): Promise<string> {
  cosmos = cosmosServer();
  await new Promise<void>((resolve) => cosmos.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(cosmos.address() as AddressInfo).port}`;
}

/** The signing key stored as `hr2ad signing-key rotate` stores it, in the vault the app reads. */
async function storeSigningKey(): Promise<void> {
  const secrets = new SecretClient(vault.url, standInCredential(), standInClientOptions(vault));
  await secrets.setSecret('command-signing-key', JSON.stringify({ ...key, publicKeyPem: undefined }));
}

function startAgent(): void {
  agent = startRelayAgent(dir.dir, broker.connectionString, pinFor(key), 'azure-root-agent');
}

async function startApp(cosmosEndpoint: string): Promise<void> {
  const namespace = new URL(broker.wsConnectionString!.replace(/^Endpoint=sb:/, 'http:').split(';')[0]!).host;
  const settings = readAppSettings({
    ServiceBusConnection__fullyQualifiedNamespace: namespace,
    HR2AD_SERVICE_BUS_WEBSOCKETS: 'true',
    HR2AD_COSMOS_ENDPOINT: cosmosEndpoint,
    HR2AD_KEY_VAULT_URL: vault.url,
    HR2AD_CONFIG: 'hr2ad.config.json',
  });
  const logger = testLogger();
  azure = buildAzurePorts(settings, dir.dir, {
    credential: standInCredential(),
    cosmosClientOptions: {
      agent: new Agent({ rejectUnauthorized: false }),
      connectionPolicy: { enableEndpointDiscovery: false },
    },
    keyVaultClientOptions: standInClientOptions(vault),
    serviceBusClientOptions: { webSocketOptions: { webSocketConstructorOptions: { ca: broker.certPem } } },
    clock,
    logger,
    tokenIssuerCa: issuer.certPem,
  });
  const app = await captureFresh(() => registerControlPlane(azure.ports));
  host = await LocalFunctionsHost.load({
    app,
    engineFactory: (invoker) => {
      engine = new SqliteDurableEngine({ databasePath: join(dir.dir, 'durable.db'), invoker, clock, logger });
      return engine;
    },
    clock,
    logger,
    functionKey: FUNCTION_KEY,
    httpPort: 0,
    realTimers: false,
    // The Functions host's own connection for the results trigger (in Azure, the namespace and the identity).
    settings: { ServiceBusConnection: broker.connectionString },
  });
  await host.start();
  await host.timers.stop();
}

beforeAll(async () => {
  release = await acquireDc();
  resetDc();
  ldap = await rawClient();
  await createOus(ldap);
  broker = await startBroker({
    queues: [{ name: 'hr2ad-commands', requiresSession: true }, { name: 'hr2ad-results' }],
    wsPort: 0,
  });
  vault = await startKeyVault();
  await storeSigningKey();
  await bamboo.start();
  bamboo.hire(contractPerson('3001', { first: 'Katherine', last: 'Johnson', location: 'New York' }));
  const bambooSource = bamboo.configuration('hr-bamboo', 'bamboo');
  const vaultSecrets = new SecretClient(vault.url, standInCredential(), standInClientOptions(vault));
  for (const [name, value] of Object.entries(bambooSource.secrets)) await vaultSecrets.setSecret(name, value);
  const cosmosEndpoint = await startCosmos();
  issuer = await startTestIssuer();
  dir = writeConfigDir({
    csv: csvOf([ada]),
    lifecycle: { resultTimeoutSeconds: 60 },
    configure: (config) => ({
      ...config,
      sources: [
        ...(config.sources as unknown[]),
        { id: 'hr-scim', kind: 'scim', source: SOURCE },
        bambooSource.settings,
      ],
      ingest: { auth: { kind: 'oidc', issuer: issuer.issuer, audience: TEST_AUDIENCE } },
    }),
  });
  startAgent();
  await startApp(cosmosEndpoint);
});

afterAll(async () => {
  await host?.stop();
  await azure?.close();
  await agent?.kill('SIGTERM');
  await broker?.close();
  await vault?.close();
  await issuer?.close();
  await bamboo.close();
  await new Promise((resolve) => (cosmos ? cosmos.close(resolve) : resolve(undefined)));
  await ldap?.unbind().catch(() => undefined);
  dir?.remove();
  release?.();
});

const { auditedAfter, auditedUntil, syncUntilAudited } = auditWatch(
  () => host.url,
  () => FUNCTION_KEY,
  () => engine.whenIdle(),
);

it('a joiner is created by the agent from a command the Azure root signed with the Key Vault key', async () => {
  const entries = await syncUntilAudited('E1001', 1);
  expect(entries.map((e) => `${e.action}:${e.effect}`)).toEqual(['UpsertAccount:created']);
  const account = await mustAccountOf(ldap, 'E1001');
  expect(parentOf(account.dn)).toBe(officeOu('London'));
  expect(account.enabled).toBe(true);
  expect(vault.requests()['secrets.get']).toBeGreaterThan(0);
});

it('a mover is moved to the new office OU with the new title', async () => {
  dir.writeCsv(csvOf([{ ...ada, location: 'Sydney', title: 'Principal Engineer' }]));
  const entries = await syncUntilAudited('E1001', 2);
  expect(entries.at(-1)).toMatchObject({ action: 'UpsertAccount' });
  const account = await mustAccountOf(ldap, 'E1001');
  expect(parentOf(account.dn)).toBe(officeOu('Sydney'));
  expect(account.title).toBe('Principal Engineer');
});

it('a leaver is disabled at the end of the local day and moved to the disabled OU', async () => {
  dir.writeCsv(csvOf([{ ...ada, location: 'Sydney', title: 'Principal Engineer', end: today }]));
  await syncUntilAudited('E1001', 2);
  clock.set(new Date(Date.now() + 2 * 86_400_000));
  // Whether the last day is still running in Sydney when the cycle plans depends on the hour this runs:
  // the disable may come at once or at the local day's end, so wait for it rather than count entries.
  const entries = await auditedUntil(
    'E1001',
    (all) => all.some((e) => e.action === 'DisableAccount'),
    'a DisableAccount entry',
  );
  expect(entries.at(-1)).toMatchObject({ action: 'DisableAccount' });
  const account = await mustAccountOf(ldap, 'E1001');
  expect(account.enabled).toBe(false);
  expect(parentOf(account.dn)).toBe(disabledOu());
});

it('keeps the state in Cosmos DB: the worker, its link and the agent heard from', async () => {
  const store = azure.ports.stateStore;
  expect((await store.getStates([`${SOURCE}:E1001`])).size).toBe(1);
  expect(await store.getLink(`${SOURCE}:E1001`)).not.toBeNull();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !(await store.listAgents()).some((a) => a.agentId === 'azure-root-agent'))
    await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await store.listAgents()).map((a) => a.agentId)).toEqual(['azure-root-agent']);
});

describe('a SCIM bulk request with a token from the OpenID Connect issuer', () => {
  const bulk = JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
    Operations: [
      {
        method: 'POST',
        bulkId: 'grace',
        path: '/Users',
        data: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          externalId: 'S2001',
          name: { givenName: 'Grace', familyName: 'Hopper' },
          title: 'Rear Admiral',
          addresses: [{ type: 'work', locality: 'New York' }],
          active: true,
        },
      },
    ],
  });
  const post = (token: string) =>
    fetch(`${host.url}/api/sources/hr-scim/bulkUpload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: bulk,
    });
  const appToken = (claims: Record<string, unknown> = {}) =>
    issuer.issue({ sub: 'logic-app-identity', azp: 'logic-app-client', roles: ['Ingest.Upload'], ...claims });

  it('is refused with a token for another audience, or without the ingest role', async () => {
    expect((await post(issuer.issue({ sub: 'x', roles: ['Ingest.Upload'] }, { audience: 'api://other' }))).status).toBe(
      401,
    );
    expect((await post(appToken({ roles: ['Reports.Read'] }))).status).toBe(403);
  });

  it('is kept in Cosmos DB and reaches AD through the relay', async () => {
    const res = await post(appToken());
    expect(res.status).toBe(202);
    const requestId = res.headers.get('location')!.split('/').at(-1)!;
    const entries = await auditedAfter('S2001', 1);
    expect(entries.map((e) => `${e.action}:${e.effect}`)).toEqual(['UpsertAccount:created']);
    const account = await mustAccountOf(ldap, 'S2001');
    expect(parentOf(account.dn)).toBe(officeOu('New York'));
    expect(account.title).toBe('Rear Admiral');
    const stored = await azure.ports.ingest!.store.getRequest(requestId);
    expect(stored).toMatchObject({ sourceId: 'hr-scim', client: 'logic-app-client' });
    expect(stored!.operations.map((op) => [op.workerKey, op.status, op.classification])).toEqual([
      [`${SOURCE}:S2001`, 'planned', 'joiner'],
    ]);
  });
});

it('reads BambooHR through its connector with the API key from Key Vault, and the worker reaches AD', async () => {
  const before = vault.requests()['secrets.get'] ?? 0;
  const res = await fetch(`${host.url}/api/sources/hr-bamboo/sync`, {
    method: 'POST',
    headers: { 'x-functions-key': FUNCTION_KEY },
  });
  expect(res.status).toBe(202);
  const deadline = Date.now() + 60_000;
  let entries = await auditOf(host.url, FUNCTION_KEY, 'workerKey=bamboo%3A3001');
  while (entries.length === 0 && Date.now() < deadline) {
    await engine.whenIdle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    entries = await auditOf(host.url, FUNCTION_KEY, 'workerKey=bamboo%3A3001');
  }
  expect(entries.map((e) => `${e.action}:${e.effect}`)).toEqual(['UpsertAccount:created']);
  const account = await mustAccountOf(ldap, '3001');
  expect(parentOf(account.dn)).toBe(officeOu('New York'));
  expect(vault.requests()['secrets.get']).toBeGreaterThan(before);
  expect(bamboo.takeInvalidRequests()).toEqual([]);
});
