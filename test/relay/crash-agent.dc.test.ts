/**
 * The agent process killed (SIGKILL) at random points while a 2,000-worker load runs, and started again
 * each time: whatever it was doing (applying, journaling, publishing, completing), nothing is lost, nothing
 * is applied twice, each worker's commands stay in order and the DC ends as the last commands say.
 */
import { openDirectorySuite, type DirectorySuite } from '../harness/directory-suite';
import { buildLoad, checkLoad, prepareLoadPlace, type RelayLoad } from './relay-load';
import { randomBetween, RelayRig, report, sleep } from './relay-rig';

const WORKERS = 2_000;
const KILLS = 20;

let s: DirectorySuite;
let rig: RelayRig;
let load: RelayLoad;

beforeAll(async () => {
  s = await openDirectorySuite('RelayCrashAgent');
  rig = await RelayRig.open();
  // Fewer movers and leavers than the default mix: about 2,900 commands, under two minutes on the test DC.
  const place = await prepareLoadPlace(s.client, s.root, 'Load');
  load = buildLoad(place, { prefix: 'CA', workers: WORKERS, seed: 11, moverShare: 0.3, leaverShare: 0.15 });
});

afterAll(async () => {
  await rig?.close();
  await s?.close();
});

it(`survives ${KILLS} SIGKILLs of the agent: no command lost, none applied twice, order and final state kept`, async () => {
  const started = Date.now();
  const agent = rig.agent('crash-agent', s.root, { receivers: 32 });
  agent.start();
  await rig.driver.send(load.commands);
  const ids = load.commands.map((command) => command.commandId);
  let kills = 0;
  let resultsAtLastKill = 0;
  while (kills < KILLS) {
    await sleep(randomBetween(1_000, 5_000));
    await agent.kill('SIGKILL');
    kills++;
    resultsAtLastKill = rig.driver.results.size;
    agent.start();
  }
  await rig.driver.waitForResults(ids, 450_000);
  const verdict = await checkLoad(load, rig.received(), s.client);
  report('crash-agent', {
    workers: load.workers.length,
    kills,
    starts: agent.starts,
    commands: verdict.commands,
    resultsAtLastKill,
    results: verdict.results,
    republished: verdict.republished,
    durationMs: Date.now() - started,
  });
  expect(verdict.problems.slice(0, 20)).toEqual([]);
  // The kills fell while the load was running, not after it.
  expect(resultsAtLastKill).toBeLessThan(ids.length);
  expect(rig.secretsInAgentLogs()).toEqual([]);
});
