/**
 * The secret store on one encrypted file, for the local control plane (Key Vault's stand-in).
 *
 * Every secret is in one file sealed with AES-256-GCM, its key in a separate 0600 key file — the agent's
 * sealed-file primitives (agent/config/sealed-file.ts: fresh IV per write, authenticated label and
 * version, key-file permissions checked, atomic writes), under the label `hr2ad-secrets`. Errors name the
 * file and what is wrong, never a value: JSON errors of the plaintext are replaced, not wrapped, because
 * their messages can quote the text they failed on.
 */
import { readFile } from 'node:fs/promises';
import { SECRET_NAME, type SecretStore } from '../../../shared/ports/secret-store.port';
import { SecretStoreError } from './secret-store-error';
import {
  loadKey,
  SealedFileError,
  sealText,
  unsealText,
  writeFileAtomically,
  type SealedFormat,
} from '../../../agent/index';

// Kept apart so that stores without the sealed file (Key Vault) throw the same error without loading it.
export { SecretStoreError };

export interface EncryptedFileSecretStoreOptions {
  /** The encrypted file holding every secret (created on the first `set`). */
  readonly file: string;
  /** The file holding the 32-byte key, base64. */
  readonly keyFile: string;
  /** Create the key file (0600) when it does not exist; default false (a missing key file is an error). */
  readonly createKey?: boolean;
}

/** Authenticated with every file: binds the ciphertext to this format and version. */
const SECRETS_FORMAT: SealedFormat = { label: 'hr2ad-secrets', fileKind: 'secrets file', contents: 'secrets' };

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Runs a sealed-file operation, its errors as this store's (same message, nothing wrapped). */
async function asStoreError<T>(operation: () => T | Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof SealedFileError) throw new SecretStoreError(error.message);
    throw error;
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !SECRET_NAME.test(name))
    throw new SecretStoreError(
      `invalid secret name ${JSON.stringify(String(name).slice(0, 130))}: use 1 to 127 letters, digits or '-'`,
    );
}

function seal(key: Buffer, secrets: ReadonlyMap<string, string>): string {
  const sorted = Object.fromEntries([...secrets].sort(([a], [b]) => (a < b ? -1 : 1)));
  return sealText(key, JSON.stringify({ secrets: sorted }), SECRETS_FORMAT);
}

async function unseal(file: string, key: Buffer, text: string): Promise<Map<string, string>> {
  return secretsOf(file, await asStoreError(() => unsealText(file, key, text, SECRETS_FORMAT)));
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
    const key = await asStoreError(() =>
      loadKey({
        keyFile: options.keyFile,
        sealedFile: options.file,
        format: SECRETS_FORMAT,
        createKey: options.createKey,
      }),
    );
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
      await writeFileAtomically(this.file, seal(this.key, secrets));
    });
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
