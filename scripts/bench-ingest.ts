/**
 * Ingest benchmark: SCIM bulk requests posted to the local control plane (`LocalControlPlane`: the
 * Functions app on the local Functions host, the ingest store in SQLite, local bearer tokens), in two
 * parts, each printing one line per figure:
 *
 * (a) intake throughput, no DC: `--clients` (4) concurrent clients each post `--requests` (100)
 *     BulkRequests of `--operations` (50) joiners, with a bearer token, as Entra's clients do; timed from
 *     the first post to the last 202, so records accepted and durably queued (synchronous=FULL) per
 *     second. The plane runs as in production meanwhile: ingest cycles plan and hand on what arrives, and a
 *     no-op agent answers the commands. Baseline in the same run: the same requests appended straight to a
 *     SQLite ingest store (no HTTP, no token, no SCIM checks). Then the drain: until every record is
 *     planned and its command answered, per second.
 * (b) latency, one worker, idle system, against the Samba DC: `--samples` (20) times, post one SCIM
 *     operation changing the worker's title and poll AD (ldapts search by employeeID) until it shows; p50
 *     and p95 from the post. The first post (the joiner) is timed apart.
 *
 *   npm run bench:ingest -- [--part a|b|all] [--clients 4] [--requests 100] [--operations 50] [--samples 20]
 *
 * Part b needs the DC that scripts/bench-ingest.sh brings up (HR2AD_DC_DIR).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlreadyExistsError, Client } from 'ldapts';
import { readDcConnection, type DcConnection } from '../agent/demo/dc-connection';
import { createPinoLogger } from '../agent/index';
import { silentLogger } from '../agent/logging/silent-logger';
import { issueIngestToken } from '../functions/adapters/ingest-auth/local-token-issuer';
import { SqliteIngestStore } from '../functions/adapters/sqlite/sqlite-ingest-store';
import type { ControlPlaneConfigInput } from '../functions/config/control-plane-config';
import { loadControlPlaneConfig, type LoadedConfig } from '../functions/config/load-config';
import { LocalControlPlane, localDataFiles, openSecrets } from '../functions/local-host/local-control-plane';
import type { IngestRequest } from '../shared/ports/ingest-store.port';
import { agentDirectory } from './bench/agent-directory';
import { noOpAgent } from './bench/no-op-agent';

// ---------------------------------------------------------------------------------------------- options

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function partArg(): readonly ('a' | 'b')[] {
  const i = process.argv.indexOf('--part');
  const part = i > 0 ? process.argv[i + 1] : 'all';
  if (part === 'all') return ['a', 'b'];
  if (part === 'a' || part === 'b') return [part];
  throw new Error('--part must be a, b or all');
}

const CLIENTS = arg('clients', 4);
const REQUESTS = arg('requests', 100);
const OPERATIONS = arg('operations', 50);
const SAMPLES = arg('samples', 20);
const SOURCE_ID = 'hr-scim';
const UPN_SUFFIX = 'corp.example.test';
const POLL_MS = 10;
const LOGGER = process.env.HR2AD_BENCH_LOG
  ? createPinoLogger({ level: process.env.HR2AD_BENCH_LOG as 'warn' })
  : silentLogger;

const line = (text: string): void => console.log(text);
const progress = (text: string): void => void process.stderr.write(`  ${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// ------------------------------------------------------------------------------------------- SCIM

function scimOperation(id: string, title: string): Record<string, unknown> {
  return {
    method: 'POST',
    bulkId: `b-${id}`,
    path: '/Users',
    data: {
      schemas: [
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        'urn:ietf:params:scim:schemas:extension:contoso:1.0:User',
      ],
      externalId: id,
      userName: `${id}@${UPN_SUFFIX}`,
      name: { givenName: 'Given', familyName: `Worker${id}` },
      emails: [{ value: `given.worker${id}@${UPN_SUFFIX}`.toLowerCase(), type: 'work', primary: true }],
      title,
      userType: 'Employee',
      active: true,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
        employeeNumber: id,
        department: 'Engineering',
        costCenter: '4130',
        organization: 'Contoso',
      },
      'urn:ietf:params:scim:schemas:extension:contoso:1.0:User': { HireDate: '2020-01-06T00:00:00Z', JobCode: 'ENG-1' },
    },
  };
}

function bulkBody(ids: readonly string[], title = 'Engineer'): string {
  return JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
    Operations: ids.map((id) => scimOperation(id, title)),
  });
}

// --------------------------------------------------------------------------------------- control plane

interface Workspace {
  readonly dir: string;
  readonly loaded: LoadedConfig;
}

/** A temp dir with a configuration whose only source is SCIM (default mapping: every worker in OU=Users). */
function workspace(name: string, dc: DcConnection | null, domainDn: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), `hr2ad-bench-${name}-`));
  const config: ControlPlaneConfigInput = {
    version: 1,
    dataDirectory: 'data',
    sources: [{ id: SOURCE_ID, kind: 'scim', source: 'bench' }],
    mapping: { defaults: { domainDn, upnSuffix: UPN_SUFFIX } },
    agent: {
      directory: agentDirectory(dc, dir),
      policy: { domainDn, allowedOus: [`OU=Users,${domainDn}`, `OU=Disabled Users,${domainDn}`] },
    },
    api: { port: 0 },
  };
  writeFileSync(join(dir, 'hr2ad.config.json'), JSON.stringify(config));
  return { dir, loaded: loadControlPlaneConfig(join(dir, 'hr2ad.config.json')) };
}

