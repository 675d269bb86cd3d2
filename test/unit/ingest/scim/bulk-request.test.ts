/**
 * The request level of a SCIM BulkRequest. Tables: request bodies → accepted or refused whole (status,
 * scimType, attribute, detail); single operations → the problem that fails them alone; the byte limit;
 * the RFC 7644 error body. Microsoft's samples: the custom-attribute one is accepted as posted, the
 * core + enterprise one repeats a bulkId and is refused whole.
 */
import {
  BULK_REQUEST_SCHEMA,
  operationProblem,
  parseBulkRequest,
  payloadTooLarge,
  SCIM_ERROR_SCHEMA,
  scimErrorBody,
  scimLimits,
  type BulkOperation,
  type ScimError,
} from '../../../../shared/ingest/scim';
import { CORE_ENTERPRISE_SAMPLE, CUSTOM_ATTRIBUTES_SAMPLE, LIMITS, sample, scimUser } from './fixtures';

const op = (extra: Record<string, unknown> = {}) => ({
  method: 'POST',
  bulkId: 'b1',
  path: '/Users',
  data: scimUser(),
  ...extra,
});
const request = (operations: unknown, extra: Record<string, unknown> = {}) => ({
  schemas: [BULK_REQUEST_SCHEMA],
  Operations: operations,
  ...extra,
});
const many = (n: number) => Array.from({ length: n }, (_, i) => op({ bulkId: `b${i}` }));

describe('Microsoft samples', () => {
  it('accepts the custom-attribute sample as posted: two POSTs to /Users, failOnErrors null', () => {
    const parsed = parseBulkRequest(sample(CUSTOM_ATTRIBUTES_SAMPLE), LIMITS);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.failOnErrors).toBeNull();
    expect(parsed.operations.map(({ index, method, bulkId, path }) => [index, method, bulkId, path])).toEqual([
      [0, 'POST', '701984', '/Users'],
      [1, 'POST', '701985', '/Users'],
    ]);
    for (const operation of parsed.operations) expect(operationProblem(operation)).toBeNull();
  });

  it('refuses the core + enterprise sample whole: operations 1 and 2 share a bulkId', () => {
    const parsed = parseBulkRequest(sample(CORE_ENTERPRISE_SAMPLE), LIMITS);
    expect(parsed).toEqual({
      ok: false,
      error: {
        status: 400,
        scimType: 'invalidValue',
        attribute: 'bulkId',
        detail:
          'bulkId: "a6861ef2-c94b-4c96-85e0-27c59c0537eb" is used by Operations[1], Operations[2]; each operation needs its own',
      },
    });
  });

  it('accepts its lower-case "/users" path once the bulkIds are distinct', () => {
    const body = sample(CORE_ENTERPRISE_SAMPLE);
    body.Operations[2]!.bulkId = 'another';
    const parsed = parseBulkRequest(body, LIMITS);
    expect(parsed.ok && parsed.operations.map(operationProblem)).toEqual([null, null, null]);
  });
});

type RequestRow = [
  situation: string,
  body: unknown,
  refused: Pick<ScimError, 'status' | 'scimType' | 'attribute'> & { detail: string | RegExp },
];

