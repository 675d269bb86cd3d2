/**
 * The crash test: the real control plane (`hr2ad run`) as a child process, killed with SIGKILL while a
 * cycle of joiners is being applied and a future hire's enable is pending, then started again on the same
 * data with the clock carried on. Afterwards every worker has exactly one account, every command has
 * exactly one audit entry, and the future hire was enabled exactly once, after its time.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'ldapts';
import type { AuditEntry } from '../../../shared/ports/state-store.port';
import { loadControlPlaneConfig } from '../../../functions/config/load-config';
import { apiToken, localDataFiles, openSecrets } from '../../../functions/local-host/local-control-plane';
import { acquireDc, rawClient, resetDc } from '../../harness/samba-dc';
import {
  accountsWhere,
  auditOf,
  callApi,
  createOus,
  csvOf,
  officeOu,
  parentOf,
  REPO,
  SOURCE,
  SOURCE_ID,
  writeConfigDir,
  type ConfigDir,
  type Row,
} from './fixtures/e2e-env';

const JOINERS = 150;
/** The future hire starts on 2026-12-02 in London: enabled at 2026-12-02T00:00:00Z (GMT in December). */
const HIRE_ENABLE_AT = Date.parse('2026-12-02T00:00:00Z');
/** The first run's clock starts this long before the hire's enable instant. */
const LEAD_MS = 12_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value, or fails with what it last saw after `timeoutMs`. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(100);
  }
}

function letters(n: number): string {
  let s = '';
  for (let i = n + 26; i > 0; i = Math.floor(i / 26)) s = String.fromCharCode(97 + (i % 26)) + s;
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const joiners: Row[] = Array.from({ length: JOINERS }, (_, i) => ({
  id: `E${String(3000 + i)}`,
  first: 'Alex',
  last: `Crash${letters(i).toLowerCase()}`,
  location: ['London', 'Berlin', 'New York', 'Tokyo'][i % 4]!,
  start: '2019-01-07',
}));
const hire: Row = { id: 'E9000', first: 'Priya', last: 'Future', location: 'London', start: '2026-12-02' };
const allIds = [...joiners.map((r) => r.id), hire.id];

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  exited: boolean;
}

let release: (() => void) | undefined;
let dir: ConfigDir | undefined;
let ldap: Client | undefined;
const children: Running[] = [];

beforeAll(async () => {
  release = await acquireDc();
});
afterAll(async () => {
  try {
    for (const run of children) if (!run.exited) run.child.kill('SIGKILL');
    await Promise.all(
      children.map((run) => until('the child to exit', 10_000, async () => (run.exited ? true : undefined))),
    );
    await ldap?.unbind().catch(() => undefined);
    if (process.env.HR2AD_E2E_KEEP) process.stderr.write(`[crash] kept ${dir?.dir}\n`);
    else dir?.remove();
  } finally {
    release?.();
  }
});

/** Starts `hr2ad run` on the configuration with the clock at `now`; resolves once its API answers. */
async function startRun(config: ConfigDir, now: Date, log: string): Promise<Running> {
  const out = openSync(log, 'a');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--disable-warning=ExperimentalWarning',
      'functions/cli/hr2ad.ts',
      'run',
      '--config',
      config.configFile,
      '--port',
      '0',
      '--now',
      now.toISOString(),
    ],
    { cwd: REPO, stdio: ['ignore', out, out], env: { ...process.env, NO_COLOR: '1' } },
  );
  closeSync(out);
  const run: Running = { child, url: '', exited: false };
  children.push(run);
  child.once('exit', () => {
    run.exited = true;
  });
  const lockFile = join(config.dataDir, 'run.lock');
  const port = await until('the run lock', 60_000, async () => {
    if (run.exited) throw new Error(`hr2ad run exited early:\n${readFileSync(log, 'utf8').slice(-3000)}`);
    if (!existsSync(lockFile)) return undefined;
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number; port: number };
    return lock.pid === child.pid ? lock.port : undefined;
  });
  const started: Running = Object.assign(run, { url: `http://127.0.0.1:${port}` });
  return started;
}

async function kill(run: Running): Promise<void> {
  run.child.kill('SIGKILL');
  await until('the killed child to exit', 10_000, async () => (run.exited ? true : undefined));
}

