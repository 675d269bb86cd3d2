/**
 * The relay end to end on the agent's side: commands signed as the control plane signs them go through a
 * Service Bus broker (the real SDK on both ends) to a running agent, which applies them to the Samba DC
 * and reports on the results queue. A joiner, a mover and a leaver; then every kind of command the agent
 * must refuse, each with its reason; then no secret in anything the agent logged.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAgentConfig } from '../../../agent/config/agent-config';
import { startAgentRelay, type AgentRelayHandle } from '../../../agent/relay/agent-relay';
import { childDn } from '../../../shared/directory/dn';
import type { DirectoryCommand } from '../../../shared/protocol/commands';
import { disableFor, upsertFor } from '../../harness/commands';
import { openDirectorySuite, type DirectorySuite } from '../../harness/directory-suite';
import { relayAgentConfig } from '../../harness/relay/agent-config';
import { CommandDriver, InMemorySigner } from '../../harness/relay/command-driver';
import { capturedLogger, secretsIn } from '../../harness/relay/log-lines';
import { dcConnection, readEntry, usersUnder } from '../../harness/samba-dc';
import { startBroker, type RunningBroker } from '../../harness/service-bus/broker';

const signer = new InMemorySigner();
const log = capturedLogger();
let s: DirectorySuite;
let broker: RunningBroker;
let agent: AgentRelayHandle;
let driver: CommandDriver;
let dir: string;

beforeAll(async () => {
  s = await openDirectorySuite('Relay');
  await s.addOus('Staff', 'Sales', 'Leavers');
  dir = mkdtempSync(join(tmpdir(), 'relay-'));
  broker = await startBroker({
    queues: [
      { name: 'hr2ad-commands', requiresSession: true, lockDurationMs: 30_000, maxDeliveryCount: 10 },
      { name: 'hr2ad-results' },
    ],
  });
  const config = relayAgentConfig({
    dc: dcConnection(),
    connectionString: broker.connectionString,
    publicKeys: [signer.pin],
    journalPath: join(dir, 'journal.db'),
    allowedOus: [s.root],
    agentId: 'relay-test-agent',
  });
  agent = await startAgentRelay(parseAgentConfig(config), { logger: log.logger, now: () => new Date() });
  driver = new CommandDriver({ connectionString: broker.connectionString, signer });
});

afterAll(async () => {
  await driver?.close();
  await agent?.stop();
  await broker?.close();
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...commands: DirectoryCommand[]) {
  await driver.send(commands);
  await driver.waitForResults(
    commands.map((c) => c.commandId),
    30_000,
  );
  return commands.map((c) => driver.firstResult(c.commandId));
}

const ada = () => ({ id: 'R1001', given: 'Ada', family: 'Lovelace', ou: s.ou('Staff'), title: 'Analyst' });

it('applies a joiner, a mover and a leaver in order and reports each result', async () => {
  const joiner = upsertFor(ada());
  const mover = upsertFor({ ...ada(), ou: s.ou('Sales'), title: 'Head of Sales' });
  const leaver = disableFor('R1001', s.ou('Leavers'));
  const [joined, moved, left] = await run(joiner, mover, leaver);
  expect(joined).toMatchObject({ kind: 'Applied', created: true });
  expect(moved).toMatchObject({ kind: 'Applied', moved: { to: expect.stringContaining('OU=Sales') } });
  expect(left).toMatchObject({ kind: 'Applied' });
  const entry = await readEntry(s.client, childDn('CN', 'Ada Lovelace', s.ou('Leavers')), [
    'title',
    'userAccountControl',
  ]);
  expect(entry).toMatchObject({ title: ['Head of Sales'], useraccountcontrol: ['514'] });
});

describe('refusals, each with its reason', () => {
  const refusalsFor = (messageId: string) =>
    driver.messagesOfType('CommandRefused').filter((refusal) => refusal.messageId === messageId);

  async function refusedUntrusted(body: unknown, messageId: string) {
    await driver.sendRaw(body, 'test:R2001', messageId);
    await driver.waitUntil(
      () => refusalsFor(messageId).length > 0,
      30_000,
      () => `a refusal of ${messageId}`,
    );
    return refusalsFor(messageId)[0];
  }

  it('an unsigned command', async () => {
    const command = upsertFor({ id: 'R2001', given: 'Un', family: 'Signed', ou: s.ou('Staff') });
    expect(await refusedUntrusted(command, 'unsigned-1')).toMatchObject({
      code: 'SignatureInvalid',
      reason: expect.stringContaining('unsigned'),
    });
  });

  it('a command signed with a key the agent has not pinned', async () => {
    const stranger = new InMemorySigner();
    const other = new CommandDriver({ connectionString: broker.connectionString, signer: stranger });
    try {
      const command = upsertFor({ id: 'R2001', given: 'Wrong', family: 'Key', ou: s.ou('Staff') });
      expect(await refusedUntrusted(await other.sign(command), 'wrong-key-1')).toMatchObject({
        code: 'SignatureInvalid',
        reason: expect.stringContaining(stranger.key.keyId),
      });
    } finally {
      await other.close();
    }
  });

  it('a tampered command (a signed payload changed on the way)', async () => {
    const command = upsertFor({ id: 'R2001', given: 'Tam', family: 'Pered', ou: s.ou('Staff') });
    const signed = await driver.sign(command);
    const tampered = { ...signed, payload: signed.payload.replace('"enabled":true', '"enabled":false') };
    expect(tampered.payload).not.toBe(signed.payload);
    expect(await refusedUntrusted(tampered, 'tampered-1')).toMatchObject({
      code: 'SignatureInvalid',
      reason: expect.stringContaining('signature'),
    });
  });

  it('an expired command', async () => {
    const command = upsertFor(
      { id: 'R2002', given: 'Too', family: 'Late', ou: s.ou('Staff') },
      { expiresAt: new Date(Date.now() - 60_000).toISOString() },
    );
    expect((await run(command))[0]).toMatchObject({ kind: 'Failed', code: 'Expired' });
  });

  it('a replayed command: its result is published again, nothing is applied twice', async () => {
    const command = upsertFor({ id: 'R2003', given: 'Re', family: 'Played', ou: s.ou('Staff') });
    const [first] = await run(command);
    expect(first).toMatchObject({ kind: 'Applied', created: true });
    await driver.sendRaw(await driver.sign(command), command.workerKey, 'replay-1');
    await driver.waitUntil(() => (driver.results.get(command.commandId)?.length ?? 0) >= 2, 30_000);
    expect(driver.results.get(command.commandId)?.[1]).toEqual(first);
    expect(log.lines.some((line) => line.includes('already done') && line.includes(command.commandId))).toBe(true);
    const accounts = (await usersUnder(s.client, s.root, ['employeeID'])).filter((u) => u.employeeid?.[0] === 'R2003');
    expect(accounts).toHaveLength(1);
  });

  it('a command older than the last one applied for its worker', async () => {
    const newer = upsertFor({ id: 'R2004', given: 'In', family: 'Order', ou: s.ou('Staff'), title: 'New' });
    await run(newer);
    const older = { ...upsertFor({ id: 'R2004', given: 'In', family: 'Order', ou: s.ou('Staff'), title: 'Old' }) };
    older.sequence = newer.sequence - 1;
    const [result] = await run(older);
    expect(result).toMatchObject({ kind: 'Failed', code: 'OutOfOrder', message: expect.stringMatching(/older/) });
    const entry = await readEntry(s.client, childDn('CN', 'In Order', s.ou('Staff')), ['title']);
    expect(entry?.title).toEqual(['New']);
  });

  it('a DN outside the allowed OUs', async () => {
    const command = upsertFor({ id: 'R2005', given: 'Out', family: 'Side', ou: `OU=Elsewhere,${s.domainDn}` });
    expect((await run(command))[0]).toMatchObject({ kind: 'Failed', code: 'OutsideAllowedOus' });
  });

  it('a protected account', async () => {
    await s.client.add(childDn('CN', 'Guarded One', s.ou('Staff')), {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: 'guarded1',
      employeeID: 'R2006',
      adminCount: '1',
    });
    expect((await run(disableFor('R2006')))[0]).toMatchObject({ kind: 'Failed', code: 'ProtectedAccount' });
  });

  it('messages the agent would not trust are kept in the dead-letter queue with the reason', () => {
    const dead = broker.deadLettered('hr2ad-commands');
    expect(dead.map((m) => m.reason).sort()).toEqual(['SignatureInvalid', 'SignatureInvalid', 'SignatureInvalid']);
  });
});

it('logs each command with its worker key and id, and never a secret', async () => {
  await driver.waitUntil(() => driver.messagesOfType('AgentHeartbeat').length > 0, 10_000);
  const text = log.lines.join('\n');
  expect(log.lines.some((line) => line.includes('"command done"') && line.includes('"workerKey":"test:R1001"'))).toBe(
    true,
  );
  const sasKey = /SharedAccessKey=([^;]+)/.exec(broker.connectionString)?.[1] ?? '';
  const secrets = [
    sasKey,
    readFileSync(dcConnection().passwordFile, 'utf8').trim(),
    signer.key.privateKeyPem,
    broker.connectionString,
  ];
  expect(secretsIn(text, secrets)).toEqual([]);
});
