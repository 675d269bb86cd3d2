/**
 * State store benchmark: 10,000 workers through the store the way the sync cycle's activities use it,
 * on the Cosmos DB adapter (against the in-process Cosmos DB test server, real SDK) and on SQLite.
 *
 *   npm run bench:cosmos              WORKERS=2000 npm run bench:cosmos
 *
 * Two cycles: the initial load (every worker a joiner) and an incremental cycle with 1% changed. Each
 * runs: poll (getCursor), plan (getStates + a link per worker, putCyclePlans, listQuarantine and the
 * quarantine commit), hand-on (getCyclePlans in 500-plan chunks, all at once as the orchestrator does),
 * commit (getCycle, getCyclePlans, a link per kept plan, commitCycle with every kept state), then
 * results (recordOutcome + appendAudit per changed worker). For Cosmos DB it prints the requests per
 * worker of each step, by kind, and the request charge the server reports (the test server says 1 per
 * request; Azure's RU differ). Times against the test server measure the adapter and the SDK, not Azure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCosmosStateStore } from '../functions/adapters/cosmos/cosmos-state-store';
import { SqliteStateStore } from '../functions/adapters/sqlite/sqlite-state-store';
import type { CyclePlan, QuarantineEntry, StateStore } from '../shared/ports/state-store.port';
import { RequestCounter, startCosmosServer } from '../test/harness/cosmos/cosmos-server';
import {
  auditEntry,
  cyclePlans,
  cycle,
  minutesAfter,
  outcome,
  PLANNED_AT,
} from '../test/functions/state/state-fixtures';

const WORKERS = Number(process.env.WORKERS ?? 10_000);
const CHANGED_SHARE = 0.01;
const HAND_ON_CHUNK = 500;
const PARALLEL_RESULTS = 32;
const SOURCE = 'workday';

const BASE = cyclePlans('base').filter((p) => p.plan && p.nextState);

/** The cycle's worker outcomes: every worker, those `changed` with a plan. */
function plansOf(cycleId: string, changed: (i: number) => boolean): CyclePlan[] {
  return Array.from({ length: WORKERS }, (_, i) => {
    const base = BASE[i % BASE.length]!;
    const workerKey = `${base.workerKey}-${String(i).padStart(5, '0')}`;
    const planned = changed(i);
    return {
      ...base,
      cycleId,
      workerKey,
      classification: planned ? base.classification : 'unchanged',
      plan: planned ? base.plan : null,
      nextState: { ...base.nextState!, workerKey, sequence: base.nextState!.sequence + (planned ? 1 : 0) },
    };
  });
}

async function inParallel<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: parallel }, lane));
}

interface Step {
  readonly name: string;
  run(): Promise<unknown>;
}

/** One cycle's steps, as the activities call the store. */
function cycleSteps(store: StateStore, cycleId: string, cursor: string, plans: CyclePlan[], at: string): Step[] {
  const changed = plans.filter((p) => p.plan);
  const record = cycle(cycleId, { startedAt: at, updatedAt: at, cursor });
  let quarantine: QuarantineEntry[] = [];
  return [
    { name: 'poll', run: () => store.getCursor(SOURCE) },
    {
      name: 'plan',
      run: async () => {
        const states = await store.getStates();
        for (const key of states.keys()) await store.getLink(key);
        await store.putCyclePlans(plans);
        quarantine = await store.listQuarantine(SOURCE);
        await store.commitCycle({ cycle: record, cursor: null, states: [], quarantine });
      },
    },
    {
      name: 'hand-on',
      run: async () => {
        const chunks = [];
        for (let offset = 0; offset < changed.length; offset += HAND_ON_CHUNK)
          chunks.push(store.getCyclePlans(cycleId, { held: false, offset, limit: HAND_ON_CHUNK }));
        const read = (await Promise.all(chunks)).flat();
        if (read.length !== changed.length) throw new Error(`hand-on read ${read.length} of ${changed.length} plans`);
      },
    },
    {
      name: 'commit',
      run: async () => {
        await store.listQuarantine(SOURCE);
        const stored = await store.getCycle(cycleId);
        const kept = (await store.getCyclePlans(cycleId)).filter((p) => p.nextState);
        for (const p of kept) await store.getLink(p.workerKey);
        const states = kept.map((p) => p.nextState!);
        const committedAt = at;
        await store.commitCycle({
          cycle: { ...stored!, status: 'completed' },
          cursor: { sourceId: SOURCE, cursor, committedAt, cycleId },
          states,
          quarantine,
        });
      },
    },
    {
      name: 'results',
      run: () =>
        inParallel(changed, PARALLEL_RESULTS, async (p) => {
          const commandId = `${cycleId}-${p.workerKey}`;
          await store.recordOutcome({ ...outcome(commandId, at), workerKey: p.workerKey });
          await store.appendAudit({ ...auditEntry(commandId, at), workerKey: p.workerKey });
        }),
    },
  ];
}

