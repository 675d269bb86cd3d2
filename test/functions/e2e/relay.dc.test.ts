/**
 * The relay end to end: the local control plane with `channel.kind = serviceBus` → the Service Bus broker
 * (real SDK on every side) → the standalone agent in its own process (`hr2ad-agent run`) → the Samba DC →
 * results back on the results queue → the host's results trigger → the worker's lifecycle orchestration,
 * whose audit records what the agent did. A joiner, a mover (new office OU and title) and a leaver.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'ldapts';
import { generateSigningKey, pinFor } from '../../../functions/adapters/signing/signing-keys';
import { loadControlPlaneConfig } from '../../../functions/config/load-config';
import { localDataFiles, LocalControlPlane, openSecrets } from '../../../functions/local-host/local-control-plane';
import { VirtualClock } from '../../../functions/local-host/virtual-clock';
import type { AuditEntry } from '../../../shared/ports/state-store.port';
import { captureFresh } from '../../harness/functions-core-mock';
import { auditWatch, startRelayAgent } from './fixtures/relay-env';
import { AgentProcess } from '../../harness/relay/agent-process';
import { secretsIn } from '../../harness/relay/log-lines';
import { acquireDc, dcConnection, rawClient, resetDc } from '../../harness/samba-dc';
import { startBroker, type RunningBroker } from '../../harness/service-bus/broker';
import {
  createOus,
  csvOf,
  disabledOu,
  mustAccountOf,
  officeOu,
  parentOf,
  callApi,
  testLogger,
  writeConfigDir,
  type ConfigDir,
  type Row,
} from './fixtures/e2e-env';

jest.setTimeout(120_000);

const key = generateSigningKey('Ed25519');
let release: () => void;
let broker: RunningBroker;
let dir: ConfigDir;
let plane: LocalControlPlane;
let agent: AgentProcess;
let ldap: Client;
const clock = new VirtualClock(new Date());
/** A last day two days ahead: still to come in every time zone when the leaver is synced. */
const lastDay = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

const ada: Row = { id: 'E1001', first: 'Ada', last: 'Lovelace', location: 'London', start: '2020-01-06' };

beforeAll(async () => {
  release = await acquireDc();
  resetDc();
  ldap = await rawClient();
  await createOus(ldap);
  broker = await startBroker({
    queues: [{ name: 'hr2ad-commands', requiresSession: true }, { name: 'hr2ad-results' }],
  });
  dir = writeConfigDir({ csv: csvOf([ada]), lifecycle: { resultTimeoutSeconds: 60 } });
  const config = JSON.parse(readFileSync(dir.configFile, 'utf8')) as Record<string, unknown>;
  config['channel'] = {
    kind: 'serviceBus',
    connectionString: { secret: 'service-bus' },
    signingKey: { secret: 'command-signing-key' },
  };
  writeFileSync(dir.configFile, JSON.stringify(config));
  const loaded = loadControlPlaneConfig(dir.configFile);
  const secrets = await openSecrets(localDataFiles(loaded));
  await secrets.set('service-bus', broker.connectionString);
  await secrets.set('command-signing-key', JSON.stringify({ ...key, publicKeyPem: undefined }));
  agent = startRelayAgent(dir.dir, broker.connectionString, pinFor(key), 'e2e-agent');
  plane = await LocalControlPlane.start({
    loaded,
    clock,
    logger: testLogger(),
    httpPort: 0,
    timers: false,
    realTimers: false,
    capture: captureFresh,
  });
});

afterAll(async () => {
  await plane?.stop();
  await agent?.kill('SIGTERM');
  await broker?.close();
  await ldap?.unbind().catch(() => undefined);
  dir?.remove();
  release?.();
});

const { audit, auditedUntil, syncUntilAudited } = auditWatch(
  () => plane.url,
  () => plane.token,
  () => plane.whenIdle(),
);

it('a joiner is created by the agent over the broker and audited from its result', async () => {
  const entries = await syncUntilAudited('E1001', 1);
  expect(entries.map((e) => `${e.action}:${e.effect}`)).toEqual(['UpsertAccount:created']);
  const account = await mustAccountOf(ldap, 'E1001');
  expect(parentOf(account.dn)).toBe(officeOu('London'));
  expect(account.enabled).toBe(true);
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
  dir.writeCsv(csvOf([{ ...ada, location: 'Sydney', title: 'Principal Engineer', end: lastDay }]));
  await syncUntilAudited('E1001', 2);
  expect((await mustAccountOf(ldap, 'E1001')).enabled).toBe(true);
  clock.set(new Date(Date.now() + 4 * 86_400_000));
  const disabled = (entries: AuditEntry[]) => entries.some((e) => e.action === 'DisableAccount');
  const entries = await auditedUntil('E1001', disabled, 'a DisableAccount');
  expect(entries.at(-1)).toMatchObject({ action: 'DisableAccount' });
  const account = await mustAccountOf(ldap, 'E1001');
  expect(account.enabled).toBe(false);
  expect(parentOf(account.dn)).toBe(disabledOu());
});

it('shows the agent in the control plane from its heartbeats, and the agent logged no secret', async () => {
  const applied = (await audit('E1001')).length;
  const deadline = Date.now() + 20_000;
  let agents: { agentId: string; commandsApplied: number }[] = [];
  while (Date.now() < deadline) {
    const res = await callApi<{ agents: typeof agents }>(plane.url, plane.token, 'GET', 'agents');
    agents = res.body.agents ?? [];
    if (agents.some((a) => a.agentId === 'e2e-agent' && a.commandsApplied >= applied)) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(agents).toEqual([expect.objectContaining({ agentId: 'e2e-agent', commandsApplied: applied })]);
  const log = readFileSync(join(dir.dir, 'agent.log'), 'utf8');
  expect(log).toContain('"command done"');
  const sasKey = /SharedAccessKey=([^;]+)/.exec(broker.connectionString)?.[1] ?? '';
  const password = readFileSync(dcConnection().passwordFile, 'utf8').trim();
  expect(secretsIn(log, [sasKey, password, key.privateKeyPem])).toEqual([]);
});
