/** The Service Bus test broker: in-process (`startBroker`) or as a child process for crash tests (`spawnBroker`). */
export { startBroker, type RunningBroker } from './broker';
export { spawnBroker, type BrokerReadyInfo, type SpawnedBroker } from './spawn-broker';
export type { BrokerOptions, DeadLetteredMessage, QueueSpec, QueueStats } from './types';
