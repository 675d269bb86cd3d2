/**
 * Command-signing keys: generating a pair, naming it, and the public half that agents pin. Private keys
 * are PKCS8 PEM and public keys SPKI PEM, the forms node:crypto and Key Vault exports both read.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from '../../../shared/protocol/signed-command';

/** A generated key pair, ready to store (private) and to pin (public). */
export interface GeneratedSigningKey {
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
  /** PKCS8 PEM: goes to the secret store only. */
  readonly privateKeyPem: string;
  /** SPKI PEM: goes into every agent's `relay.signing.publicKeys`. */
  readonly publicKeyPem: string;
}

/** A public key as an agent pins it (`relay.signing.publicKeys[]`). */
export interface PinnedPublicKey {
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
  readonly publicKey: string;
}

const KEY_ID_PREFIX: Record<SigningAlgorithm, string> = { Ed25519: 'ed25519', ES256: 'es256' };

/** `<algorithm>-<first 16 hex of sha256(SPKI DER)>`: the same public key always gets the same id. */
export function keyIdFor(algorithm: SigningAlgorithm, publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `${KEY_ID_PREFIX[algorithm]}-${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

export function generateSigningKey(algorithm: SigningAlgorithm): GeneratedSigningKey {
  const { privateKey, publicKey } =
    algorithm === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    keyId: keyIdFor(algorithm, publicKey),
    algorithm,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Whether `key` is of the kind `algorithm` signs with (Ed25519, or EC on P-256 for ES256). */
export function keyFitsAlgorithm(key: KeyObject, algorithm: SigningAlgorithm): boolean {
  if (algorithm === 'Ed25519') return key.asymmetricKeyType === 'ed25519';
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

/** The pin for a stored private key (its public half). */
export function pinFor(stored: { keyId: string; algorithm: SigningAlgorithm; privateKeyPem: string }): PinnedPublicKey {
  const publicKey = createPublicKey(createPrivateKey(stored.privateKeyPem));
  return {
    keyId: stored.keyId,
    algorithm: stored.algorithm,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
