/**
 * The agent's signature verifier against pinned keys:
 *
 * | envelope                                   | verdict                              |
 * |--------------------------------------------|--------------------------------------|
 * | signed with a pinned Ed25519 / ES256 key   | ok                                   |
 * | signed with either key pinned during a roll| ok                                   |
 * | key id not pinned                          | refused: not pinned                  |
 * | payload changed after signing              | refused: does not verify             |
 * | key id swapped to another pinned key       | refused (algorithm or signature)     |
 * | algorithm claim changed                    | refused: pinned for another algorithm|
 * | signature truncated / not base64           | refused                              |
 *
 * Pins that cannot be used are refused when the verifier is built.
 */
import { PinnedKeyError, SignatureVerifier } from '../../../agent/relay/signature-verifier';
import { generateSigningKey } from '../../../functions/adapters/signing/signing-keys';
import { ED25519_KEY, ES256_KEY, STRANGER_KEY, pinOf, signPayload } from './signature-fixtures';

const PAYLOAD = '{"kind":"DisableAccount","commandId":"c-1"}';
const rolling = new SignatureVerifier([pinOf(ED25519_KEY), pinOf(ES256_KEY)]);

describe('SignatureVerifier', () => {
  it.each([ED25519_KEY, ES256_KEY])('accepts a command signed with the pinned $algorithm key', (key) => {
    expect(new SignatureVerifier([pinOf(key)]).verify(signPayload(PAYLOAD, key))).toEqual({ ok: true });
  });

  it('accepts either key while two are pinned (a key roll)', () => {
    expect(rolling.verify(signPayload(PAYLOAD, ED25519_KEY))).toEqual({ ok: true });
    expect(rolling.verify(signPayload(PAYLOAD, ES256_KEY))).toEqual({ ok: true });
  });

  it('refuses a key id that is not pinned, naming it and the pinned ones', () => {
    const outcome = rolling.verify(signPayload(PAYLOAD, STRANGER_KEY));
    expect(outcome).toEqual({
      ok: false,
      reason: `key id ${STRANGER_KEY.keyId} is not pinned (pinned: ${ED25519_KEY.keyId}, ${ES256_KEY.keyId})`,
    });
  });

  it.each([ED25519_KEY, ES256_KEY])('refuses a payload changed after signing ($algorithm)', (key) => {
    const envelope = { ...signPayload(PAYLOAD, key), payload: PAYLOAD.replace('c-1', 'c-2') };
    expect(rolling.verify(envelope)).toEqual({
      ok: false,
      reason: `the signature does not verify under key ${key.keyId}`,
    });
  });

  it('refuses a key id swapped to another pinned key of the same algorithm', () => {
    const other = generateSigningKey('Ed25519');
    const verifier = new SignatureVerifier([pinOf(ED25519_KEY), pinOf(other)]);
    const envelope = signPayload(PAYLOAD, ED25519_KEY, { keyId: other.keyId });
    expect(verifier.verify(envelope)).toEqual({
      ok: false,
      reason: `the signature does not verify under key ${other.keyId}`,
    });
  });

  it('refuses an algorithm claim that differs from the pinned key', () => {
    const envelope = signPayload(PAYLOAD, ED25519_KEY, { algorithm: 'ES256' });
    expect(rolling.verify(envelope)).toEqual({
      ok: false,
      reason: `key ${ED25519_KEY.keyId} is pinned for Ed25519, the command claims ES256`,
    });
  });

  it('refuses a key id swapped to a pinned key of the other algorithm', () => {
    const envelope = signPayload(PAYLOAD, ED25519_KEY, { keyId: ES256_KEY.keyId });
    expect(rolling.verify(envelope)).toMatchObject({ ok: false, reason: expect.stringContaining('pinned for ES256') });
  });

  it.each([ED25519_KEY, ES256_KEY])('refuses a truncated signature ($algorithm)', (key) => {
    const envelope = signPayload(PAYLOAD, key);
    const truncated = Buffer.from(envelope.signature, 'base64').subarray(0, 63).toString('base64');
    expect(rolling.verify({ ...envelope, signature: truncated })).toEqual({
      ok: false,
      reason: `the signature does not verify under key ${key.keyId}`,
    });
  });

  it.each(['not base64!', 'QUJD', 'QUJDRA=', ''])(
    'refuses signature text %j (not base64, non-canonical, or a few bytes)',
    (text) => {
      const envelope = { ...signPayload(PAYLOAD, ED25519_KEY), signature: text };
      expect(rolling.verify(envelope)).toMatchObject({ ok: false });
    },
  );

  it('refuses pins that cannot verify anything, naming the key', () => {
    expect(() => new SignatureVerifier([])).toThrow(PinnedKeyError);
    expect(() => new SignatureVerifier([pinOf(ED25519_KEY), pinOf(ED25519_KEY)])).toThrow(
      `pinned key ${ED25519_KEY.keyId} is pinned twice`,
    );
    expect(() => new SignatureVerifier([{ ...pinOf(ED25519_KEY), algorithm: 'ES256' }])).toThrow(
      `pinned key ${ED25519_KEY.keyId}: publicKey is not an ES256 public key`,
    );
    expect(
      () => new SignatureVerifier([{ ...pinOf(ED25519_KEY), publicKey: '-----BEGIN PUBLIC KEY-----\nx' }]),
    ).toThrow(`pinned key ${ED25519_KEY.keyId}: publicKey is not a PEM public key`);
  });
});
