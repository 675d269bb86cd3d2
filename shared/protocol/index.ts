export * from './commands';
export * from './results';
export * from './error-codes';
export * from './codec';
export * from './json-schema';
export * from './signed-command';
export * from './relay-messages';
