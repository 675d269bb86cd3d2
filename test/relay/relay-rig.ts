/**
 * What every crash suite sets up the same way: a broker in its own process (with a data file, so it can
 * be killed and restarted), agents as processes with their own configuration, journal and log file, and a
 * driver that signs and sends the load and collects the results. `close` kills whatever is still running,
 * so a failing test leaves no process behind, and removes the run's directory unless RELAY_KEEP=1 asks to
 * keep it (agent logs, journals and the broker's data file, to read after a failure).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relayAgentConfig, writeAgentConfig, type RelayAgentConfigOptions } from '../harness/relay/agent-config';
import { AgentProcess } from '../harness/relay/agent-process';
import { CommandDriver, InMemorySigner } from '../harness/relay/command-driver';
import { secretsIn } from '../harness/relay/log-lines';
import { dcConnection } from '../harness/samba-dc';
import { spawnBroker, type SpawnedBroker } from '../harness/service-bus';
import type { ReceivedResult } from './relay-load';

export const COMMANDS_QUEUE = 'hr2ad-commands';
export const RESULTS_QUEUE = 'hr2ad-results';

export interface RigOptions {
  readonly commandsLockMs?: number;
  readonly maxDeliveryCount?: number;
  readonly redeliverEachMessage?: number;
}

export type AgentSettings = Partial<
  Pick<RelayAgentConfigOptions, 'receivers' | 'maxDeliveries' | 'retryBackoff' | 'sessionIdleMs' | 'heartbeatSeconds'>
>;

export class RelayRig {
  readonly agents: AgentProcess[] = [];
  private readonly logFiles: string[] = [];

  private constructor(
    readonly dir: string,
    readonly broker: SpawnedBroker,
    readonly signer: InMemorySigner,
    readonly driver: CommandDriver,
  ) {}

  static async open(options: RigOptions = {}): Promise<RelayRig> {
    const dir = mkdtempSync(join(tmpdir(), 'relay-crash-'));
    const broker = await spawnBroker({
      dataFile: join(dir, 'broker.db'),
      ...(options.redeliverEachMessage ? { redeliverEachMessage: options.redeliverEachMessage } : {}),
      queues: [
        {
          name: COMMANDS_QUEUE,
          requiresSession: true,
          lockDurationMs: options.commandsLockMs ?? 30_000,
          maxDeliveryCount: options.maxDeliveryCount ?? 100,
        },
        { name: RESULTS_QUEUE },
      ],
    });
    const signer = new InMemorySigner();
    const driver = new CommandDriver({ connectionString: broker.connectionString, signer });
    return new RelayRig(dir, broker, signer, driver);
  }

  /** A standalone agent process (not started) allowed to act under `allowedOu`. */
  agent(agentId: string, allowedOu: string, settings: AgentSettings = {}): AgentProcess {
    const config = relayAgentConfig({
      dc: dcConnection(),
      connectionString: this.broker.connectionString,
      publicKeys: [this.signer.pin],
      journalPath: join(this.dir, `${agentId}.journal.db`),
      allowedOus: [allowedOu],
      agentId,
      receivers: 8,
      heartbeatSeconds: 5,
      ...settings,
    });
    const logFile = join(this.dir, `${agentId}.log`);
    const agent = new AgentProcess({
      configFile: writeAgentConfig(join(this.dir, `${agentId}.json`), config),
      logFile,
    });
    this.agents.push(agent);
    this.logFiles.push(logFile);
    return agent;
  }

  /** Every command result received so far, in arrival order, with the agent that published it. */
  received(): ReceivedResult[] {
    return this.driver
      .messagesOfType('CommandResult')
      .map((message) => ({ agentId: message.agentId, result: message.result }));
  }

  /** The secrets any agent log file holds: the SAS key, the DC's bind password, the signing private key. */
  secretsInAgentLogs(): string[] {
    const sasKey = /SharedAccessKey=([^;]+)/.exec(this.broker.connectionString)?.[1] ?? '';
    const secrets = [
      sasKey,
      readFileSync(dcConnection().passwordFile, 'utf8').trim(),
      this.signer.key.privateKeyPem,
      this.broker.connectionString,
    ];
    const text = this.logFiles.map((file) => readFileSync(file, 'utf8')).join('\n');
    return secretsIn(text, secrets);
  }

  /** Lines of all agent logs, for a test that wants to show what happened. */
  logLines(): string[] {
    return this.logFiles.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean));
  }

  async close(): Promise<void> {
    for (const agent of this.agents) await agent.kill('SIGKILL').catch(() => undefined);
    await this.driver.close().catch(() => undefined);
    await this.broker.kill('SIGKILL').catch(() => undefined);
    if (!process.env.RELAY_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A whole number of milliseconds in [min, max]. */
export function randomBetween(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** One line of figures on the test's standard output. */
export function report(suite: string, figures: Record<string, string | number>): void {
  const text = Object.entries(figures)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  process.stdout.write(`[${suite}] ${text}\n`);
}
