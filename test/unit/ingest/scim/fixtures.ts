/** Builders and the Microsoft samples shared by the SCIM suites. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CORE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  scimLimits,
  scimUserMapping,
  workerFromScimUser,
  type ScimUserContext,
  type ScimUserMapping,
} from '../../../../shared/ingest/scim';

export const CONTOSO = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User';
export const LIMITS = scimLimits.parse({});
export const RECEIVED_ON = '2026-03-10';

export function context(mapping: Partial<ScimUserMapping> = {}): ScimUserContext {
  return { source: 'scim', receivedOn: RECEIVED_ON, mapping: scimUserMapping.parse(mapping) };
}

export type Json = Record<string, unknown>;

/** A small valid SCIM user; `extra` adds or replaces top-level attributes (undefined removes one). */
export function scimUser(extra: Json = {}): Json {
  const user: Json = {
    schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, CONTOSO],
    externalId: '1001',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    active: true,
    ...extra,
  };
  for (const key of Object.keys(user)) if (user[key] === undefined) delete user[key];
  return user;
}

/** A user with the contoso extension holding `attributes`. */
export function withContoso(attributes: Json, extra: Json = {}): Json {
  return scimUser({ [CONTOSO]: attributes, ...extra });
}

export function convert(data: unknown, mapping: Partial<ScimUserMapping> = {}) {
  return workerFromScimUser(data, context(mapping));
}

/** The record of a conversion that must succeed. */
export function recordOf(data: unknown, mapping: Partial<ScimUserMapping> = {}) {
  const result = convert(data, mapping);
  if (!result.ok) throw new Error(`expected a record, got ${result.error.detail}`);
  return result;
}

export function sample(file: string): { Operations: { data: unknown; bulkId?: string }[] } & Json {
  return JSON.parse(readFileSync(join(__dirname, '../../../fixtures/scim', file), 'utf8'));
}

export const CORE_ENTERPRISE_SAMPLE = 'Extended-SCIM-bulk-request-Core+Enterprise.json';
export const CUSTOM_ATTRIBUTES_SAMPLE = 'bulk-request-with-custom-attributes.json';
