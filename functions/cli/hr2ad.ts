/**
 * hr2ad command-line entry point: the composition root that binds the commands to the
 * real process (argv, file system, stdin, clock). Commands themselves take these as
 * parameters so they can be tested without a process.
 */
import { readFile } from 'node:fs/promises';
import { runExprCommand, type ExprCommandIo } from './expr-command';
import { runPreviewCommand } from './preview-command';

export const HR2AD_USAGE = `Usage: hr2ad <command> [options]

Commands:
  expr      Evaluate an attribute-mapping expression for one worker.
  preview   Dry-run one provisioning cycle over an HR snapshot: classifications, plans, differences.

Run "hr2ad <command> --help" for a command's options.
`;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Dispatches a subcommand; returns the exit code. */
export async function main(argv: readonly string[], io: ExprCommandIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      io.stderr(HR2AD_USAGE);
      return 2;
    case '-h':
    case '--help':
    case 'help':
      io.stdout(HR2AD_USAGE);
      return 0;
    case 'expr':
      return runExprCommand(rest, io);
    case 'preview':
      return runPreviewCommand(rest, io);
    default:
      io.stderr(`Unknown command "${command}".\n\n${HR2AD_USAGE}`);
      return 2;
  }
}

if (require.main === module) {
  const io: ExprCommandIo = {
    readFile: (path) => readFile(path, 'utf8'),
    readStdin: () => readAll(process.stdin),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    now: new Date(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `hr2ad: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 70;
    },
  );
}
