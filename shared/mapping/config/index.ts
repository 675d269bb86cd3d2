export * from './config-schema';
export * from './scoping-operators';
export * from './scoping';
export * from './read-attribute';
export * from './compile-config';
export * from './defaults';
export * from './json-schema';
