/**
 * Verifies command signatures against the public keys pinned in the agent's configuration. The agent
 * trusts nothing else: a key is found by the envelope's key id and must be pinned for the algorithm the
 * envelope claims, so neither can be swapped to make another key or algorithm check the signature. Two
 * pinned keys are a key roll: commands signed under either verify until the old one is unpinned.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { SignedCommandEnvelope, SigningAlgorithm } from '../../shared/protocol/signed-command';
import { signingInput } from '../../shared/protocol/signed-command';

/** A public key as pinned in `relay.signing.publicKeys`. */
export interface PinnedKey {
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
  /** SPKI PEM. */
  readonly publicKey: string;
}

export type VerifyOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** A pinned key that cannot be used; found at start, when the configuration is read. */
export class PinnedKeyError extends Error {
  override readonly name = 'PinnedKeyError';
}

interface VerifyingKey {
  readonly algorithm: SigningAlgorithm;
  readonly key: KeyObject;
}

function fits(key: KeyObject, algorithm: SigningAlgorithm): boolean {
  if (algorithm === 'Ed25519') return key.asymmetricKeyType === 'ed25519';
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

function verifyingKey(pin: PinnedKey): VerifyingKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pin.publicKey);
  } catch {
    throw new PinnedKeyError(`pinned key ${pin.keyId}: publicKey is not a PEM public key`);
  }
  if (key.type !== 'public' || !fits(key, pin.algorithm))
    throw new PinnedKeyError(`pinned key ${pin.keyId}: publicKey is not an ${pin.algorithm} public key`);
  return { algorithm: pin.algorithm, key };
}

/** Strict base64: decoding and re-encoding gives the same text, so no two texts carry one signature. */
function decodeBase64(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > 0 && bytes.toString('base64') === text ? bytes : null;
}

export class SignatureVerifier {
  private readonly keys = new Map<string, VerifyingKey>();

  constructor(pins: readonly PinnedKey[]) {
    if (pins.length === 0) throw new PinnedKeyError('no pinned key: commands could never be verified');
    for (const pin of pins) {
      if (this.keys.has(pin.keyId)) throw new PinnedKeyError(`pinned key ${pin.keyId} is pinned twice`);
      this.keys.set(pin.keyId, verifyingKey(pin));
    }
  }

  verify(envelope: SignedCommandEnvelope): VerifyOutcome {
    const pinned = this.keys.get(envelope.keyId);
    if (!pinned)
      return {
        ok: false,
        reason: `key id ${envelope.keyId} is not pinned (pinned: ${[...this.keys.keys()].join(', ')})`,
      };
    if (pinned.algorithm !== envelope.algorithm)
      return {
        ok: false,
        reason: `key ${envelope.keyId} is pinned for ${pinned.algorithm}, the command claims ${envelope.algorithm}`,
      };
    const signature = decodeBase64(envelope.signature);
    if (!signature) return { ok: false, reason: 'the signature is not canonical base64' };
    return this.check(pinned, envelope, signature)
      ? { ok: true }
      : { ok: false, reason: `the signature does not verify under key ${envelope.keyId}` };
  }

  private check(pinned: VerifyingKey, envelope: SignedCommandEnvelope, signature: Buffer): boolean {
    const data = signingInput(envelope);
    try {
      return pinned.algorithm === 'Ed25519'
        ? verify(null, data, pinned.key, signature)
        : verify('sha256', data, { key: pinned.key, dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      // A signature of the wrong length is a bad signature, whatever OpenSSL calls it.
      return false;
    }
  }
}
