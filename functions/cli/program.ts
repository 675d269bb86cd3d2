/**
 * The hr2ad command line: one commander program for every command, so options, `--now`, usage errors,
 * help and exit codes behave the same everywhere. Built afresh per run over injected I/O, so tests call
 * `runCli` like the process does.
 */
import { Command, CommanderError, Option } from 'commander';
import type { CliIo } from './cli-io';
import { EXIT, EXIT_CODES_HELP, type ExitCode } from './exit-codes';
import { DEFAULT_SEED, EXPR_HELP, runExpr } from './expr-command';
import { parseInstant, parseThreads } from './options';
import { DEFAULT_DOMAIN, MAX_THREADS, PREVIEW_HELP, runPreview } from './preview-command';

export interface CliInfo {
  /** hr2ad's version, from package.json. */
  readonly version: string;
}

/**
 * Commands that need nothing of the control plane. A run of one of them leaves the control plane's
 * modules (SDKs, the durable host, SQLite, pino) unloaded: loading them costs more than a small preview.
 */
const STANDALONE_COMMANDS: ReadonlySet<string> = new Set(['expr', 'preview']);

/** Adds the control plane's commands, loading their modules only now. */
function addControlPlaneCommands(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see STANDALONE_COMMANDS)
  const controlPlane = require('./control-plane-program') as typeof import('./control-plane-program');
  controlPlane.registerControlPlaneCommands(program, io, setExit);
}

function createProgram(
  io: CliIo,
  info: CliInfo,
  setExit: (code: ExitCode) => void,
  withControlPlane: boolean,
): Command {
  const program = new Command('hr2ad');
  const output = {
    writeOut: (text: string) => void io.stdout(text),
    writeErr: (text: string) => io.stderr(text),
  };
  program
    .description('HR-driven provisioning into Active Directory: command-line tools.')
    .version(info.version, '-V, --version', 'print the version of hr2ad')
    .helpOption('-h, --help', 'show this help')
    .configureOutput(output)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n`);

  program
    .command('expr')
    .description("Evaluate an attribute-mapping expression (Microsoft Entra's syntax) for one worker.")
    .argument('<expression>', 'the expression; quote it as one argument (use -- before one starting with -)')
    .option('--worker <file>', 'the worker, a JSON file or - for standard input (see below)')
    .option('--now <instant>', 'the clock for Now() and date defaults (default: the current time)', parseInstant)
    .option('--seed <seed>', 'seed for Guid() and RandomString()', DEFAULT_SEED)
    .option('--json', 'print the result as JSON')
    .helpOption('-h, --help', 'show this help')
    .configureOutput(output)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `${EXPR_HELP}\n${EXIT_CODES_HELP}\n`)
    .action(async (expression: string, options: { worker?: string; now?: Date; seed: string; json?: boolean }) => {
      setExit(await runExpr(expression, options, io));
    });

  program
    .command('preview')
    .description('Dry-run one provisioning cycle over an HR snapshot: classifications, plans, differences.')
    .requiredOption('--snapshot <file>', 'the HR snapshot, a JSON file or - for standard input (see below)')
    .option('--config <file>', 'mapping configuration (default: the shipped defaults for --domain)')
    .option('--state <file>', 'last known worker states from an earlier cycle (default: none)')
    .option('--domain <dn>', 'domain for the shipped defaults', DEFAULT_DOMAIN)
    .option('--now <instant>', "the cycle's instant (default: the current time)", parseInstant)
    .addOption(new Option('--changes-only', 'list only workers whose plan changes something'))
    .option('--json', 'print the report as JSON (one worker per line) instead of text')
    .option(
      '--threads <n>',
      `threads that plan a large snapshot (default: the CPUs, at most ${MAX_THREADS}; the report is the same)`,
      parseThreads,
    )
    .helpOption('-h, --help', 'show this help')
    .configureOutput(output)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `${PREVIEW_HELP}\n${EXIT_CODES_HELP}\n`)
    .action(
      async (options: {
        snapshot: string;
        config?: string;
        state?: string;
        domain: string;
        now?: Date;
        changesOnly?: boolean;
        json?: boolean;
        threads?: number;
      }) => {
        setExit(await runPreview(options, io));
      },
    );
  if (withControlPlane) addControlPlaneCommands(program, io, setExit);
  return program;
}

/** What commander's own exits mean as hr2ad exit codes: help and version are successes, the rest usage errors. */
function exitCodeOfCommander(error: CommanderError): ExitCode {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
  if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return EXIT.usage;
}

/** Runs one command line (the arguments after `hr2ad`); returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, info: CliInfo): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  // Only the command word in first place skips the control plane: `--help`, `help` or a mistyped
  // command get the whole program, so help lists every command and suggestions still work.
  const standalone = STANDALONE_COMMANDS.has(argv[0] ?? '');
  const program = createProgram(
    io,
    info,
    (c) => {
      code = c;
    },
    !standalone,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return exitCodeOfCommander(error);
    throw error;
  }
  return code;
}
