/**
 * The HTTP API's OpenAPI 3.1 document, published as schemas/control-plane-api.openapi.json. A test holds
 * it equal to the registered routes (API_ROUTES), so the document cannot drift from the app.
 */
export const OPENAPI_FILE = 'control-plane-api.openapi.json';

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const json = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});

const param = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

const query = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const common = {
  '401': { description: 'No function key, or a wrong one.' },
  '500': problemResponse('Internal error.'),
};

const WORKER = param('workerKey', 'The worker key, `<source>:<id>` (URL-encoded).');
const CYCLE = param('cycleId', 'The cycle id, as sync and the cycle list show it.');

/** Approve and reject: the same request and answers, another decision. */
function decision(operationId: string, summary: string) {
  return {
    post: {
      operationId,
      summary,
      parameters: [CYCLE],
      requestBody: {
        required: false,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Decision' } } },
      },
      responses: {
        '202': json('Decision recorded.'),
        '404': problemResponse('No such cycle.'),
        '409': problemResponse('The cycle is not held.'),
        ...common,
      },
    },
  };
}

const paths = {
  '/health': {
    get: {
      operationId: 'health',
      summary: 'The control plane is up and its store answers.',
      responses: { '200': json('Healthy.'), ...common },
    },
  },
  '/workers/{workerKey}': {
    get: {
      operationId: 'worker-status',
      summary: "A worker's status: phase, plan in force, identifiers, pending steps with due times, last outcomes.",
      parameters: [WORKER],
      responses: { '200': json('The status.'), '404': problemResponse('hr2ad knows no such worker.'), ...common },
    },
  },
  '/workers/{workerKey}/provision': {
    post: {
      operationId: 'worker-provision',
      summary: 'Provision on demand: plan the worker from its source now and hand the plan on.',
      parameters: [
        WORKER,
        query('wait', 'true: wait (up to a minute) for the steps due now to apply.', { enum: ['true', 'false'] }),
      ],
      responses: {
        '200': json('The plan and, with wait, the outcomes of every step due now.'),
        '202': json('The plan, handed on; outcomes follow.'),
        '404': problemResponse('No source has a record for the worker.'),
        '422': problemResponse('The record is quarantined; `issues` say why.'),
        ...common,
      },
    },
  },
  '/preview': {
    get: {
      operationId: 'preview',
      summary: 'Plan the sources’ current snapshots without storing or sending anything.',
      parameters: [
        query('workerKey', 'Only this worker.'),
        query('changesOnly', 'true: leave unchanged workers out.', { enum: ['true', 'false'] }),
      ],
      responses: {
        '200': json('The preview (at most 5,000 workers; `truncated` says when more).'),
        '404': problemResponse('No record for the worker.'),
        ...common,
      },
    },
  },
  '/sources': {
    get: {
      operationId: 'source-list',
      summary:
        'Every configured source and its health: `healthy` false from the first of the failed cycles in a row (refused credentials, an unreachable HR system) until one finishes again, with `failingSince` and the latest `reason`; null before its first cycle.',
      responses: { '200': json('The sources, in configuration order.'), ...common },
    },
  },
  '/sources/{sourceId}/sync': {
    post: {
      operationId: 'source-sync',
      summary:
        'Start a sync cycle for the source now: a read since the stored cursor (a delta for an HR system), or with `full=true` a whole read planned even when nothing seems to have changed (a reconcile).',
      parameters: [
        param('sourceId', 'The source id from the configuration.'),
        query('full', 'Read the whole source, ignoring the stored cursor (default false).', {
          enum: ['true', 'false'],
        }),
      ],
      responses: {
        '202': json('The cycle started.'),
        '404': problemResponse('No such source.'),
        '409': problemResponse('A cycle for the source is running or held.'),
        ...common,
      },
    },
  },
  '/cycles': {
    get: {
      operationId: 'cycle-list',
      summary: 'Recent cycles, newest first.',
      parameters: [
        query('status', 'Only cycles with this status.', {
          enum: ['planned', 'held', 'approved', 'rejected', 'completed', 'failed', 'skipped'],
        }),
        query('limit', 'At most this many (default 50, at most 500).', { type: 'integer', minimum: 1, maximum: 500 }),
      ],
      responses: { '200': json('The cycles.'), '400': problemResponse('A bad filter.'), ...common },
    },
  },
  '/cycles/{cycleId}': {
    get: {
      operationId: 'cycle-get',
      summary: 'One cycle: status, counts, held plans, decision, and its orchestration while live.',
      parameters: [CYCLE],
      responses: { '200': json('The cycle.'), '404': problemResponse('No such cycle.'), ...common },
    },
  },
  '/cycles/{cycleId}/approve': decision(
    'cycle-approve',
    'Approve a held cycle: its destructive plans are handed on and its cursor committed.',
  ),
  '/cycles/{cycleId}/reject': decision(
    'cycle-reject',
    'Reject a held cycle: its destructive plans are dropped; they are planned again when the source changes.',
  ),
  '/quarantine': {
    get: {
      operationId: 'quarantine-list',
      summary: 'Quarantined records with their reasons (source, location, field, message).',
      parameters: [query('sourceId', 'Only this source.')],
      responses: { '200': json('The quarantined records.'), ...common },
    },
  },
  '/audit': {
    get: {
      operationId: 'audit-query',
      summary: 'The audit log: HR change → plan → command → result with before/after, oldest first.',
      parameters: [
        query('workerKey', 'Only this worker.'),
        query('from', 'ISO instant, inclusive.'),
        query('to', 'ISO instant, exclusive.'),
        query('action', 'A command kind.', {
          enum: ['UpsertAccount', 'DisableAccount', 'EnableAccount', 'DeleteAccount', 'LookupAccount'],
        }),
        query('limit', 'At most this many (default 100, at most 1000).', {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
        }),
        query('after', 'The previous page’s `next`.'),
      ],
      responses: { '200': json('A page of entries.'), ...common },
    },
  },
  '/agents': {
    get: {
      operationId: 'agent-list',
      summary:
        'Relay agents heard from: last heartbeat (version, host, sessions held, counters), refusals, seconds since last seen, and `silent` past three heartbeat intervals.',
      responses: { '200': json('The agents, by agent id.'), ...common },
    },
  },
  '/provisioningLogs': {
    get: {
      operationId: 'provisioning-logs',
      summary:
        'What became of pushed records (SCIM, CSV uploads, webhooks), newest first, as Microsoft Graph provisioning log entries: each operation with its outcome and what it did in the directory.',
      parameters: [
        query('sourceId', 'Only this source.'),
        query('requestId', 'Only this request.'),
        query('workerKey', 'Only this worker.'),
        query('status', 'Only operations in this state.', {
          enum: ['queued', 'failed', 'planned', 'quarantined', 'superseded', 'not-found'],
        }),
        query('limit', 'At most this many (default 100, at most 1000).', {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
        }),
        query('after', 'The previous page’s `next`.'),
      ],
      responses: { '200': json('A page: `value` (entries) and `next`.'), ...common },
    },
  },
};

