/**
 * What the Key Vault stand-in holds: secrets (versions, soft delete) and EC P-256 keys (versions, private
 * halves kept here, as the service keeps them). Ids and versions take the service's shapes: versions are
 * 32 hex digits, ids are `<vault>/secrets/<name>/<version>` and `<vault>/keys/<name>/<version>`.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

export interface SecretVersion {
  readonly version: string;
  readonly value: string;
  readonly contentType?: string;
  readonly created: number;
}

export interface StoredSecret {
  readonly versions: SecretVersion[];
  /** Set while the secret is soft-deleted: it cannot be set again until recovered or purged. */
  deletedOn?: number;
}

export interface KeyVersion {
  readonly version: string;
  readonly privateKey: KeyObject;
  readonly created: number;
}

export interface StoredKey {
  readonly keyType: 'EC' | 'EC-HSM';
  readonly versions: KeyVersion[];
}

export const newVersion = (): string => randomBytes(16).toString('hex');
/** Seconds since the epoch, as the service writes dates. */
export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

export class VaultState {
  readonly secrets = new Map<string, StoredSecret>();
  readonly keys = new Map<string, StoredKey>();

  setSecret(name: string, value: string, contentType?: string): SecretVersion {
    const version: SecretVersion = { version: newVersion(), value, contentType, created: Date.now() };
    const existing = this.secrets.get(name);
    if (existing) existing.versions.push(version);
    else this.secrets.set(name, { versions: [version] });
    return version;
  }

  /** The live (not deleted) secret, or undefined. */
  liveSecret(name: string): StoredSecret | undefined {
    const secret = this.secrets.get(name);
    return secret && secret.deletedOn === undefined ? secret : undefined;
  }

  addKeyVersion(name: string, keyType: StoredKey['keyType']): KeyVersion {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const version: KeyVersion = { version: newVersion(), privateKey, created: Date.now() };
    const existing = this.keys.get(name);
    if (existing) existing.versions.push(version);
    else this.keys.set(name, { keyType, versions: [version] });
    return version;
  }
}

/** The public JWK of a key version, as the service returns it (`kid`, `kty`, `crv`, `x`, `y`, `key_ops`). */
export function publicJwk(kid: string, keyType: StoredKey['keyType'], version: KeyVersion): Record<string, unknown> {
  const jwk = createPublicKey(version.privateKey).export({ format: 'jwk' });
  return { kid, kty: keyType, crv: 'P-256', x: jwk.x, y: jwk.y, key_ops: ['sign', 'verify'] };
}
