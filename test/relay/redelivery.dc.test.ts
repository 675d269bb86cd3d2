/**
 * Every message delivered three times (the broker turns the first two completes into abandons), workers
 * interleaved: the agent's journal makes the second and third deliveries publish the same result again
 * and change nothing. The DC ends exactly as the same load run once, without redelivery, leaves a sibling
 * OU — compared as snapshots with each load's OU and worker ids taken out.
 */
import type { Client } from 'ldapts';
import { openDirectorySuite, type DirectorySuite } from '../harness/directory-suite';
import { buildLoad, checkLoad, prepareLoadPlace, readAccounts, type LoadVerdict, type RelayLoad } from './relay-load';
import { RelayRig, report } from './relay-rig';

const WORKERS = 80;
const SEED = 14;

let s: DirectorySuite;
const rigs: RelayRig[] = [];

beforeAll(async () => {
  s = await openDirectorySuite('RelayRedelivery');
});

afterAll(async () => {
  for (const rig of rigs) await rig.close();
  await s?.close();
});

/** Runs the load through its own broker and agent until every command has a result, and checks it. */
async function runLoad(name: string, prefix: string, redeliverEachMessage?: number) {
  const rig = await RelayRig.open(redeliverEachMessage ? { redeliverEachMessage } : {});
  rigs.push(rig);
  const load = buildLoad(await prepareLoadPlace(s.client, s.root, name), { prefix, workers: WORKERS, seed: SEED });
  rig.agent(`${name.toLowerCase()}-agent`, load.place.root, { receivers: 16 }).start();
  await rig.driver.send(load.commands);
  await rig.driver.waitForResults(
    load.commands.map((command) => command.commandId),
    240_000,
  );
  return { rig, load, verdict: await checkLoad(load, rig.received(), s.client) };
}

/** The load's accounts with its OU and its worker-id prefix replaced, so two loads can be compared. */
async function normalisedSnapshot(client: Client, load: RelayLoad, prefix: string) {
  const neutral = (text: string) =>
    text.toLowerCase().split(load.place.root.toLowerCase()).join('<load>').split(prefix.toLowerCase()).join('<id>');
  const accounts = await readAccounts(client, load.place);
  return [...accounts.entries()]
    .map(([id, snapshots]) => ({
      id: neutral(id),
      accounts: snapshots.map((account) => ({
        ...account,
        dn: neutral(account.dn),
        groups: account.groups.map(neutral),
      })),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function figures(verdict: LoadVerdict) {
  return `${verdict.commands}/${verdict.results}/${verdict.republished}`;
}

it('gives the same directory with every message delivered three times as with each delivered once', async () => {
  const started = Date.now();
  const [redelivered, once] = await Promise.all([runLoad('Redelivered', 'ZQA', 3), runLoad('Once', 'ZQB')]);
  report('redelivery', {
    workers: WORKERS,
    'redelivered commands/results/republished': figures(redelivered.verdict),
    'once commands/results/republished': figures(once.verdict),
    durationMs: Date.now() - started,
  });
  expect(redelivered.verdict.problems.slice(0, 20)).toEqual([]);
  expect(once.verdict.problems.slice(0, 20)).toEqual([]);
  // Each command's result came back once per delivery: the second and third were journaled copies.
  expect(redelivered.verdict.republished).toBeGreaterThanOrEqual(2 * redelivered.verdict.commands);
  const [withRedelivery, withoutRedelivery] = await Promise.all([
    normalisedSnapshot(s.client, redelivered.load, 'ZQA'),
    normalisedSnapshot(s.client, once.load, 'ZQB'),
  ]);
  expect(withRedelivery).toHaveLength(WORKERS);
  expect(withRedelivery).toEqual(withoutRedelivery);
  for (const { rig } of [redelivered, once]) expect(rig.secretsInAgentLogs()).toEqual([]);
});
