/**
 * Ingest tokens for the local runtime, where there is no Entra ID: the control plane issues them itself
 * (`hr2ad token issue`) with an ES256 key kept in its secret store, created on first issue, and checks them
 * with the public half of the same key. The secret has the command-signing key's shape
 * (`{keyId, algorithm, privateKeyPem}`), so its errors name the secret and field, never the key.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Clock } from '../../../shared/ports/clock.port';
import type { SecretStore } from '../../../shared/ports/secret-store.port';
import { SigningKeyError, parseStoredSigningKey, type StoredSigningKey } from '../signing/secret-store-command-signer';
import { generateSigningKey } from '../signing/signing-keys';
import type { LocalIngestAuthSettings } from '../../config/ingest-auth-settings';
import type { KeySource } from './oidc-key-source';

/** The `iss` of locally issued tokens. */
export const LOCAL_ISSUER = 'hr2ad-local';
export const MAX_TOKEN_DAYS = 365;

/** How long a key read from the store is used before it is read again. */
const KEY_CACHE_MS = 60_000;

export interface IngestTokenRequest {
  /** The token's `sub`: who will post with it. */
  readonly subject: string;
  /** Validity, whole days 1-365. */
  readonly days: number;
  /** The role granted (default: the settings' role). */
  readonly role?: string;
  /** The issue time (default: now). */
  readonly now?: Date;
}

function storedKey(secret: string, text: string): StoredSigningKey {
  const stored = parseStoredSigningKey(secret, text);
  if (stored.algorithm !== 'ES256') throw new SigningKeyError(`secret ${secret}: algorithm must be ES256`);
  return stored;
}

/** The token key, created on first use. */
async function tokenKey(store: SecretStore, secret: string): Promise<StoredSigningKey> {
  const text = await store.get(secret);
  if (text !== null) return storedKey(secret, text);
  const generated = generateSigningKey('ES256');
  const stored: StoredSigningKey = {
    keyId: generated.keyId,
    algorithm: 'ES256',
    privateKeyPem: generated.privateKeyPem,
  };
  await store.set(secret, JSON.stringify(stored));
  return stored;
}

function privateKeyOf(secret: string, stored: StoredSigningKey): KeyObject {
  try {
    return createPrivateKey(stored.privateKeyPem);
  } catch {
    throw new SigningKeyError(`secret ${secret}: privateKeyPem is not a PEM private key`);
  }
}

/** A signed ingest token for the local runtime. Throws RangeError for bad days, SigningKeyError for a bad key. */
export async function issueIngestToken(
  store: SecretStore,
  settings: LocalIngestAuthSettings,
  request: IngestTokenRequest,
): Promise<string> {
  if (!Number.isInteger(request.days) || request.days < 1 || request.days > MAX_TOKEN_DAYS)
    throw new RangeError(`days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
  if (request.subject.trim() === '') throw new RangeError('subject must not be empty');
  const secret = settings.signingKey.secret;
  const stored = await tokenKey(store, secret);
  const issuedAt = Math.floor((request.now ?? new Date()).getTime() / 1000);
  const claims = {
    iss: LOCAL_ISSUER,
    aud: settings.audience,
    sub: request.subject,
    roles: [request.role ?? settings.role],
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + request.days * 86_400,
  };
  return jwt.sign(claims, privateKeyOf(secret, stored), { algorithm: 'ES256', keyid: stored.keyId });
}

interface HeldKey {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly readAt: number;
}

/** The local token key's public half, from the store. No key yet means no token verifies. */
export class LocalKeySource implements KeySource {
  private held: HeldKey | null = null;

  constructor(
    private readonly store: SecretStore,
    private readonly secret: string,
    private readonly clock: Clock = { now: () => new Date() },
  ) {}

  async key(kid: string | undefined, alg: string): Promise<KeyObject | null> {
    if (alg !== 'ES256' || kid === undefined) return null;
    const held = await this.current();
    return held && held.keyId === kid ? held.publicKey : null;
  }

  /** Absence is not cached: the key appears when the first token is issued, maybe by another process. */
  private async current(): Promise<HeldKey | null> {
    const now = this.clock.now().getTime();
    if (this.held && now - this.held.readAt < KEY_CACHE_MS) return this.held;
    const text = await this.store.get(this.secret);
    if (text === null) return (this.held = null);
    const stored = storedKey(this.secret, text);
    const publicKey = createPublicKey(privateKeyOf(this.secret, stored));
    this.held = { keyId: stored.keyId, publicKey, readAt: now };
    return this.held;
  }
}
