/**
 * `hr2ad secret set|list|delete`: the values the configuration names but never holds (an HR API key, a
 * webhook's shared key, the Service Bus connection string), kept in the control plane's encrypted secret
 * store. `set` reads the value from standard input, never from the command line, so it stays out of the
 * shell's history and the process list; nothing ever prints a value.
 */
import { Command } from 'commander';
import { SECRET_NAME } from '../../shared/ports/secret-store.port';
import { SecretStoreError } from '../adapters/secrets/encrypted-file-secret-store';
import { localDataFiles, openSecrets } from '../local-host/local-control-plane';
import type { CliIo } from './cli-io';
import { CONFIG_OPTION, configuredCommand } from './command-options';
import { loadOrReport } from './control-plane-session';
import { EXIT, type ExitCode } from './exit-codes';

const SECRET_HELP = `
Examples:
  printf '%s' "$BAMBOOHR_KEY" | hr2ad secret set bamboohr-api-key
  hr2ad secret list
Names are 1-127 of A-Z a-z 0-9 and "-" (Key Vault's rule). A trailing line break on standard input is
dropped. The configuration refers to a secret as { "secret": "<name>" }.`;

type Secrets = Awaited<ReturnType<typeof openSecrets>>;

async function withSecrets(config: string, io: CliIo, run: (secrets: Secrets) => Promise<ExitCode>): Promise<ExitCode> {
  const loaded = loadOrReport(config, io);
  if (!loaded) return EXIT.invalidInput;
  try {
    return await run(await openSecrets(localDataFiles(loaded)));
  } catch (error) {
    if (!(error instanceof SecretStoreError)) throw error;
    io.stderr(`hr2ad: ${error.message}\n`);
    return EXIT.invalidInput;
  }
}

function checkedName(name: string, io: CliIo): boolean {
  if (SECRET_NAME.test(name)) return true;
  io.stderr('hr2ad secret: a name is 1-127 of A-Z a-z 0-9 and "-"\n');
  return false;
}

export function runSecretSet(name: string, options: { config: string }, io: CliIo): Promise<ExitCode> {
  if (!checkedName(name, io)) return Promise.resolve(EXIT.usage);
  return withSecrets(options.config, io, async (secrets) => {
    const value = (await io.readStdin()).replace(/\r?\n$/, '');
    if (value === '') {
      io.stderr('hr2ad secret set: standard input is empty; pipe the value in\n');
      return EXIT.invalidInput;
    }
    await secrets.set(name, value);
    io.stderr(`hr2ad: secret ${name} stored\n`);
    return EXIT.ok;
  });
}

export function runSecretList(options: { config: string }, io: CliIo): Promise<ExitCode> {
  return withSecrets(options.config, io, async (secrets) => {
    for (const name of await secrets.list()) await io.stdout(`${name}\n`);
    return EXIT.ok;
  });
}

export function runSecretDelete(name: string, options: { config: string }, io: CliIo): Promise<ExitCode> {
  if (!checkedName(name, io)) return Promise.resolve(EXIT.usage);
  return withSecrets(options.config, io, async (secrets) => {
    await secrets.delete(name);
    return EXIT.ok;
  });
}

export function registerSecretCommands(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const group = configuredCommand(
    program.command('secret').description('Keep the values the configuration names (API keys, shared keys).'),
    program,
  );
  configuredCommand(group.command('set <name>'), group, SECRET_HELP)
    .description('Store a secret; the value is read from standard input.')
    .option(...CONFIG_OPTION)
    .action(async (name: string, options: { config: string }) => setExit(await runSecretSet(name, options, io)));
  configuredCommand(group.command('list'), group, SECRET_HELP)
    .description('List the names of the secrets held (never their values).')
    .option(...CONFIG_OPTION)
    .action(async (options: { config: string }) => setExit(await runSecretList(options, io)));
  configuredCommand(group.command('delete <name>'), group, SECRET_HELP)
    .description('Remove a secret (removing one that does not exist is not an error).')
    .option(...CONFIG_OPTION)
    .action(async (name: string, options: { config: string }) => setExit(await runSecretDelete(name, options, io)));
}
