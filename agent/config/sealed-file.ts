/**
 * A document sealed in a file with AES-256-GCM, its key in a separate key file: the agent's configuration
 * at rest, and the local control plane's secrets.
 *
 * - A fresh random 12-byte IV per write, and the authentication tag checked on every read, so a flipped
 *   bit or a wrong key is an error, never garbage.
 * - Each kind of file authenticates its own label and version (as additional data): a secrets file cannot
 *   be passed off as an agent configuration, nor one version as another, without the key.
 * - The 32-byte key lives in its own file, created 0600; like ssh with a private key, a key file that group
 *   or others may read is refused (what it protects should be considered exposed). A machine-protected
 *   store (Windows DPAPI, a Linux keyring) could hold the key instead; this module uses the key file only.
 * - Writes go to a temporary 0600 file that is then renamed over the old one: a crash leaves the old file
 *   or the new one, never half of one.
 * - Errors name the file and what is wrong, never a value: decryption errors are replaced, not wrapped,
 *   because their messages can quote the text they failed on.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { chmod, mkdir, open as openFile, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A problem with a sealed file or its key file; the message never holds a sealed value. */
export class SealedFileError extends Error {
  override readonly name = 'SealedFileError';
}

/** One kind of sealed file: what it is called in errors, and the label authenticated with it. */
export interface SealedFormat {
  /** Authenticated with every file of this kind, e.g. `hr2ad-secrets` (the version is appended). */
  readonly label: string;
  /** What errors call the file, e.g. `secrets file`. */
  readonly fileKind: string;
  /** What errors call its content, e.g. `secrets`. */
  readonly contents: string;
}

/** The agent configuration, as `hr2ad-agent init` writes it. */
export const AGENT_CONFIG_FORMAT: SealedFormat = {
  label: 'hr2ad-agent-config',
  fileKind: 'sealed agent configuration',
  contents: 'a configuration',
};

export const SEALED_FORMAT_VERSION = 1;
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PRIVATE_MODE = 0o600;

/** The file as stored: everything but `version` is base64. */
export interface SealedEnvelope {
  readonly version: number;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

const ENVELOPE_KEYS = ['data', 'iv', 'tag', 'version'];

function associatedData(format: SealedFormat): Buffer {
  return Buffer.from(`${format.label}:v${SEALED_FORMAT_VERSION}`);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/** Whether a parsed JSON document has the shape of a sealed file (and nothing else). */
export function looksSealed(document: unknown): boolean {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return false;
  return Object.keys(document).sort().join() === ENVELOPE_KEYS.join();
}

/** Refuses a key file others may read, as ssh does (mode bits mean nothing on Windows: ACLs guard it there). */
export async function checkKeyFileMode(keyFile: string): Promise<void> {
  if (process.platform === 'win32') return;
  const mode = (await stat(keyFile)).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new SealedFileError(
      `${keyFile}: permissions ${mode.toString(8).padStart(4, '0')} are too open; the key file must not be ` +
        `accessible by group or others (chmod 600 ${keyFile})`,
    );
}

/** Creates a new random key file (0600); refuses when `sealedFile` already holds content sealed with a key. */
async function createKeyFile(keyFile: string, sealedFile: string | undefined, format: SealedFormat): Promise<void> {
  // A new key cannot read what a lost one sealed: refuse rather than silently orphan it.
  if (sealedFile !== undefined && (await fileExists(sealedFile)))
    throw new SealedFileError(
      `${keyFile}: key file not found, and ${sealedFile} already holds ${format.contents} sealed with a key`,
    );
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  // 'wx': never overwrite a key another process created meanwhile.
  await writeFile(keyFile, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: PRIVATE_MODE, flag: 'wx' });
  await chmod(keyFile, PRIVATE_MODE);
}

export interface LoadKeyOptions {
  readonly keyFile: string;
  /** The sealed file the key opens: a new key is never created while it exists (undefined: none yet). */
  readonly sealedFile: string | undefined;
  readonly format: SealedFormat;
  /** Create the key file (0600) when it does not exist; default false (a missing key file is an error). */
  readonly createKey?: boolean;
}

/** Loads (or, with `createKey`, first creates) a key file, refusing one that group or others may read. */
export async function loadKey(options: LoadKeyOptions): Promise<Buffer> {
  const { keyFile } = options;
  if (!(await fileExists(keyFile))) {
    if (!options.createKey) throw new SealedFileError(`${keyFile}: key file not found`);
    await createKeyFile(keyFile, options.sealedFile, options.format);
  }
  await checkKeyFileMode(keyFile);
  const key = Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64');
  if (key.length !== KEY_BYTES)
    throw new SealedFileError(`${keyFile}: not a key file (expected ${KEY_BYTES} bytes, base64)`);
  return key;
}

/** Seals a text (a JSON document) with the key, as the file's content. */
export function sealText(key: Buffer, plain: string, format: SealedFormat): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(format));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const b64 = (b: Buffer) => b.toString('base64');
  const envelope: SealedEnvelope = {
    version: SEALED_FORMAT_VERSION,
    iv: b64(iv),
    tag: b64(cipher.getAuthTag()),
    data: b64(data),
  };
  return `${JSON.stringify(envelope)}\n`;
}

/** The sealed file's fields, checked before any decryption is tried. */
function readEnvelope(file: string, text: string, format: SealedFormat): { iv: Buffer; tag: Buffer; data: Buffer } {
  let sealed: Partial<SealedEnvelope>;
  try {
    sealed = JSON.parse(text) as Partial<SealedEnvelope>;
  } catch {
    throw new SealedFileError(`${file}: not a ${format.fileKind} (not JSON)`);
  }
  if (sealed?.version !== SEALED_FORMAT_VERSION)
    throw new SealedFileError(
      `${file}: ${format.fileKind} version ${String(sealed?.version)} is not supported (this hr2ad reads version ${SEALED_FORMAT_VERSION})`,
    );
  const field = (name: 'iv' | 'tag' | 'data', bytes?: number): Buffer => {
    const value = sealed[name];
    const buffer = typeof value === 'string' ? Buffer.from(value, 'base64') : null;
    if (!buffer || (bytes !== undefined && buffer.length !== bytes))
      throw new SealedFileError(`${file}: not a ${format.fileKind} ("${name}" is missing or malformed)`);
    return buffer;
  };
  return { iv: field('iv', IV_BYTES), tag: field('tag', TAG_BYTES), data: field('data') };
}

/** The authenticated plaintext of a sealed file's content; `file` names it in errors. */
export function unsealText(file: string, key: Buffer, text: string, format: SealedFormat): string {
  const { iv, tag, data } = readEnvelope(file, text, format);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(format));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedFileError(`${file}: cannot decrypt the ${format.fileKind}: wrong key, or the file was altered`);
  }
}

/** Writes `text` to `file` through a 0600 temporary file renamed over it (atomic on one file system). */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await openFile(
    temporary,
    fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL,
    PRIVATE_MODE,
  );
  try {
    await handle.writeFile(text, 'utf8');
    // On disk before the rename, so the rename never exposes an empty file after a crash.
    await handle.sync();
    await handle.close();
    await chmod(temporary, PRIVATE_MODE);
    await rename(temporary, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
