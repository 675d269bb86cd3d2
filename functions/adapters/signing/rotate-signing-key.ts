import type { SecretStore } from '../../../shared/ports/secret-store.port';
import type { SigningAlgorithm } from '../../../shared/protocol/signed-command';
import {
  PREVIOUS_SIGNING_KEY_SECRET,
  SIGNING_KEY_SECRET,
  readSigningKey,
  type StoredSigningKey,
} from './secret-store-command-signer';
import { generateSigningKey, pinFor, type PinnedPublicKey } from './signing-keys';

/** What agents pin: the key in force, and during a roll the one it replaced. */
export interface SigningKeyPins {
  readonly current: PinnedPublicKey;
  readonly previous?: PinnedPublicKey;
}

async function previousPin(store: SecretStore): Promise<PinnedPublicKey | undefined> {
  if ((await store.get(PREVIOUS_SIGNING_KEY_SECRET)) === null) return undefined;
  return pinFor(await readSigningKey(store, PREVIOUS_SIGNING_KEY_SECRET));
}

/** The pins for the keys held now; throws SigningKeyError when there is no key yet. */
export async function signingKeyPins(store: SecretStore): Promise<SigningKeyPins> {
  const current = pinFor(await readSigningKey(store));
  const previous = await previousPin(store);
  return previous ? { current, previous } : { current };
}

/** The key in force as stored, or null when there is none or it is unusable (a rotation repairs it). */
async function usableKeyText(store: SecretStore): Promise<string | null> {
  try {
    await readSigningKey(store);
  } catch {
    return null;
  }
  return store.get(SIGNING_KEY_SECRET);
}

/**
 * Puts a new key in force and keeps the one it replaces as the previous key (the one before is dropped).
 * The previous key is written first: a crash in between leaves the old key in force, pinned twice.
 */
export async function rotateSigningKey(store: SecretStore, algorithm: SigningAlgorithm): Promise<SigningKeyPins> {
  const replaced = await usableKeyText(store);
  const generated = generateSigningKey(algorithm);
  const stored: StoredSigningKey = {
    keyId: generated.keyId,
    algorithm,
    privateKeyPem: generated.privateKeyPem,
  };
  if (replaced !== null) await store.set(PREVIOUS_SIGNING_KEY_SECRET, replaced);
  await store.set(SIGNING_KEY_SECRET, JSON.stringify(stored));
  return signingKeyPins(store);
}