async function bearerToken(ws: Workspace): Promise<string> {
  const auth = ws.loaded.config.ingest.auth;
  if (auth.kind !== 'local') throw new Error('the benchmark uses local tokens');
  return issueIngestToken(await openSecrets(localDataFiles(ws.loaded)), auth, { subject: 'bench', days: 1 });
}

async function post(plane: LocalControlPlane, token: string, body: string): Promise<string> {
  const response = await fetch(`${plane.url}/api/sources/${SOURCE_ID}/bulkUpload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    body,
  });
  const answer = (await response.json()) as { Operations?: { status: string }[] };
  if (response.status !== 202) throw new Error(`bulkUpload answered ${response.status}`);
  // A benchmark of refusals would measure nothing: every operation must be queued.
  const refused = answer.Operations?.find((op) => op.status !== '202');
  if (refused) throw new Error(`an operation was refused: ${JSON.stringify(refused)}`);
  return response.headers.get('location')!;
}

// ---------------------------------------------------------------------------------------------- part a

/** The requests each client posts: ids unique across clients. */
function clientBodies(client: number, run: string): string[] {
  return Array.from({ length: REQUESTS }, (_, r) =>
    bulkBody(
      Array.from(
        { length: OPERATIONS },
        (_, o) => `${run.toUpperCase()}C${client}R${String(r).padStart(4, '0')}O${String(o).padStart(2, '0')}`,
      ),
    ),
  );
}

/** The same records as stored requests, for the raw store baseline. */
function storedRequests(bodies: readonly string[]): IngestRequest[] {
  return bodies.map((body) => ({
    requestId: randomUUID(),
    sourceId: SOURCE_ID,
    kind: 'scim',
    receivedAt: new Date().toISOString(),
    client: 'bench',
    operations: (JSON.parse(body) as { Operations: { bulkId: string; data: { externalId: string } }[] }).Operations.map(
      (op, index) => ({
        index,
        bulkId: op.bulkId,
        location: `operation ${index}`,
        workerKey: `bench:${op.data.externalId}`,
        record: op.data,
        keepStatus: false,
        status: 'queued' as const,
        issues: [],
        cycleId: null,
        classification: null,
        planId: null,
        decidedAt: null,
      }),
    ),
  }));
}

async function rawAppendRate(bodies: readonly (readonly string[])[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'hr2ad-bench-raw-ingest-'));
  try {
    const store = SqliteIngestStore.open(join(dir, 'ingest.db'));
    const requests = bodies.map(storedRequests);
    const start = performance.now();
    await Promise.all(
      requests.map(async (list) => {
        for (const r of list) await store.append(r);
      }),
    );
    const ms = performance.now() - start;
    await store.close();
    return perSecond(requests.flat().length * OPERATIONS, ms);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each client posts its requests in turn, the clients at once; ms from the first post to the last 202. */
async function postAll(plane: LocalControlPlane, token: string, bodies: readonly string[][]): Promise<number> {
  const start = performance.now();
  await Promise.all(
    bodies.map(async (list) => {
      for (const body of list) await post(plane, token, body);
    }),
  );
  return performance.now() - start;
}

function startPlane(ws: Workspace, options: { paused: boolean; apply: ReturnType<typeof noOpAgent>['apply'] }) {
  return LocalControlPlane.start({
    loaded: ws.loaded,
    clock: { now: () => new Date() },
    logger: LOGGER,
    httpPort: 0,
    timers: false,
    // Paused: the durable engine keeps what is started but runs nothing.
    pauseOrchestrations: options.paused,
    applyCommand: options.apply,
  });
}

/** Intake with the orchestrations paused, then on a fresh plane with them running; then the drain. */
async function partA(): Promise<void> {
  const total = CLIENTS * REQUESTS * OPERATIONS;
  line(`(a) SCIM intake: ${CLIENTS} clients × ${REQUESTS} requests × ${OPERATIONS} operations = ${total} records`);
  const raw = await rawAppendRate(Array.from({ length: CLIENTS }, (_, c) => clientBodies(c, 'raw')));
  line(`  baseline, the same requests appended straight to a SQLite ingest store: ${raw} records/s`);
  const alone = await intake('alone', true);
  line(`  endpoint alone (orchestrations paused): ${describe(alone, raw)}`);
  const busy = await intake('busy', false);
  line(`  while the plane plans and applies what arrives: ${describe(busy, raw)}`);
  line(
    `  target 5000 records/s: ${Math.max(alone.rate, busy.rate) >= 5000 ? 'met' : 'missed'} alone ${alone.rate}, busy ${busy.rate}`,
  );
  line(
    `  drained (planned, handed on, answered by a no-op agent): ${busy.drainRate} records/s; ${busy.applied} joiners answered; still waiting: ${busy.waiting}`,
  );
}

/** Every accepted record must be stored, none refused (the paused engine may still have begun one cycle). */
async function queuedCheck(plane: LocalControlPlane, total: number) {
  let stored = 0;
  let after: string | undefined;
  do {
    const page = await plane.ports.ingest!.store.listOperations({
      sourceId: SOURCE_ID,
      limit: 1000,
      ...(after ? { after } : {}),
    });
    stored += page.entries.filter((e) => e.status !== 'failed').length;
    after = page.next ?? undefined;
  } while (after);
  if (stored !== total) throw new Error(`${stored} of ${total} accepted records are stored`);
  return { drainRate: 0, applied: 0, waiting: true };
}

interface IntakeFigures {
  readonly rate: number;
  readonly intakeMs: number;
  readonly drainRate: number;
  readonly applied: number;
  readonly waiting: boolean;
}

function describe(figures: IntakeFigures, raw: number): string {
  const requests = perSecond(CLIENTS * REQUESTS, figures.intakeMs);
  return `${figures.rate} records/s (${requests} requests/s; ${(figures.rate / raw).toFixed(3)} of the raw appends)`;
}

async function intake(name: string, paused: boolean): Promise<IntakeFigures> {
  const total = CLIENTS * REQUESTS * OPERATIONS;
  const bodies = Array.from({ length: CLIENTS }, (_, c) => clientBodies(c, name));
  const ws = workspace(`ingest-${name}`, null, 'DC=corp,DC=example,DC=test');
  const agent = noOpAgent();
  const plane = await startPlane(ws, { paused, apply: agent.apply });
  try {
    const token = await bearerToken(ws);
    const start = performance.now();
    const intakeMs = await postAll(plane, token, bodies);
    progress(`${name}: accepted in ${(intakeMs / 1000).toFixed(1)} s`);
    if (paused) return { rate: perSecond(total, intakeMs), intakeMs, ...(await queuedCheck(plane, total)) };
    await plane.whenIdle();
    const drainMs = performance.now() - start;
    return {
      rate: perSecond(total, intakeMs),
      intakeMs,
      drainRate: perSecond(total, drainMs),
      applied: agent.counts.get('UpsertAccount') ?? 0,
      waiting: await plane.ports.ingest!.store.hasPending(SOURCE_ID),
    };
  } finally {
    await plane.stop();
    if (!process.env.HR2AD_BENCH_KEEP) rmSync(ws.dir, { recursive: true, force: true });
    else progress(`kept ${ws.dir}`);
  }
}

// ---------------------------------------------------------------------------------------------- part b

async function openDc(): Promise<{ connection: DcConnection; admin: Client }> {
  const dcDir = process.env.HR2AD_DC_DIR;
  if (!dcDir || !existsSync(join(dcDir, 'connection.json')))
    throw new Error('part b needs the DC: run it through scripts/bench-ingest.sh');
  const connection = readDcConnection(join(dcDir, 'connection.json'));
  const admin = new Client({
    url: connection.url,
    strictDN: false,
    tlsOptions: { ca: [readFileSync(connection.caFile, 'utf8')], servername: connection.serverName },
  });
  await admin.bind(connection.bindDn, readFileSync(connection.passwordFile, 'utf8'));
  for (const ou of [`OU=Users,${connection.baseDn}`, `OU=Disabled Users,${connection.baseDn}`]) {
    try {
      await admin.add(ou, { objectClass: ['top', 'organizationalUnit'] });
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }
  return { connection, admin };
}

async function titleOf(admin: Client, base: string, employeeId: string): Promise<string | null> {
  const { searchEntries } = await admin.search(base, {
    scope: 'sub',
    filter: `(employeeID=${employeeId})`,
    attributes: ['title'],
  });
  const title = searchEntries[0]?.title;
  return typeof title === 'string' ? title : null;
}

/** Posts the worker with `title` and polls AD until it shows; ms from the post. */
async function timedPost(
  plane: LocalControlPlane,
  token: string,
  admin: Client,
  base: string,
  id: string,
  title: string,
) {
  const start = performance.now();
  await post(plane, token, bulkBody([id], title));
  while ((await titleOf(admin, base, id)) !== title) {
    if (performance.now() - start > 60_000) throw new Error(`title ${title} did not reach AD within a minute`);
    await sleep(POLL_MS);
  }
  const ms = performance.now() - start;
  await plane.whenIdle();
  return ms;
}

async function partB(): Promise<void> {
  const { connection, admin } = await openDc();
  const ws = workspace('ingest-b', connection, connection.baseDn);
  try {
    const plane = await LocalControlPlane.start({
      loaded: ws.loaded,
      clock: { now: () => new Date() },
      logger: LOGGER,
      httpPort: 0,
      timers: false,
    });
    const token = await bearerToken(ws);
    const id = `L${Date.now().toString(36).toUpperCase()}`;
    line(`(b) latency, SCIM post → AD, one worker, idle system, ${SAMPLES} posts`);
    const joinerMs = await timedPost(plane, token, admin, connection.baseDn, id, 'Title 0');
    const samples: number[] = [];
    for (let i = 1; i <= SAMPLES; i++) {
      samples.push(await timedPost(plane, token, admin, connection.baseDn, id, `Title ${i}`));
    }
    await plane.stop();
    const sorted = [...samples].sort((a, b) => a - b);
    line(`  joiner (account created): ${joinerMs.toFixed(0)} ms`);
    line(
      `  title change: p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
    );
    line(`  target p95 ≤ 2000 ms: ${percentile(sorted, 95) <= 2000 ? 'met' : 'missed'}`);
  } finally {
    await admin.unbind().catch(() => undefined);
    rmSync(ws.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  line(
    `machine: ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const part of partArg()) await (part === 'a' ? partA() : partB());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
