/**
 * `hr2ad preview` at scale: generates HR snapshots of 100,000 and 500,000 workers, then times the whole
 * `hr2ad preview` process (launcher, read, parse, plan, render, write to a file) for each size, as text
 * and as JSON, and prints the wall time, the child's peak RSS and the report's size against the
 * snapshot's. A script that prints figures, not a test.
 *
 *   npm run bench:preview                       (target: 100,000 workers in ≤ 5 s and ≤ 1 GB; 500,000 complete)
 *   SIZES=20000,100000 npm run bench:preview
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -f %M`, Debian package `time`) when present, else from
 * the child's VmHWM read from /proc while it runs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPrng } from '../shared/util/prng';

const ROOT = resolve(__dirname, '..');
const LAUNCHER = join(ROOT, 'hr2ad');
const GNU_TIME = '/usr/bin/time';
const SIZES = (process.env.SIZES ?? '100000,500000').split(',').map(Number);
const NOW = '2025-06-09T06:00:00Z';
const TARGET = { workers: 100_000, seconds: 5, megabytes: 1024 };

const FIRST = ['Anna', 'Björn', 'Chloé', 'David', 'Élodie', 'Farid', 'Grace', 'Hiroshi', 'Ines', 'Jamal', 'Zoë'];
const LAST = ['Smith', 'García', 'Müller', 'Nguyen', "O'Brien", 'Rossi', 'Kowalski', 'Van Dyke', 'Tanaka', 'Okafor'];
const DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Support', 'Marketing', 'Legal', 'Operations', 'HR'];
const TITLES = ['Analyst', 'Engineer', 'Manager', 'Specialist', 'Director', 'Associate'];
const LOCATIONS = ['Dallas', 'Austin', 'Seattle', 'London', 'Sydney', 'Paris'];

/**
 * A deterministic worker. (scripts/bench-planner.ts has a similar generator, but it neither exports it
 * nor can be imported without running its benchmark.) About 1 in 200 records is invalid and some are
 * leavers or future hires, so the report has quarantine, plans with dated steps and statuses.
 */
function worker(i: number, next: () => number): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const year = 2010 + Math.floor(next() * 14);
  const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
  const roll = next();
  return {
    source: 'workday',
    id: String(100000 + i),
    legalName: { first: pick(FIRST), last: pick(LAST) },
    phone: { work: `+1 555 ${String(i).padStart(7, '0')}`, mobile: null },
    department: pick(DEPARTMENTS),
    title: pick(TITLES),
    costCenter: `CC${100 + (i % 50)}`,
    location: pick(LOCATIONS),
    company: 'Contoso',
    managerId: i < 100 ? null : String(100000 + Math.floor(next() * 100)),
    employeeType: roll < 0.9 ? 'employee' : 'contractor',
    employmentStatus: roll < 0.02 ? 'terminated' : 'active',
    hireDate: roll > 0.995 ? '2025-02-30' : roll > 0.97 ? '2025-07-01' : `${year}-${month}-${day}`,
    ...(roll < 0.02 ? { terminationDate: '2025-05-30' } : {}),
  };
}

/** Writes the snapshot as a JSON array, one record per line, without holding it as one string. */
function writeSnapshot(file: string, size: number): void {
  const prng = createPrng(`bench-preview:${size}`);
  const next = () => prng.nextUint32() / 0x1_0000_0000;
  const fd = openSync(file, 'w');
  let buffer = '[\n';
  for (let i = 0; i < size; i++) {
    buffer += `${JSON.stringify(worker(i, next))}${i + 1 < size ? ',' : ''}\n`;
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, `${buffer}]\n`);
  closeSync(fd);
}

interface Run {
  readonly seconds: number;
  readonly peakMb: number;
  readonly exitCode: number | null;
  readonly stderr: string;
}

/** The child's peak RSS in kB from /proc (VmHWM), polled while it runs: the fallback without GNU time. */
function vmHwmKb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

async function runPreview(snapshot: string, json: boolean, output: string): Promise<Run> {
  const args = ['preview', '--snapshot', snapshot, '--now', NOW, ...(json ? ['--json'] : [])];
  const useTime = existsSync(GNU_TIME);
  const out = openSync(output, 'w');
  const start = process.hrtime.bigint();
  const child = useTime
    ? spawn(GNU_TIME, ['-f', 'HR2AD_PEAK_KB=%M', LAUNCHER, ...args], { stdio: ['ignore', out, 'pipe'] })
    : spawn(LAUNCHER, args, { stdio: ['ignore', out, 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let polledKb = 0;
  // Without GNU time the launcher's exec keeps the pid, so the node process is this pid.
  const poll = useTime ? undefined : setInterval(() => (polledKb = Math.max(polledKb, vmHwmKb(child.pid!))), 50);
  const exitCode = await new Promise<number | null>((done) => child.on('close', done));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (poll) clearInterval(poll);
  closeSync(out);
  const timed = /HR2AD_PEAK_KB=(\d+)/.exec(stderr);
  const peakKb = timed ? Number(timed[1]) : polledKb;
  return { seconds, peakMb: peakKb / 1024, exitCode, stderr: stderr.replace(/HR2AD_PEAK_KB=\d+\n?/, '') };
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hr2ad-bench-preview-'));
  console.log(`peak RSS from ${existsSync(GNU_TIME) ? `${GNU_TIME} -f %M` : '/proc/<pid>/status VmHWM (polled)'}`);
  // The launcher sets itself up (Node, dependencies, the compiled build) before anything is timed.
  execFileSync(LAUNCHER, ['--version'], { stdio: 'ignore' });
  try {
    for (const size of SIZES) {
      const snapshot = join(dir, `snapshot-${size}.json`);
      writeSnapshot(snapshot, size);
      const inputBytes = statSync(snapshot).size;
      for (const json of [false, true]) {
        const output = join(dir, `report-${size}.${json ? 'json' : 'txt'}`);
        // The snapshot just written and the last report are still being flushed to disk: flushed first,
        // so the run is not timed against this script's own writes.
        execFileSync('sync');
        const run = await runPreview(snapshot, json, output);
        const outputBytes = statSync(output).size;
        const completed = run.exitCode !== null && run.exitCode <= 4;
        const target =
          size === TARGET.workers
            ? ` — target ≤ ${TARGET.seconds} s and ≤ ${TARGET.megabytes} MB: ${completed && run.seconds <= TARGET.seconds && run.peakMb <= TARGET.megabytes ? 'met' : 'NOT met'}`
            : ` — ${completed ? 'completed' : 'FAILED'}`;
        console.log(
          `bench:preview ${size} workers ${json ? 'json' : 'text'}: ${run.seconds.toFixed(2)} s, peak RSS ${run.peakMb.toFixed(0)} MB, ` +
            `exit ${run.exitCode}, input ${mb(inputBytes)}, output ${mb(outputBytes)} (${(outputBytes / inputBytes).toFixed(2)}× input)${target}`,
        );
        if (!completed) console.log(run.stderr.split('\n').slice(-15).join('\n'));
        rmSync(output, { force: true });
      }
      rmSync(snapshot, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
export { writeSnapshot };
