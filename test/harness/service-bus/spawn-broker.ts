/**
 * Runs broker-main as a child process so a test can SIGKILL it and start it again on the same ports and data
 * file, the way a crashed and restarted Service Bus namespace would look to a client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BrokerOptions } from './types';

export interface BrokerReadyInfo {
  amqpPort: number;
  wsPort: number | undefined;
  connectionString: string;
  wsConnectionString: string | undefined;
  certPem: string | undefined;
}

export interface SpawnedBroker extends BrokerReadyInfo {
  /** Sends a signal and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the process if it still runs, then starts it again with the same ports and data file. */
  restart(): Promise<void>;
}

const REPO_ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(__dirname, 'broker-main.ts');

function argsOf(options: BrokerOptions): string[] {
  const args = ['--port', String(options.port ?? 0)];
  if (options.wsPort !== undefined) args.push('--ws-port', String(options.wsPort));
  if (options.dataFile) args.push('--data', options.dataFile);
  if (options.redeliverEachMessage) args.push('--redeliver', String(options.redeliverEachMessage));
  for (const q of options.queues) {
    const kind = q.requiresSession ? 'session' : 'plain';
    args.push('--queue', `${q.name}:${kind}:${q.lockDurationMs ?? ''}:${q.maxDeliveryCount ?? ''}`);
  }
  return args;
}

function launch(options: BrokerOptions): Promise<{ child: ChildProcess; info: BrokerReadyInfo }> {
  const child = spawn(process.execPath, ['--no-warnings', '--import', 'tsx', MAIN, ...argsOf(options)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve({ child, info: JSON.parse(line) as BrokerReadyInfo }));
    child.once('exit', (code) => reject(new Error(`test broker exited with ${String(code)} before ready: ${stderr}`)));
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function spawnBroker(options: BrokerOptions): Promise<SpawnedBroker> {
  let { child, info } = await launch(options);
  // Later starts reuse the ports picked the first time, so clients reconnect to the same endpoint.
  const fixed: BrokerOptions = { ...options, port: info.amqpPort, ...(info.wsPort ? { wsPort: info.wsPort } : {}) };
  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const exited = waitForExit(child);
    child.kill(signal);
    await exited;
  };
  return {
    ...info,
    kill,
    async restart() {
      await kill('SIGTERM');
      ({ child, info } = await launch(fixed));
    },
  };
}
