import type { CommandSigner } from '../../../shared/ports/command-signer.port';
import type { DirectoryCommandInput } from '../../../shared/protocol/commands';
import {
  SIGNED_COMMAND_FORMAT,
  signingInput,
  type SignedCommandEnvelope,
} from '../../../shared/protocol/signed-command';

/** A rotation can land between reading the key id and signing; one more try then sees the new key. */
const ATTEMPTS = 2;

/**
 * Signs a command: its JSON text is made once and carried as is, so the agent verifies exactly the bytes
 * that were signed. The signature covers the format, key id and algorithm too.
 */
export async function signCommand(
  command: DirectoryCommandInput,
  signer: CommandSigner,
): Promise<SignedCommandEnvelope> {
  const payload = JSON.stringify(command);
  for (let attempt = 1; ; attempt++) {
    const keyId = await signer.keyId();
    const unsigned = { format: SIGNED_COMMAND_FORMAT, keyId, algorithm: signer.algorithm, payload } as const;
    const signed = await signer.sign(signingInput(unsigned));
    if (signed.keyId === keyId) return { ...unsigned, signature: Buffer.from(signed.signature).toString('base64') };
    if (attempt >= ATTEMPTS)
      throw new Error(`command ${command.commandId}: the signing key changed while signing, ${ATTEMPTS} times`);
  }
}
