/**
 * The Azure composition root's command signer, chosen by a setting. The default keeps the signing key
 * as a Key Vault secret and signs in process (`signingKeySecret`): one secret read per instance per
 * cache time, whatever the load. `signOperation` keeps an EC P-256 key in the vault and has Key Vault
 * sign every command: the key never leaves the vault, at one Key Vault transaction per command, under
 * the vault's limit of 4,000 per 10 s (2,000 for HSM keys). docs/key-vault.md has the numbers.
 */
import type { TokenCredential } from '@azure/identity';
import { KeyClient, type KeyClientOptions } from '@azure/keyvault-keys';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { z } from 'zod';
import type { Clock } from '../../../shared/ports/clock.port';
import type { CommandSigner } from '../../../shared/ports/command-signer.port';
import { SECRET_NAME } from '../../../shared/ports/secret-store.port';
import { SIGNING_KEY_SECRET, SecretStoreCommandSigner } from '../signing/secret-store-command-signer';
import { KeyVaultSecretStore } from './key-vault-secret-store';
import { KeyVaultSignOperationSigner } from './key-vault-sign-operation-signer';

/** Pipeline options both clients accept (the service versions differ between them, so they are left out). */
export type KeyVaultClientOptions = Omit<KeyClientOptions, 'serviceVersion'> &
  Omit<SecretClientOptions, 'serviceVersion'>;

export const KEY_VAULT_SIGNING_MODES = ['signingKeySecret', 'signOperation'] as const;
export type KeyVaultSigningMode = (typeof KEY_VAULT_SIGNING_MODES)[number];

export const keyVaultSigningSettings = z.strictObject({
  /** The vault, `https://<name>.vault.azure.net`. */
  vaultUrl: z.url({ protocol: /^https$/ }),
  /**
   * `signingKeySecret` (default): the private key is the secret {@link SIGNING_KEY_SECRET}, read again
   * after `cacheSeconds`. `signOperation`: Key Vault signs with the EC P-256 key `keyName`.
   */
  mode: z.enum(KEY_VAULT_SIGNING_MODES).default('signingKeySecret'),
  /** The secret holding the key for `signingKeySecret` (default `command-signing-key`). */
  secretName: z.string().regex(SECRET_NAME).default(SIGNING_KEY_SECRET),
  /** The Key Vault key for `signOperation` (default `command-signing-key`). */
  keyName: z.string().regex(SECRET_NAME).default('command-signing-key'),
  /** How long a read key is used before the vault is read again (default 60). */
  cacheSeconds: z.number().int().min(1).max(3600).default(60),
});
export type KeyVaultSigningSettings = z.infer<typeof keyVaultSigningSettings>;

/**
 * The signer for `settings.mode`. `clientOptions` are the SDK clients' pipeline options (tests pass
 * their stand-in's TLS trust and `disableChallengeResourceVerification`; Azure needs none).
 */
export function commandSignerFor(
  settings: KeyVaultSigningSettings,
  credential: TokenCredential,
  clock: Clock,
  clientOptions: KeyVaultClientOptions = {},
): CommandSigner {
  const cacheMs = settings.cacheSeconds * 1000;
  if (settings.mode === 'signOperation')
    return new KeyVaultSignOperationSigner({
      keys: new KeyClient(settings.vaultUrl, credential, clientOptions),
      credential,
      cryptographyOptions: clientOptions,
      keyName: settings.keyName,
      clock,
      cacheMs,
    });
  const secrets = new KeyVaultSecretStore(new SecretClient(settings.vaultUrl, credential, clientOptions));
  return new SecretStoreCommandSigner({ secrets, clock, cacheMs, secretName: settings.secretName });
}
