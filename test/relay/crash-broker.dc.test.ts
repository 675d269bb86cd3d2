/**
 * The Service Bus broker killed (SIGKILL) and started again twice while a load runs, from its data file:
 * the agent's receivers and publisher and the driver find it again by themselves, and nothing is lost,
 * applied twice or applied out of order.
 */
import { openDirectorySuite, type DirectorySuite } from '../harness/directory-suite';
import { buildLoad, checkLoad, prepareLoadPlace, type RelayLoad } from './relay-load';
import { RelayRig, report, sleep } from './relay-rig';

const WORKERS = 200;
/** The broker goes down when this share of the commands has a result, and again at the second share. */
const CRASH_AT = [0.25, 0.6];

let s: DirectorySuite;
let rig: RelayRig;
let load: RelayLoad;

beforeAll(async () => {
  s = await openDirectorySuite('RelayCrashBroker');
  rig = await RelayRig.open();
  load = buildLoad(await prepareLoadPlace(s.client, s.root, 'Load'), { prefix: 'CB', workers: WORKERS, seed: 12 });
});

afterAll(async () => {
  await rig?.close();
  await s?.close();
});

it('survives two broker crashes: no command lost, none applied twice, order and final state kept', async () => {
  const started = Date.now();
  await rig.driver.send(load.commands);
  const agent = rig.agent('crash-broker-agent', s.root, { receivers: 16 });
  agent.start();
  const ids = load.commands.map((command) => command.commandId);
  const resultsAtCrash: number[] = [];
  for (const share of CRASH_AT) {
    await rig.driver.waitUntil(() => rig.driver.results.size >= ids.length * share, 120_000);
    await rig.broker.kill('SIGKILL');
    resultsAtCrash.push(rig.driver.results.size);
    await sleep(1_000);
    await rig.broker.restart();
  }
  await rig.driver.waitForResults(ids, 180_000);
  const verdict = await checkLoad(load, rig.received(), s.client);
  report('crash-broker', {
    workers: load.workers.length,
    brokerCrashes: resultsAtCrash.length,
    resultsAtCrashes: resultsAtCrash.join('/'),
    commands: verdict.commands,
    results: verdict.results,
    republished: verdict.republished,
    durationMs: Date.now() - started,
  });
  expect(verdict.problems.slice(0, 20)).toEqual([]);
  expect(resultsAtCrash.every((count) => count < ids.length)).toBe(true);
  expect(rig.secretsInAgentLogs()).toEqual([]);
});
