/**
 * Control-plane benchmark: the local control plane (`LocalControlPlane`: the Functions app on the local
 * Functions host, orchestrations on SQLite, the local command channel, the embedded agent) measured in
 * three parts, each printing one line per figure:
 *
 * (a) throughput against AD: `--count` joiners (default 10,000) in a generated CSV (default layout, one
 *     OU, hire dates in the past, unique names) synced into the Samba DC end to end — HTTP sync → plans →
 *     lifecycle orchestrations → channel → embedded agent → AD — timed from the sync request until
 *     `whenIdle()` (then every account is checked to exist). Divided by the rate of a raw ldapts loop
 *     (add + password + enable, as bench-agent.ts does) in the same run against the same DC in another OU,
 *     with as many parallel loops as the channel serves workers at once, each on its own connection
 *     (`--raw-connections` to change). The raw loop runs half its joiners before and half after the
 *     control plane, so both see the directory at the same sizes on average.
 * (b) latency, one worker, idle system: after an initial sync of `--latency-workers` (50), `--samples`
 *     (20) times: change one worker's title in the CSV, start a sync over HTTP, and poll AD (ldapts search
 *     by employeeID) until the title shows. Times from the sync request ("ingested") and from the file
 *     write; p50 and p95. Each sample waits for the previous cycle to finish (`whenIdle()`).
 * (c) the orchestration engine alone: the same joiners (`--count`) synced with a no-op agent
 *     (`applyCommand` answering `Applied`/`NoChange` at once), no DC: lifecycle orchestrations started and
 *     their immediate step (the joiner's UpsertAccount) completed per second; then the size of the SQLite
 *     files (state, durable, commands), WAL checkpointed after stop, per 10,000 workers.
 *
 *   npm run bench:control-plane -- [--part a|b|c|all] [--count 10000] [--raw-count N]
 *       [--raw-connections 8] [--samples 20] [--latency-workers 50]   (HR2AD_BENCH_LOG=warn: the plane's log)
 *
 * Parts a and b need the DC that scripts/bench-control-plane.sh brings up (HR2AD_DC_DIR); c needs none.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AlreadyExistsError, Attribute, Change, Client } from 'ldapts';
import { generateTemporaryPassword } from '../agent/applier/password-generator';
import { readDcConnection, type DcConnection } from '../agent/demo/dc-connection';
import { createPinoLogger } from '../agent/index';
import { silentLogger } from '../agent/logging/silent-logger';
import { syncCycleInstanceId } from '../functions/app/durable-names';
import type { ControlPlaneConfigInput } from '../functions/config/control-plane-config';
import { loadControlPlaneConfig, type LoadedConfig } from '../functions/config/load-config';
import { LocalControlPlane, localDataFiles } from '../functions/local-host/local-control-plane';
import { DEFAULT_CSV_COLUMNS } from '../functions/sources/file/file-source-config';
import { childDn } from '../shared/directory/dn';
import type { CommandResult } from '../shared/protocol/results';
import { agentDirectory } from './bench/agent-directory';
import { noOpAgent } from './bench/no-op-agent';

// ---------------------------------------------------------------------------------------------- options

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function partArg(): readonly ('a' | 'b' | 'c')[] {
  const i = process.argv.indexOf('--part');
  const part = i > 0 ? process.argv[i + 1] : 'all';
  if (part === 'all') return ['c', 'a', 'b'];
  if (part === 'a' || part === 'b' || part === 'c') return [part];
  throw new Error('--part must be a, b, c or all');
}

/** The channel's workers at once: LocalControlPlane does not pass a concurrency, so LocalCommandChannel's default. */
const CHANNEL_CONCURRENCY = 8;
const COUNT = arg('count', 10_000);
const RAW_COUNT = arg('raw-count', COUNT);
const RAW_CONNECTIONS = arg('raw-connections', CHANNEL_CONCURRENCY);
const SAMPLES = arg('samples', 20);
const LATENCY_WORKERS = arg('latency-workers', 50);
const SOURCE_ID = 'hr-file';
const UPN_SUFFIX = 'corp.example.test';
const HIRE_DATE = '2020-01-06';
const POLL_MS = 10;
/** HR2AD_BENCH_LOG=warn (or info, debug) logs the control plane to stderr; default silent. */
const LOGGER = process.env.HR2AD_BENCH_LOG
  ? createPinoLogger({ level: process.env.HR2AD_BENCH_LOG as 'warn' })
  : silentLogger;

