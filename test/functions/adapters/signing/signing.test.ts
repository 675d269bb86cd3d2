/**
 * The control plane's command signing: generated keys (ids from the public key), the secret-store signer
 * (re-reads the key after its cache time, so a rotation is picked up without a restart; errors name the
 * secret, never its value), signCommand (verified by the agent's verifier over the exact payload text)
 * and rotateSigningKey (the replaced key kept as previous, both pins returned).
 */
import { createPublicKey } from 'node:crypto';
import { SignatureVerifier } from '../../../../agent/relay/signature-verifier';
import { rotateSigningKey, signingKeyPins } from '../../../../functions/adapters/signing/rotate-signing-key';
import {
  PREVIOUS_SIGNING_KEY_SECRET,
  SIGNING_KEY_SECRET,
  SecretStoreCommandSigner,
  SigningKeyError,
} from '../../../../functions/adapters/signing/secret-store-command-signer';
import { signCommand } from '../../../../functions/adapters/signing/sign-command';
import { generateSigningKey, keyIdFor } from '../../../../functions/adapters/signing/signing-keys';
import { MemorySecretStore } from '../../../harness/memory-secret-store';
import type { DisableAccount } from '../../../../shared/protocol/commands';
import type { SigningAlgorithm } from '../../../../shared/protocol/signed-command';

const COMMAND: DisableAccount = {
  kind: 'DisableAccount',
  protocol: 1,
  commandId: 'cmd-1',
  workerKey: 'hr:E1',
  sequence: 1,
  issuedAt: '2026-03-01T00:00:00Z',
  expiresAt: '2026-03-02T00:00:00Z',
  match: [{ attribute: 'employeeID', value: 'E1' }],
};

function clockAt(start: number) {
  const clock = { ms: start, now: () => new Date(clock.ms) };
  return clock;
}

