/**
 * The domain controller stopped and started again while a load runs. Commands that meet the stopped DC
 * fail as retryable and are abandoned with backoff; the agent's retry settings (as an administrator would
 * set them: backoff from 1 s doubling to 10 s, up to 30 deliveries, about four minutes in all) outlast the
 * restart, so nothing is dead-lettered, lost, applied twice or out of order.
 */
import type { Client } from 'ldapts';
import { openDirectorySuite, type DirectorySuite } from '../harness/directory-suite';
import { rawClient, startDc, stopDc } from '../harness/samba-dc';
import { COMMANDS_QUEUE, RelayRig, report, sleep } from './relay-rig';
import { buildLoad, checkLoad, prepareLoadPlace, type RelayLoad } from './relay-load';

const WORKERS = 200;
const DC_DOWN_MS = 5_000;

let s: DirectorySuite;
let rig: RelayRig;
let load: RelayLoad;
let dcStopped = false;
let reader: Client | undefined;

beforeAll(async () => {
  s = await openDirectorySuite('RelayCrashDc');
  rig = await RelayRig.open();
  load = buildLoad(await prepareLoadPlace(s.client, s.root, 'Load'), { prefix: 'CD', workers: WORKERS, seed: 13 });
});

afterAll(async () => {
  if (dcStopped) startDc();
  await reader?.unbind().catch(() => undefined);
  await rig?.close();
  await s?.close();
});

async function deadLetteredCommands(): Promise<unknown[]> {
  const receiver = rig.driver.client.createReceiver(COMMANDS_QUEUE, { subQueueType: 'deadLetter' });
  try {
    return (await receiver.peekMessages(10)).map((message) => message.messageId);
  } finally {
    await receiver.close();
  }
}

it('survives a DC restart: nothing dead-lettered, lost, applied twice or out of order', async () => {
  const started = Date.now();
  await rig.driver.send(load.commands);
  const agent = rig.agent('crash-dc-agent', s.root, {
    receivers: 16,
    retryBackoff: { firstMs: 1_000, maxMs: 10_000 },
    maxDeliveries: 30,
  });
  agent.start();
  const ids = load.commands.map((command) => command.commandId);
  await rig.driver.waitUntil(() => rig.driver.results.size >= ids.length * 0.3, 120_000);
  stopDc();
  dcStopped = true;
  const resultsAtStop = rig.driver.results.size;
  await sleep(DC_DOWN_MS);
  const resultsWhileDown = rig.driver.results.size - resultsAtStop;
  startDc();
  dcStopped = false;
  await rig.driver.waitForResults(ids, 240_000);
  reader = await rawClient();
  const verdict = await checkLoad(load, rig.received(), reader);
  const retries = rig.logLines().filter((line) => line.includes('"command failed for now')).length;
  report('crash-dc', {
    workers: load.workers.length,
    commands: verdict.commands,
    resultsAtStop,
    resultsWhileDown,
    retriesLogged: retries,
    results: verdict.results,
    republished: verdict.republished,
    durationMs: Date.now() - started,
  });
  expect(verdict.problems.slice(0, 20)).toEqual([]);
  expect(retries).toBeGreaterThan(0);
  expect(await deadLetteredCommands()).toEqual([]);
  expect(rig.secretsInAgentLogs()).toEqual([]);
});
