/**
 * Relay benchmark: `--count` joiners (default 2,000) signed as the control plane signs them, sent through
 * the Service Bus test broker (its own process) to a standalone agent process (`hr2ad-agent run`), which
 * applies them to the Samba DC and publishes each result. One run per receiver count (`--receivers 1,4,16`),
 * each with a fresh agent, journal and OU; joiners per second from the first send to the last result
 * received. Every run checks itself: every command came back `Applied` and created its account.
 *
 * Against it, a raw ldapts loop doing the same three writes per joiner (add disabled, set the password,
 * enable with must-change, as bench-agent.ts does), once per receiver count with that many loops each on
 * its own connection (so 1 connection and as many as the best N are both tried); the best is the baseline.
 * Each raw variant runs half its joiners before the relay runs and half after, so both see the directory
 * at similar sizes. Then the ratio relay/raw per N and at the best N, and the agent's peak RSS per N
 * (VmHWM from /proc just before it is stopped).
 *
 *   npm run bench:relay -- [--count 2000] [--receivers 1,4,16] [--raw-count N] [--session-idle-ms 100]
 *       [--agent build|tsx]
 *
 * `--agent build` (default) runs the compiled agent (.build/, as deployed: plain Node with the Node options
 * of the `hr2ad-agent` launcher); `tsx` runs the TypeScript sources through tsx, whose loader adds to the
 * process's memory. The DC is the one scripts/bench-relay.sh brings up (HR2AD_DC_DIR).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AlreadyExistsError, Attribute, Change, Client } from 'ldapts';
import { generateTemporaryPassword } from '../agent/applier/password-generator';
import { readDcConnection, type DcConnection } from '../agent/demo/dc-connection';
import { childDn } from '../shared/directory/dn';
import type { UpsertAccount } from '../shared/protocol';
import { upsertFor } from '../test/harness/commands';
import { relayAgentConfig, writeAgentConfig } from '../test/harness/relay/agent-config';
import { CommandDriver, InMemorySigner } from '../test/harness/relay/command-driver';
import { spawnBroker, type SpawnedBroker } from '../test/harness/service-bus';

// ---------------------------------------------------------------------------------------------- options

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function positive(name: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function receiversOption(): readonly number[] {
  const list = (option('receivers') ?? '1,4,16').split(',').map((n) => positive('receivers', n, 0));
  return [...new Set(list)];
}

function agentOption(): 'build' | 'tsx' {
  const agent = option('agent') ?? 'build';
  if (agent !== 'build' && agent !== 'tsx') throw new Error('--agent must be build or tsx');
  return agent;
}

const COUNT = positive('count', option('count'), 2_000);
const RAW_COUNT = positive('raw-count', option('raw-count'), COUNT);
const RECEIVERS = receiversOption();
/** The agent's `relay.sessionIdleMs`: each worker here has one command, so every session ends in one idle wait. */
const SESSION_IDLE_MS = positive('session-idle-ms', option('session-idle-ms'), 100);
const AGENT = agentOption();
const COMMANDS_QUEUE = 'hr2ad-commands';
const RESULTS_QUEUE = 'hr2ad-results';
/** A bound so a stuck run fails loudly instead of hanging: half a second per joiner. */
const RUN_TIMEOUT_MS = Math.max(120_000, COUNT * 500);
const ROOT = resolve(__dirname, '..');

// ------------------------------------------------------------------------------------------ small tools

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (count: number, ms: number) => (count / ms) * 1000;

function line(text: string): void {
  console.log(text);
}

function progress(text: string): void {
  process.stderr.write(`  ${text}\n`);
}

// ---------------------------------------------------------------------------------------------- the DC

interface Dc {
  readonly connection: DcConnection;
  readonly password: string;
  readonly ca: string;
  readonly realm: string;
}

function openDc(): Dc {
  const dcDir = process.env.HR2AD_DC_DIR;
  if (!dcDir || !existsSync(join(dcDir, 'connection.json')))
    throw new Error('the relay benchmark needs its DC: run it through scripts/bench-relay.sh');
  const connection = readDcConnection(join(dcDir, 'connection.json'));
  return {
    connection,
    password: readFileSync(connection.passwordFile, 'utf8'),
    ca: readFileSync(connection.caFile, 'utf8'),
    realm: connection.realm.toLowerCase(),
  };
}

