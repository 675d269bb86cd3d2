/**
 * hr2ad command-line entry point: the composition root that binds the commands to the real process
 * (argv, file system, stdin, stdout with backpressure, clock, version). Commands take these as
 * parameters so they can be tested without a process.
 */
import './quiet-sqlite-warning';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import packageJson from '../../package.json';
import { OutputClosedError, type CliIo } from './cli-io';
import { EXIT } from './exit-codes';
import { runCli } from './program';
import { ThreadPreviewShard } from './preview-thread';
import { readTextFile } from './read-text-file';
import { createStreamOutput } from './stream-output';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  const stdout = createStreamOutput(process.stdout);
  const io: CliIo = {
    readFile: readTextFile,
    fileSize: (path) =>
      stat(path).then(
        (s) => (s.isFile() ? s.size : null),
        () => null,
      ),
    readStdin: () => readAll(process.stdin),
    stdout: (text) => stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    now: new Date(),
    terminal: process.stderr.isTTY === true,
    cpus: availableParallelism(),
    startPreviewThreads: (threads) => threads.map((data) => new ThreadPreviewShard(data)),
    stopRequested: () =>
      new Promise((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
      }),
  };
  try {
    const code = await runCli(process.argv.slice(2), io, { version: packageJson.version });
    await stdout.flush();
    return code;
  } catch (error) {
    // The reader stopped early (`| head`): what it wanted, it has. Not a failure.
    if (error instanceof OutputClosedError || stdout.closed) return EXIT.ok;
    throw error;
  }
}

/**
 * Commands that hold nothing open once their output is written: their process ends then, without freeing
 * its heap first (a 100,000-worker preview's takes a tenth of a second to free).
 */
const EXIT_WHEN_WRITTEN: ReadonlySet<string> = new Set(['preview']);

if (require.main === module) {
  main().then(
    (code) => {
      if (EXIT_WHEN_WRITTEN.has(process.argv[2] ?? '')) process.stdout.write('', () => process.exit(code));
      else process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `hr2ad: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = EXIT.internal;
    },
  );
}
