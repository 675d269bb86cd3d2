/**
 * The secret store on one encrypted file, for the local control plane (Key Vault's stand-in).
 *
 * - Every secret is in one file, sealed with AES-256-GCM: a fresh random 12-byte IV per write, and the
 *   authentication tag checked on every read, so a flipped bit or a wrong key is an error, never garbage.
 *   The format's name and version are authenticated too (as additional data), so a file cannot be passed
 *   off as another version without the key.
 * - The 32-byte key lives in its own file, created 0600; like ssh with a private key, a key file that
 *   group or others may read is refused (its secrets should be considered exposed).
 * - Writes go to a temporary 0600 file that is then renamed over the old one: a crash leaves the old file
 *   or the new one, never half of one.
 * - Errors name the file and what is wrong, never a value: decryption and JSON errors are replaced, not
 *   wrapped, because their messages can quote the text they failed on.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { chmod, mkdir, open as openFile, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SECRET_NAME, type SecretStore } from '../../../shared/ports/secret-store.port';

/** A problem with the store's files or a request; the message never holds a secret's value. */
export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError';
}

export interface EncryptedFileSecretStoreOptions {
  /** The encrypted file holding every secret (created on the first `set`). */
  readonly file: string;
  /** The file holding the 32-byte key, base64. */
  readonly keyFile: string;
  /** Create the key file (0600) when it does not exist; default false (a missing key file is an error). */
  readonly createKey?: boolean;
}

const FORMAT_VERSION = 1;
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Authenticated with every file: binds the ciphertext to this format and version. */
const ASSOCIATED_DATA = Buffer.from(`hr2ad-secrets:v${FORMAT_VERSION}`);
const PRIVATE_MODE = 0o600;

/** The file as stored: everything but `version` is base64. */
interface SealedFile {
  readonly version: number;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !SECRET_NAME.test(name))
    throw new SecretStoreError(
      `invalid secret name ${JSON.stringify(String(name).slice(0, 130))}: use 1 to 127 letters, digits or '-'`,
    );
}

/** Refuses a key file others may read, as ssh does (mode bits mean nothing on Windows: ACLs guard it there). */
async function checkKeyFileMode(keyFile: string): Promise<void> {
  if (process.platform === 'win32') return;
  const mode = (await stat(keyFile)).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new SecretStoreError(
      `${keyFile}: permissions ${mode.toString(8).padStart(4, '0')} are too open; the key file must not be ` +
        `accessible by group or others (chmod 600 ${keyFile})`,
    );
}

async function createKeyFile(keyFile: string, file: string): Promise<void> {
  // A new key cannot read secrets sealed with a lost one: refuse rather than silently orphan them.
  if (await exists(file))
    throw new SecretStoreError(`${keyFile}: key file not found, and ${file} already holds secrets sealed with a key`);
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  // 'wx': never overwrite a key another process created meanwhile.
  await writeFile(keyFile, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: PRIVATE_MODE, flag: 'wx' });
  await chmod(keyFile, PRIVATE_MODE);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

async function loadKey(options: EncryptedFileSecretStoreOptions): Promise<Buffer> {
  const { keyFile } = options;
  if (!(await exists(keyFile))) {
    if (!options.createKey) throw new SecretStoreError(`${keyFile}: key file not found`);
    await createKeyFile(keyFile, options.file);
  }
  await checkKeyFileMode(keyFile);
  const key = Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64');
  if (key.length !== KEY_BYTES)
    throw new SecretStoreError(`${keyFile}: not a key file (expected ${KEY_BYTES} bytes, base64)`);
  return key;
}

function seal(key: Buffer, secrets: ReadonlyMap<string, string>): SealedFile {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(ASSOCIATED_DATA);
  const sorted = Object.fromEntries([...secrets].sort(([a], [b]) => (a < b ? -1 : 1)));
  const data = Buffer.concat([cipher.update(JSON.stringify({ secrets: sorted }), 'utf8'), cipher.final()]);
  const b64 = (b: Buffer) => b.toString('base64');
  return { version: FORMAT_VERSION, iv: b64(iv), tag: b64(cipher.getAuthTag()), data: b64(data) };
}