it('SIGKILL mid-cycle, restart: one account per worker, one audit entry per command, the hire enabled once', async () => {
  resetDc();
  ldap = await rawClient();
  await createOus(ldap);
  // The default result timeout (600 s): recovery must not wait for resends.
  dir = writeConfigDir({ csv: csvOf([...joiners, hire]) });
  const config = dir;
  const loaded = loadControlPlaneConfig(config.configFile);
  const token = await apiToken(await openSecrets(localDataFiles(loaded)));
  const log = join(config.dir, 'run.log');
  const client = ldap;
  const count = async () => (await accountsWhere(client, '(employeeID=E*)')).length;

  // First run: the clock LEAD_MS before the hire's enable instant.
  const wallStart = Date.now();
  const firstNow = new Date(HIRE_ENABLE_AT - LEAD_MS);
  const first = await startRun(config, firstNow, log);
  const sync = await callApi<{ cycleId: string }>(first.url, token, 'POST', `sources/${SOURCE_ID}/sync`);
  expect(sync.status).toBe(202);

  // Kill it while the joiners are being applied: some accounts exist, not all.
  const atKill = await until('some accounts but not all', 60_000, async () => {
    const n = await count();
    return n >= 10 ? n : undefined;
  });
  await kill(first);
  const killedAfterMs = Date.now() - wallStart;
  const afterKill = await count();
  expect(atKill).toBeLessThan(allIds.length);
  expect(afterKill).toBeLessThan(allIds.length);

  // Second run, the clock carried on by the wall time that passed.
  const secondNow = new Date(firstNow.getTime() + (Date.now() - wallStart));
  const second = await startRun(config, secondNow, log);
  const api = <T>(path: string) => callApi<T>(second.url, token, 'GET', path);

  // Every worker's lifecycle settles: nothing pending, nothing in flight, and the hire enabled.
  await until('every account, the hire enabled', 90_000, async () => {
    const accounts = await accountsWhere(client, '(employeeID=E*)');
    const hireAccount = accounts.find((a) => a.employeeID === hire.id);
    return accounts.length >= allIds.length && hireAccount?.enabled ? true : undefined;
  });
  await until('every lifecycle idle', 90_000, async () => {
    for (const id of allIds) {
      const status = await api<{ lifecycle: { status: { pending: unknown[]; inFlight: unknown } | null } | null }>(
        `workers/${encodeURIComponent(`${SOURCE}:${id}`)}`,
      );
      const s = status.body.lifecycle?.status;
      if (status.status !== 200 || !s || s.pending.length > 0 || s.inFlight !== null) return undefined;
    }
    return true;
  });
  const cycles = await api<{ cycles: { cycleId: string; status: string }[] }>('cycles');
  expect(cycles.body.cycles.find((c) => c.cycleId === sync.body.cycleId)?.status).toBe('completed');

  // Exactly one account per worker, in its office OU.
  const accounts = await accountsWhere(client, '(employeeID=E*)');
  const byId = new Map<string, number>();
  for (const a of accounts) byId.set(a.employeeID!, (byId.get(a.employeeID!) ?? 0) + 1);
  expect(accounts).toHaveLength(allIds.length);
  expect(allIds.filter((id) => byId.get(id) !== 1)).toEqual([]);
  for (const row of [...joiners, hire]) {
    const account = accounts.find((a) => a.employeeID === row.id)!;
    expect(parentOf(account.dn)).toBe(officeOu(row.location));
  }

  // Exactly one audit entry per command.
  const audit: AuditEntry[] = await auditOf(second.url, token, 'limit=1000');
  const perCommand = new Map<string, AuditEntry[]>();
  for (const entry of audit) perCommand.set(entry.commandId, [...(perCommand.get(entry.commandId) ?? []), entry]);
  const repeated = [...perCommand].filter(([, entries]) => entries.length > 1);
  expect(repeated.map(([id, entries]) => [id, entries.map((e) => e.effect)])).toEqual([]);
  // One account-creating command per worker, each created (a re-sent command whose first result was lost
  // would still have one entry).
  const upserts = audit.filter((entry) => entry.action === 'UpsertAccount');
  expect(new Set(upserts.map((entry) => entry.workerKey)).size).toBe(allIds.length);
  expect(upserts).toHaveLength(allIds.length);

  // The future hire: created disabled ahead, enabled exactly once, after its time.
  const hireAudit = audit.filter((entry) => entry.workerKey === `${SOURCE}:${hire.id}`);
  expect(hireAudit.map((entry) => `${entry.action}:${entry.cause.classification}`)).toEqual([
    'UpsertAccount:pre-hire',
    'EnableAccount:pre-hire',
  ]);
  const enable = hireAudit[1]!;
  expect(enable.effect).toBe('enabled');
  expect(Date.parse(enable.at)).toBeGreaterThanOrEqual(HIRE_ENABLE_AT);

  await kill(second);
  process.stderr.write(
    `[crash] killed the first run after ${killedAfterMs} ms with ${afterKill}/${allIds.length} accounts; ` +
      `second run settled at ${Date.now() - wallStart} ms\n`,
  );
});