// ------------------------------------------------------------------------------------------ small tools

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function line(text: string): void {
  console.log(text);
}

function progress(text: string): void {
  process.stderr.write(`  ${text}\n`);
}

// ------------------------------------------------------------------------------------------- HR files

interface BenchWorker {
  readonly id: string;
  readonly first: string;
  readonly last: string;
  readonly title: string;
}

/** Unique names: the first sAMAccountName and UPN candidates never collide. */
function benchWorker(prefix: string, i: number, title = 'Engineer'): BenchWorker {
  const n = String(i).padStart(6, '0');
  return { id: `${prefix}${n}`, first: `Given${prefix}`, last: `Worker${prefix}${n}`, title };
}

const HEADERS: readonly string[] = Object.values(DEFAULT_CSV_COLUMNS).map((spec) =>
  typeof spec === 'string' ? spec : spec.header,
);

function csvRow(w: BenchWorker): string {
  const cells: Record<string, string> = {
    'Employee ID': w.id,
    'First Name': w.first,
    'Last Name': w.last,
    'Work Email': `${w.first}.${w.last}@${UPN_SUFFIX}`.toLowerCase(),
    Department: 'Engineering',
    'Job Title': w.title,
    Location: 'Head Office',
    Company: 'Contoso',
    'Employee Type': 'Full-Time',
    Status: 'Active',
    'Start Date': HIRE_DATE,
    'Time Zone': 'Europe/London',
  };
  return HEADERS.map((h) => cells[h] ?? '').join(',');
}

function writeCsv(file: string, workers: readonly BenchWorker[]): void {
  writeFileSync(file, [HEADERS.join(','), ...workers.map(csvRow)].join('\n') + '\n');
}

// --------------------------------------------------------------------------------------- control plane

interface Workspace {
  readonly dir: string;
  readonly csv: string;
  readonly loaded: LoadedConfig;
}

/** A temp dir with the CSV, the configuration (default mapping: every worker in OU=Users) and local state. */
function workspace(name: string, dc: DcConnection | null, domainDn: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), `hr2ad-bench-${name}-`));
  const csv = join(dir, 'workers.csv');
  const config: ControlPlaneConfigInput = {
    version: 1,
    dataDirectory: 'data',
    sources: [{ id: SOURCE_ID, kind: 'csv', path: 'workers.csv', source: 'bench' }],
    mapping: { defaults: { domainDn, upnSuffix: UPN_SUFFIX } },
    agent: {
      directory: agentDirectory(dc, dir),
      policy: { domainDn, allowedOus: [`OU=Users,${domainDn}`, `OU=Disabled Users,${domainDn}`] },
    },
    api: { port: 0 },
  };
  writeFileSync(join(dir, 'hr2ad.config.json'), JSON.stringify(config));
  return { dir, csv, loaded: loadControlPlaneConfig(join(dir, 'hr2ad.config.json')) };
}

async function startPlane(
  ws: Workspace,
  applyCommand?: (command: unknown) => Promise<CommandResult>,
): Promise<LocalControlPlane> {
  return LocalControlPlane.start({
    loaded: ws.loaded,
    clock: { now: () => new Date() },
    logger: LOGGER,
    httpPort: 0,
    timers: false,
    ...(applyCommand ? { applyCommand } : {}),
  });
}

/** POST /api/sources/{id}/sync; the cycle id. */
async function requestSync(plane: LocalControlPlane): Promise<string> {
  const response = await fetch(`${plane.url}/api/sources/${SOURCE_ID}/sync`, {
    method: 'POST',
    headers: { 'x-functions-key': plane.token },
  });
  const body = (await response.json()) as { cycleId?: string };
  if (response.status !== 202 || !body.cycleId)
    throw new Error(`sync refused: ${response.status} ${JSON.stringify(body)}`);
  return body.cycleId;
}

/** When the source's cycle orchestration last changed (completed), in ms after `requestedAt` (epoch ms). */
async function cycleDoneMs(plane: LocalControlPlane, requestedAt: number): Promise<number | null> {
  const status = await plane.engine.getStatus(syncCycleInstanceId(SOURCE_ID));
  if (status?.runtimeStatus === 'Failed')
    throw new Error(
      `the sync cycle orchestration failed (no retry on its activities): ${JSON.stringify(status.output)}`,
    );
  return status?.runtimeStatus === 'Completed' ? Date.parse(status.lastUpdatedTime) - requestedAt : null;
}

