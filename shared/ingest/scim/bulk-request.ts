/**
 * The request level of a SCIM BulkRequest (RFC 7644 §3.7) as Entra's bulkUpload accepts it. A request
 * that fails here is refused whole; a problem with one operation fails that operation alone
 * (`operationProblem`), and its user data is read by `workerFromScimUser`.
 *
 * Names are matched ignoring case, as SCIM says of attribute names (RFC 7643 §2.1): Microsoft's own
 * samples write `"path": "/users"` and `"username"`.
 */
import { badRequest, quoted, type ScimError } from './scim-error';
import type { ScimLimits } from './scim-options';
import { isObject, member, sameUrn, type Json } from './scim-reading';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** One operation as posted; `index` is its position in `Operations` (from 0). */
export interface BulkOperation {
  readonly index: number;
  /** As posted ('' when absent or not a string). */
  readonly method: string;
  /** Null when absent, empty or not a string. */
  readonly bulkId: string | null;
  /** As posted ('' when absent or not a string). */
  readonly path: string;
  readonly data: unknown;
}

export type BulkRequestParse =
  { ok: true; operations: readonly BulkOperation[]; failOnErrors: number | null } | { ok: false; error: ScimError };

function tooMany(detail: string): ScimError {
  return { status: 413, scimType: 'tooMany', attribute: null, detail };
}

/** The 413 for a body over the byte limit, or null; the caller measures the raw body. */
export function payloadTooLarge(bytes: number, limits: ScimLimits): ScimError | null {
  if (bytes <= limits.maxPayloadBytes) return null;
  return tooMany(`the request body is ${bytes} bytes; at most ${limits.maxPayloadBytes} are accepted per request`);
}

function schemasProblem(body: Json): ScimError | null {
  const schemas = member(body, 'schemas');
  const listed =
    Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && sameUrn(s, BULK_REQUEST_SCHEMA));
  return listed ? null : badRequest('invalidSyntax', 'schemas', `must list ${BULK_REQUEST_SCHEMA}`);
}

function failOnErrorsOf(body: Json): number | null | ScimError {
  const value = member(body, 'failOnErrors');
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') return badRequest('invalidSyntax', 'failOnErrors', 'must be a number or null');
  if (!Number.isInteger(value) || value < 1)
    return badRequest('invalidValue', 'failOnErrors', 'must be a positive whole number of errors, or null');
  return value;
}

function operationOf(value: Json, index: number): BulkOperation {
  const method = member(value, 'method');
  const bulkId = member(value, 'bulkId');
  const path = member(value, 'path');
  return {
    index,
    method: typeof method === 'string' ? method : '',
    bulkId: typeof bulkId === 'string' && bulkId !== '' ? bulkId : null,
    path: typeof path === 'string' ? path : '',
    data: member(value, 'data'),
  };
}

/** The first bulkId given to more than one operation, as an error naming every operation that uses it. */
function repeatedBulkId(operations: readonly BulkOperation[]): ScimError | null {
  const users = new Map<string, number[]>();
  for (const op of operations) {
    if (op.bulkId === null) continue;
    const indexes = users.get(op.bulkId);
    if (indexes) indexes.push(op.index);
    else users.set(op.bulkId, [op.index]);
  }
  for (const [bulkId, indexes] of users) {
    if (indexes.length < 2) continue;
    const where = indexes.map((i) => `Operations[${i}]`).join(', ');
    return badRequest('invalidValue', 'bulkId', `${quoted(bulkId)} is used by ${where}; each operation needs its own`);
  }
  return null;
}

/** Request-level checks only: schemas holds the BulkRequest URN; Operations is an array of objects; at most maxOperations (else status 413 scimType tooMany, detail says the limit); each bulkId used once (a repeated bulkId refuses the whole request: 400 invalidValue naming the bulkId and the operation indexes); failOnErrors a positive integer or null/absent. Byte size is checked by the caller (it has the raw body) — but export `payloadTooLarge(bytes, limits): ScimError | null` (413 tooMany). */
export function parseBulkRequest(body: unknown, limits: ScimLimits): BulkRequestParse {
  if (!isObject(body))
    return {
      ok: false,
      error: badRequest('invalidSyntax', null, 'the body must be a JSON object (a SCIM BulkRequest)'),
    };
  const schemas = schemasProblem(body);
  if (schemas) return { ok: false, error: schemas };
  const list = member(body, 'Operations');
  if (!Array.isArray(list))
    return { ok: false, error: badRequest('invalidSyntax', 'Operations', 'must be an array of operations') };
  // Counted before anything is read, so an oversized request costs nothing more.
  if (list.length > limits.maxOperations) {
    const detail = `Operations: ${list.length} operations; at most ${limits.maxOperations} are accepted per request`;
    return { ok: false, error: tooMany(detail) };
  }
  const failOnErrors = failOnErrorsOf(body);
  if (typeof failOnErrors === 'object' && failOnErrors !== null) return { ok: false, error: failOnErrors };
  const operations: BulkOperation[] = [];
  for (const [index, value] of list.entries()) {
    if (!isObject(value))
      return { ok: false, error: badRequest('invalidSyntax', `Operations[${index}]`, 'must be an object') };
    operations.push(operationOf(value, index));
  }
  const repeated = repeatedBulkId(operations);
  if (repeated) return { ok: false, error: repeated };
  return { ok: true, operations, failOnErrors };
}

/** Why this one operation cannot be applied (Entra only accepts POST to /Users; bulkId is required by RFC 7644 for POST), or null. */
export function operationProblem(op: BulkOperation): ScimError | null {
  if (op.method.toUpperCase() !== 'POST') {
    const given = op.method === '' ? 'none was given' : `got ${quoted(op.method)}`;
    return badRequest(
      'invalidValue',
      'method',
      `only POST (an upsert of the whole user, as Entra's) is accepted; ${given}`,
    );
  }
  if (op.path.toLowerCase() !== '/users') {
    const given = op.path === '' ? 'none was given' : `got ${quoted(op.path)}`;
    return badRequest('invalidValue', 'path', `only /Users is accepted; ${given}`);
  }
  if (op.bulkId === null) return badRequest('invalidSyntax', 'bulkId', 'a POST needs a bulkId (a non-empty string)');
  if (!isObject(op.data)) return badRequest('invalidSyntax', 'data', 'must be an object (the SCIM user)');
  return null;
}
