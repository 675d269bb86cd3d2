/**
 * Command signing on Key Vault, both ways, through the real SDK clients against the HTTPS stand-in:
 * - signingKeySecret: SecretStoreCommandSigner over KeyVaultSecretStore (the key is a secret);
 * - signOperation: KeyVaultSignOperationSigner (Key Vault signs with an EC P-256 key).
 * For each, a run of 500 commands with a key rotation in the middle, every one verified by the agent's
 * SignatureVerifier pinned with the old and the new key; once the cache time passes on the injected
 * clock, nothing more is signed with the retired key. Then Key Vault's throttling (429 + Retry-After)
 * under a burst of signatures, and the factory's default and setting.
 */
import { KeyClient } from '@azure/keyvault-keys';
import { SecretClient } from '@azure/keyvault-secrets';
import { SignatureVerifier, type PinnedKey } from '../../../../agent/relay/signature-verifier';
import { commandSignerFor, keyVaultSigningSettings } from '../../../../functions/adapters/key-vault/command-signer-for';
import { KeyVaultSecretStore } from '../../../../functions/adapters/key-vault/key-vault-secret-store';
import {
  KeyVaultSignOperationSigner,
  keyVaultKeyPins,
  pinForKeyVaultKey,
} from '../../../../functions/adapters/key-vault/key-vault-sign-operation-signer';
import { rotateSigningKey, signingKeyPins } from '../../../../functions/adapters/signing/rotate-signing-key';
import { SecretStoreCommandSigner } from '../../../../functions/adapters/signing/secret-store-command-signer';
import { signCommand } from '../../../../functions/adapters/signing/sign-command';
import type { CommandSigner } from '../../../../shared/ports/command-signer.port';
import type { DisableAccount } from '../../../../shared/protocol/commands';
import type { SignedCommandEnvelope } from '../../../../shared/protocol/signed-command';
import { standInClientOptions, standInCredential } from '../../../harness/key-vault/clients';
import { startKeyVault, type KeyVaultStandIn } from '../../../harness/key-vault/index';

const COMMANDS = 500;
const ROTATE_AT = 250;
const CACHE_MS = 60_000;
const KEY_NAME = 'command-signing-key';

let vault: KeyVaultStandIn;
beforeAll(async () => {
  vault = await startKeyVault();
});
afterAll(() => vault.close());

function command(i: number): DisableAccount {
  return {
    kind: 'DisableAccount',
    protocol: 1,
    commandId: `cmd-${i}`,
    workerKey: `hr:E${i}`,
    sequence: 1,
    issuedAt: '2026-03-01T00:00:00Z',
    expiresAt: '2026-03-02T00:00:00Z',
    match: [{ attribute: 'employeeID', value: `E${i}` }],
  };
}

function manualClock() {
  const clock = { ms: Date.parse('2026-03-01T00:00:00Z'), now: () => new Date(clock.ms) };
  return clock;
}

/** One way of signing on Key Vault: its signer, how to rotate, and the pins (newest first). */
interface SigningSetup {
  readonly signer: CommandSigner;
  rotate(): Promise<void>;
  pins(): Promise<PinnedKey[]>;
}

async function secretSetup(clock: { now(): Date }): Promise<SigningSetup> {
  const client = new SecretClient(vault.url, standInCredential(), standInClientOptions(vault));
  const store = new KeyVaultSecretStore(client, { pollIntervalMs: 10 });
  await rotateSigningKey(store, 'ES256');
  return {
    signer: new SecretStoreCommandSigner({ secrets: store, clock, cacheMs: CACHE_MS }),
    rotate: async () => {
      await rotateSigningKey(store, 'ES256');
    },
    pins: async () => {
      const pins = await signingKeyPins(store);
      return pins.previous ? [pins.current, pins.previous] : [pins.current];
    },
  };
}

async function keySetup(clock: { now(): Date }): Promise<SigningSetup> {
  const credential = standInCredential();
  const keys = new KeyClient(vault.url, credential, standInClientOptions(vault));
  const keyName = `${KEY_NAME}-${Math.random().toString(16).slice(2, 10)}`;
  await keys.createEcKey(keyName, { curve: 'P-256' });
  const signer = new KeyVaultSignOperationSigner({
    keys,
    credential,
    cryptographyOptions: standInClientOptions(vault),
    keyName,
    clock,
    cacheMs: CACHE_MS,
  });
  return {
    signer,
    rotate: async () => {
      await keys.rotateKey(keyName);
    },
    pins: () => keyVaultKeyPins(keys, keyName),
  };
}

describe.each([
  ['signingKeySecret (SecretStoreCommandSigner over KeyVaultSecretStore)', secretSetup],
  ['signOperation (KeyVaultSignOperationSigner)', keySetup],
])('%s', (_name, setup) => {
  it(`signs ${COMMANDS} commands across a rotation: all verify, none with the retired key once the roll is picked up`, async () => {
    const clock = manualClock();
    const { signer, rotate, pins } = await setup(clock);
    const [oldPin] = await pins();
    const envelopes: SignedCommandEnvelope[] = [];
    let pickedUpAt = -1;
    for (let i = 0; i < COMMANDS; i++) {
      if (i === ROTATE_AT) await rotate();
      if (i === ROTATE_AT + 50) {
        clock.ms += CACHE_MS + 1;
        pickedUpAt = i;
      }
      envelopes.push(await signCommand(command(i), signer));
    }
    const [newPin, previousPin] = await pins();
    expect(previousPin?.keyId).toBe(oldPin!.keyId);
    expect(newPin!.keyId).not.toBe(oldPin!.keyId);
    const verifier = new SignatureVerifier([oldPin!, newPin!]);
    const refused = envelopes.map((e) => verifier.verify(e)).filter((outcome) => !outcome.ok);
    expect(refused).toEqual([]);
    // Within the cache time after the rotation the old key is still in force; after it, only the new.
    expect(new Set(envelopes.slice(0, pickedUpAt).map((e) => e.keyId))).toEqual(new Set([oldPin!.keyId]));
    expect(new Set(envelopes.slice(pickedUpAt).map((e) => e.keyId))).toEqual(new Set([newPin!.keyId]));
    expect(envelopes.every((e) => e.algorithm === 'ES256')).toBe(true);
    expect(envelopes.every((e) => Buffer.from(e.signature, 'base64').length === 64)).toBe(true);
    // The agent pinned with the new key alone refuses what the retired key signed.
    expect(new SignatureVerifier([newPin!]).verify(envelopes[0]!).ok).toBe(false);
  });
});