const SOURCE = param('sourceId', 'The source the records are for, as configured.');
const bearer = [{ bearerToken: [] }];
const bearerCommon = {
  '401': problemResponse('No bearer token, or one that is expired, unsigned, or for another audience or issuer.'),
  '403': problemResponse('The token does not grant the ingest role.'),
  '500': problemResponse('Internal error.'),
};
const scimError = (description: string) => ({
  description,
  content: { 'application/scim+json': { schema: { $ref: '#/components/schemas/ScimError' } } },
});

/** Routes that check their own credentials (INGEST_ROUTES): a bearer token, or a webhook's signature. */
const ingestPaths = {
  '/sources/{sourceId}/bulkUpload': {
    post: {
      operationId: 'scim-bulk-upload',
      summary:
        "A SCIM 2.0 BulkRequest of POST /Users operations, as Entra's API-driven inbound provisioning takes it. Malformed operations fail alone; the others are queued and planned at once.",
      security: bearer,
      parameters: [SOURCE],
      requestBody: { required: true, content: { 'application/scim+json': { schema: { type: 'object' } } } },
      responses: {
        '202': {
          description:
            'Accepted; `Location` is the request status. The body is a BulkResponse with each operation’s intake status.',
          headers: { Location: { schema: { type: 'string' } } },
          content: { 'application/scim+json': { schema: { type: 'object' } } },
        },
        '400': scimError('Not a BulkRequest, not JSON, or a bulkId used twice (`invalidSyntax`, `invalidValue`).'),
        '401': scimError('No valid bearer token.'),
        '403': scimError('The token does not grant the ingest role.'),
        '404': scimError('No SCIM source has that id.'),
        '413': scimError('More operations or bytes than the limits (`tooMany`).'),
        '415': scimError('The body is not `application/scim+json`.'),
        '429': scimError('Over `ingest.limits.rateLimit` for this client; `Retry-After` says when to retry.'),
        '500': scimError('Internal error.'),
      },
    },
  },
  '/sources/{sourceId}/upload': {
    post: {
      operationId: 'csv-upload',
      summary: "A CSV export, read with the source's column map; queued and planned at once.",
      security: bearer,
      parameters: [SOURCE],
      requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
      responses: {
        '202': json('Accepted; `Location` is the request status.'),
        '400': problemResponse('The file is refused (empty, a mapped column missing, not CSV).'),
        '404': problemResponse('No CSV source has that id.'),
        '413': problemResponse('Larger than 64 MiB.'),
        '415': problemResponse('Not `text/csv`.'),
        '429': problemResponse('Over `ingest.limits.rateLimit` for this client; `Retry-After` says when to retry.'),
        ...bearerCommon,
      },
    },
  },
  '/sources/{sourceId}/requests/{requestId}': {
    get: {
      operationId: 'ingest-request-status',
      summary:
        "A pushed request's status: each operation's worker key, outcome and reason, its cycle and plan, and the directory changes the plan made.",
      security: bearer,
      parameters: [SOURCE, param('requestId', 'The id the 202 gave.')],
      responses: {
        '200': json('The status.'),
        '404': problemResponse('No such request for this source.'),
        ...bearerCommon,
      },
    },
  },
  '/sources/{sourceId}/webhook': {
    post: {
      operationId: 'source-webhook',
      summary:
        'A signed webhook naming workers that changed (`X-Hr2ad-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>." + body>`); hr2ad reads those workers from the source now.',
      security: [{ webhookSignature: [] }],
      parameters: [SOURCE],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
      responses: {
        '202': json('Accepted; the named workers are read now.'),
        '400': problemResponse('Not JSON, or no worker ids where the source expects them.'),
        '401': problemResponse('No signature, a wrong one, a stale timestamp, or a replay.'),
        '404': problemResponse('No source with that id takes webhooks.'),
        '413': problemResponse('Larger than 256 KiB.'),
        '500': problemResponse('Internal error.'),
      },
    },
  },
};

