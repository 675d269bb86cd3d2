/**
 * `hr2ad-agent doctor`: every check an administrator would otherwise do by hand before the first run,
 * each with its verdict and, on a failure, the one thing to do. Checks that need a failed one (no bind,
 * no rights check) are SKIPped rather than failing again for the same reason.
 */
import type { ServiceBusClient } from '@azure/service-bus';
import type { Client } from 'ldapts';
import type { AgentConfig } from '../config/agent-config';
import { readSecret, type SecretReaders } from '../config/read-secret';
import { fail, oneLine, skip, type CheckResult } from './check';
import {
  bindClient,
  checkDcClock,
  checkLdapsCertificate,
  checkMatchAttributesIndexed,
  checkOuRights,
  type DirectoryTarget,
} from './directory-checks';
import type { HttpsClockTarget } from './https-clock';
import { checkListen, checkSendAndClock } from './service-bus-checks';

export interface DoctorEnvironment {
  readonly readers: SecretReaders;
  readonly now: () => Date;
  /** Extra OUs to check rights in (e.g. the disabled-users OU), besides the allowed OUs. */
  readonly extraOus?: readonly string[];
  /** Builds the Service Bus client (the relay's own in the process). */
  readonly serviceBusClient?: (
    settings: NonNullable<AgentConfig['relay']>['serviceBus'],
    readers: SecretReaders,
  ) => ServiceBusClient;
}

function directoryTarget(config: AgentConfig, readers: SecretReaders): DirectoryTarget | CheckResult {
  const settings = config.directory;
  if (!settings)
    return fail(
      'directory settings',
      'the configuration has no directory section',
      'hr2ad-agent init --dc-url … --bind-dn …',
    );
  try {
    const bindPassword = readSecret(settings.bindPassword, 'directory.bindPassword', readers);
    const ca = settings.tls.caFile ? readers.readFile(settings.tls.caFile) : undefined;
    return { settings, bindPassword, ...(ca ? { ca } : {}) };
  } catch (error) {
    return fail('directory settings', oneLine(error), 'check the files and variables directory settings name');
  }
}

/** The OUs to probe, without repeats, in the order given. */
function ousToCheck(config: AgentConfig, extra: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...config.policy.allowedOus, ...extra].filter((ou) => {
    const key = ou.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function boundChecks(
  client: Client,
  config: AgentConfig,
  environment: DoctorEnvironment,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const ous = ousToCheck(config, environment.extraOus ?? []);
  for (const [index, ou] of ous.entries()) {
    // Each probe moves to the next OU in turn, so every move between checked OUs is tried once.
    const next = ous.length > 1 ? ous[(index + 1) % ous.length] : undefined;
    results.push(await checkOuRights(client, ou, next, config.directory?.bindDn ?? ''));
  }
  for (const check of [
    () => checkMatchAttributesIndexed(client, config),
    () => checkDcClock(client, environment.now),
  ]) {
    results.push(await check().catch((error: unknown) => fail('directory', oneLine(error), 'see the error')));
  }
  return results;
}

export async function directoryChecks(config: AgentConfig, environment: DoctorEnvironment): Promise<CheckResult[]> {
  const target = directoryTarget(config, environment.readers);
  if ('verdict' in target) return [target];
  const results = [await checkLdapsCertificate(target)];
  const { client, result } = await bindClient(target);
  results.push(result);
  if (!client) return [...results, skip('rights, schema, clock', 'not checked: the bind failed')];
  try {
    return [...results, ...(await boundChecks(client, config, environment))];
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/**
 * The namespace's HTTPS endpoint, for its clock: the host of the connection string's Endpoint or the
 * namespace, on the port the WebSockets transport uses (443 unless the Endpoint gives one).
 */
function httpsEndpointOf(
  settings: NonNullable<AgentConfig['relay']>['serviceBus'],
  readers: SecretReaders,
): HttpsClockTarget | undefined {
  const connection = settings.connection;
  const address =
    'namespace' in connection
      ? `sb://${connection.namespace}/`
      : /Endpoint=([^;]+)/i.exec(readSecret(connection.connectionString, 'connectionString', readers))?.[1];
  if (!address) return undefined;
  const url = new URL(address.replace(/^sb:/i, 'https:'));
  const port = settings.transport === 'websockets' && url.port ? Number(url.port) : 443;
  const ca = settings.caFile ? readers.readFile(settings.caFile) : undefined;
  return { host: url.hostname, port, ...(ca ? { ca } : {}) };
}

export async function serviceBusChecks(config: AgentConfig, environment: DoctorEnvironment): Promise<CheckResult[]> {
  const relay = config.relay;
  if (!relay || !environment.serviceBusClient) return [skip('Service Bus', 'no relay section in the configuration')];
  let client: ServiceBusClient;
  try {
    client = environment.serviceBusClient(relay.serviceBus, environment.readers);
  } catch (error) {
    return [fail('Service Bus settings', oneLine(error), 'check the connection settings (hr2ad-agent init)')];
  }
  try {
    const listen = await checkListen(client, relay.serviceBus);
    if (listen.verdict === 'FAIL' && listen.detail.match(/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|timed out/i))
      return [listen, skip('Service Bus send, clock', 'not checked: the namespace is unreachable')];
    const https = httpsEndpointOf(relay.serviceBus, environment.readers);
    return [listen, ...(await checkSendAndClock(client, relay.serviceBus, environment.now, https))];
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Every check, Service Bus first (it needs nothing of the directory), then the directory's. */
export async function runDoctor(config: AgentConfig, environment: DoctorEnvironment): Promise<CheckResult[]> {
  return [...(await serviceBusChecks(config, environment)), ...(await directoryChecks(config, environment))];
}
