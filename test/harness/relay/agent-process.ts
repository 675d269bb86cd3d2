/**
 * A standalone agent in its own process, as administrators run it (`hr2ad-agent run`), for tests that
 * kill it (SIGKILL), restart it and read what it logged. Its JSON log lines go to a file per start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const AGENT_CLI = resolve(root, 'agent/cli/hr2ad-agent.ts');

export interface AgentProcessOptions {
  readonly configFile: string;
  /** Each start appends its log lines here. */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
}

export class AgentProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<number | null> = Promise.resolve(null);
  starts = 0;

  constructor(private readonly options: AgentProcessOptions) {}

  start(): void {
    if (this.child) throw new Error('the agent is already running');
    const log = openSync(this.options.logFile, 'a');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--disable-warning=ExperimentalWarning',
        AGENT_CLI,
        'run',
        '--config',
        this.options.configFile,
      ],
      { cwd: root, stdio: ['ignore', log, log], env: { ...process.env, ...this.options.env } },
    );
    closeSync(log);
    this.starts++;
    this.child = child;
    this.exit = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Sends the signal and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    child.kill(signal);
    const code = await this.exit;
    this.child = undefined;
    return code;
  }

  /** Waits for the process to end by itself. */
  async exited(): Promise<number | null> {
    const code = await this.exit;
    this.child = undefined;
    return code;
  }
}