async function ldapClient(dc: Dc): Promise<Client> {
  const { url, serverName, bindDn } = dc.connection;
  const client = new Client({ url, strictDN: false, tlsOptions: { ca: [dc.ca], servername: serverName } });
  await client.bind(bindDn, dc.password);
  return client;
}

/** A fresh OU under the domain (an OU left by an earlier run of this DC is reused). */
async function ensureOu(dc: Dc, name: string): Promise<string> {
  const dn = childDn('OU', name, dc.connection.baseDn);
  const client = await ldapClient(dc);
  try {
    await client.add(dn, { objectClass: ['top', 'organizationalUnit'] });
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
  } finally {
    await client.unbind();
  }
  return dn;
}

/** Accounts under an OU (paged), on a fresh connection. */
async function accountsUnder(dc: Dc, ou: string): Promise<number> {
  const client = await ldapClient(dc);
  try {
    const { searchEntries } = await client.search(ou, {
      scope: 'sub',
      filter: '(objectClass=user)',
      attributes: ['dn'],
      paged: { pageSize: 1000 },
    });
    return searchEntries.length;
  } finally {
    await client.unbind();
  }
}

// ----------------------------------------------------------------------------------------- raw ldapts

interface RawVariant {
  readonly connections: number;
  readonly ou: string;
  readonly clients: readonly Client[];
  elapsedMs: number;
}

/** The same three writes as bench-agent.ts: add disabled, set the password, enable with must-change. */
async function rawJoiner(client: Client, variant: RawVariant, realm: string, i: number): Promise<void> {
  const sam = `rawc${variant.connections}u${i}`;
  const given = 'Raw';
  const family = `C${variant.connections}W${String(i).padStart(6, '0')}`;
  const dn = childDn('CN', `${given} ${family}`, variant.ou);
  await client.add(dn, {
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    sAMAccountName: sam,
    userPrincipalName: `${sam}@${realm}`,
    givenName: given,
    sn: family,
    displayName: `${given} ${family}`,
    employeeID: family,
    userAccountControl: '546',
  });
  const unicodePwd = Buffer.from(`"${generateTemporaryPassword(20, [sam])}"`, 'utf16le');
  await client.modify(
    dn,
    new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd] }) }),
  );
  await client.modify(dn, [
    new Change({ operation: 'replace', modification: new Attribute({ type: 'userAccountControl', values: ['512'] }) }),
    new Change({ operation: 'replace', modification: new Attribute({ type: 'pwdLastSet', values: ['0'] }) }),
  ]);
}

async function openRawVariant(dc: Dc, connections: number): Promise<RawVariant> {
  const ou = await ensureOu(dc, `BenchRelayRaw${connections}`);
  const clients = await Promise.all(Array.from({ length: connections }, () => ldapClient(dc)));
  return { connections, ou, clients, elapsedMs: 0 };
}

/** Joiners [from, to), one loop per connection; adds the elapsed time to the variant's. */
async function rawBlock(variant: RawVariant, realm: string, from: number, to: number): Promise<void> {
  let next = from;
  const loop = async (client: Client) => {
    for (let i = next++; i < to; i = next++) await rawJoiner(client, variant, realm, i);
  };
  const start = performance.now();
  await Promise.all(variant.clients.map(loop));
  variant.elapsedMs += performance.now() - start;
  progress(
    `raw ldapts, ${variant.connections} connection(s): joiners ${from}..${to - 1} in ${seconds(variant.elapsedMs)} so far`,
  );
}

// ------------------------------------------------------------------------------------------ the agent

interface RunningAgent {
  readonly pid: number;
  /** SIGTERM (a clean stop: no new sessions, commands in hand finish); the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The Node options the launcher (`./hr2ad-agent`) runs the agent with, read from its `exec node` line, so
 * the benchmark measures the memory settings that ship.
 */
function launcherNodeFlags(): string[] {
  const launcher = readFileSync(join(ROOT, 'hr2ad-agent'), 'utf8').replace(/\\\n\s*/g, ' '); // joins continued lines
  const exec = /^exec node (.*?) "\$HR2AD_ROOT\/\.build\/agent\/cli\/hr2ad-agent\.js"/m.exec(launcher);
  if (!exec?.[1])
    throw new Error('hr2ad-agent: no `exec node <flags> "$HR2AD_ROOT/.build/…"` line to take the flags from');
  return exec[1].split(/\s+/).filter((flag) => flag.startsWith('--'));
}

/** `hr2ad-agent run --config <file>`, compiled or through tsx, its JSON log lines appended to `logFile`. */
function startAgent(configFile: string, logFile: string): RunningAgent {
  const entry =
    AGENT === 'build'
      ? [...launcherNodeFlags(), join(ROOT, '.build/agent/cli/hr2ad-agent.js')] // as ./hr2ad-agent runs it
      : ['--import', 'tsx', '--disable-warning=ExperimentalWarning', join(ROOT, 'agent/cli/hr2ad-agent.ts')];
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...entry, 'run', '--config', configFile], {
    cwd: ROOT,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  if (child.pid === undefined) throw new Error('the agent process did not start');
  return {
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      return exit;
    },
  };
}

