/**
 * commitCycle across partitions survives a crash between any two of its writes. A commit of 12 states
 * (intent pages of 5, so three pages) is run once to count its document writes (W). Then, for every k in
 * 0..W-1, on a fresh database: a store commits it and "crashes" after its k-th write (every later request
 * fails, as in a dead process); a putState lands on a worker the commit already reached; the store is
 * reopened (which rolls pending commits forward) and the commit activity is retried. Afterwards:
 *
 * | checked | as if no crash |
 * |---|---|
 * | nothing lost | every state, the cursor, the quarantine, both cycle records |
 * | nothing repeated | outcomes and audit recorded before are refused again; the retried commit writes nothing once done |
 * | not regressed | the putState made after the commit reached its worker is kept |
 * | no leftovers | no pending intent, no intent page, only the current quarantine's pages |
 */
import { randomUUID } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import {
  createCosmosStateStore,
  type CosmosStateStore,
} from '../../../../functions/adapters/cosmos/cosmos-state-store';
import type { LastKnownState } from '../../../../shared/planner/types';
import type { CycleCommit, StateStore } from '../../../../shared/ports/state-store.port';
import {
  CrashAfterWrites,
  SimulatedCrash,
  startCosmosServer,
  type CosmosTestServer,
} from '../../../harness/cosmos/cosmos-server';
import {
  PLANNED_AT,
  SOURCE,
  STATES,
  auditEntry,
  cursor,
  cycle,
  minutesAfter,
  outcome,
  quarantineEntry,
  quarantineOf,
} from '../state-fixtures';

let server: CosmosTestServer;
beforeAll(async () => {
  server = await startCosmosServer();
});
afterAll(async () => {
  await server.close();
});

/** 12 states: the planner's, each under three worker keys. */
const MANY: LastKnownState[] = [0, 1, 2].flatMap((i) =>
  STATES.map((s) => ({ ...s, workerKey: `${s.workerKey}-${i}` })),
);
const FIRST: CycleCommit = {
  cycle: cycle('c1', { status: 'completed', cursor: 'cur-1' }),
  cursor: cursor('cur-1', 'c1'),
  states: MANY,
  quarantine: quarantineOf('c1'),
};
const SECOND: CycleCommit = {
  cycle: cycle('c2', { status: 'completed', cursor: 'cur-2', startedAt: minutesAfter(PLANNED_AT, 60) }),
  cursor: { ...cursor('cur-2', 'c2'), committedAt: minutesAfter(PLANNED_AT, 61) },
  states: MANY.map((s) => ({ ...s, sequence: s.sequence + 1 })),
  quarantine: [
    ...quarantineOf('c2'),
    quarantineEntry('record 9', 'workday:9', { cycleId: 'c2', since: minutesAfter(PLANNED_AT, 60) }),
  ],
};
const WATCHED = SECOND.states[0]!;
/** The second commit's document writes (asserted against a counted run below). */
const WRITES = 3 + 1 + 1 + 12 + 1 + 1 + 4;

async function open(client: CosmosClient, databaseId: string, resume = true): Promise<CosmosStateStore> {
  return createCosmosStateStore({ client, databaseId, statesPerIntentPage: 5, resumePendingCommits: resume });
}

/** A database holding the first cycle's commit and a few results. */
async function prepared(): Promise<string> {
  const databaseId = `db-${randomUUID()}`;
  const store = await open(server.client(), databaseId);
  await store.commitCycle(FIRST);
  for (let i = 0; i < 3; i++) {
    await store.recordOutcome(outcome(`cmd-${i}`, minutesAfter(PLANNED_AT, i)));
    await store.appendAudit(auditEntry(`cmd-${i}`, minutesAfter(PLANNED_AT, i)));
  }
  return databaseId;
}

async function snapshot(store: StateStore) {
  return {
    states: await store.getStates(),
    cursor: await store.getCursor(SOURCE),
    quarantine: await store.listQuarantine(),
    cycles: [await store.getCycle('c1'), await store.getCycle('c2')],
    listed: (await store.listCycles()).map((c) => c.cycleId),
    outcomes: await store.listOutcomes(outcome('x', PLANNED_AT).workerKey),
    audit: (await store.queryAudit({})).entries,
  };
}

