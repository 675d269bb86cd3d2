/**
 * Where the contract tests send: a real namespace when HR2AD_TEST_SERVICE_BUS_CONNECTION_STRING is set (queues
 * named HR2AD_TEST_SERVICE_BUS_QUEUE_PREFIX + the role, created beforehand with the spec's session flag, lock
 * duration and max delivery count; HR2AD_TEST_SERVICE_BUS_LOCK_MS overrides the lock durations the tests wait
 * for), else the local test broker started with exactly those queues.
 */
import { ServiceBusClient, type ServiceBusClientOptions } from '@azure/service-bus';
import { startBroker, type QueueSpec, type RunningBroker } from '../harness/service-bus';

export interface ServiceBusTarget {
  /** The local broker, or undefined against a real namespace. */
  local: RunningBroker | undefined;
  connectionString: string;
  queue(role: string): string;
  lockDurationMs(role: string): number;
  /** A client that the fixture closes at the end. */
  client(options?: ServiceBusClientOptions): ServiceBusClient;
  close(): Promise<void>;
}

export async function openServiceBus(roles: QueueSpec[]): Promise<ServiceBusTarget> {
  const remote = process.env.HR2AD_TEST_SERVICE_BUS_CONNECTION_STRING;
  const prefix = remote ? (process.env.HR2AD_TEST_SERVICE_BUS_QUEUE_PREFIX ?? '') : '';
  const lockOverride = Number(process.env.HR2AD_TEST_SERVICE_BUS_LOCK_MS ?? 0);
  const local = remote ? undefined : await startBroker({ queues: roles });
  const clients: ServiceBusClient[] = [];
  const specOf = (role: string): QueueSpec => {
    const spec = roles.find((r) => r.name === role);
    if (!spec) throw new Error(`no queue role ${role} in this suite`);
    return spec;
  };
  const connectionString = remote ?? local!.connectionString;
  return {
    local,
    connectionString,
    queue: (role) => prefix + specOf(role).name,
    lockDurationMs: (role) => (remote && lockOverride) || specOf(role).lockDurationMs || 30000,
    client(options) {
      const client = new ServiceBusClient(connectionString, options);
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await local?.close();
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A value unique to one test run, so a real namespace's leftovers never match. */
export const runTag = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