interface Measured {
  readonly cycle: string;
  readonly step: string;
  readonly ms: number;
  readonly requests?: RequestCounter['counts'] & { charge: number };
}

async function runCycles(store: StateStore, counter?: RequestCounter): Promise<Measured[]> {
  const changedEvery = Math.round(1 / CHANGED_SHARE);
  const cycles = [
    { name: 'initial', id: 'c-initial', plans: plansOf('c-initial', () => true), at: PLANNED_AT },
    {
      name: 'incremental',
      id: 'c-next',
      plans: plansOf('c-next', (i) => i % changedEvery === 0),
      at: minutesAfter(PLANNED_AT, 60),
    },
  ];
  const measured: Measured[] = [];
  for (const c of cycles)
    for (const step of cycleSteps(store, c.id, `cursor-${c.id}`, c.plans, c.at)) {
      counter?.reset();
      const started = performance.now();
      await step.run();
      const ms = performance.now() - started;
      measured.push({
        cycle: c.name,
        step: step.name,
        ms,
        ...(counter ? { requests: { ...counter.counts, charge: counter.charge } } : {}),
      });
    }
  return measured;
}

function perWorker(n: number): string {
  return (n / WORKERS).toFixed(2);
}

function print(cosmos: Measured[], sqlite: Measured[]): void {
  console.log(`State store benchmark: ${WORKERS} workers, incremental cycle with ${CHANGED_SHARE * 100}% changed`);
  console.log('cycle        step      cosmos ms  sqlite ms  requests/worker (write read query)  requests  charge');
  for (const [i, m] of cosmos.entries()) {
    const r = m.requests!;
    const total = r.write + r.read + r.query + r.other;
    console.log(
      [
        m.cycle.padEnd(12),
        m.step.padEnd(9),
        m.ms.toFixed(0).padStart(9),
        sqlite[i]!.ms.toFixed(0).padStart(10),
        `  ${perWorker(total).padStart(6)} (${perWorker(r.write)} ${perWorker(r.read)} ${perWorker(r.query)})`.padEnd(
          36,
        ),
        String(total).padStart(9),
        r.charge.toFixed(0).padStart(7),
      ].join(' '),
    );
  }
  for (const name of ['initial', 'incremental']) {
    const sum = (list: Measured[]) => list.filter((m) => m.cycle === name).reduce((s, m) => s + m.ms, 0);
    const requests = cosmos
      .filter((m) => m.cycle === name)
      .reduce((s, m) => s + m.requests!.write + m.requests!.read + m.requests!.query + m.requests!.other, 0);
    console.log(
      `${name} cycle: cosmos ${(sum(cosmos) / 1000).toFixed(1)} s, sqlite ${(sum(sqlite) / 1000).toFixed(1)} s, ` +
        `${requests} Cosmos requests (${perWorker(requests)} per worker)`,
    );
  }
}

async function main(): Promise<void> {
  const server = await startCosmosServer();
  const dir = mkdtempSync(join(tmpdir(), 'hr2ad-bench-cosmos-'));
  try {
    const counter = new RequestCounter();
    const cosmos = await createCosmosStateStore({ client: server.client(counter.wrap), databaseId: 'bench' });
    const cosmosMeasured = await runCycles(cosmos, counter);
    await cosmos.close();
    const sqlite = SqliteStateStore.open(join(dir, 'state.db'));
    const sqliteMeasured = await runCycles(sqlite);
    await sqlite.close();
    print(cosmosMeasured, sqliteMeasured);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
