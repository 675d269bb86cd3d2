/**
 * hr2ad-agent command-line entry point: the composition root that binds the commands to the real process
 * (argv, stdin, a no-echo prompt at a terminal, stdout, signals, the clock) and to the relay, its journal
 * and its Service Bus client.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { startAgentRelay } from '../relay/agent-relay';
import { agentVersion } from '../relay/agent-version';
import { CommandJournal } from '../relay/command-journal';
import { statusFileFor } from '../relay/heartbeat';
import { createServiceBusClient } from '../relay/service-bus-client';
import type { AgentCliIo } from './cli-io';
import { AGENT_EXIT } from './exit-codes';
import { runAgentCli, type AgentCliDeps } from './program';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks on the terminal without echoing what is typed. */
function promptSecret(question: string): Promise<string> {
  process.stderr.write(question);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

function journalStats(path: string) {
  const journal = CommandJournal.openReadOnly(path);
  try {
    return journal.stats();
  } finally {
    journal.close();
  }
}

const deps: AgentCliDeps = {
  startRelay: startAgentRelay,
  journalStats,
  statusFileFor,
  serviceBusClient: createServiceBusClient,
};

async function main(): Promise<number> {
  // The reader of standard output went away (`| head`): what it wanted, it has.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(AGENT_EXIT.ok);
  });
  const io: AgentCliIo = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: () => readAll(process.stdin),
    ...(process.stdin.isTTY ? { promptSecret } : {}),
    now: () => new Date(),
    terminal: process.stderr.isTTY === true,
    stopRequested: () =>
      new Promise((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
      }),
    env: process.env,
  };
  return runAgentCli(process.argv.slice(2), io, { version: agentVersion() }, deps);
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `hr2ad-agent: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = AGENT_EXIT.internal;
    },
  );
}
