import type { SigningAlgorithm } from '../protocol/signed-command';

/**
 * Signs commands for the agent. Locally the private key comes from the secret store; in Azure it may be a
 * Key Vault key that never leaves the vault. The agent pins the matching public key(s) by key id.
 */
export interface CommandSigner {
  /** The id of the key in force; the agent looks up its pinned public key by it. */
  keyId(): Promise<string>;
  readonly algorithm: SigningAlgorithm;
  /** The signature over `data` (Ed25519, or ES256 in IEEE P1363 r||s form), under the key named by `keyId`. */
  sign(data: Uint8Array): Promise<{ keyId: string; signature: Uint8Array }>;
}
