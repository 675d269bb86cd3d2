/**
 * The part of durable-functions' DurableClient the control plane uses, with one difference: an unknown
 * instance's status is `undefined`. DurableClient throws on the extension's 404 with no typed error, so
 * the one place that reads its message is here.
 */
import type { DurableClient } from 'durable-functions';

export interface InstanceState {
  readonly runtimeStatus: string;
  readonly customStatus?: unknown;
  readonly input?: unknown;
  readonly output?: unknown;
}

export interface OrchestrationClient {
  getStatus(instanceId: string): Promise<InstanceState | undefined>;
  startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string>;
  raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void>;
}

const NOT_FOUND = /replied with HTTP 404 response/;

export function orchestrationClient(client: DurableClient): OrchestrationClient {
  return {
    async getStatus(instanceId) {
      try {
        const status = await client.getStatus(instanceId);
        return { ...status, runtimeStatus: String(status.runtimeStatus) };
      } catch (error) {
        if (NOT_FOUND.test((error as Error).message)) return undefined;
        throw error;
      }
    },
    startNew: (name, options) => client.startNew(name, options),
    raiseEvent: (instanceId, eventName, eventData) => client.raiseEvent(instanceId, eventName, eventData),
  };
}