describe('Key Vault throttling (429 with Retry-After) under a burst of 120 signatures', () => {
  const BURST = 120;

  async function burst(signer: CommandSigner): Promise<SignedCommandEnvelope[]> {
    return Promise.all(Array.from({ length: BURST }, (_, i) => signCommand(command(i), signer)));
  }

  afterEach(() => vault.throttle(undefined));

  it('signOperation: one Key Vault transaction per command; throttled requests are retried after Retry-After', async () => {
    const clock = manualClock();
    const { signer, pins } = await keySetup(clock);
    await signer.keyId();
    const before = vault.requests();
    vault.throttle({ limit: 50, windowMs: 1000 });
    const envelopes = await burst(signer);
    const after = vault.requests();
    const verifier = new SignatureVerifier(await pins());
    expect(envelopes.filter((e) => !verifier.verify(e).ok)).toEqual([]);
    expect(after['keys.sign']! - (before['keys.sign'] ?? 0)).toBe(BURST);
    expect((after.throttled ?? 0) - (before.throttled ?? 0)).toBeGreaterThan(0);
  });

  it('signingKeySecret: the burst reads the secret once and is never throttled', async () => {
    const clock = manualClock();
    const { signer, pins } = await secretSetup(clock);
    const before = vault.requests();
    vault.throttle({ limit: 50, windowMs: 1000 });
    const envelopes = await burst(signer);
    const after = vault.requests();
    const verifier = new SignatureVerifier(await pins());
    expect(envelopes.filter((e) => !verifier.verify(e).ok)).toEqual([]);
    expect(after['secrets.get']! - (before['secrets.get'] ?? 0)).toBe(1);
    expect(after.throttled ?? 0).toBe(before.throttled ?? 0);
  });
});

describe('commandSignerFor', () => {
  it('defaults to the signing key kept as a secret', () => {
    const settings = keyVaultSigningSettings.parse({ vaultUrl: vault.url });
    expect(settings).toMatchObject({ mode: 'signingKeySecret', secretName: 'command-signing-key', cacheSeconds: 60 });
    const signer = commandSignerFor(settings, standInCredential(), manualClock(), standInClientOptions(vault));
    expect(signer).toBeInstanceOf(SecretStoreCommandSigner);
  });

  it('signs with Key Vault sign operations when asked, and the agent verifies it', async () => {
    const keys = new KeyClient(vault.url, standInCredential(), standInClientOptions(vault));
    await keys.createEcKey('factory-key', { curve: 'P-256' });
    const settings = keyVaultSigningSettings.parse({
      vaultUrl: vault.url,
      mode: 'signOperation',
      keyName: 'factory-key',
    });
    const signer = commandSignerFor(settings, standInCredential(), manualClock(), standInClientOptions(vault));
    expect(signer).toBeInstanceOf(KeyVaultSignOperationSigner);
    const envelope = await signCommand(command(1), signer);
    expect(new SignatureVerifier(await keyVaultKeyPins(keys, 'factory-key')).verify(envelope)).toEqual({ ok: true });
  });

  it.each([
    [{ vaultUrl: 'http://vault.example' }, 'vaultUrl'],
    [{ vaultUrl: 'https://v.vault.azure.net', mode: 'hsm' }, 'mode'],
    [{ vaultUrl: 'https://v.vault.azure.net', keyName: 'no_underscores' }, 'keyName'],
    [{ vaultUrl: 'https://v.vault.azure.net', extra: 1 }, 'extra'],
  ])('rejects settings %j, naming %s', (input, field) => {
    const parsed = keyVaultSigningSettings.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(field);
  });

  it('reports a missing Key Vault key with its name and the status', async () => {
    const keys = new KeyClient(vault.url, standInCredential(), standInClientOptions(vault));
    const signer = new KeyVaultSignOperationSigner({
      keys,
      credential: standInCredential(),
      cryptographyOptions: standInClientOptions(vault),
      keyName: 'no-such-key',
      clock: manualClock(),
    });
    await expect(signer.keyId()).rejects.toThrow('Key Vault key no-such-key: reading it failed (HTTP 404 KeyNotFound)');
  });

  it('refuses a Key Vault key that is not EC P-256, naming the key', () => {
    const rsa = {
      name: 'rsa-key',
      key: { kty: 'RSA', n: new Uint8Array(256) },
      properties: { version: 'a'.repeat(32) },
    };
    expect(() => pinForKeyVaultKey(rsa as unknown as Parameters<typeof pinForKeyVaultKey>[0])).toThrow(
      'Key Vault key rsa-key is not an EC P-256 key with a version (ES256 needs one)',
    );
  });
});
