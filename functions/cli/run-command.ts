/**
 * `hr2ad run`: the long-running control plane on its local defaults, with the embedded agent. It polls
 * each source on its schedule, fires durable timers when due, and serves the HTTP API on 127.0.0.1.
 * Logs are JSON lines (pino) on standard error, readable lines on a terminal. SIGINT or SIGTERM stop it
 * cleanly: HTTP and timers first, then work in flight finishes; anything not finished is in SQLite and
 * resumes on the next start.
 */
import { createPinoLogger } from '../../agent/index';
import type { CliIo } from './cli-io';
import { loadOrReport, runningControlPlane, writeRunLock, type ControlPlaneCliEnv } from './control-plane-session';
import { EXIT, type ExitCode } from './exit-codes';
import { LocalControlPlane } from '../local-host/local-control-plane';

export interface RunOptions {
  readonly config: string;
  readonly port?: number;
  readonly verbose?: boolean;
}

export interface RunEnv extends ControlPlaneCliEnv {
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  readonly stopRequested: () => Promise<string>;
}

export async function runRun(options: RunOptions, io: CliIo, env: RunEnv): Promise<ExitCode> {
  const loaded = loadOrReport(options.config, io);
  if (!loaded) return EXIT.invalidInput;
  const lock = runningControlPlane(loaded);
  if (lock) {
    io.stderr(`hr2ad run: already running (pid ${lock.pid}, port ${lock.port})\n`);
    return EXIT.busy;
  }
  const logger = createPinoLogger({ level: options.verbose ? 'debug' : 'info', pretty: env.progress });
  const plane = await LocalControlPlane.start({
    loaded,
    clock: env.clock,
    logger,
    httpPort: options.port ?? loaded.config.api.port,
  });
  const port = Number(new URL(plane.url).port);
  const release = writeRunLock(loaded, { pid: process.pid, port, startedAt: env.clock.now().toISOString() });
  const sources = loaded.config.sources.map((s) => `${s.id} (${s.kind === 'scim' ? 'SCIM bulkUpload' : s.schedule})`);
  logger.info('control plane running', { api: `${plane.url}/api`, sources, config: loaded.file });
  try {
    const signal = await env.stopRequested();
    logger.info('stopping', { signal });
    await plane.stop();
    logger.info('stopped; nothing in flight was lost');
  } finally {
    release();
  }
  return EXIT.ok;
}
