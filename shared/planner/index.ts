export * from './types';
export * from './timeline';
export { planWorker, planValidatedWorker, accountExistsAt, type PlanOptions } from './plan-worker';
export * from './plan-cycle';
export * from './preview';
export * from './state-diff';
export { recordResult } from './record-result';
export { isDestructive } from './plan-commands';