/** Documents left behind by a commit: pending intents, intent pages, quarantine pages (by id). */
async function leftovers(client: CosmosClient, databaseId: string) {
  const db = client.database(databaseId);
  const cycles = await db.container('cycles').items.readAll().fetchAll();
  const sources = await db.container('sources').items.readAll().fetchAll();
  return {
    pending: cycles.resources.filter((d) => d['type'] === 'cycle' && d['hasPending']).length,
    intentPages: cycles.resources.filter((d) => d['type'] === 'intent').length,
    quarantinePages: sources.resources.filter((d) => d['type'] === 'quarantine').length,
  };
}

describe('commitCycle hand-off across partitions', () => {
  let writes = 0;
  let expected: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    const databaseId = await prepared();
    const counter = new CrashAfterWrites();
    const store = await open(server.client(counter.wrap), databaseId);
    await store.commitCycle(SECOND);
    writes = counter.writes;
    expected = await snapshot(store);
    expect(await leftovers(server.client(), databaseId)).toEqual({ pending: 0, intentPages: 0, quarantinePages: 1 });
  });

  it('writes 3 intent pages, 1 quarantine page, the intent, 12 states, the source, the record and 4 clean-ups', () => {
    expect(writes).toBe(WRITES);
    expect(expected.cursor).toEqual(SECOND.cursor);
    expect(expected.states).toEqual(new Map(SECOND.states.map((s) => [s.workerKey, s])));
  });

  const seen: string[] = [];
  it.each(Array.from({ length: WRITES }, (_, k) => [k]))(
    'loses nothing and repeats nothing after a crash after write %i',
    async (k) => {
      const databaseId = await prepared();
      const crashing = await open(server.client(new CrashAfterWrites(k).wrap), databaseId);
      await expect(crashing.commitCycle(SECOND)).rejects.toThrow(SimulatedCrash);

      // Someone else keeps working between the crash and the restart, without resuming anything.
      const bystander = await open(server.client(), databaseId, false);
      const reached = (await bystander.getStates([WATCHED.workerKey])).get(WATCHED.workerKey);
      const newer = { ...WATCHED, sequence: WATCHED.sequence + 10 };
      const putAfter = reached?.sequence === WATCHED.sequence;
      if (putAfter) await bystander.putState(newer);

      const restarted = await open(server.client(), databaseId);
      await restarted.commitCycle(SECOND); // the commit activity, retried

      const states = new Map(expected.states);
      if (putAfter) states.set(newer.workerKey, newer);
      expect(await snapshot(restarted)).toEqual({ ...expected, states });
      for (let i = 0; i < 3; i++) {
        expect(await restarted.recordOutcome(outcome(`cmd-${i}`, minutesAfter(PLANNED_AT, i)))).toBe(false);
        expect(await restarted.appendAudit(auditEntry(`cmd-${i}`, minutesAfter(PLANNED_AT, i)))).toBe(false);
      }
      expect(await restarted.resumePendingCommits()).toBe(0);
      expect(await leftovers(server.client(), databaseId)).toEqual({ pending: 0, intentPages: 0, quarantinePages: 1 });
      seen.push(putAfter ? 'kept putState' : 'committed');
    },
  );

  it('crashed both before and after the commit reached the watched worker', () => {
    expect(new Set(seen)).toEqual(new Set(['kept putState', 'committed']));
  });

  it('rolls a crashed commit forward when the next cycle polls its source, before it plans', async () => {
    const databaseId = await prepared();
    // After 6 of the 12 states.
    const crashing = await open(server.client(new CrashAfterWrites(3 + 1 + 1 + 6).wrap), databaseId);
    await expect(crashing.commitCycle(SECOND)).rejects.toThrow(SimulatedCrash);
    const nextCycle = await open(server.client(), databaseId, false);
    expect(await nextCycle.getCursor(SOURCE)).toEqual(SECOND.cursor);
    expect(await nextCycle.getStates()).toEqual(expected.states);
  });
});