const REFUSED: RequestRow[] = [
  [
    'not an object',
    [op()],
    { status: 400, scimType: 'invalidSyntax', attribute: null, detail: /must be a JSON object/ },
  ],
  ['null', null, { status: 400, scimType: 'invalidSyntax', attribute: null, detail: /must be a JSON object/ }],
  [
    'no schemas',
    { Operations: [op()] },
    {
      status: 400,
      scimType: 'invalidSyntax',
      attribute: 'schemas',
      detail: `schemas: must list ${BULK_REQUEST_SCHEMA}`,
    },
  ],
  [
    'another message schema (a ListResponse)',
    request([op()], { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'] }),
    { status: 400, scimType: 'invalidSyntax', attribute: 'schemas', detail: /must list/ },
  ],
  [
    'Operations missing',
    { schemas: [BULK_REQUEST_SCHEMA] },
    {
      status: 400,
      scimType: 'invalidSyntax',
      attribute: 'Operations',
      detail: 'Operations: must be an array of operations',
    },
  ],
  [
    'Operations an object',
    request({ 0: op() }),
    { status: 400, scimType: 'invalidSyntax', attribute: 'Operations', detail: /must be an array/ },
  ],
  [
    'an operation that is not an object',
    request([op(), 'POST /Users']),
    { status: 400, scimType: 'invalidSyntax', attribute: 'Operations[1]', detail: 'Operations[1]: must be an object' },
  ],
  [
    '51 operations (Entra allows 50)',
    request(many(51)),
    {
      status: 413,
      scimType: 'tooMany',
      attribute: null,
      detail: 'Operations: 51 operations; at most 50 are accepted per request',
    },
  ],
  [
    'a bulkId repeated (operations 0 and 2)',
    request([op({ bulkId: 'x' }), op({ bulkId: 'y' }), op({ bulkId: 'x' })]),
    {
      status: 400,
      scimType: 'invalidValue',
      attribute: 'bulkId',
      detail: 'bulkId: "x" is used by Operations[0], Operations[2]; each operation needs its own',
    },
  ],
  [
    'failOnErrors 0',
    request([op()], { failOnErrors: 0 }),
    { status: 400, scimType: 'invalidValue', attribute: 'failOnErrors', detail: /positive whole number/ },
  ],
  [
    'failOnErrors 1.5',
    request([op()], { failOnErrors: 1.5 }),
    { status: 400, scimType: 'invalidValue', attribute: 'failOnErrors', detail: /positive whole number/ },
  ],
  [
    'failOnErrors "1"',
    request([op()], { failOnErrors: '1' }),
    { status: 400, scimType: 'invalidSyntax', attribute: 'failOnErrors', detail: /must be a number or null/ },
  ],
];

describe('refused whole', () => {
  it.each(REFUSED)('%s', (_situation, body, refused) => {
    const parsed = parseBulkRequest(body, LIMITS);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const { detail, ...rest } = refused;
    expect(parsed.error).toMatchObject(rest);
    if (typeof detail === 'string') expect(parsed.error.detail).toBe(detail);
    else expect(parsed.error.detail).toMatch(detail);
  });
});

type AcceptedRow = [situation: string, body: unknown, operations: number, failOnErrors: number | null];

const ACCEPTED: AcceptedRow[] = [
  ['one operation', request([op()]), 1, null],
  ['exactly 50 operations', request(many(50)), 50, null],
  ['no operations', request([]), 0, null],
  ['failOnErrors 3', request([op()], { failOnErrors: 3 }), 1, 3],
  ['failOnErrors null', request([op()], { failOnErrors: null }), 1, null],
  ['names in other cases (operations, SCHEMAS)', { SCHEMAS: [BULK_REQUEST_SCHEMA], operations: [op()] }, 1, null],
  [
    'operations that fail alone (method, path, bulkId, data) do not refuse the request',
    request([op({ method: 'DELETE' }), op({ bulkId: undefined, path: '/Groups', data: 'x' })]),
    2,
    null,
  ],
  [
    'operations without bulkId do not count as repeating one',
    request([op({ bulkId: null }), op({ bulkId: null })]),
    2,
    null,
  ],
];

describe('accepted', () => {
  it.each(ACCEPTED)('%s', (_situation, body, count, failOnErrors) => {
    const parsed = parseBulkRequest(body, LIMITS);
    expect(parsed).toMatchObject({ ok: true, failOnErrors });
    expect(parsed.ok && parsed.operations.map((o) => o.index)).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('a configured limit replaces Entra’s 50', () => {
    const limits = scimLimits.parse({ maxOperations: 200 });
    expect(parseBulkRequest(request(many(200)), limits).ok).toBe(true);
    expect(parseBulkRequest(request(many(201)), limits)).toMatchObject({ ok: false, error: { status: 413 } });
  });

  it('refuses 10,000 operations with limit 50 without reading them (each operation would throw if read)', () => {
    const poisoned = new Proxy(
      {},
      {
        get() {
          throw new Error('an operation was read');
        },
      },
    );
    const operations = new Array<unknown>(10_000).fill(poisoned);
    expect(parseBulkRequest(request(operations), LIMITS)).toEqual({
      ok: false,
      error: {
        status: 413,
        scimType: 'tooMany',
        attribute: null,
        detail: 'Operations: 10000 operations; at most 50 are accepted per request',
      },
    });
  });
});

const operation = (extra: Partial<BulkOperation>): BulkOperation => ({
  index: 0,
  method: 'POST',
  bulkId: 'b1',
  path: '/Users',
  data: scimUser(),
  ...extra,
});

type OperationRow = [
  situation: string,
  op: Partial<BulkOperation>,
  problem: [attribute: string, scimType: string, detail: string] | null,
];

const OPERATIONS: OperationRow[] = [
  ['POST to /Users', {}, null],
  ['post to /users (any case)', { method: 'post', path: '/users' }, null],
  [
    'PATCH',
    { method: 'PATCH' },
    ['method', 'invalidValue', `method: only POST (an upsert of the whole user, as Entra's) is accepted; got "PATCH"`],
  ],
  [
    'DELETE',
    { method: 'DELETE' },
    ['method', 'invalidValue', `method: only POST (an upsert of the whole user, as Entra's) is accepted; got "DELETE"`],
  ],
  [
    'no method',
    { method: '' },
    [
      'method',
      'invalidValue',
      `method: only POST (an upsert of the whole user, as Entra's) is accepted; none was given`,
    ],
  ],
  ['path /Groups', { path: '/Groups' }, ['path', 'invalidValue', 'path: only /Users is accepted; got "/Groups"']],
  [
    'path /Users/701984',
    { path: '/Users/701984' },
    ['path', 'invalidValue', 'path: only /Users is accepted; got "/Users/701984"'],
  ],
  ['no bulkId', { bulkId: null }, ['bulkId', 'invalidSyntax', 'bulkId: a POST needs a bulkId (a non-empty string)']],
  ['data a string', { data: 'Ada' }, ['data', 'invalidSyntax', 'data: must be an object (the SCIM user)']],
  ['data an array', { data: [scimUser()] }, ['data', 'invalidSyntax', 'data: must be an object (the SCIM user)']],
  ['no data', { data: undefined }, ['data', 'invalidSyntax', 'data: must be an object (the SCIM user)']],
];

describe('operations that fail alone', () => {
  it.each(OPERATIONS)('%s', (_situation, given, problem) => {
    const found = operationProblem(operation(given));
    if (problem === null) expect(found).toBeNull();
    else {
      const [attribute, scimType, detail] = problem;
      expect(found).toEqual({ status: 400, scimType, attribute, detail });
    }
  });

  it('shows a hostile method escaped and cut short', () => {
    const found = operationProblem(operation({ method: `GET\n${'x'.repeat(500)}` }));
    expect(found!.detail).not.toMatch(/\n/);
    expect(found!.detail).toContain('"GET\\nxxx');
    expect(found!.detail.length).toBeLessThan(150);
  });
});

describe('byte limit and error body', () => {
  it.each([
    [1_048_576, null],
    [1_048_577, 'the request body is 1048577 bytes; at most 1048576 are accepted per request'],
  ])('%d bytes', (bytes, detail) => {
    const found = payloadTooLarge(bytes, LIMITS);
    expect(found).toEqual(detail === null ? null : { status: 413, scimType: 'tooMany', attribute: null, detail });
  });

  it('writes the RFC 7644 error body, status as a string, scimType only when there is one', () => {
    expect(scimErrorBody({ status: 413, scimType: 'tooMany', attribute: null, detail: 'too big' })).toEqual({
      schemas: [SCIM_ERROR_SCHEMA],
      status: '413',
      scimType: 'tooMany',
      detail: 'too big',
    });
    expect(scimErrorBody({ status: 500, scimType: null, attribute: null, detail: 'x' })).toEqual({
      schemas: [SCIM_ERROR_SCHEMA],
      status: '500',
      detail: 'x',
    });
  });

  it('limits: defaults are Entra’s; unknown keys and out-of-range values are refused', () => {
    expect(scimLimits.parse({})).toEqual({ maxOperations: 50, maxPayloadBytes: 1_048_576 });
    expect(scimLimits.safeParse({ maxOperations: 0 }).success).toBe(false);
    expect(scimLimits.safeParse({ maxPayloadBytes: 100 }).success).toBe(false);
    expect(scimLimits.safeParse({ maxOps: 10 }).success).toBe(false);
  });
});
