/**
 * How the control-plane commands reach the control plane. `run` is the long-running process and holds a
 * lock file in the data directory (its pid and API port). `status`, `approve` and `reject` talk to that
 * process's HTTP API when it runs; otherwise they start the control plane in this process for the one
 * request (no timers, a free port) — the same API either way. `sync` needs the store to itself and
 * refuses while `run` holds the lock.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPinoLogger, type Logger } from '../../agent/index';
import type { Clock } from '../../shared/ports/clock.port';
import { ConfigFileError, loadControlPlaneConfig, pathFrom, type LoadedConfig } from '../config/load-config';
import type { CliIo } from './cli-io';
import { LocalControlPlane, apiToken, localDataFiles, openSecrets } from '../local-host/local-control-plane';

/** What the control-plane commands take from the process. */
export interface ControlPlaneCliEnv {
  readonly clock: Clock;
  /** Whether standard error is a terminal (progress is drawn only there). */
  readonly progress: boolean;
}

/** Loads the configuration, or reports why it cannot (exit 1). */
export function loadOrReport(file: string, io: CliIo): LoadedConfig | null {
  try {
    return loadControlPlaneConfig(file);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    io.stderr(`hr2ad: ${error.message}\n`);
    return null;
  }
}

export interface RunLock {
  readonly pid: number;
  readonly port: number;
  readonly startedAt: string;
}

function lockFile(loaded: LoadedConfig): string {
  return join(pathFrom(loaded.directory, loaded.config.dataDirectory), 'run.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running control plane's lock, or null (a lock left by a dead process is removed). */
export function runningControlPlane(loaded: LoadedConfig): RunLock | null {
  const file = lockFile(loaded);
  if (!existsSync(file)) return null;
  const lock = JSON.parse(readFileSync(file, 'utf8')) as RunLock;
  if (lock.pid !== process.pid && alive(lock.pid)) return lock;
  rmSync(file, { force: true });
  return null;
}

export function writeRunLock(loaded: LoadedConfig, lock: RunLock): () => void {
  const file = lockFile(loaded);
  writeFileSync(file, `${JSON.stringify(lock)}\n`, { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

/** An HTTP API to send requests to, and what to do when done with it. */
export interface ApiSession {
  readonly url: string;
  readonly token: string;
  /** The control plane started for this command; null when attached to `hr2ad run`. */
  readonly plane: LocalControlPlane | null;
  close(): Promise<void>;
}

export interface SessionOptions {
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Only read (status): the control plane started for the request does no due work. */
  readonly readOnly?: boolean;
}

/** Attaches to the running control plane, or starts one in this process. */
export async function openApiSession(loaded: LoadedConfig, options: SessionOptions): Promise<ApiSession> {
  const lock = runningControlPlane(loaded);
  if (lock) {
    const token = await apiToken(await openSecrets(localDataFiles(loaded)));
    return { url: `http://127.0.0.1:${lock.port}`, token, plane: null, close: async () => {} };
  }
  const plane = await LocalControlPlane.start({
    loaded,
    clock: options.clock,
    logger: options.logger ?? createPinoLogger({ level: 'error' }),
    httpPort: 0,
    timers: false,
    readOnly: options.readOnly ?? false,
  });
  return { url: plane.url, token: plane.token, plane, close: () => plane.stop() };
}

/** A JSON request to the API with the token; problem details become an Error with their detail. */
export async function apiRequest<T>(
  session: Pick<ApiSession, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${session.url}/api/${path}`, {
    method,
    headers: { 'x-functions-key': session.token, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) throw new ApiProblemError(response.status, String(parsed.detail ?? parsed.title ?? text));
  return parsed as T;
}

export class ApiProblemError extends Error {
  override readonly name = 'ApiProblemError';
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}
