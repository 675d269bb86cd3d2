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
  '/sources/{sourceId}/sync': {
    post: {
      operationId: 'source-sync',
      summary: 'Start a sync cycle for the source now.',
      parameters: [param('sourceId', 'The source id from the configuration.')],
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
};

export function controlPlaneOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'hr2ad control plane API',
      version: '1',
      description:
        'Every route requires a function key: header `x-functions-key` or query `code` (Azure Functions keys in Azure; locally the token in the secret store, and the server listens on 127.0.0.1 only). Errors are RFC 9457 problem details.',
    },
    servers: [{ url: '/api' }],
    security: [{ functionKeyHeader: [] }, { functionKeyQuery: [] }],
    paths,
    components: {
      securitySchemes: {
        functionKeyHeader: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
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
        Decision: {
          type: 'object',
          properties: { by: { type: 'string', maxLength: 128, description: 'Who decides.' } },
        },
      },
    },
  };
}
