/** Read-only routes: preview (nothing stored or sent), the quarantine list, the audit log, agents and health. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { previewCycle, previewWorkerJson } from '../../shared/planner/preview';
import type { AgentRecord, AuditQuery } from '../../shared/ports/state-store.port';
import { statesWithLinks } from '../activities/account-links';
import type { ControlPlanePorts } from '../app/control-plane-ports';
import { json, problem } from './problem';
import { allRecords } from './source-records';

/** At most this many workers per preview response; a bigger snapshot is previewed with the CLI. */
const PREVIEW_LIMIT = 5000;

export async function preview(ports: ControlPlanePorts, req: HttpRequest): Promise<HttpResponseInit> {
  const workerKey = req.query.get('workerKey');
  const { records, suspect } = await allRecords(ports);
  const report = previewCycle({
    records,
    states: await statesWithLinks(ports.stateStore),
    config: ports.mapping,
    now: ports.clock.now(),
    changesOnly: req.query.get('changesOnly') === 'true',
  });
  const workers = report.workers.filter((w) => !workerKey || w.workerKey === workerKey);
  if (workerKey && workers.length === 0) return problem('not-found', `no record for ${JSON.stringify(workerKey)}`);
  const shown = workers.slice(0, PREVIEW_LIMIT).map((w) => previewWorkerJson(w, report.generatedAt));
  const { generatedAt, summary, hold, quarantined } = report;
  return json(200, {
    generatedAt,
    summary,
    hold,
    quarantined,
    suspect,
    truncated: workers.length > shown.length,
    workers: shown,
  });
}

export async function quarantine(ports: ControlPlanePorts, req: HttpRequest): Promise<HttpResponseInit> {
  const entries = await ports.stateStore.listQuarantine(req.query.get('sourceId') ?? undefined);
  return json(200, { quarantined: entries });
}

export async function audit(ports: ControlPlanePorts, req: HttpRequest): Promise<HttpResponseInit> {
  const q = req.query;
  const action = q.get('action');
  const query: AuditQuery = {
    ...(q.get('workerKey') ? { workerKey: q.get('workerKey')! } : {}),
    ...(q.get('from') ? { from: q.get('from')! } : {}),
    ...(q.get('to') ? { to: q.get('to')! } : {}),
    ...(action ? { action: action as NonNullable<AuditQuery['action']> } : {}),
    ...(q.get('limit') ? { limit: Number(q.get('limit')) } : {}),
    ...(q.get('after') ? { after: q.get('after')! } : {}),
  };
  return json(200, await ports.stateStore.queryAudit(query));
}

/** An agent's heartbeat interval when fewer than two heartbeats came (the agent's default). */
const DEFAULT_HEARTBEAT_SECONDS = 30;
/** Heartbeats an agent may miss before it is reported silent. */
const SILENT_AFTER_HEARTBEATS = 3;

/** An agent as the API shows it: its record, how long since it was heard from, and whether that is too long. */
export function agentView(agent: AgentRecord, now: Date) {
  const secondsSinceSeen = Math.max(0, Math.floor((now.getTime() - Date.parse(agent.lastSeen)) / 1000));
  const interval = agent.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_SECONDS;
  return { ...agent, secondsSinceSeen, silent: secondsSinceSeen > SILENT_AFTER_HEARTBEATS * interval };
}

export async function agents(ports: ControlPlanePorts): Promise<HttpResponseInit> {
  const now = ports.clock.now();
  return json(200, { agents: (await ports.stateStore.listAgents()).map((a) => agentView(a, now)) });
}

export async function health(ports: ControlPlanePorts): Promise<HttpResponseInit> {
  await ports.stateStore.listCycles({ limit: 1 });
  return json(200, {
    status: 'ok',
    sources: ports.sources.map((s) => s.source.id),
    now: ports.clock.now().toISOString(),
  });
}
