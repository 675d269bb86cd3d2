/** Signing keys and envelopes for the agent's relay tests, made with the control plane's own signing code. */
import { createPrivateKey } from 'node:crypto';
import { signWith } from '../../../functions/adapters/signing/secret-store-command-signer';
import { generateSigningKey, type GeneratedSigningKey } from '../../../functions/adapters/signing/signing-keys';
import type { PinnedKey } from '../../../agent/relay/signature-verifier';
import {
  SIGNED_COMMAND_FORMAT,
  signingInput,
  type SignedCommandEnvelope,
} from '../../../shared/protocol/signed-command';

export const ED25519_KEY = generateSigningKey('Ed25519');
export const ES256_KEY = generateSigningKey('ES256');
/** A key no agent pins. */
export const STRANGER_KEY = generateSigningKey('Ed25519');

export function pinOf(key: GeneratedSigningKey): PinnedKey {
  return { keyId: key.keyId, algorithm: key.algorithm, publicKey: key.publicKeyPem };
}

/** Signs `payload` with `key`; `claims` changes what the envelope says after signing (tampering). */
export function signPayload(
  payload: string,
  key: GeneratedSigningKey,
  claims: Partial<SignedCommandEnvelope> = {},
): SignedCommandEnvelope {
  const unsigned = { format: SIGNED_COMMAND_FORMAT, keyId: key.keyId, algorithm: key.algorithm, payload } as const;
  const signature = signWith(key.algorithm, createPrivateKey(key.privateKeyPem), signingInput(unsigned));
  return { ...unsigned, signature: Buffer.from(signature).toString('base64'), ...claims };
}

export function signCommandWith(command: object, key: GeneratedSigningKey = ED25519_KEY): SignedCommandEnvelope {
  return signPayload(JSON.stringify(command), key);
}
