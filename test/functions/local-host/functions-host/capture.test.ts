/**
 * Registration capture through the `@azure/functions-core` stand-in, and the package internals the local
 * host relies on (this suite fails loudly when an upgrade changes them).
 */
jest.mock(
  '@azure/functions-core',
  () => jest.requireActual<typeof import('./fixtures/core-mock')>('./fixtures/core-mock').coreModule,
  { virtual: true },
);

import { readFileSync } from 'node:fs';
import type { CapturedApp } from '../../../../functions/local-host/functions-host/functions-core-shim';
import {
  bindingsOfType,
  describeRegistrations,
  registrationsByTrigger,
} from '../../../../functions/local-host/functions-host/registrations';
import { captureTestApp } from './fixtures/core-mock';

let app: CapturedApp;
beforeAll(async () => {
  app = await captureTestApp();
});

test('every registration is enumerated with its trigger, options and bindings', () => {
  expect(describeRegistrations(app.registrations)).toEqual([
    {
      name: 'getItem',
      trigger: 'httpTrigger',
      route: 'items/{id:int}',
      methods: ['GET'],
      authLevel: 'function',
      inputs: [],
      outputs: ['http'],
    },
    {
      name: 'ping',
      trigger: 'httpTrigger',
      route: 'ping',
      methods: ['GET'],
      authLevel: 'anonymous',
      inputs: [],
      outputs: ['http'],
    },
    {
      name: 'echo',
      trigger: 'httpTrigger',
      route: 'echo/{*rest}',
      methods: ['POST', 'PUT'],
      authLevel: 'anonymous',
      inputs: [],
      outputs: ['http'],
    },
    {
      name: 'boom',
      trigger: 'httpTrigger',
      route: 'boom',
      methods: ['GET'],
      authLevel: 'anonymous',
      inputs: [],
      outputs: ['http'],
    },
    {
      name: 'adminOnly',
      trigger: 'httpTrigger',
      route: 'admin/thing',
      methods: ['DELETE'],
      authLevel: 'admin',
      inputs: [],
      outputs: ['http'],
    },
    {
      name: 'nightly',
      trigger: 'timerTrigger',
      schedule: '0 0 2 * * *',
      runOnStartup: false,
      inputs: ['durableClient'],
      outputs: [],
    },
    {
      name: 'everyFiveMinutes',
      trigger: 'timerTrigger',
      schedule: '0 */5 * * * *',
      runOnStartup: true,
      inputs: [],
      outputs: [],
    },
    { name: 'provision', trigger: 'orchestrationTrigger', inputs: [], outputs: [] },
    { name: 'failing', trigger: 'orchestrationTrigger', inputs: [], outputs: [] },
    { name: 'createUser', trigger: 'activityTrigger', inputs: [], outputs: [] },
    { name: 'statusOf', trigger: 'activityTrigger', inputs: ['durableClient'], outputs: [] },
    { name: 'explode', trigger: 'activityTrigger', inputs: [], outputs: [] },
    {
      name: 'startProvision',
      trigger: 'httpTrigger',
      route: 'provision/{id?}',
      methods: ['POST'],
      authLevel: 'function',
      inputs: ['durableClient'],
      outputs: ['http'],
    },
    {
      name: 'checkStatus',
      trigger: 'httpTrigger',
      route: 'check/{id}',
      methods: ['POST'],
      authLevel: 'anonymous',
      inputs: ['durableClient'],
      outputs: ['http'],
    },
    {
      name: 'durableOps',
      trigger: 'httpTrigger',
      route: 'durable/{op}/{id?}',
      methods: ['POST'],
      authLevel: 'anonymous',
      inputs: ['durableClient'],
      outputs: ['http'],
    },
  ]);
});

test('registrations are found by trigger type, and bindings by type (their names are hashes)', () => {
  expect(registrationsByTrigger(app.registrations, 'activityTrigger').map((r) => r.metadata.name)).toEqual([
    'createUser',
    'statusOf',
    'explode',
  ]);
  const start = app.registrations.find((r) => r.metadata.name === 'startProvision');
  const [client] = start ? bindingsOfType(start, 'durableClient') : [];
  expect(client?.name).toMatch(/^durableClient/);
  expect(client?.name).not.toBe('durableClient');
});

test('the programming model was handed over, and nothing went to test mode', () => {
  expect(app.programmingModel.name).toBe('@azure/functions');
  expect(app.hookCount).toBe(0);
});

describe('package internals the local host relies on', () => {
  const read = (path: string): string => readFileSync(require.resolve(path), 'utf8');

  test('the pinned versions', () => {
    expect((jest.requireActual('@azure/functions/package.json') as { version: string }).version).toBe('4.16.5');
    expect((jest.requireActual('durable-functions/package.json') as { version: string }).version).toBe('3.5.0');
    expect(app.programmingModel.version).toBe('4.16.5');
  });

  test('the worker-style invocation model', () => {
    expect(typeof app.programmingModel.getInvocationModel).toBe('function');
    const start = app.registrations.find((r) => r.metadata.name === 'ping');
    if (!start) throw new Error('ping not registered');
    const model = app.programmingModel.getInvocationModel({
      invocationId: 'x',
      metadata: start.metadata,
      request: { inputData: [], triggerMetadata: {} },
      log: () => undefined,
    });
    for (const method of ['getArguments', 'invokeFunction', 'getResponse'] as const) {
      expect(typeof model[method]).toBe('function');
    }
  });

  test('the lazy core lookup, the durable client reader and the orchestration failure label', () => {
    expect(read('@azure/functions')).toContain('require("@azure/functions-core")');
    const getClient = read('durable-functions/lib/src/durableClient/getClient.js');
    expect(getClient).toMatch(/input\.type === "durableClient" \|\| input\.type === "orchestrationClient"/);
    const client = read('durable-functions/lib/src/durableClient/DurableClient.js');
    expect(client).toContain(
      'new URL(`orchestrators/${orchestratorFunctionName}${instanceIdPath}`, this.clientData.rpcBaseUrl)',
    );
    expect(client).toContain('"x-ms-continuation-token"');
    expect(read('durable-functions/lib/src/error/OrchestrationFailureError.js')).toContain('"\\n\\n$OutOfProcData$:"');
  });
});