/** Syncs the workspace's CSV: ms from the request until idle, and until the cycle orchestration completed. */
async function timedSync(plane: LocalControlPlane): Promise<{ totalMs: number; cycleMs: number | null }> {
  const requestedAt = Date.now();
  const start = performance.now();
  await requestSync(plane);
  await plane.whenIdle();
  const totalMs = performance.now() - start;
  return { totalMs, cycleMs: await cycleDoneMs(plane, requestedAt) };
}

// ----------------------------------------------------------------------------------------- raw ldapts

async function ldapClient(dc: DcConnection, password: string, ca: string): Promise<Client> {
  const client = new Client({ url: dc.url, strictDN: false, tlsOptions: { ca: [ca], servername: dc.serverName } });
  await client.bind(dc.bindDn, password);
  return client;
}

async function ensureOu(client: Client, dn: string): Promise<void> {
  try {
    await client.add(dn, { objectClass: ['top', 'organizationalUnit'] });
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
  }
}

/** The same three writes as bench-agent.ts: add disabled, set the password, enable with must-change. */
async function rawJoiner(client: Client, ou: string, realm: string, i: number): Promise<void> {
  const w = benchWorker('R', i);
  const sam = `rawuser${i}`;
  const dn = childDn('CN', `${w.first} ${w.last}`, ou);
  await client.add(dn, {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: sam,
    userPrincipalName: `${sam}@${realm}`,
    givenName: w.first,
    sn: w.last,
    displayName: `${w.first} ${w.last}`,
    employeeID: w.id,
    userAccountControl: '546',
  });
  const password = generateTemporaryPassword(20, [sam]);
  const unicodePwd = Buffer.from(`"${password}"`, 'utf16le');
  await client.modify(
    dn,
    new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd] }) }),
  );
  await client.modify(dn, [
    new Change({ operation: 'replace', modification: new Attribute({ type: 'userAccountControl', values: ['512'] }) }),
    new Change({ operation: 'replace', modification: new Attribute({ type: 'pwdLastSet', values: ['0'] }) }),
  ]);
}

/** Joiners [from, to) with CHANNEL_CONCURRENCY loops at once, spread over the clients; elapsed ms. */
async function rawBlock(
  clients: readonly Client[],
  ou: string,
  realm: string,
  from: number,
  to: number,
): Promise<number> {
  let next = from;
  const loop = async (client: Client) => {
    for (let i = next++; i < to; i = next++) await rawJoiner(client, ou, realm, i);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CHANNEL_CONCURRENCY }, (_, k) => loop(clients[k % clients.length]!)));
  return performance.now() - start;
}

/** Entries of a class under an OU (paged). */
async function countUnder(client: Client, ou: string, filter: string): Promise<number> {
  const { searchEntries } = await client.search(ou, {
    scope: 'sub',
    filter,
    attributes: ['dn'],
    paged: { pageSize: 1000 },
  });
  return searchEntries.length;
}

async function titleOf(client: Client, base: string, employeeId: string): Promise<string | null> {
  const { searchEntries } = await client.search(base, {
    scope: 'sub',
    filter: `(employeeID=${employeeId})`,
    attributes: ['title'],
  });
  const title = searchEntries[0]?.title;
  return typeof title === 'string' ? title : null;
}

// ---------------------------------------------------------------------------------------------- the DC

interface Dc {
  readonly connection: DcConnection;
  readonly password: string;
  readonly ca: string;
  readonly usersOu: string;
  readonly rawOu: string;
  readonly realm: string;
  readonly admin: Client;
}

async function openDc(): Promise<Dc> {
  const dcDir = process.env.HR2AD_DC_DIR;
  if (!dcDir || !existsSync(join(dcDir, 'connection.json')))
    throw new Error('parts a and b need the DC: run them through scripts/bench-control-plane.sh');
  const connection = readDcConnection(join(dcDir, 'connection.json'));
  const password = readFileSync(connection.passwordFile, 'utf8');
  const ca = readFileSync(connection.caFile, 'utf8');
  const admin = await ldapClient(connection, password, ca);
  const usersOu = `OU=Users,${connection.baseDn}`;
  const rawOu = `OU=BenchRaw,${connection.baseDn}`;
  for (const ou of [usersOu, `OU=Disabled Users,${connection.baseDn}`, rawOu]) await ensureOu(admin, ou);
  return { connection, password, ca, usersOu, rawOu, realm: connection.realm.toLowerCase(), admin };
}

