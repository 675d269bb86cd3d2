/**
 * The command signer on a private key held in the secret store (the local control plane; in Azure a
 * Key Vault secret of the same shape). The key is read again after a short cache time, so a key rotated
 * by `hr2ad signing-key rotate` is in force within that time without a restart. Errors name the secret
 * and the field at fault, never a value: JSON and key-parsing errors are replaced, not wrapped, because
 * their messages can quote the text they failed on.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../../shared/ports/clock.port';
import type { CommandSigner } from '../../../shared/ports/command-signer.port';
import type { SecretStore } from '../../../shared/ports/secret-store.port';
import { SIGNING_ALGORITHMS, signingKeyId, type SigningAlgorithm } from '../../../shared/protocol/signed-command';
import { issuesFromZod } from '../../../shared/util/result';
import { keyFitsAlgorithm } from './signing-keys';
import { TimedCache } from './timed-cache';

/** The secret holding the key in force: JSON `{keyId, algorithm, privateKeyPem}`. */
export const SIGNING_KEY_SECRET = 'command-signing-key';
/** The key replaced by the last rotation, kept so agents can pin both during a roll. */
export const PREVIOUS_SIGNING_KEY_SECRET = 'command-signing-key-previous';

const DEFAULT_CACHE_MS = 60_000;

export const storedSigningKey = z.strictObject({
  keyId: signingKeyId,
  algorithm: z.enum(SIGNING_ALGORITHMS),
  privateKeyPem: z.string().min(1),
});
export type StoredSigningKey = z.infer<typeof storedSigningKey>;

/** The signing key is missing or unusable; the message names the secret, never its value. */
export class SigningKeyError extends Error {
  override readonly name = 'SigningKeyError';
}

interface LoadedKey {
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
  readonly privateKey: KeyObject;
}

/** Parses a stored key; every failure names the secret and the field, never the value. */
export function parseStoredSigningKey(name: string, text: string): StoredSigningKey {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SigningKeyError(`secret ${name} is not JSON (expected {keyId, algorithm, privateKeyPem})`);
  }
  const parsed = storedSigningKey.safeParse(value);
  if (!parsed.success) {
    const fields = [...new Set(issuesFromZod(parsed.error).map((issue) => issue.path))].join(', ');
    throw new SigningKeyError(`secret ${name} is not a signing key: ${fields} missing or invalid`);
  }
  return parsed.data;
}

function privateKeyOf(name: string, stored: StoredSigningKey): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(stored.privateKeyPem);
  } catch {
    throw new SigningKeyError(`secret ${name}: privateKeyPem is not a PEM private key`);
  }
  if (!keyFitsAlgorithm(key, stored.algorithm))
    throw new SigningKeyError(`secret ${name}: privateKeyPem is not an ${stored.algorithm} key`);
  return key;
}

/** Reads and checks the key in force. */
export async function readSigningKey(secrets: SecretStore, name = SIGNING_KEY_SECRET): Promise<StoredSigningKey> {
  const text = await secrets.get(name);
  if (text === null)
    throw new SigningKeyError(`secret ${name} is missing: create a key with "hr2ad signing-key rotate"`);
  const stored = parseStoredSigningKey(name, text);
  privateKeyOf(name, stored);
  return stored;
}

/** Ed25519 signs the message itself; ES256 hashes with SHA-256 and gives r||s (IEEE P1363), not DER. */
export function signWith(algorithm: SigningAlgorithm, privateKey: KeyObject, data: Uint8Array): Uint8Array {
  return algorithm === 'Ed25519'
    ? sign(null, data, privateKey)
    : sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

export interface SecretStoreCommandSignerOptions {
  readonly secrets: SecretStore;
  readonly clock: Clock;
  /** How long a read key is used before the store is read again (default 60 s). */
  readonly cacheMs?: number;
  /** The secret's name (default {@link SIGNING_KEY_SECRET}). */
  readonly secretName?: string;
}

export class SecretStoreCommandSigner implements CommandSigner {
  private readonly key: TimedCache<LoadedKey>;
  private lastAlgorithm: SigningAlgorithm = 'Ed25519';

  constructor(private readonly options: SecretStoreCommandSignerOptions) {
    this.key = new TimedCache(options.clock, options.cacheMs ?? DEFAULT_CACHE_MS, () => this.load());
  }

  /**
   * The algorithm of the key last read. It can change with a rotation, so callers read it right after
   * `keyId()` and check that `sign` used the same key id (as `signCommand` does).
   */
  get algorithm(): SigningAlgorithm {
    return this.lastAlgorithm;
  }

  async keyId(): Promise<string> {
    return (await this.current()).keyId;
  }

  async sign(data: Uint8Array): Promise<{ keyId: string; signature: Uint8Array }> {
    const key = await this.current();
    return { keyId: key.keyId, signature: signWith(key.algorithm, key.privateKey, data) };
  }

  private async current(): Promise<LoadedKey> {
    const key = await this.key.get();
    this.lastAlgorithm = key.algorithm;
    return key;
  }

  private async load(): Promise<LoadedKey> {
    const name = this.options.secretName ?? SIGNING_KEY_SECRET;
    const stored = await readSigningKey(this.options.secrets, name);
    return { keyId: stored.keyId, algorithm: stored.algorithm, privateKey: privateKeyOf(name, stored) };
  }
}
