/**
 * Loads the agent's configuration from its file: plain JSON, or sealed at rest as `hr2ad-agent init`
 * writes it (told apart by content, so an administrator may use either). Errors name the file and what
 * is wrong, never a value: JSON errors are replaced, since their messages quote the text they failed on.
 */
import { readFile } from 'node:fs/promises';
import { AgentConfigError, parseAgentConfig, type AgentConfig } from './agent-config';
import {
  AGENT_CONFIG_FORMAT,
  loadKey,
  looksSealed,
  SealedFileError,
  sealText,
  unsealText,
  writeFileAtomically,
} from './sealed-file';

/** The key file when none is named: beside the configuration, `<config>.key`. */
export function defaultKeyFile(configFile: string): string {
  return `${configFile}.key`;
}

export interface AgentConfigDocument {
  /** The document as written (before defaults), for `init` to change and seal again. */
  readonly document: unknown;
  /** Whether the file is sealed (encrypted at rest). */
  readonly sealed: boolean;
}

export interface LoadedAgentConfig extends AgentConfigDocument {
  readonly config: AgentConfig;
  readonly file: string;
}

function parseJson(file: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AgentConfigError(`${file}: ${what} is not JSON`);
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AgentConfigError(`${file}: cannot read the agent configuration (${code ?? 'unknown error'})`);
  }
}

async function unsealDocument(file: string, keyFile: string, text: string): Promise<unknown> {
  try {
    const key = await loadKey({ keyFile, sealedFile: file, format: AGENT_CONFIG_FORMAT });
    return parseJson(file, unsealText(file, key, text, AGENT_CONFIG_FORMAT), 'the decrypted configuration');
  } catch (error) {
    if (error instanceof SealedFileError) throw new AgentConfigError(error.message);
    throw error;
  }
}

/** The configuration document in `file`, decrypted with `keyFile` when sealed. */
export async function readAgentConfigDocument(
  file: string,
  keyFile = defaultKeyFile(file),
): Promise<AgentConfigDocument> {
  const text = await readText(file);
  const outer = parseJson(file, text, 'the file');
  if (!looksSealed(outer)) return { document: outer, sealed: false };
  return { document: await unsealDocument(file, keyFile, text), sealed: true };
}

/** Reads, decrypts when sealed, and validates the agent configuration (frozen, defaults applied). */
export async function loadAgentConfig(file: string, keyFile = defaultKeyFile(file)): Promise<LoadedAgentConfig> {
  const read = await readAgentConfigDocument(file, keyFile);
  return { ...read, file, config: parseAgentConfig(read.document, file) };
}

/**
 * Seals a configuration document into `file` (atomically, 0600), creating the key file when it does not
 * exist — unless `file` is already sealed, with a key that a new one could not replace.
 */
export async function writeSealedAgentConfig(
  file: string,
  keyFile: string,
  document: unknown,
  options: { readonly alreadySealed: boolean },
): Promise<void> {
  try {
    const key = await loadKey({
      keyFile,
      sealedFile: options.alreadySealed ? file : undefined,
      format: AGENT_CONFIG_FORMAT,
      createKey: true,
    });
    await writeFileAtomically(file, sealText(key, `${JSON.stringify(document)}`, AGENT_CONFIG_FORMAT));
  } catch (error) {
    if (error instanceof SealedFileError) throw new AgentConfigError(error.message);
    throw error;
  }
}
