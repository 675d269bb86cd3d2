/**
 * Secrets as the service answers them: set, get (latest or a version), list (paged), delete with soft
 * delete (a deleted name cannot be set again until recovered or purged: 409, as with soft delete on),
 * get/recover/purge of a deleted secret.
 */
import { failure, page, type VaultReply, type VaultRequest } from './routes';
import { epochSeconds, type SecretVersion, type StoredSecret, type VaultState } from './vault-state';

const RETENTION_DAYS = 90;

function attributes(created: number): Record<string, unknown> {
  return {
    enabled: true,
    created: epochSeconds(created),
    updated: epochSeconds(created),
    recoveryLevel: 'Recoverable+Purgeable',
    recoverableDays: RETENTION_DAYS,
  };
}

function bundle(vaultUrl: string, name: string, version: SecretVersion): Record<string, unknown> {
  return {
    value: version.value,
    ...(version.contentType ? { contentType: version.contentType } : {}),
    id: `${vaultUrl}/secrets/${name}/${version.version}`,
    attributes: attributes(version.created),
  };
}

function deletedBundle(vaultUrl: string, name: string, secret: StoredSecret): Record<string, unknown> {
  const latest = secret.versions.at(-1)!;
  const deletedOn = secret.deletedOn ?? Date.now();
  const { value: _value, ...withoutValue } = bundle(vaultUrl, name, latest);
  return {
    ...withoutValue,
    recoveryId: `${vaultUrl}/deletedsecrets/${name}`,
    deletedDate: epochSeconds(deletedOn),
    scheduledPurgeDate: epochSeconds(deletedOn + RETENTION_DAYS * 86_400_000),
  };
}

const notFound = (operation: string, name: string) =>
  failure(operation, 404, 'SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
const deletedNotFound = (operation: string, name: string) =>
  failure(operation, 404, 'SecretNotFound', `Deleted Secret not found: ${name}`);

function setSecret(state: VaultState, request: VaultRequest, name: string): VaultReply {
  if (state.secrets.get(name)?.deletedOn !== undefined)
    return failure(
      'secrets.set',
      409,
      'Conflict',
      `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
    );
  const { value, contentType } = request.body;
  if (typeof value !== 'string') return failure('secrets.set', 400, 'BadParameter', 'The value must be a string.');
  const version = state.setSecret(name, value, typeof contentType === 'string' ? contentType : undefined);
  return { status: 200, operation: 'secrets.set', body: bundle(request.vaultUrl, name, version) };
}

function getSecret(state: VaultState, request: VaultRequest, name: string, version?: string): VaultReply {
  const secret = state.liveSecret(name);
  const found = version ? secret?.versions.find((v) => v.version === version) : secret?.versions.at(-1);
  if (!found) return notFound('secrets.get', name);
  return { status: 200, operation: 'secrets.get', body: bundle(request.vaultUrl, name, found) };
}

function listSecrets(state: VaultState, request: VaultRequest, pageSize: number): VaultReply {
  const items = [...state.secrets]
    .filter(([, secret]) => secret.deletedOn === undefined)
    .map(([name, secret]) => ({
      id: `${request.vaultUrl}/secrets/${name}`,
      attributes: attributes(secret.versions.at(-1)!.created),
    }));
  return { status: 200, operation: 'secrets.list', body: page(request, items, pageSize, '/secrets') };
}

function deleteSecret(state: VaultState, request: VaultRequest, name: string): VaultReply {
  const secret = state.liveSecret(name);
  if (!secret) return notFound('secrets.delete', name);
  secret.deletedOn = Date.now();
  return { status: 200, operation: 'secrets.delete', body: deletedBundle(request.vaultUrl, name, secret) };
}

function deletedSecretRoute(state: VaultState, request: VaultRequest, name: string, action?: string): VaultReply {
  const secret = state.secrets.get(name);
  const operation = action === 'recover' ? 'deletedsecrets.recover' : `deletedsecrets.${request.method.toLowerCase()}`;
  if (!secret || secret.deletedOn === undefined) return deletedNotFound(operation, name);
  if (request.method === 'GET' && !action)
    return { status: 200, operation, body: deletedBundle(request.vaultUrl, name, secret) };
  if (request.method === 'DELETE' && !action) {
    state.secrets.delete(name);
    return { status: 204, operation: 'deletedsecrets.purge' };
  }
  if (request.method === 'POST' && action === 'recover') {
    secret.deletedOn = undefined;
    return { status: 200, operation, body: bundle(request.vaultUrl, name, secret.versions.at(-1)!) };
  }
  return failure(operation, 405, 'MethodNotAllowed', `${request.method} is not supported here.`);
}

/** Answers a `/secrets…` or `/deletedsecrets…` request, or undefined when the path is not one. */
export function secretRoute(state: VaultState, request: VaultRequest, pageSize: number): VaultReply | undefined {
  const [collection, name, third] = request.segments;
  const { method } = request;
  if (collection === 'deletedsecrets' && name) return deletedSecretRoute(state, request, name, third);
  if (collection !== 'secrets') return undefined;
  if (!name) return method === 'GET' ? listSecrets(state, request, pageSize) : undefined;
  if (method === 'PUT' && !third) return setSecret(state, request, name);
  if (method === 'GET') return getSecret(state, request, name, third);
  if (method === 'DELETE' && !third) return deleteSecret(state, request, name);
  return undefined;
}
