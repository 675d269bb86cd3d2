/**
 * Planner benchmark: 100,000 workers with stored previous state (a realistic mix: mostly unchanged,
 * some movers, joiners, leavers, name changes, future-dated transfers, a few invalid records), planned
 * in one cycle with the shipped default configuration. Prints the cycle time and the peak RSS.
 *
 *   npm run bench:planner            (target: ≤ 2 s and ≤ 512 MB on a 2-core machine)
 *   WORKERS=20000 npm run bench:planner
 *   PROFILE=cycle.cpuprofile npm run bench:planner     (CPU profile of the timed cycle)
 *   FULL=1 npm run bench:planner     (evaluate every worker in full: no incremental shortcuts)
 *
 * The previous cycle runs in a child process that writes the stored states as JSON lines, the way the
 * control plane keeps them (one document per worker in Cosmos DB or SQLite). The measured process
 * reads them back like a state store would, so its peak RSS is the planner's, not the setup's.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  compileMappingConfig,
  createDefaultMappingConfig,
  describeConfigIssues,
  type CompiledMappingConfig,
} from '../shared/mapping/config';
import { planCycle, type LastKnownState } from '../shared/planner';
import type { WorkerInput } from '../shared/worker';
import { createPrng } from '../shared/util/prng';

const WORKERS = Number(process.env.WORKERS ?? 100_000);
const TARGET_MS = 2_000;
const TARGET_MB = 512;
const PREVIOUS_CYCLE = new Date('2025-06-02T06:00:00Z');
const NOW = new Date('2025-06-09T06:00:00Z');

const FIRST = [
  'Anna',
  'Björn',
  'Chloé',
  'David',
  'Élodie',
  'Farid',
  'Grace',
  'Hiroshi',
  'Ines',
  'Jamal',
  'Kai',
  'Lena',
  'Mateo',
  'Nora',
  'Omar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tomás',
];
const LAST = [
  'Smith',
  'García',
  'Müller',
  'Nguyen',
  "O'Brien",
  'Rossi',
  'Kowalski',
  'Van Dyke',
  'Tanaka',
  'Okafor',
  'Johansson',
  'Dubois',
  'Silva',
  'Khan',
  'Murphy',
  'Novak',
];
const DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Support', 'Marketing', 'Legal', 'Operations', 'HR'];
const TITLES = ['Analyst', 'Engineer', 'Manager', 'Specialist', 'Director', 'Associate'];
const LOCATIONS = ['Dallas', 'Austin', 'Seattle', 'London', 'Sydney', 'Paris'];
const ZONES: Record<string, string> = {
  Dallas: 'America/Chicago',
  Austin: 'America/Chicago',
  Seattle: 'America/Los_Angeles',
  London: 'Europe/London',
  Sydney: 'Australia/Sydney',
  Paris: 'Europe/Paris',
};

/** A deterministic generator, so every run (and the setup process) sees the same people. */
function rng(seed: number): () => number {
  const prng = createPrng(`bench-planner:${seed}`);
  return () => prng.nextUint32() / 0x1_0000_0000;
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function worker(i: number, random: () => number): WorkerInput {
  const year = 2010 + Math.floor(random() * 14);
  const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
  return {
    source: 'workday',
    id: String(100000 + i),
    legalName: { first: pick(random, FIRST), last: pick(random, LAST) },
    email: null,
    phone: { work: `+1 555 ${String(i).padStart(7, '0')}`, mobile: null },
    department: pick(random, DEPARTMENTS),
    title: pick(random, TITLES),
    costCenter: `CC${100 + (i % 50)}`,
    location: pick(random, LOCATIONS),
    company: 'Contoso',
    managerId: i < 100 ? null : String(100000 + Math.floor(random() * 100)),
    employeeType: random() < 0.9 ? 'employee' : 'contractor',
    employmentStatus: 'active',
    hireDate: `${year}-${month}-${day}`,
  };
}

function loadConfig(): CompiledMappingConfig {
  const loaded = compileMappingConfig(
    createDefaultMappingConfig({
      domainDn: 'DC=corp,DC=example,DC=com',
      upnSuffix: 'corp.example.com',
      locationOus: Object.fromEntries(LOCATIONS.map((l) => [l, `OU=${l},OU=Users,DC=corp,DC=example,DC=com`])),
      locationTimeZones: ZONES,
    }),
  );
  if (!loaded.ok) throw new Error(describeConfigIssues(loaded.issues));
  return loaded.value;
}

function snapshot(random: () => number): WorkerInput[] {
  const records: WorkerInput[] = [];
  for (let i = 0; i < WORKERS; i++) records.push(worker(i, random));
  return records;
}

/** Setup process: plans everyone a week earlier and writes the states to store as JSON lines. */
function writePreviousStates(file: string): void {
  const config = loadConfig();
  const records = snapshot(rng(42));
  const fd = openSync(file, 'w');
  for (let i = 0; i < records.length; i += 2_000) {
    const cycle = planCycle({ records: records.slice(i, i + 2_000), states: new Map(), config, now: PREVIOUS_CYCLE });
    writeFileSync(fd, cycle.results.flatMap((r) => (r.nextState ? [`${JSON.stringify(r.nextState)}\n`] : [])).join(''));
  }
  closeSync(fd);
}

/**
 * Reads stored states back as a state store adapter would: one JSON document per line, with repeated
 * short strings (OUs, departments, dates, the configuration fingerprint) shared instead of copied.
 */
function readStates(file: string): Map<string, LastKnownState> {
  const interned = new Map<string, string>();
  const reviver = (_key: string, value: unknown) => {
    if (typeof value !== 'string' || value.length > 48) return value;
    const known = interned.get(value);
    if (known !== undefined) return known;
    interned.set(value, value);
    return value;
  };
  const states = new Map<string, LastKnownState>();
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let carry = '';
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, null);
    if (n === 0) break;
    const lines = (carry + buffer.toString('utf8', 0, n)).split('\n');
    carry = lines.pop()!;
    for (const line of lines) {
      if (!line) continue;
      const state = JSON.parse(line, reviver) as LastKnownState;
      states.set(state.workerKey, state);
    }
  }
  closeSync(fd);
  return states;
}

