/**
 * The command signer on a Key Vault EC P-256 key: Key Vault signs (ES256 over the SHA-256 digest) and the
 * private key never leaves the vault. The key id agents pin is `keyIdFor` of the version's public key, so
 * a key's id is the same whichever signer or tool names it. The latest version is read again after the
 * cache time, so `az keyvault key rotate` (a new version) is in force within that time without a restart.
 * Key Vault answers ES256 as r||s (IEEE P1363), the form the agent verifies; the length is checked.
 */
import { createHash, createPublicKey } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import {
  CryptographyClient,
  type CryptographyClientOptions,
  type KeyClient,
  type KeyVaultKey,
} from '@azure/keyvault-keys';
import type { Clock } from '../../../shared/ports/clock.port';
import type { CommandSigner } from '../../../shared/ports/command-signer.port';
import { SigningKeyError } from '../signing/secret-store-command-signer';
import { keyIdFor, type PinnedPublicKey } from '../signing/signing-keys';
import { describeFailure } from './key-vault-errors';
import { TimedCache } from '../signing/timed-cache';

const DEFAULT_CACHE_MS = 60_000;
const ES256_SIGNATURE_BYTES = 64;

export interface KeyVaultSignOperationSignerOptions {
  readonly keys: KeyClient;
  /** For the CryptographyClient of each key version. */
  readonly credential: TokenCredential;
  readonly cryptographyOptions?: CryptographyClientOptions;
  /** The Key Vault key's name. */
  readonly keyName: string;
  readonly clock: Clock;
  /** How long a read key version is used before the latest is read again (default 60 s). */
  readonly cacheMs?: number;
}

interface VaultSigningKey {
  readonly keyId: string;
  readonly version: string;
  readonly crypto: CryptographyClient;
}

/** The pin agents need for a Key Vault key version (its public half as SPKI PEM). */
export function pinForKeyVaultKey(key: KeyVaultKey): PinnedPublicKey {
  const jwk = key.key;
  if (!jwk || jwk.crv !== 'P-256' || !jwk.x || !jwk.y || !key.properties.version)
    throw new SigningKeyError(`Key Vault key ${key.name} is not an EC P-256 key with a version (ES256 needs one)`);
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(jwk.x).toString('base64url'),
      y: Buffer.from(jwk.y).toString('base64url'),
    },
    format: 'jwk',
  });
  return {
    keyId: keyIdFor('ES256', publicKey),
    algorithm: 'ES256',
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * The pins for the version in force and the newest other enabled versions (newest first): during a roll,
 * the new key and the one it replaced. The version in force is the vault's answer for the key without a
 * version, not a sort on creation times, which the service gives in whole seconds.
 */
export async function keyVaultKeyPins(keys: KeyClient, keyName: string, count = 2): Promise<PinnedPublicKey[]> {
  const current = await keys.getKey(keyName);
  const others = [];
  for await (const properties of keys.listPropertiesOfKeyVersions(keyName))
    if (properties.enabled !== false && properties.version && properties.version !== current.properties.version)
      others.push(properties);
  others.sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
  const older = await Promise.all(
    others.slice(0, count - 1).map(async (v) => keys.getKey(keyName, { version: v.version })),
  );
  return [current, ...older].map(pinForKeyVaultKey);
}

export class KeyVaultSignOperationSigner implements CommandSigner {
  readonly algorithm = 'ES256' as const;
  private readonly current: TimedCache<VaultSigningKey>;
  private loaded: VaultSigningKey | undefined;

  constructor(private readonly options: KeyVaultSignOperationSignerOptions) {
    this.current = new TimedCache(options.clock, options.cacheMs ?? DEFAULT_CACHE_MS, () => this.load());
  }

  async keyId(): Promise<string> {
    return (await this.current.get()).keyId;
  }

  async sign(data: Uint8Array): Promise<{ keyId: string; signature: Uint8Array }> {
    const key = await this.current.get();
    const digest = createHash('sha256').update(data).digest();
    let signature: Uint8Array;
    try {
      signature = (await key.crypto.sign('ES256', digest)).result;
    } catch (error) {
      throw new SigningKeyError(
        `Key Vault key ${this.options.keyName} (version ${key.version}): sign failed (${describeFailure(error)})`,
      );
    }
    if (signature.length !== ES256_SIGNATURE_BYTES)
      throw new SigningKeyError(
        `Key Vault key ${this.options.keyName}: an ES256 signature of ${signature.length} bytes (expected r||s, 64)`,
      );
    return { keyId: key.keyId, signature };
  }

  /** The latest version; the CryptographyClient is kept while the version stays the same. */
  private async load(): Promise<VaultSigningKey> {
    const { keys, keyName, credential, cryptographyOptions } = this.options;
    let key: KeyVaultKey;
    try {
      key = await keys.getKey(keyName);
    } catch (error) {
      throw new SigningKeyError(`Key Vault key ${keyName}: reading it failed (${describeFailure(error)})`);
    }
    const { keyId } = pinForKeyVaultKey(key);
    const version = key.properties.version!;
    if (this.loaded?.version !== version)
      this.loaded = { keyId, version, crypto: new CryptographyClient(key, credential, cryptographyOptions) };
    return this.loaded;
  }
}
