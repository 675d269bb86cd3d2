/**
 * The encrypted-file secret store: what the port promises (round trip, names only, delete, sorted list,
 * names validated), what the files must look like on disk (0600, nothing in plaintext, atomic), and how
 * it refuses a loose key file, a wrong key or an altered file — always without showing a value.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EncryptedFileSecretStore,
  SecretStoreError,
} from '../../../../functions/adapters/secrets/encrypted-file-secret-store';

const VALUE = 'correct-horse-battery-staple-7f3a';
const root = mkdtempSync(join(tmpdir(), 'hr2ad-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
/** Paths in a directory no other test uses. */
function paths(): { dir: string; file: string; keyFile: string } {
  dirs += 1;
  const dir = join(root, `case-${dirs}`);
  return { dir, file: join(dir, 'secrets.json'), keyFile: join(dir, 'secrets.key') };
}

async function created() {
  const p = paths();
  const store = await EncryptedFileSecretStore.open({ file: p.file, keyFile: p.keyFile, createKey: true });
  return { ...p, store };
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** An error the promise rejects with, for checking its whole message. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** Rewrites one base64 field of the sealed file with one bit flipped. */
function flipBit(file: string, field: 'data' | 'tag' | 'iv'): void {
  const sealed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const bytes = Buffer.from(sealed[field]!, 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  writeFileSync(file, JSON.stringify({ ...sealed, [field]: bytes.toString('base64') }));
}

describe('EncryptedFileSecretStore', () => {
  it('gives back what was set, replaces it, and has nothing for unknown names', async () => {
    const { store } = await created();
    expect(await store.get('api-token')).toBeNull();
    await store.set('api-token', VALUE);
    expect(await store.get('api-token')).toBe(VALUE);
    await store.set('api-token', 'second');
    expect(await store.get('api-token')).toBe('second');
    await store.set('empty', '');
    expect(await store.get('empty')).toBe('');
    // A name that is also an Object.prototype property is still just a name.
    expect(await store.get('constructor')).toBeNull();
  });

  it('lists names only, sorted, and deletes (deleting twice is not an error)', async () => {
    const { store } = await created();
    await store.set('signing-key', VALUE);
    await store.set('api-token', 'a');
    await store.set('HR-secret', 'b');
    expect(await store.list()).toEqual(['HR-secret', 'api-token', 'signing-key']);
    await store.delete('api-token');
    await store.delete('api-token');
    await store.delete('never-set');
    expect(await store.list()).toEqual(['HR-secret', 'signing-key']);
    expect(await store.get('api-token')).toBeNull();
  });

  it('keeps secrets across a reopen with the same key', async () => {
    const { file, keyFile, store } = await created();
    await store.set('api-token', VALUE);
    const reopened = await EncryptedFileSecretStore.open({ file, keyFile });
    expect(await reopened.get('api-token')).toBe(VALUE);
  });

  it('keeps every one of concurrent writes', async () => {
    const { store } = await created();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`s-${i}`, `v${i}`)));
    expect(await store.list()).toHaveLength(20);
  });

  it('creates the key file 0600, writes the secrets file 0600 and leaves no temporary file', async () => {
    const { dir, file, keyFile, store } = await created();
    expect(modeOf(keyFile)).toBe(0o600);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    await store.set('api-token', VALUE);
    await store.set('api-token', 'second');
    expect(modeOf(file)).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['secrets.json', 'secrets.key']);
  });

  it('keeps nothing in plaintext on disk: neither value nor name, and a fresh IV per write', async () => {
    const { file, store } = await created();
    await store.set('api-token', VALUE);
    const first = readFileSync(file);
    for (const needle of [VALUE, Buffer.from(VALUE).toString('base64'), 'api-token'])
      expect(first.includes(needle)).toBe(false);
    const sealed = JSON.parse(first.toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(sealed).sort()).toEqual(['data', 'iv', 'tag', 'version']);
    expect(sealed.version).toBe(1);
    await store.set('api-token', VALUE);
    const second = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(second.iv).not.toBe(sealed.iv);
    expect(second.data).not.toBe(sealed.data);
  });

  it.each([
    ['0644', 0o644],
    ['0640', 0o640],
    ['0604', 0o604],
  ])('refuses a key file with mode %s, naming the file and its mode', async (text, mode) => {
    const { file, keyFile, store } = await created();
    await store.set('api-token', VALUE);
    chmodSync(keyFile, mode);
    const error = await failure(EncryptedFileSecretStore.open({ file, keyFile }));
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.message).toContain(keyFile);
    expect(error.message).toContain(`permissions ${text} are too open`);
  });

  it('refuses a missing key file unless asked to create one', async () => {
    const { file, keyFile } = paths();
    await expect(EncryptedFileSecretStore.open({ file, keyFile })).rejects.toThrow(`${keyFile}: key file not found`);
  });

  it('refuses to create a new key for a secrets file sealed with another', async () => {
    const { file, keyFile, store } = await created();
    await store.set('api-token', VALUE);
    rmSync(keyFile);
    await expect(EncryptedFileSecretStore.open({ file, keyFile, createKey: true })).rejects.toThrow(file);
  });

  it('rejects a wrong key, naming the file and showing no value', async () => {
    const { file, store } = await created();
    await store.set('api-token', VALUE);
    const other = await created();
    const error = await failure(EncryptedFileSecretStore.open({ file, keyFile: other.keyFile }));
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error.message).toBe(`${file}: cannot decrypt the secrets file: wrong key, or the file was altered`);
  });

  it.each(['data', 'tag', 'iv'] as const)('rejects an altered %s, naming the file and showing no value', async (f) => {
    const { file, keyFile, store } = await created();
    await store.set('api-token', VALUE);
    flipBit(file, f);
    const error = await failure(EncryptedFileSecretStore.open({ file, keyFile }));
    expect(error.message).toContain(file);
    expect(error.message).toContain('the file was altered');
    expect(error.message).not.toContain(VALUE);
    expect(error.cause).toBeUndefined();
    await expect(store.get('api-token')).rejects.toThrow(SecretStoreError);
  });

  it.each([
    [{ version: 2, iv: '', tag: '', data: '' }, 'version 2 is not supported'],
    ['not json at all', 'not a secrets file'],
    [{ version: 1, iv: 'AAAA', tag: 'AAAA', data: '' }, '"iv" is missing or malformed'],
  ])('rejects a file that is not a sealed version-1 file (%j)', async (content, message) => {
    const { file, keyFile } = await created();
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    await expect(EncryptedFileSecretStore.open({ file, keyFile })).rejects.toThrow(`${file}: `);
    await expect(EncryptedFileSecretStore.open({ file, keyFile })).rejects.toThrow(message);
  });

  it.each(['', 'has space', 'under_score', 'dot.name', 'é', 'x'.repeat(128)])(
    'rejects the invalid name %j in every operation',
    async (name) => {
      const { store } = await created();
      await expect(store.get(name)).rejects.toThrow('invalid secret name');
      await expect(store.set(name, VALUE)).rejects.toThrow('invalid secret name');
      await expect(store.delete(name)).rejects.toThrow('invalid secret name');
      expect(await store.list()).toEqual([]);
    },
  );

  it('accepts the longest valid name', async () => {
    const { store } = await created();
    const name = `A-${'z9'.repeat(62)}1`;
    expect(name).toHaveLength(127);
    await store.set(name, VALUE);
    expect(await store.list()).toEqual([name]);
  });
});
