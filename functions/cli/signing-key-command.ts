/**
 * `hr2ad signing-key show|rotate`: the key the control plane signs commands with, held in its secret
 * store. Both print the public keys as agents pin them (`relay.signing.publicKeys`), ready to paste.
 */
import { Command, InvalidArgumentError } from 'commander';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../shared/protocol/signed-command';
import { rotateSigningKey, signingKeyPins, type SigningKeyPins } from '../adapters/signing/rotate-signing-key';
import { SigningKeyError } from '../adapters/signing/secret-store-command-signer';
import { localDataFiles, openSecrets } from '../local-host/local-control-plane';
import type { CliIo } from './cli-io';
import { CONFIG_OPTION, configuredCommand } from './command-options';
import { loadOrReport } from './control-plane-session';
import { EXIT, type ExitCode } from './exit-codes';

const SIGNING_KEY_HELP = `
The output is the "publicKeys" list of an agent's relay.signing settings. After a rotation it holds two
keys: the new one in force and the previous one. Pin both in every agent, and drop the previous key once
the commands signed with it have expired. Rotating again drops the key before the previous one.`;

function parseAlgorithm(value: string): SigningAlgorithm {
  const algorithm = SIGNING_ALGORITHMS.find((name) => name.toLowerCase() === value.toLowerCase());
  if (!algorithm) throw new InvalidArgumentError(`expected one of ${SIGNING_ALGORITHMS.join(', ')}.`);
  return algorithm;
}

function pinsJson(pins: SigningKeyPins): string {
  const publicKeys = pins.previous ? [pins.current, pins.previous] : [pins.current];
  return `${JSON.stringify({ publicKeys }, null, 2)}\n`;
}

async function withSigningSecrets(
  config: string,
  io: CliIo,
  run: (secrets: Awaited<ReturnType<typeof openSecrets>>) => Promise<ExitCode>,
): Promise<ExitCode> {
  const loaded = loadOrReport(config, io);
  if (!loaded) return EXIT.invalidInput;
  try {
    return await run(await openSecrets(localDataFiles(loaded)));
  } catch (error) {
    if (!(error instanceof SigningKeyError)) throw error;
    io.stderr(`hr2ad: ${error.message}\n`);
    return EXIT.invalidInput;
  }
}

export function runSigningKeyShow(options: { config: string }, io: CliIo): Promise<ExitCode> {
  return withSigningSecrets(options.config, io, async (secrets) => {
    await io.stdout(pinsJson(await signingKeyPins(secrets)));
    return EXIT.ok;
  });
}

export function runSigningKeyRotate(
  options: { config: string; algorithm: SigningAlgorithm },
  io: CliIo,
): Promise<ExitCode> {
  return withSigningSecrets(options.config, io, async (secrets) => {
    await io.stdout(pinsJson(await rotateSigningKey(secrets, options.algorithm)));
    return EXIT.ok;
  });
}

export function registerSigningKeyCommands(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const group = configuredCommand(
    program.command('signing-key').description('Show or rotate the key that signs commands for agents.'),
    program,
    SIGNING_KEY_HELP,
  );
  configuredCommand(group.command('show'), group, SIGNING_KEY_HELP)
    .description("Print the signing key's public key(s) as agents pin them (no key yet: run rotate).")
    .option(...CONFIG_OPTION)
    .action(async (options: { config: string }) => setExit(await runSigningKeyShow(options, io)));
  configuredCommand(group.command('rotate'), group, SIGNING_KEY_HELP)
    .description('Create a new signing key (the first one, or the next); the old one is kept as previous.')
    .option(...CONFIG_OPTION)
    .option('--algorithm <name>', `${SIGNING_ALGORITHMS.join(' or ')}`, parseAlgorithm, 'Ed25519' as SigningAlgorithm)
    .action(async (options: { config: string; algorithm: SigningAlgorithm }) =>
      setExit(await runSigningKeyRotate(options, io)),
    );
}
