/**
 * EC P-256 keys as the service answers them: create, rotate (a new version), get (latest or a version;
 * the public JWK only), list versions (paged), and sign with ES256 over a SHA-256 digest, answered as
 * base64url r||s like the service.
 */
import { signDigestP256 } from './ecdsa-p256';
import { failure, page, type VaultReply, type VaultRequest } from './routes';
import { epochSeconds, publicJwk, type KeyVersion, type StoredKey, type VaultState } from './vault-state';

function attributes(version: KeyVersion): Record<string, unknown> {
  return {
    enabled: true,
    created: epochSeconds(version.created),
    updated: epochSeconds(version.created),
    recoveryLevel: 'Recoverable+Purgeable',
    recoverableDays: 90,
  };
}

const kidOf = (vaultUrl: string, name: string, version: KeyVersion) => `${vaultUrl}/keys/${name}/${version.version}`;

function keyBundle(vaultUrl: string, name: string, key: StoredKey, version: KeyVersion): Record<string, unknown> {
  return { key: publicJwk(kidOf(vaultUrl, name, version), key.keyType, version), attributes: attributes(version) };
}

const keyNotFound = (operation: string, name: string) =>
  failure(operation, 404, 'KeyNotFound', `A key with (name/id) ${name} was not found in this key vault.`);

function createKey(state: VaultState, request: VaultRequest, name: string): VaultReply {
  const { kty, crv } = request.body;
  if ((kty !== 'EC' && kty !== 'EC-HSM') || (crv !== undefined && crv !== 'P-256'))
    return failure('keys.create', 400, 'BadParameter', 'The stand-in creates EC P-256 keys only.');
  const existing = state.keys.get(name);
  const version = state.addKeyVersion(name, existing?.keyType ?? kty);
  return {
    status: 200,
    operation: 'keys.create',
    body: keyBundle(request.vaultUrl, name, state.keys.get(name)!, version),
  };
}

function rotateKey(state: VaultState, request: VaultRequest, name: string): VaultReply {
  const key = state.keys.get(name);
  if (!key) return keyNotFound('keys.rotate', name);
  const version = state.addKeyVersion(name, key.keyType);
  return { status: 200, operation: 'keys.rotate', body: keyBundle(request.vaultUrl, name, key, version) };
}

function findVersion(key: StoredKey | undefined, version?: string): KeyVersion | undefined {
  return version ? key?.versions.find((v) => v.version === version) : key?.versions.at(-1);
}

function getKey(state: VaultState, request: VaultRequest, name: string, version?: string): VaultReply {
  const key = state.keys.get(name);
  const found = findVersion(key, version);
  if (!key || !found) return keyNotFound('keys.get', name);
  return { status: 200, operation: 'keys.get', body: keyBundle(request.vaultUrl, name, key, found) };
}

function listVersions(state: VaultState, request: VaultRequest, name: string, pageSize: number): VaultReply {
  const key = state.keys.get(name);
  if (!key) return keyNotFound('keys.versions', name);
  const items = key.versions.map((v) => ({ kid: kidOf(request.vaultUrl, name, v), attributes: attributes(v) }));
  return {
    status: 200,
    operation: 'keys.versions',
    body: page(request, items, pageSize, `/keys/${name}/versions`),
  };
}

function sign(state: VaultState, request: VaultRequest, name: string, version: string): VaultReply {
  const found = findVersion(state.keys.get(name), version);
  if (!found) return keyNotFound('keys.sign', name);
  const { alg, value } = request.body;
  if (alg !== 'ES256') return failure('keys.sign', 400, 'BadParameter', `Algorithm ${String(alg)} is not ES256.`);
  const digest = Buffer.from(String(value), 'base64url');
  if (digest.length !== 32) return failure('keys.sign', 400, 'BadParameter', 'An ES256 digest is 32 bytes.');
  const signature = signDigestP256(found.privateKey, digest);
  return {
    status: 200,
    operation: 'keys.sign',
    body: { kid: kidOf(request.vaultUrl, name, found), value: signature.toString('base64url') },
  };
}

/** Answers a `/keys…` request, or undefined when the path is not one. */
export function keyRoute(state: VaultState, request: VaultRequest, pageSize: number): VaultReply | undefined {
  const [collection, name, third, fourth] = request.segments;
  if (collection !== 'keys' || !name) return undefined;
  const { method } = request;
  if (method === 'POST' && third === 'create') return createKey(state, request, name);
  if (method === 'POST' && third === 'rotate') return rotateKey(state, request, name);
  if (method === 'GET' && third === 'versions') return listVersions(state, request, name, pageSize);
  if (method === 'GET' && fourth === undefined) return getKey(state, request, name, third);
  if (method === 'POST' && third && fourth === 'sign') return sign(state, request, name, third);
  return undefined;
}
