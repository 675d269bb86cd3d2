export * from './scim-error';
export * from './scim-options';
export * from './bulk-request';
export * from './scim-user';
