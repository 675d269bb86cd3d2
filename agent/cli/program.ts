/**
 * The hr2ad-agent command line: one commander program, so options, usage errors, help and exit codes
 * behave the same in every command. Built afresh per run over injected I/O and dependencies, so tests
 * call `runAgentCli` like the process does.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { AgentCliIo } from './cli-io';
import { AGENT_DOCTOR_HELP, runAgentDoctor, type AgentDoctorDeps } from './doctor-command';
import { AGENT_EXIT, AGENT_EXIT_CODES_HELP, type AgentExitCode } from './exit-codes';
import { AGENT_INIT_HELP, runAgentInit, type AgentInitOptions } from './init-command';
import { runAgentRun, type AgentRunDeps } from './run-command';
import { runAgentStatus, type AgentStatusDeps } from './status-command';

export interface AgentCliInfo {
  readonly version: string;
}

export type AgentCliDeps = AgentRunDeps & AgentStatusDeps & AgentDoctorDeps;

const CONFIG = ['--config <file>', 'the agent configuration (sealed by hr2ad-agent init, or plain JSON)'] as const;
const KEY_FILE = ['--key-file <file>', 'the key of a sealed configuration (default: <config>.key)'] as const;

const collect = (value: string, previous: string[] = []) => [...previous, value];

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number, at least 1.');
  return n;
}

function subcommand(program: Command, name: string, description: string, help = ''): Command {
  return program
    .command(name)
    .description(description)
    .helpOption('-h, --help', 'show this help')
    .configureOutput(program.configureOutput())
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `${help}\n${AGENT_EXIT_CODES_HELP}\n`);
}

function registerInit(program: Command, io: AgentCliIo, setExit: (code: AgentExitCode) => void): void {
  subcommand(program, 'init', 'Write (or change) the agent configuration, sealed at rest.', AGENT_INIT_HELP)
    .requiredOption(...CONFIG)
    .option(...KEY_FILE)
    .option('--dc-url <url>', 'the domain controller, ldaps://host[:port]')
    .option('--bind-dn <dn>', 'the account the agent binds as')
    .option('--bind-password-file <file>', 'its password: a file, or - for standard input')
    .option('--ca-file <file>', "the CA certificate that issued the DC's LDAPS certificate")
    .option('--server-name <name>', "the DC's name in its certificate, when the URL uses another")
    .option('--domain <dn>', "the domain's naming context, e.g. DC=corp,DC=example,DC=com")
    .option('--allowed-ou <dn>', 'an OU the agent may change (repeat; replaces the stored list)', collect)
    .option('--match-attribute <name>', 'a match attribute AD does not index (repeat)', collect)
    .option('--agent-id <id>', "this agent's name (default: the host name)")
    .option('--service-bus-connection-string-file <file>', 'a Service Bus connection string: a file, or -')
    .option('--service-bus-namespace <host>', 'or the namespace, e.g. corp.servicebus.windows.net (Entra ID)')
    .option('--tenant-id <id>', 'a service principal for the namespace: its tenant')
    .option('--client-id <id>', '… its application (client) id')
    .option('--client-secret-file <file>', '… its secret: a file, or -')
    .option('--commands-queue <name>', 'default hr2ad-commands')
    .option('--results-queue <name>', 'default hr2ad-results')
    .addOption(new Option('--transport <kind>', 'amqp (TCP 5671) or websockets (443)').choices(['amqp', 'websockets']))
    .option('--proxy <url>', 'an HTTPS proxy for the websockets transport')
    .option('--service-bus-ca-file <file>', 'an extra CA to trust for the websockets transport')
    .option('--receivers <n>', 'workers served in parallel (default 4)', parseCount)
    .option('--journal <file>', 'the journal of applied commands (SQLite), e.g. /var/lib/hr2ad/journal.sqlite')
    .option('--signing-key <keyId=file>', "the control plane's public key, PEM (repeat during a key roll)", collect)
    .action(async (options: AgentInitOptions) => setExit(await runAgentInit(options, io)));
}

function createProgram(
  io: AgentCliIo,
  info: AgentCliInfo,
  deps: AgentCliDeps,
  setExit: (code: AgentExitCode) => void,
): Command {
  const program = new Command('hr2ad-agent')
    .description('The hr2ad agent: applies the control plane’s commands to Active Directory.')
    .version(info.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\n${AGENT_EXIT_CODES_HELP}\n`);
  registerInit(program, io, setExit);

  subcommand(program, 'run', 'Run the agent until SIGINT or SIGTERM: commands from Service Bus applied to AD.')
    .requiredOption(...CONFIG)
    .option(...KEY_FILE)
    .option('--pretty', 'readable log lines instead of JSON')
    .option('--verbose', 'log debug detail')
    .action(async (options: { config: string; keyFile?: string; pretty?: boolean; verbose?: boolean }) =>
      setExit(await runAgentRun(options, io, deps)),
    );

  subcommand(program, 'status', 'Show whether the agent runs, what it holds, and its journal (read-only).')
    .requiredOption(...CONFIG)
    .option(...KEY_FILE)
    .option('--json', 'print JSON')
    .action(async (options: { config: string; keyFile?: string; json?: boolean }) =>
      setExit(await runAgentStatus(options, io, deps)),
    );

  subcommand(
    program,
    'doctor',
    'Check Service Bus, LDAPS, the bind, rights per OU, the schema and clocks.',
    AGENT_DOCTOR_HELP,
  )
    .requiredOption(...CONFIG)
    .option(...KEY_FILE)
    .option('--ou <dn>', 'another OU to check rights in, e.g. the disabled-users OU (repeat)', collect)
    .option('--json', 'print the checks as JSON')
    .action(async (options: { config: string; keyFile?: string; ou?: string[]; json?: boolean }) =>
      setExit(await runAgentDoctor(options, io, deps)),
    );
  return program;
}

function exitCodeOfCommander(error: CommanderError): AgentExitCode {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return AGENT_EXIT.ok;
  if (error.code === 'commander.help') return error.exitCode === 0 ? AGENT_EXIT.ok : AGENT_EXIT.usage;
  return AGENT_EXIT.usage;
}

/** Runs one command line (the arguments after `hr2ad-agent`); returns the exit code. */
export async function runAgentCli(
  argv: readonly string[],
  io: AgentCliIo,
  info: AgentCliInfo,
  deps: AgentCliDeps,
): Promise<AgentExitCode> {
  let code: AgentExitCode = AGENT_EXIT.ok;
  const program = createProgram(io, info, deps, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return exitCodeOfCommander(error);
    throw error;
  }
  return code;
}