/** The process's peak resident set size in MB (VmHWM), read from /proc. */
function peakRssMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

// ---------------------------------------------------------------------------------------------- relay

interface Relay {
  readonly dc: Dc;
  readonly broker: SpawnedBroker;
  readonly driver: CommandDriver;
  readonly signer: InMemorySigner;
  readonly dir: string;
}

interface RelayRun {
  readonly receivers: number;
  readonly elapsedMs: number;
  readonly peakRssMb: number;
  readonly accounts: number;
}

function joiners(relay: Relay, receivers: number, ou: string): UpsertAccount[] {
  return Array.from({ length: COUNT }, (_, i) => {
    const id = `N${receivers}W${String(i).padStart(6, '0')}`;
    return upsertFor({ id, given: 'Relay', family: id, ou, realm: relay.dc.realm });
  });
}

/** Fails loudly unless every command came back Applied and created its account. */
function assertAllApplied(relay: Relay, commands: readonly UpsertAccount[], receivers: number): void {
  const wrong = commands.filter((c) => {
    const result = relay.driver.firstResult(c.commandId);
    return result?.kind !== 'Applied' || !result.created;
  });
  if (wrong.length === 0) return;
  const first = relay.driver.firstResult(wrong[0]!.commandId);
  throw new Error(
    `N=${receivers}: ${wrong.length} of ${commands.length} commands were not Applied with a new account (first: ${wrong[0]!.workerKey} ${JSON.stringify(first)})`,
  );
}

async function waitForHeartbeat(relay: Relay, agentId: string): Promise<void> {
  await relay.driver.waitUntil(
    () => relay.driver.messagesOfType('AgentHeartbeat').some((h) => h.agentId === agentId),
    60_000,
    () => `a first heartbeat from ${agentId} (its log is in the benchmark's temp dir)`,
  );
}

async function relayRun(relay: Relay, receivers: number): Promise<RelayRun> {
  const ou = await ensureOu(relay.dc, `BenchRelayN${receivers}`);
  const agentId = `bench-relay-n${receivers}`;
  const configFile = writeAgentConfig(
    join(relay.dir, `${agentId}.json`),
    relayAgentConfig({
      dc: relay.dc.connection,
      connectionString: relay.broker.connectionString,
      publicKeys: [relay.signer.pin],
      journalPath: join(relay.dir, `${agentId}-journal.db`),
      allowedOus: [ou],
      agentId,
      receivers,
      sessionIdleMs: SESSION_IDLE_MS,
      heartbeatSeconds: 30,
      maxDeliveries: 10,
    }),
  );
  const agent = startAgent(configFile, join(relay.dir, `${agentId}.log`));
  let stopped = false;
  try {
    await waitForHeartbeat(relay, agentId);
    const commands = joiners(relay, receivers, ou);
    const start = performance.now();
    await relay.driver.send(commands);
    await relay.driver.waitForResults(
      commands.map((c) => c.commandId),
      RUN_TIMEOUT_MS,
    );
    const elapsedMs = performance.now() - start;
    const peak = peakRssMb(agent.pid);
    stopped = true;
    const code = await agent.stop();
    if (code !== 0) throw new Error(`N=${receivers}: the agent exited with ${String(code)} on SIGTERM`);
    assertAllApplied(relay, commands, receivers);
    const accounts = await accountsUnder(relay.dc, ou);
    if (accounts !== COUNT) throw new Error(`N=${receivers}: ${accounts} accounts in ${ou}, expected ${COUNT}`);
    progress(
      `relay, ${receivers} receiver(s): ${COUNT} joiners in ${seconds(elapsedMs)}, peak RSS ${peak.toFixed(1)} MB`,
    );
    return { receivers, elapsedMs, peakRssMb: peak, accounts };
  } finally {
    if (!stopped) await agent.stop();
  }
}

