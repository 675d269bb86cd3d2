/**
 * The secret store on Azure Key Vault (the Azure control plane; locally the encrypted file plays it).
 * Key Vault keeps versions and soft-deletes: a deleted name stays reserved until it is purged or
 * recovered, so a `set` after a `delete` recovers the deleted secret first and then writes the new
 * version (recovering needs no purge permission and works with purge protection on). Errors name the
 * operation, the secret and the service's status, never a value (see key-vault-errors.ts).
 */
import type { SecretClient } from '@azure/keyvault-secrets';
import { SECRET_NAME, type SecretStore } from '../../../shared/ports/secret-store.port';
import { SecretStoreError } from '../secrets/secret-store-error';
import { describeFailure, statusOf } from './key-vault-errors';

export interface KeyVaultSecretStoreOptions {
  /** Poll interval of the SDK's delete and recover pollers (default the SDK's 2 s). */
  readonly pollIntervalMs?: number;
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !SECRET_NAME.test(name))
    throw new SecretStoreError(
      `invalid secret name ${JSON.stringify(String(name).slice(0, 130))}: use 1 to 127 letters, digits or '-'`,
    );
}

export class KeyVaultSecretStore implements SecretStore {
  constructor(
    private readonly client: SecretClient,
    private readonly options: KeyVaultSecretStoreOptions = {},
  ) {}

  async get(name: string): Promise<string | null> {
    checkName(name);
    try {
      return (await this.client.getSecret(name)).value ?? null;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw this.failed('get', name, error);
    }
  }

  async set(name: string, value: string): Promise<void> {
    checkName(name);
    if (typeof value !== 'string') throw new SecretStoreError(`secret ${name}: the value must be a string`);
    try {
      await this.client.setSecret(name, value);
    } catch (error) {
      if (statusOf(error) !== 409) throw this.failed('set', name, error);
      await this.recover(name);
      await this.client.setSecret(name, value).catch((retry: unknown) => {
        throw this.failed('set', name, retry);
      });
    }
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    try {
      const poller = await this.client.beginDeleteSecret(name, { intervalInMs: this.options.pollIntervalMs });
      await poller.pollUntilDone();
    } catch (error) {
      if (statusOf(error) !== 404) throw this.failed('delete', name, error);
    }
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const properties of this.client.listPropertiesOfSecrets()) names.push(properties.name);
    } catch (error) {
      throw new SecretStoreError(`Key Vault: listing secrets failed (${describeFailure(error)})`);
    }
    return names.sort();
  }

  /** Brings a soft-deleted secret back so its name can take a new version. */
  private async recover(name: string): Promise<void> {
    try {
      const poller = await this.client.beginRecoverDeletedSecret(name, { intervalInMs: this.options.pollIntervalMs });
      await poller.pollUntilDone();
    } catch (error) {
      throw this.failed('recover deleted', name, error);
    }
  }

  private failed(operation: string, name: string, error: unknown): SecretStoreError {
    return new SecretStoreError(`Key Vault: ${operation} secret ${name} failed (${describeFailure(error)})`);
  }
}
