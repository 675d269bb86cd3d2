/**
 * `hr2ad sync`: one cycle per source, then exit — the control plane started in this process on its
 * local defaults, the cycle started through its own HTTP API, commands applied by the embedded agent
 * until nothing is due now; a progress line on a terminal, then the summary. Steps due later stay
 * scheduled in the durable store: the next `sync` or `run` fires them when due. `--dry-run` stores and
 * changes nothing: it prints the preview and the go-live link report.
 */
import { existsSync } from 'node:fs';
import { createPinoLogger, type Logger } from '../../agent/index';
import { previewCycle, renderPreviewText } from '../../shared/planner/preview';
import { statesWithLinks } from '../activities/account-links';
import { SqliteStateStore } from '../adapters/sqlite/sqlite-state-store';
import type { LoadedConfig } from '../config/load-config';
import { configuredSources, embeddedAgent, LocalControlPlane, localDataFiles } from '../local-host/local-control-plane';
import type { CliIo } from './cli-io';
import {
  apiRequest,
  ApiProblemError,
  loadOrReport,
  runningControlPlane,
  type ControlPlaneCliEnv,
} from './control-plane-session';
import { EXIT, type ExitCode } from './exit-codes';
import { buildLinkReport, renderLinkReport } from './link-report';
import { collectSummary, renderSummary } from './sync-summary';

export interface SyncOptions {
  readonly config: string;
  readonly source?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

function cliLogger(verbose: boolean | undefined): Logger {
  return createPinoLogger({ level: verbose ? 'info' : 'error', pretty: true });
}

export async function runSync(options: SyncOptions, io: CliIo, env: ControlPlaneCliEnv): Promise<ExitCode> {
  const loaded = loadOrReport(options.config, io);
  if (!loaded) return EXIT.invalidInput;
  // Every source hr2ad reads (files and HR APIs); a SCIM source is pushed to, not synced.
  const sourceIds = loaded.config.sources
    .filter((s) => s.kind !== 'scim')
    .map((s) => s.id)
    .filter((id) => !options.source || id === options.source);
  if (sourceIds.length === 0) {
    io.stderr(`hr2ad sync: no source "${options.source}" in ${loaded.file}\n`);
    return EXIT.invalidInput;
  }
  if (options.dryRun) return dryRun(loaded, sourceIds, io, env);
  const lock = runningControlPlane(loaded);
  if (lock) {
    io.stderr(`hr2ad sync: the control plane is running (pid ${lock.pid}, port ${lock.port}); it syncs on schedule\n`);
    return EXIT.busy;
  }
  const plane = await LocalControlPlane.start({
    loaded,
    clock: env.clock,
    logger: cliLogger(options.verbose),
    httpPort: 0,
    timers: false,
  });
  try {
    return await syncWith(plane, sourceIds, options, io, env);
  } finally {
    await plane.stop();
  }
}

async function syncWith(
  plane: LocalControlPlane,
  sourceIds: readonly string[],
  options: SyncOptions,
  io: CliIo,
  env: ControlPlaneCliEnv,
): Promise<ExitCode> {
  const since = env.clock.now().toISOString();
  const cycleIds: string[] = [];
  for (const sourceId of sourceIds) {
    try {
      const started = await apiRequest<{ cycleId: string }>(
        plane,
        'POST',
        `sources/${encodeURIComponent(sourceId)}/sync`,
      );
      cycleIds.push(started.cycleId);
    } catch (error) {
      if (!(error instanceof ApiProblemError)) throw error;
      io.stderr(`hr2ad sync: source ${sourceId}: ${error.message}\n`);
      cycleIds.push(...(await liveCycleIds(plane, sourceId)));
    }
  }
  await withProgress(plane, io, env, () => plane.whenIdle());
  const summary = await collectSummary(
    plane.ports.stateStore,
    plane.engine,
    cycleIds,
    sourceIds,
    since,
    env.clock.now(),
  );
  await io.stdout(options.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
  if (summary.cycles.some((c) => c.status === 'held')) return EXIT.held;
  if (summary.quarantined.length > 0) return EXIT.quarantined;
  return EXIT.ok;
}

/** The held cycles of a source whose cycle could not start (it is waiting for a decision). */
async function liveCycleIds(plane: LocalControlPlane, sourceId: string): Promise<string[]> {
  const held = await plane.ports.stateStore.listCycles({ status: 'held', limit: 10 });
  return held.filter((c) => c.sourceId === sourceId).map((c) => c.cycleId);
}

/** Runs `work`, drawing applied/waiting counts on standard error while it runs (terminals only). */
async function withProgress(plane: LocalControlPlane, io: CliIo, env: ControlPlaneCliEnv, work: () => Promise<void>) {
  if (!env.progress) return work();
  const draw = () => {
    const { applied, waiting } = plane.channel.stats();
    const total = applied + waiting;
    const width = 30;
    const filled = total === 0 ? 0 : Math.round((applied / total) * width);
    io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${applied}/${total} commands applied `);
  };
  const timer = setInterval(draw, 200);
  try {
    await work();
  } finally {
    clearInterval(timer);
    draw();
    io.stderr('\n');
  }
}

async function dryRun(loaded: LoadedConfig, sourceIds: readonly string[], io: CliIo, env: ControlPlaneCliEnv) {
  const logger = cliLogger(false);
  const records: unknown[] = [];
  for (const { source } of configuredSources(loaded).filter((s) => sourceIds.includes(s.source.id))) {
    const read = await source.read();
    if (read.kind === 'suspect') {
      io.stderr(`hr2ad sync --dry-run: source ${source.id}: ${read.reason}\n`);
      return EXIT.held;
    }
    records.push(...read.records);
  }
  const states = await storedStates(localDataFiles(loaded).state);
  const now = env.clock.now();
  const report = previewCycle({ records, states, config: loaded.mapping, now, changesOnly: true });
  for (const chunk of renderPreviewText(report)) await io.stdout(chunk);
  const agent = embeddedAgent({ loaded, clock: env.clock, logger });
  try {
    await io.stdout(`\n${renderLinkReport(await buildLinkReport(agent, report, now))}`);
  } finally {
    await agent.close();
  }
  if (report.hold.held) return EXIT.held;
  return report.quarantined.length > 0 ? EXIT.quarantined : EXIT.ok;
}

/** What earlier syncs stored (none before the first sync: the dry run creates nothing). */
/** The states a local control plane stored in `file` (none when it has never run), links laid over. */
export async function storedStates(file: string) {
  if (!existsSync(file)) return new Map();
  const store = SqliteStateStore.open(file);
  try {
    return await statesWithLinks(store);
  } finally {
    await store.close();
  }
}