/** The sealed file's fields, checked before any decryption is tried. */
function readEnvelope(file: string, text: string): { iv: Buffer; tag: Buffer; data: Buffer } {
  let sealed: Partial<SealedFile>;
  try {
    sealed = JSON.parse(text) as Partial<SealedFile>;
  } catch {
    throw new SecretStoreError(`${file}: not a secrets file (not JSON)`);
  }
  if (sealed?.version !== FORMAT_VERSION)
    throw new SecretStoreError(
      `${file}: secrets file version ${String(sealed?.version)} is not supported (this hr2ad reads version ${FORMAT_VERSION})`,
    );
  const field = (name: 'iv' | 'tag' | 'data', bytes?: number): Buffer => {
    const value = sealed[name];
    const buffer = typeof value === 'string' ? Buffer.from(value, 'base64') : null;
    if (!buffer || (bytes !== undefined && buffer.length !== bytes))
      throw new SecretStoreError(`${file}: not a secrets file ("${name}" is missing or malformed)`);
    return buffer;
  };
  return { iv: field('iv', IV_BYTES), tag: field('tag', TAG_BYTES), data: field('data') };
}

function unseal(file: string, key: Buffer, text: string): Map<string, string> {
  const { iv, tag, data } = readEnvelope(file, text);
  let plain: string;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(ASSOCIATED_DATA);
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretStoreError(`${file}: cannot decrypt the secrets file: wrong key, or the file was altered`);
  }
  return secretsOf(file, plain);
}

/** The authenticated plaintext's secrets; its text is never quoted (it is the secrets). */
function secretsOf(file: string, plain: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = (JSON.parse(plain) as { secrets?: unknown }).secrets;
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SecretStoreError(`${file}: decrypted content is not a set of secrets`);
  const entries = Object.entries(parsed);
  if (entries.some(([name, value]) => !SECRET_NAME.test(name) || typeof value !== 'string'))
    throw new SecretStoreError(`${file}: decrypted content holds an invalid secret name or value`);
  return new Map(entries as [string, string][]);
}

/** Writes `text` to `file` through a 0600 temporary file renamed over it (atomic on one file system). */
async function writeAtomically(file: string, text: string): Promise<void> {
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

/** Secrets in one AES-256-GCM file, its key in a separate 0600 key file. */
export class EncryptedFileSecretStore implements SecretStore {
  /** Operations run one at a time, so two concurrent `set`s never lose one another's write. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly key: Buffer,
  ) {}

  /**
   * Opens the store: loads (or, with `createKey`, creates) the key, and reads the secrets file once so a
   * wrong key or a damaged file fails here rather than at the first `get`.
   */
  static async open(options: EncryptedFileSecretStoreOptions): Promise<EncryptedFileSecretStore> {
    const key = await loadKey(options);
    const store = new EncryptedFileSecretStore(options.file, key);
    await store.read();
    return store;
  }

  async get(name: string): Promise<string | null> {
    checkName(name);
    return this.exclusive(async () => (await this.read()).get(name) ?? null);
  }

  async set(name: string, value: string): Promise<void> {
    checkName(name);
    if (typeof value !== 'string') throw new SecretStoreError(`secret ${name}: the value must be a string`);
    await this.update((secrets) => secrets.set(name, value));
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    await this.update((secrets) => secrets.delete(name));
  }

  async list(): Promise<string[]> {
    return this.exclusive(async () => [...(await this.read()).keys()].sort());
  }

  private async read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isMissing(error)) return new Map();
      throw error;
    }
    return unseal(this.file, this.key, text);
  }

  private update(change: (secrets: Map<string, string>) => void): Promise<void> {
    return this.exclusive(async () => {
      const secrets = await this.read();
      change(secrets);
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      await writeAtomically(this.file, `${JSON.stringify(seal(this.key, secrets))}\n`);
    });
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