describe('generateSigningKey', () => {
  it.each(['Ed25519', 'ES256'] as const)('makes an %s pair whose id comes from the public key', (algorithm) => {
    const key = generateSigningKey(algorithm);
    expect(key.keyId).toBe(keyIdFor(algorithm, createPublicKey(key.publicKeyPem)));
    expect(key.keyId).toMatch(new RegExp(`^${algorithm.toLowerCase()}-[0-9a-f]{16}$`));
    expect(key.privateKeyPem).toContain('-----BEGIN PRIVATE KEY-----');
    expect(key.publicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');
    expect(generateSigningKey(algorithm).keyId).not.toBe(key.keyId);
  });
});

describe('signCommand with the secret-store signer', () => {
  it.each(['Ed25519', 'ES256'] as const)('signs the exact payload so the agent verifies it (%s)', async (algorithm) => {
    const store = new MemorySecretStore();
    const pins = await rotateSigningKey(store, algorithm as SigningAlgorithm);
    const signer = new SecretStoreCommandSigner({ secrets: store, clock: clockAt(0) });
    const envelope = await signCommand(COMMAND, signer);
    expect(envelope).toMatchObject({ keyId: pins.current.keyId, algorithm, payload: JSON.stringify(COMMAND) });
    if (algorithm === 'ES256') expect(Buffer.from(envelope.signature, 'base64')).toHaveLength(64);
    expect(new SignatureVerifier([pins.current]).verify(envelope)).toEqual({ ok: true });
  });

  it('uses the cached key until the cache time passes, then the rotated one', async () => {
    const store = new MemorySecretStore();
    const first = await rotateSigningKey(store, 'Ed25519');
    const clock = clockAt(1_000_000);
    const signer = new SecretStoreCommandSigner({ secrets: store, clock, cacheMs: 30_000 });
    expect((await signCommand(COMMAND, signer)).keyId).toBe(first.current.keyId);
    const second = await rotateSigningKey(store, 'ES256');
    clock.ms += 29_999;
    expect((await signCommand(COMMAND, signer)).keyId).toBe(first.current.keyId);
    clock.ms += 1;
    const rotated = await signCommand(COMMAND, signer);
    expect(rotated).toMatchObject({ keyId: second.current.keyId, algorithm: 'ES256' });
    expect(new SignatureVerifier([second.current, first.current]).verify(rotated)).toEqual({ ok: true });
  });

  it('reads the store once per cache time, not per command', async () => {
    const store = new MemorySecretStore();
    await rotateSigningKey(store, 'Ed25519');
    const signer = new SecretStoreCommandSigner({ secrets: store, clock: clockAt(0) });
    store.reads = 0;
    for (let i = 0; i < 5; i++) await signCommand(COMMAND, signer);
    expect(store.reads).toBe(1);
  });

  it('says which secret is missing and how to create it, and reads again on the next call', async () => {
    const store = new MemorySecretStore();
    const signer = new SecretStoreCommandSigner({ secrets: store, clock: clockAt(0) });
    await expect(signer.keyId()).rejects.toThrow(
      new SigningKeyError(`secret ${SIGNING_KEY_SECRET} is missing: create a key with "hr2ad signing-key rotate"`),
    );
    const pins = await rotateSigningKey(store, 'Ed25519');
    await expect(signer.keyId()).resolves.toBe(pins.current.keyId);
  });

  const SECRET_TEXT = 'TOP-SECRET-MATERIAL';
  const key = generateSigningKey('Ed25519');
  it.each([
    ['not JSON', `{${SECRET_TEXT}`, 'is not JSON'],
    ['missing a field', JSON.stringify({ keyId: 'k1', privateKeyPem: SECRET_TEXT }), 'algorithm missing or invalid'],
    [
      'a key that is not PEM',
      JSON.stringify({ keyId: 'k1', algorithm: 'Ed25519', privateKeyPem: SECRET_TEXT }),
      'privateKeyPem is not a PEM private key',
    ],
    [
      'a key of another algorithm',
      JSON.stringify({ keyId: 'k1', algorithm: 'ES256', privateKeyPem: key.privateKeyPem }),
      'privateKeyPem is not an ES256 key',
    ],
  ])('names the secret and the fault of %s, never the value', async (_name, value, fault) => {
    const store = new MemorySecretStore();
    await store.set(SIGNING_KEY_SECRET, value);
    const signer = new SecretStoreCommandSigner({ secrets: store, clock: clockAt(0) });
    const error = (await signer.sign(new Uint8Array([1])).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(SigningKeyError);
    expect(error.message).toContain(`secret ${SIGNING_KEY_SECRET}`);
    expect(error.message).toContain(fault);
    expect(error.message).not.toContain(SECRET_TEXT);
    expect(error.message).not.toContain('PRIVATE KEY');
  });
});

describe('rotateSigningKey', () => {
  it('creates the first key with no previous one', async () => {
    const store = new MemorySecretStore();
    const pins = await rotateSigningKey(store, 'Ed25519');
    expect(pins.previous).toBeUndefined();
    expect(await store.list()).toEqual([SIGNING_KEY_SECRET]);
  });

  it('keeps the replaced key as previous and drops the one before', async () => {
    const store = new MemorySecretStore();
    const first = await rotateSigningKey(store, 'Ed25519');
    const second = await rotateSigningKey(store, 'ES256');
    expect(second.previous).toEqual(first.current);
    expect(second.current.algorithm).toBe('ES256');
    const third = await rotateSigningKey(store, 'Ed25519');
    expect(third.previous).toEqual(second.current);
    expect(await signingKeyPins(store)).toEqual(third);
    expect(await store.list()).toEqual([SIGNING_KEY_SECRET, PREVIOUS_SIGNING_KEY_SECRET]);
  });

  it('replaces an unusable key without keeping it', async () => {
    const store = new MemorySecretStore();
    await store.set(SIGNING_KEY_SECRET, 'garbage');
    const pins = await rotateSigningKey(store, 'Ed25519');
    expect(pins.previous).toBeUndefined();
    expect(await store.get(PREVIOUS_SIGNING_KEY_SECRET)).toBeNull();
  });
});
