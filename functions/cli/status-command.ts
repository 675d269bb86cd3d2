/**
 * `hr2ad status [worker]`, `hr2ad approve <cycle>`, `hr2ad reject <cycle>`: through the control plane's
 * HTTP API — the running one (`hr2ad run`), or one started in this process for the request. An approval
 * made here without a running control plane continues the cycle here until nothing is due now.
 */
import { displayText } from '../../shared/util/display-text';
import { apiToken, localDataFiles, openSecrets } from '../local-host/local-control-plane';
import type { CliIo } from './cli-io';
import {
  apiRequest,
  ApiProblemError,
  loadOrReport,
  openApiSession,
  type ApiSession,
  type ControlPlaneCliEnv,
} from './control-plane-session';
import { EXIT, type ExitCode } from './exit-codes';
import { collectSummary, renderSummary } from './sync-summary';

interface WorkerStatusView {
  workerKey: string;
  phase: string | null;
  identifiers: Record<string, string> | null;
  lifecycle: {
    runtimeStatus: string;
    status: {
      waitingFor: string;
      pending: { commandId: string; kind: string; purpose: string; dueAt: string }[];
    } | null;
  } | null;
  outcomes: { commandId: string; kind: string; status: string; at: string; attempts: number }[];
}

interface CycleView {
  cycleId: string;
  sourceId: string;
  status: string;
  startedAt: string;
  reason: string | null;
  counts: Record<string, number>;
}

interface SourceView {
  sourceId: string;
  healthy: boolean | null;
  lastCycle: { cycleId: string; status: string; startedAt: string } | null;
  failingSince: string | null;
  reason: string | null;
}

function renderSource(s: SourceView): string {
  const name = `  ${displayText(s.sourceId)}`;
  if (s.healthy === null) return `${name}  not read yet`;
  const last = `last cycle ${s.lastCycle!.cycleId} ${s.lastCycle!.status}`;
  if (s.healthy) return `${name}  healthy (${last})`;
  return `${name}  UNHEALTHY since ${s.failingSince} (${last}) — ${displayText(s.reason ?? 'no reason given')}`;
}

interface AgentView {
  agentId: string;
  version: string;
  hostname: string;
  secondsSinceSeen: number;
  silent: boolean;
  sessionsHeld: number;
  commandsApplied: number;
  refused: number;
  errors: number;
  deadLettered: number;
  lastError: string | null;
}

function renderAgent(a: AgentView): string {
  const name = `${displayText(a.agentId)}${a.hostname ? ` on ${displayText(a.hostname)}` : ''}`;
  const seen = `last seen ${a.secondsSinceSeen} s ago${a.silent ? ' — SILENT (missed 3 heartbeats)' : ''}`;
  const counts =
    `sessions ${a.sessionsHeld}, applied ${a.commandsApplied}, refused ${a.refused}, ` +
    `errors ${a.errors}, dead-lettered ${a.deadLettered}`;
  const error = a.lastError ? `\n    last error: ${displayText(a.lastError)}` : '';
  return `  ${name} ${a.version ? `(${displayText(a.version)}) ` : ''}${seen}\n    ${counts}${error}`;
}

async function withSession(
  config: string,
  io: CliIo,
  env: ControlPlaneCliEnv & { readonly readOnly?: boolean },
  run: (s: ApiSession) => Promise<ExitCode>,
) {
  const loaded = loadOrReport(config, io);
  if (!loaded) return EXIT.invalidInput;
  const session = await openApiSession(loaded, { clock: env.clock, readOnly: env.readOnly ?? false });
  try {
    return await run(session);
  } catch (error) {
    if (!(error instanceof ApiProblemError)) throw error;
    io.stderr(`hr2ad: ${displayText(error.message)}\n`);
    return EXIT.invalidInput;
  } finally {
    await session.close();
  }
}

