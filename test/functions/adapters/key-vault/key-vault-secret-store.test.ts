/**
 * The Key Vault secret store through the real SecretClient against the HTTPS stand-in: what the port
 * promises (round trip, null for unknown names, names only and sorted across pages, delete tolerant of
 * missing names, names validated), Key Vault's soft delete (a set after a delete recovers the name
 * first), the bearer challenge answered, and failures that name the secret and the status, never a value.
 */
import { SecretClient } from '@azure/keyvault-secrets';
import { KeyVaultSecretStore } from '../../../../functions/adapters/key-vault/key-vault-secret-store';
import { SecretStoreError } from '../../../../functions/adapters/secrets/encrypted-file-secret-store';
import { STAND_IN_TOKEN, standInClientOptions, standInCredential } from '../../../harness/key-vault/clients';
import { startKeyVault, type KeyVaultStandIn } from '../../../harness/key-vault/index';

const VALUE = 'correct-horse-battery-staple-7f3a';
let vault: KeyVaultStandIn;
let names = 0;

beforeAll(async () => {
  vault = await startKeyVault({ pageSize: 2 });
});
afterAll(() => vault.close());

function storeOn(maxRetries?: number): KeyVaultSecretStore {
  const client = new SecretClient(vault.url, standInCredential(), standInClientOptions(vault, maxRetries));
  return new KeyVaultSecretStore(client, { pollIntervalMs: 10 });
}

/** A name no other test uses (the stand-in is shared by the file's tests). */
function fresh(prefix: string): string {
  names += 1;
  return `${prefix}-${names}`;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('KeyVaultSecretStore', () => {
  it('gives back what was set, replaces it, and has nothing for unknown names', async () => {
    const store = storeOn();
    const name = fresh('api-token');
    expect(await store.get(name)).toBeNull();
    await store.set(name, VALUE);
    expect(await store.get(name)).toBe(VALUE);
    await store.set(name, 'second');
    expect(await store.get(name)).toBe('second');
    const empty = fresh('empty');
    await store.set(empty, '');
    expect(await store.get(empty)).toBe('');
  });

  it('answers the bearer challenge and sends the credential token', async () => {
    const before = vault.requests().challenge ?? 0;
    const store = storeOn();
    await store.get(fresh('challenge'));
    expect(vault.requests().challenge).toBe(before + 1);
    expect(vault.tokens()).toEqual([STAND_IN_TOKEN]);
  });

  it('lists names only, sorted, across pages, and deletes (deleting twice or unknown names is not an error)', async () => {
    const separate = await startKeyVault({ pageSize: 2 });
    try {
      const client = new SecretClient(separate.url, standInCredential(), standInClientOptions(separate));
      const store = new KeyVaultSecretStore(client, { pollIntervalMs: 10 });
      for (const name of ['signing-key', 'api-token', 'HR-secret', 'b-2', 'a-1']) await store.set(name, VALUE);
      expect(await store.list()).toEqual(['HR-secret', 'a-1', 'api-token', 'b-2', 'signing-key']);
      expect(separate.requests()['secrets.list']).toBe(3);
      await store.delete('api-token');
      await store.delete('api-token');
      await store.delete('never-set');
      expect(await store.list()).toEqual(['HR-secret', 'a-1', 'b-2', 'signing-key']);
      expect(await store.get('api-token')).toBeNull();
    } finally {
      await separate.close();
    }
  });

  it('sets a name again after deleting it (recovering the soft-deleted secret first)', async () => {
    const store = storeOn();
    const name = fresh('reused');
    await store.set(name, 'first');
    await store.delete(name);
    expect(await store.get(name)).toBeNull();
    await store.set(name, VALUE);
    expect(await store.get(name)).toBe(VALUE);
    expect(vault.requests()['deletedsecrets.recover']).toBeGreaterThanOrEqual(1);
  });

  it('keeps every one of concurrent writes', async () => {
    const store = storeOn();
    const prefix = fresh('concurrent');
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`${prefix}-${i}`, `v${i}`)));
    const listed = (await store.list()).filter((name) => name.startsWith(`${prefix}-`));
    expect(listed).toHaveLength(20);
  });

  it('reports a failure with the operation, the secret and the status, never the value', async () => {
    const store = storeOn(0);
    const name = fresh('throttled');
    vault.throttle({ limit: 0, windowMs: 60_000 });
    try {
      const error = await failure(store.set(name, VALUE));
      expect(error).toBeInstanceOf(SecretStoreError);
      expect(error.message).toBe(`Key Vault: set secret ${name} failed (HTTP 429 Throttled)`);
      expect(JSON.stringify({ ...error, message: error.message, cause: error.cause })).not.toContain(VALUE);
      await expect(store.list()).rejects.toThrow('Key Vault: listing secrets failed (HTTP 429 Throttled)');
    } finally {
      vault.throttle(undefined);
    }
  });

  it.each(['', 'has space', 'under_score', 'dot.name', 'é', 'x'.repeat(128)])(
    'rejects the invalid name %j in every operation without a request',
    async (name) => {
      const store = storeOn();
      const before = JSON.stringify(vault.requests());
      await expect(store.get(name)).rejects.toThrow('invalid secret name');
      await expect(store.set(name, VALUE)).rejects.toThrow('invalid secret name');
      await expect(store.delete(name)).rejects.toThrow('invalid secret name');
      expect(JSON.stringify(vault.requests())).toBe(before);
    },
  );

  it('accepts the longest valid name', async () => {
    const store = storeOn();
    const name = `A-${'z9'.repeat(62)}1`;
    expect(name).toHaveLength(127);
    await store.set(name, VALUE);
    expect(await store.get(name)).toBe(VALUE);
  });
});
