export * from './worker-schema';
export * from './worker-attributes';
export * from './worker-as-of';
export * from './worker-time-zone';
export * from './validate-worker';