// ---------------------------------------------------------------------------------------------- part a

async function rawBaseline(dc: Dc, run: () => Promise<void>): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: RAW_CONNECTIONS }, () => ldapClient(dc.connection, dc.password, dc.ca)),
  );
  await rawJoiner(clients[0]!, dc.rawOu, dc.realm, RAW_COUNT); // warm: connection, TLS, first write
  const half = Math.floor(RAW_COUNT / 2);
  const before = await rawBlock(clients, dc.rawOu, dc.realm, 0, half);
  progress(`raw ldapts: ${half}/${RAW_COUNT} joiners in ${seconds(before)}; now the control plane`);
  await run();
  const after = await rawBlock(clients, dc.rawOu, dc.realm, half, RAW_COUNT);
  await Promise.all(clients.map((c) => c.unbind()));
  return before + after;
}

async function partA(dc: Dc): Promise<void> {
  const ws = workspace('a', dc.connection, dc.connection.baseDn);
  try {
    writeCsv(
      ws.csv,
      Array.from({ length: COUNT }, (_, i) => benchWorker('J', i)),
    );
    const plane = await startPlane(ws);
    let sync = { totalMs: 0, cycleMs: null as number | null };
    const rawMs = await rawBaseline(dc, async () => {
      sync = await timedSync(plane);
      progress(`control plane: ${COUNT} joiners idle after ${seconds(sync.totalMs)}; raw ldapts second half`);
    });
    await plane.stop();
    // A fresh connection: Samba drops a bind left idle longer than its idle limit (15 minutes).
    const counter = await ldapClient(dc.connection, dc.password, dc.ca);
    const accounts = await countUnder(counter, dc.usersOu, '(&(objectClass=user)(employeeID=J*))').finally(() =>
      counter.unbind(),
    );
    if (accounts !== COUNT) throw new Error(`only ${accounts} of ${COUNT} accounts exist after the sync`);
    const planeRate = (COUNT / sync.totalMs) * 1000;
    const rawRate = (RAW_COUNT / rawMs) * 1000;
    line(
      `(a) end to end into AD: ${COUNT} joiners, dc-writes=${dc.connection.durableWrites ? 'fsync (durable)' : 'nosync'}`,
    );
    line(
      `    control plane   ${planeRate.toFixed(1)} joiners/s  (${seconds(sync.totalMs)} from sync request to idle; cycle orchestration done at ${sync.cycleMs === null ? '?' : seconds(sync.cycleMs)}; ${accounts}/${COUNT} accounts checked; channel concurrency ${CHANNEL_CONCURRENCY} workers at once, embedded agent on 1 multiplexed LDAP connection)`,
    );
    line(
      `    raw ldapts loop ${rawRate.toFixed(1)} joiners/s  (${RAW_COUNT} joiners in ${seconds(rawMs)}, half before and half after; concurrency ${CHANNEL_CONCURRENCY} loops on ${RAW_CONNECTIONS} connections)`,
    );
    line(`    ratio control plane/raw ${(planeRate / rawRate).toFixed(3)}  (target >= 0.8)`);
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------- part b

interface LatencySample {
  readonly fromRequestMs: number;
  readonly fromWriteMs: number;
}

async function latencySample(plane: LocalControlPlane, ws: Workspace, dc: Dc, workers: BenchWorker[], k: number) {
  const index = k % workers.length;
  const changed = { ...workers[index]!, title: `Title revision ${k + 1}` };
  workers[index] = changed;
  const written = performance.now();
  writeCsv(ws.csv, workers);
  const requested = performance.now();
  await requestSync(plane);
  while ((await titleOf(dc.admin, dc.usersOu, changed.id)) !== changed.title) await sleep(POLL_MS);
  const seen = performance.now();
  await plane.whenIdle(); // the cycle is a singleton: the next sample starts a fresh one
  return { fromRequestMs: seen - requested, fromWriteMs: seen - written } satisfies LatencySample;
}

function printLatency(label: string, values: readonly number[]): void {
  const sorted = [...values].sort((x, y) => x - y);
  line(
    `    ${label} p50 ${percentile(sorted, 50).toFixed(0)} ms  p95 ${percentile(sorted, 95).toFixed(0)} ms  max ${sorted.at(-1)!.toFixed(0)} ms  (target p95 <= 2000 ms)`,
  );
}

async function partB(dc: Dc): Promise<void> {
  const ws = workspace('b', dc.connection, dc.connection.baseDn);
  try {
    const workers = Array.from({ length: LATENCY_WORKERS }, (_, i) => benchWorker('L', i));
    writeCsv(ws.csv, workers);
    const plane = await startPlane(ws);
    const initial = await timedSync(plane);
    progress(`initial sync of ${LATENCY_WORKERS} workers idle after ${seconds(initial.totalMs)}`);
    const samples: LatencySample[] = [];
    for (let k = 0; k < SAMPLES; k++) samples.push(await latencySample(plane, ws, dc, workers, k));
    await plane.stop();
    line(
      `(b) title change to AD, one worker at a time, idle system: ${SAMPLES} samples, ${LATENCY_WORKERS} workers in the file, AD polled every ${POLL_MS} ms`,
    );
    printLatency(
      'from sync request',
      samples.map((s) => s.fromRequestMs),
    );
    printLatency(
      'from file write  ',
      samples.map((s) => s.fromWriteMs),
    );
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------- part c

async function lifecycleInstances(plane: LocalControlPlane): Promise<number> {
  let count = 0;
  let token: string | null = null;
  do {
    const page = await plane.engine.listStatus({
      instanceIdPrefix: 'lifecycle:',
      top: 1000,
      ...(token ? { continuationToken: token } : {}),
    });
    count += page.instances.length;
    token = page.continuationToken;
  } while (token);
  return count;
}

/** Checkpoints the WAL into the main file (after stop) and sums the files' sizes. */
function checkpointedSize(file: string): { bytes: number; wal: number } {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  const wal = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
  return { bytes: statSync(file).size, wal };
}

function printSizes(ws: Workspace): void {
  const files = localDataFiles(ws.loaded);
  const mb = (bytes: number) => `${((bytes / 1e6) * (10_000 / COUNT)).toFixed(1)} MB`;
  let total = 0;
  const parts = (['state', 'durable', 'channel'] as const).map((name) => {
    const { bytes, wal } = checkpointedSize(files[name]);
    total += bytes + wal;
    return `${name === 'channel' ? 'commands' : name}.db ${mb(bytes + wal)}`;
  });
  line(
    `    SQLite per 10,000 workers (WAL checkpointed): ${parts.join(', ')}; total ${mb(total)}  (measured ${(total / 1e6).toFixed(1)} MB for ${COUNT})`,
  );
}

async function partC(): Promise<void> {
  const ws = workspace('c', null, 'DC=corp,DC=example,DC=test');
  try {
    writeCsv(
      ws.csv,
      Array.from({ length: COUNT }, (_, i) => benchWorker('J', i)),
    );
    const agent = noOpAgent();
    const plane = await startPlane(ws, agent.apply);
    const sync = await timedSync(plane);
    const instances = await lifecycleInstances(plane);
    await plane.stop();
    const commands = [...agent.counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
    line(`(c) orchestration engine alone, no-op agent, no DC: ${COUNT} joiners`);
    line(
      `    ${((instances / sync.totalMs) * 1000).toFixed(1)} lifecycle orchestrations started and immediate step completed per second  (${instances} orchestrations, ${commands}; ${seconds(sync.totalMs)} from sync request to idle; cycle orchestration done at ${sync.cycleMs === null ? '?' : seconds(sync.cycleMs)}; channel concurrency ${CHANNEL_CONCURRENCY})`,
    );
    printSizes(ws);
  } finally {
    rmSync(ws.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const parts = partArg();
  line(
    `bench:control-plane  cpus=${cpus().length} (${cpus()[0]?.model ?? '?'})  node=${process.version}  load=${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}  parts=${parts.join(',')}`,
  );
  if (parts.includes('c')) await partC();
  if (!parts.includes('a') && !parts.includes('b')) return;
  const dc = await openDc();
  try {
    if (parts.includes('a')) await partA(dc);
    if (parts.includes('b')) await partB(dc);
  } finally {
    await dc.admin.unbind();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