function renderWorker(w: WorkerStatusView): string {
  const lines = [`Worker ${displayText(w.workerKey)}: ${w.phase ?? 'not planned yet'}`];
  for (const [k, v] of Object.entries(w.identifiers ?? {})) lines.push(`  ${k}: ${displayText(v)}`);
  const status = w.lifecycle?.status;
  lines.push(
    `  lifecycle: ${w.lifecycle ? `${w.lifecycle.runtimeStatus}, waiting for ${status?.waitingFor ?? '?'}` : 'none'}`,
  );
  for (const p of status?.pending ?? []) lines.push(`    due ${p.dueAt}  ${p.kind} (${p.purpose})`);
  lines.push(`  last results:`);
  for (const o of w.outcomes) lines.push(`    ${o.at}  ${o.kind} ${o.status} (attempts ${o.attempts})`);
  return `${lines.join('\n')}\n`;
}

export async function runStatus(
  options: { config: string; worker?: string; json?: boolean },
  io: CliIo,
  env: ControlPlaneCliEnv,
) {
  // Looking is not doing: without a running control plane, status starts one that does no due work.
  return withSession(options.config, io, { ...env, readOnly: true }, async (session) => {
    if (options.worker) {
      const worker = await apiRequest<WorkerStatusView>(
        session,
        'GET',
        `workers/${encodeURIComponent(options.worker)}`,
      );
      await io.stdout(options.json ? `${JSON.stringify(worker, null, 2)}\n` : renderWorker(worker));
      return EXIT.ok;
    }
    const { cycles } = await apiRequest<{ cycles: CycleView[] }>(session, 'GET', 'cycles?limit=10');
    const { quarantined } = await apiRequest<{ quarantined: unknown[] }>(session, 'GET', 'quarantine');
    const { agents } = await apiRequest<{ agents: AgentView[] }>(session, 'GET', 'agents');
    const { sources } = await apiRequest<{ sources: SourceView[] }>(session, 'GET', 'sources');
    if (options.json) {
      await io.stdout(`${JSON.stringify({ sources, cycles, quarantined, agents }, null, 2)}\n`);
      return EXIT.ok;
    }
    const lines = ['Sources:', ...sources.map(renderSource), 'Recent cycles:'];
    for (const c of cycles) lines.push(`  ${c.cycleId}  ${c.status}${c.reason ? ` — ${displayText(c.reason)}` : ''}`);
    lines.push(`Quarantined records: ${quarantined.length}`);
    if (agents.length > 0) lines.push('Agents:', ...agents.map(renderAgent));
    await io.stdout(`${lines.join('\n')}\n`);
    return EXIT.ok;
  });
}

export async function runDecision(
  approved: boolean,
  options: { config: string; cycle: string; by?: string },
  io: CliIo,
  env: ControlPlaneCliEnv,
) {
  return withSession(options.config, io, env, async (session) => {
    const since = env.clock.now().toISOString();
    const verb = approved ? 'approve' : 'reject';
    await apiRequest(session, 'POST', `cycles/${encodeURIComponent(options.cycle)}/${verb}`, {
      by: options.by ?? 'cli',
    });
    if (!session.plane) {
      await io.stdout(`cycle ${options.cycle}: ${verb}d; the running control plane continues it\n`);
      return EXIT.ok;
    }
    await session.plane.whenIdle();
    const cycle = await session.plane.ports.stateStore.getCycle(options.cycle);
    const summary = await collectSummary(
      session.plane.ports.stateStore,
      session.plane.engine,
      [options.cycle],
      cycle ? [cycle.sourceId] : [],
      since,
      env.clock.now(),
    );
    await io.stdout(renderSummary(summary));
    return summary.quarantined.length > 0 ? EXIT.quarantined : EXIT.ok;
  });
}

/** `hr2ad api-token`: prints the local API's token (created if there is none yet), for scripts and curl. */
export async function runApiToken(options: { config: string }, io: CliIo): Promise<ExitCode> {
  const loaded = loadOrReport(options.config, io);
  if (!loaded) return EXIT.invalidInput;
  await io.stdout(`${await apiToken(await openSecrets(localDataFiles(loaded)))}\n`);
  return EXIT.ok;
}