async function openRelay(dc: Dc, dir: string): Promise<Relay> {
  const broker = await spawnBroker({
    queues: [
      { name: COMMANDS_QUEUE, requiresSession: true, lockDurationMs: 30_000, maxDeliveryCount: 10 },
      { name: RESULTS_QUEUE },
    ],
  });
  const signer = new InMemorySigner();
  const driver = new CommandDriver({ connectionString: broker.connectionString, signer });
  return { dc, broker, driver, signer, dir };
}

// ---------------------------------------------------------------------------------------------- report

function printReport(runs: readonly RelayRun[], raws: readonly RawVariant[]): void {
  const half = Math.floor(RAW_COUNT / 2);
  for (const raw of raws)
    line(
      `raw ldapts  ${raw.connections} connection(s), ${raw.connections} loop(s)  ${rate(RAW_COUNT, raw.elapsedMs).toFixed(1)} joiners/s  (${RAW_COUNT} joiners in ${seconds(raw.elapsedMs)}: ${half} before the relay runs, ${RAW_COUNT - half} after)`,
    );
  const bestRaw = raws.reduce((a, b) => (rate(RAW_COUNT, b.elapsedMs) > rate(RAW_COUNT, a.elapsedMs) ? b : a));
  const rawRate = rate(RAW_COUNT, bestRaw.elapsedMs);
  line(`raw ldapts  best  ${rawRate.toFixed(1)} joiners/s  (${bestRaw.connections} connection(s))`);
  for (const run of runs)
    line(
      `relay       N=${run.receivers}  ${rate(COUNT, run.elapsedMs).toFixed(1)} joiners/s  (${COUNT} joiners from first send to last result in ${seconds(run.elapsedMs)}; ${COUNT}/${COUNT} Applied; ${run.accounts} accounts in its OU)`,
    );
  for (const run of runs)
    line(`ratio       N=${run.receivers}  relay/raw ${(rate(COUNT, run.elapsedMs) / rawRate).toFixed(3)}`);
  const best = runs.reduce((a, b) => (b.elapsedMs < a.elapsedMs ? b : a));
  line(
    `ratio       best N=${best.receivers}  relay/raw ${(rate(COUNT, best.elapsedMs) / rawRate).toFixed(3)}  (target >= 0.8)`,
  );
  for (const run of runs)
    line(`agent RSS   N=${run.receivers}  peak ${run.peakRssMb.toFixed(1)} MB  (VmHWM before stop; target <= 100 MB)`);
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const dc = openDc();
  line(
    `bench:relay  cpus=${cpus().length} (${cpus()[0]?.model ?? '?'})  node=${process.version}  load=${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )}  count=${COUNT}  receivers=${RECEIVERS.join(',')}  agent=${AGENT === 'build' ? `build (node ${launcherNodeFlags().join(' ')})` : AGENT}  relay.sessionIdleMs=${SESSION_IDLE_MS}  dc-writes=${dc.connection.durableWrites ? 'fsync (durable)' : 'nosync'}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'hr2ad-bench-relay-'));
  const relay = await openRelay(dc, dir);
  const raws: RawVariant[] = [];
  let failed = false;
  try {
    for (const connections of RECEIVERS) raws.push(await openRawVariant(dc, connections));
    for (const raw of raws) await rawJoiner(raw.clients[0]!, raw, dc.realm, RAW_COUNT); // warm: TLS, first write
    const half = Math.floor(RAW_COUNT / 2);
    for (const raw of raws) await rawBlock(raw, dc.realm, 0, half);
    const runs: RelayRun[] = [];
    for (const receivers of RECEIVERS) runs.push(await relayRun(relay, receivers));
    for (const raw of raws) await rawBlock(raw, dc.realm, half, RAW_COUNT);
    printReport(runs, raws);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await Promise.all(raws.flatMap((raw) => raw.clients.map((c) => c.unbind().catch(() => undefined))));
    await relay.driver.close();
    await relay.broker.kill();
    // On failure the agents' logs stay for a look.
    if (failed) progress(`agent configurations and logs kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
