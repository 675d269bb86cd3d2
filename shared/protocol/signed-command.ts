import { z } from 'zod';

/**
 * The signed form a command travels in between the control plane and the agent. The command is carried as
 * the exact JSON text that was signed (`payload`), so nobody has to agree on a canonical JSON form: the
 * agent verifies the signature over the bytes it received and only then parses them. The signature covers
 * the format, the key id and the algorithm too, so none of them can be swapped without breaking it.
 */
export const SIGNED_COMMAND_FORMAT = 'hr2ad.signed-command.v1';

/** Ed25519 (RFC 8032), or ECDSA P-256 with SHA-256 (`ES256`, signature in IEEE P1363 r||s form). */
export const SIGNING_ALGORITHMS = ['Ed25519', 'ES256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** A key id: which pinned public key verifies the signature (a Key Vault key version fits). */
export const signingKeyId = z.string().regex(/^[A-Za-z0-9._:/-]{1,256}$/, 'must be 1-256 of A-Z a-z 0-9 . _ : / -');

const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64');

export const signedCommandEnvelope = z.strictObject({
  format: z.literal(SIGNED_COMMAND_FORMAT),
  keyId: signingKeyId,
  algorithm: z.enum(SIGNING_ALGORITHMS),
  /** The command as JSON text, exactly as signed. */
  payload: z.string().min(2).max(1_000_000),
  /** Base64 of the signature over {@link signingInput}. */
  signature: base64.max(512),
});
export type SignedCommandEnvelope = z.infer<typeof signedCommandEnvelope>;

/** The bytes a signature covers: format, key id, algorithm and payload, one per line (payload last). */
export function signingInput(envelope: Omit<SignedCommandEnvelope, 'signature'>): Uint8Array {
  return new TextEncoder().encode(`${envelope.format}\n${envelope.keyId}\n${envelope.algorithm}\n${envelope.payload}`);
}
