/**
 * The control plane's commands on the hr2ad command line: init, run, sync, status, approve, reject.
 * Each has --help; exit codes are the shared table (exit-codes.ts).
 */
import { Command, InvalidArgumentError } from 'commander';
import type { Clock } from '../../shared/ports/clock.port';
import { OffsetClock } from '../local-host/offset-clock';
import type { CliIo } from './cli-io';
import { CONFIG_OPTION, configuredCommand } from './command-options';
import type { ExitCode } from './exit-codes';
import { DEFAULT_OFFICES, INIT_HELP, runInit } from './init-command';
import { parseInstant } from './options';
import { runRun } from './run-command';
import { runApiToken, runDecision, runStatus } from './status-command';
import { registerSecretCommands } from './secret-command';
import { registerSourceCommands } from './source-command';
import { registerSigningKeyCommands } from './signing-key-command';
import { runSync } from './sync-command';
import { registerTokenCommands } from './token-command';

const NOW = [
  '--now <instant>',
  'start the clock at this instant and let it run from there (replaying a dated sample); default: the real time',
  parseInstant,
] as const;

function clockOf(now: Date | undefined): Clock {
  return now ? new OffsetClock(now) : { now: () => new Date() };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InvalidArgumentError('expected a port, 0-65535.');
  return port;
}

function subcommand(program: Command, name: string, description: string, help = ''): Command {
  return configuredCommand(program.command(name).description(description), program, help);
}

export function registerControlPlaneCommands(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const env = (now?: Date) => ({ clock: clockOf(now), progress: io.terminal ?? false });
  subcommand(program, 'init', 'Write a starter configuration and mapping for the control plane.', INIT_HELP)
    .requiredOption('--domain <dn>', "the domain's naming context, e.g. DC=corp,DC=example,DC=com")
    .requiredOption('--ldap-url <url>', 'the domain controller, ldaps://host[:port]')
    .requiredOption(
      '--bind-password-file <file>',
      "a file holding the agent's bind password (kept out of the configuration)",
    )
    .requiredOption('--source <file>', 'the HR export (CSV in the default layout; see examples/sample)')
    .option('--dir <dir>', 'where to write the files', '.')
    .option('--upn-suffix <suffix>', 'UPN suffix (default: the domain DNS name)')
    .option('--bind-dn <dn>', 'the account the agent binds as (default: the domain Administrator)')
    .option('--ca-file <file>', "the CA certificate that signed the DC's LDAPS certificate")
    .option('--server-name <name>', "the DC's name in its certificate, when the URL uses an address")
    .option('--offices <list>', 'Office=IANA zone pairs, comma-separated (one OU per office)', DEFAULT_OFFICES)
    .option('--schedule <ncrontab>', 'when the HR file is polled (six fields, seconds first, UTC)', '0 */5 * * * *')
    .option('--force', 'overwrite existing files')
    .action(async (options) => setExit(await runInit(options, io)));

  subcommand(program, 'run', 'Run the control plane: poll HR on schedule, fire due changes, serve the HTTP API.')
    .option(...CONFIG_OPTION)
    .option('--port <port>', 'HTTP API port on 127.0.0.1 (default: the configuration, 7071)', parsePort)
    .option(...NOW)
    .option('--verbose', 'log debug detail')
    .action(async (options: { config: string; port?: number; now?: Date; verbose?: boolean }) => {
      const stopRequested = io.stopRequested ?? (() => new Promise<string>(() => {}));
      setExit(await runRun(options, io, { ...env(options.now), stopRequested }));
    });

  subcommand(program, 'sync', 'Run one sync cycle per HR source, apply what is due now, print a summary.')
    .option(...CONFIG_OPTION)
    .option('--source <id>', 'only this source')
    .option('--dry-run', 'change nothing: print the preview and the go-live link report (checked against AD)')
    .option('--json', 'print the summary as JSON')
    .option(...NOW)
    .option('--verbose', 'log what happens (standard error)')
    .action(
      async (options: {
        config: string;
        source?: string;
        dryRun?: boolean;
        json?: boolean;
        now?: Date;
        verbose?: boolean;
      }) => {
        setExit(await runSync(options, io, env(options.now)));
      },
    );

  subcommand(program, 'status', "Show recent cycles and quarantine, or one worker's state, pending steps and results.")
    .argument('[worker]', 'a worker key, e.g. hr:E1001')
    .option(...CONFIG_OPTION)
    .option('--json', 'print JSON')
    .option(...NOW)
    .action(async (worker: string | undefined, options: { config: string; json?: boolean; now?: Date }) => {
      setExit(await runStatus({ ...options, ...(worker ? { worker } : {}) }, io, env(options.now)));
    });

  subcommand(program, 'api-token', "Print the local HTTP API's token (send it as the x-functions-key header).")
    .option(...CONFIG_OPTION)
    .action(async (options: { config: string }) => setExit(await runApiToken(options, io)));

  for (const [verb, approved] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    subcommand(program, verb, `${approved ? 'Approve' : 'Reject'} a cycle held for approval (its destructive plans).`)
      .argument('<cycle>', 'the cycle id, as sync and status show it')
      .option(...CONFIG_OPTION)
      .option('--by <name>', 'who decides (recorded with the decision)')
      .option(...NOW)
      .action(async (cycle: string, options: { config: string; by?: string; now?: Date }) => {
        setExit(await runDecision(approved, { ...options, cycle }, io, env(options.now)));
      });
  }

  registerSigningKeyCommands(program, io, setExit);
  registerTokenCommands(program, io, setExit);
  registerSecretCommands(program, io, setExit);
  registerSourceCommands(program, io, setExit);
}