export function controlPlaneOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'hr2ad control plane API',
      version: '1',
      description:
        'Administration routes require a function key: header `x-functions-key` or query `code` (Azure Functions keys in Azure; locally the token in the secret store). The ingest routes take an OAuth 2.0 bearer token with the ingest role instead (Entra ID in Azure; `hr2ad token issue` locally), and webhooks an HMAC signature. Errors are RFC 9457 problem details; the SCIM route answers SCIM errors.',
    },
    servers: [{ url: '/api' }],
    security: [{ functionKeyHeader: [] }, { functionKeyQuery: [] }],
    paths: { ...paths, ...ingestPaths },
    components: {
      securitySchemes: {
        functionKeyHeader: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
        bearerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        webhookSignature: { type: 'apiKey', in: 'header', name: 'X-Hr2ad-Signature' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            issues: { type: 'array', items: { type: 'object' } },
          },
        },
        ScimError: {
          type: 'object',
          required: ['schemas', 'status', 'detail'],
          properties: {
            schemas: { type: 'array', items: { const: 'urn:ietf:params:scim:api:messages:2.0:Error' } },
            status: { type: 'string' },
            scimType: { type: 'string' },
            detail: { type: 'string' },
          },
        },
        Decision: {
          type: 'object',
          properties: { by: { type: 'string', maxLength: 128, description: 'Who decides.' } },
        },
      },
    },
  };
}
