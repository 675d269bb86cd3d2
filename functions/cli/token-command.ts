/**
 * `hr2ad token issue`: a bearer token for the ingest endpoints of the local runtime (SCIM bulkUpload, CSV
 * upload), signed with the key in the control plane's secret store. In Azure, tokens come from Entra ID
 * instead, and the command says so.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { SecretStore } from '../../shared/ports/secret-store.port';
import { type IngestAuthSettings } from '../config/ingest-auth-settings';
import { MAX_TOKEN_DAYS, issueIngestToken } from '../adapters/ingest-auth/local-token-issuer';
import { SigningKeyError } from '../adapters/signing/secret-store-command-signer';
import type { LoadedConfig } from '../config/load-config';
import { localDataFiles, openSecrets } from '../local-host/local-control-plane';
import type { CliIo } from './cli-io';
import { CONFIG_OPTION, configuredCommand } from './command-options';
import { loadOrReport } from './control-plane-session';
import { EXIT, type ExitCode } from './exit-codes';

const TOKEN_HELP = `
Send the token as "Authorization: Bearer <token>" to the ingest endpoints. It grants the ingest role of
the configuration's ingest.auth (kind local) and nothing else; anyone holding it can post HR records until
it expires, so keep it as a secret. The signing key is created in the secret store on first issue.`;

export const DEFAULT_TOKEN_SUBJECT = 'hr2ad-ingest';
const DEFAULT_TOKEN_DAYS = 30;

export interface TokenIssueOptions {
  readonly config: string;
  readonly subject: string;
  readonly days: number;
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)
    throw new InvalidArgumentError(`expected whole days, 1-${MAX_TOKEN_DAYS}.`);
  return days;
}

/** The configuration's `ingest.auth`, or the default (local tokens) while it has none. */
export function ingestAuthOf(loaded: LoadedConfig): IngestAuthSettings {
  return loaded.config.ingest.auth;
}

/** Issues and prints a local token, or explains why this configuration gets its tokens elsewhere. */
export async function issueLocalToken(
  auth: IngestAuthSettings,
  openStore: () => Promise<SecretStore>,
  options: Omit<TokenIssueOptions, 'config'>,
  io: CliIo,
): Promise<ExitCode> {
  if (auth.kind !== 'local') {
    io.stderr(
      `hr2ad: ingest.auth is "${auth.kind}": tokens come from ${auth.issuer}, not from hr2ad ` +
        '(hr2ad token issue serves ingest.auth kind "local" only)\n',
    );
    return EXIT.invalidInput;
  }
  try {
    const token = await issueIngestToken(await openStore(), auth, { ...options, now: io.now });
    await io.stdout(`${token}\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof SigningKeyError)) throw error;
    io.stderr(`hr2ad: ${error.message}\n`);
    return EXIT.invalidInput;
  }
}

export function runTokenIssue(options: TokenIssueOptions, io: CliIo): Promise<ExitCode> {
  const loaded = loadOrReport(options.config, io);
  if (!loaded) return Promise.resolve(EXIT.invalidInput);
  const { subject, days } = options;
  return issueLocalToken(ingestAuthOf(loaded), () => openSecrets(localDataFiles(loaded)), { subject, days }, io);
}

export function registerTokenCommands(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const group = configuredCommand(
    program.command('token').description('Issue bearer tokens for the ingest endpoints (local runtime).'),
    program,
  );
  configuredCommand(group.command('issue'), group, TOKEN_HELP)
    .description('Print a new ingest token (only the token, one line).')
    .option(...CONFIG_OPTION)
    .option('--subject <name>', 'who will post with it (the token subject)', DEFAULT_TOKEN_SUBJECT)
    .option('--days <n>', `how long it is valid, 1-${MAX_TOKEN_DAYS}`, parseDays, DEFAULT_TOKEN_DAYS)
    .action(async (options: TokenIssueOptions) => setExit(await runTokenIssue(options, io)));
}