/** The snapshot a week later, with a realistic share of changes. */
function changedSnapshot(records: readonly WorkerInput[], random: () => number) {
  const mix = { unchanged: 0, mover: 0, leaver: 0, nameChange: 0, transfer: 0, joiner: 0, invalid: 0 };
  const next: unknown[] = records.map((r, i) => {
    const roll = random();
    if (roll < 0.03) {
      mix.mover++;
      return {
        ...r,
        department: pick(random, DEPARTMENTS),
        title: pick(random, TITLES),
        managerId: String(100000 + ((i + 1) % 97)),
      };
    }
    if (roll < 0.045) {
      mix.leaver++;
      return {
        ...r,
        terminationDate: roll < 0.04 ? '2025-06-30' : '2025-06-05',
        employmentStatus: roll < 0.04 ? 'active' : 'terminated',
      };
    }
    if (roll < 0.05) {
      mix.nameChange++;
      return { ...r, legalName: { ...r.legalName, last: pick(random, LAST) } };
    }
    if (roll < 0.06) {
      mix.transfer++;
      return {
        ...r,
        future: [
          {
            effectiveDate: '2025-07-01',
            changes: { department: pick(random, DEPARTMENTS), location: pick(random, LOCATIONS) },
          },
        ],
      };
    }
    if (roll < 0.0605) {
      mix.invalid++;
      return { ...r, hireDate: '2025-02-30' };
    }
    mix.unchanged++;
    return r;
  });
  const joiners = Math.round(WORKERS * 0.02);
  for (let i = 0; i < joiners; i++) {
    next.push({ ...worker(WORKERS + i, random), hireDate: i % 2 ? '2025-06-16' : '2025-06-09' });
    mix.joiner++;
  }
  return { next, mix };
}

/** A full collection before the timed cycle, so it does not pay for loading garbage. */
function collectGarbage(): void {
  if (!global.gc) {
    setFlagsFromString('--expose-gc');
    global.gc = runInNewContext('gc') as typeof global.gc;
  }
  global.gc?.();
}

function main(): void {
  if (process.argv[2] === '--setup') {
    writePreviousStates(process.argv[3]!);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hr2ad-bench-'));
  const file = join(dir, 'states.jsonl');
  try {
    execFileSync(process.execPath, [...process.execArgv, __filename, '--setup', file], {
      stdio: 'inherit',
      env: process.env,
    });
    const config = loadConfig();
    const random = rng(42);
    const records = snapshot(random);
    const states = readStates(file);
    const { next, mix } = changedSnapshot(records, random);
    collectGarbage();
    const loaded = process.memoryUsage();

    // PROFILE=file.cpuprofile records a CPU profile of the timed cycle only.
    const session = process.env.PROFILE ? new Session() : undefined;
    if (session) {
      session.connect();
      session.post('Profiler.enable');
      session.post('Profiler.start');
    }
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const cycle = planCycle({
      records: next,
      states,
      config,
      now: NOW,
      options: { incremental: process.env.FULL !== '1' },
    });
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    const cpu = process.cpuUsage(cpuStart);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    if (session) {
      session.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(process.env.PROFILE!, JSON.stringify(result.profile));
      });
    }

    const planned = cycle.results.filter((r) => r.outcome === 'planned').length;
    const steps = cycle.results.reduce((n, r) => n + (r.plan?.steps.length ?? 0), 0);
    console.log(
      `stored states: ${states.size}; heap ${(loaded.heapUsed / 1048576).toFixed(0)} MB, rss ${(loaded.rss / 1048576).toFixed(0)} MB before the cycle`,
    );
    console.log(`snapshot mix: ${JSON.stringify(mix)}`);
    console.log(`classified: ${JSON.stringify(cycle.summary)}`);
    console.log(
      `planned ${planned} workers (${steps} steps), quarantined ${cycle.quarantined.length}, held for approval ${cycle.hold.heldPlanIds.length}`,
    );
    const ok = elapsedMs <= TARGET_MS && peakMb <= TARGET_MB;
    console.log(
      `bench:planner ${next.length} workers planned in ${(elapsedMs / 1000).toFixed(2)} s ` +
        `(cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s), peak RSS ${peakMb.toFixed(0)} MB ` +
        `— target ≤ ${TARGET_MS / 1000} s and ≤ ${TARGET_MB} MB: ${ok ? 'met' : 'NOT met'}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
