/**
 * The control plane's Functions app, as registered: `registerControlPlane(ports)` is captured through the
 * `@azure/functions-core` stand-in and every `app.*` / `df.app.*` registration is enumerated with its
 * trigger and bindings. Proves, as a literal truth table (not derived from `API_ROUTES`):
 * - the two orchestrations (orchestrationTrigger) and the seven activities (activityTrigger; only
 *   HandOnPlans has a durableClient input);
 * - one timer per source, `poll-<id>`, on that source's own schedule, with a durableClient input, and one
 *   `full-read-<id>` for a source with a full-read schedule;
 * - every HTTP route with its method and route, `authLevel: 'function'`, a durableClient input and an
 *   http output;
 * - nothing else (no hooks, no duplicate names);
 * - with the Service Bus relay, one more function: the results queue's trigger, after the timers.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../local-host/functions-host/fixtures/core-mock')>(
      '../local-host/functions-host/fixtures/core-mock',
    ).coreModule,
  { virtual: true },
);

import { silentLogger } from '../../../agent/logging/silent-logger';
import { compileMappingConfig, createDefaultMappingConfig } from '../../../shared/mapping/config';
import type { HrSource } from '../../../shared/ports/hr-source.port';
import type { IngestAuthorizer } from '../../../shared/ports/ingest-authorizer.port';
import type { IngestStore } from '../../../shared/ports/ingest-store.port';
import type { StateStore } from '../../../shared/ports/state-store.port';
import type { ControlPlanePorts, IngestPorts } from '../../../functions/app/control-plane-ports';
import { INGEST_SWEEP_SCHEDULE, registerControlPlane } from '../../../functions/app/register-app';
import { captureInto, type CapturedApp } from '../../../functions/local-host/functions-host/functions-core-shim';
import {
  describeRegistrations,
  type FunctionDescription,
} from '../../../functions/local-host/functions-host/registrations';
import { DEFAULT_LIFECYCLE_SETTINGS } from '../../../functions/orchestrations/lifecycle-state';
import { mockSink } from '../local-host/functions-host/fixtures/core-mock';

/** A source that is never read: registration only needs its id. */
function idleSource(id: string): HrSource {
  return { id, read: () => Promise.reject(new Error('not read while registering')) };
}

function portsWithSources(): ControlPlanePorts {
  const mapping = compileMappingConfig(
    createDefaultMappingConfig({ domainDn: 'DC=corp,DC=example,DC=test', upnSuffix: 'corp.example.test' }),
  );
  if (!mapping.ok) throw new Error('the default mapping does not compile');
  return {
    // Registration stores nothing: any call on the store would be a bug, so none is provided.
    stateStore: {} as StateStore,
    sources: [
      { source: idleSource('hr-file'), schedule: '0 */5 * * * *' },
      { source: idleSource('contractors'), schedule: '0 30 2 * * *', fullReadSchedule: '0 0 2 * * *' },
    ],
    channel: { send: () => Promise.resolve(), close: () => Promise.resolve() },
    clock: { now: () => new Date('2026-12-01T00:00:00Z') },
    logger: silentLogger,
    mapping: mapping.value,
    lifecycle: DEFAULT_LIFECYCLE_SETTINGS,
    commandLifetimeHours: 24,
  };
}

const orchestration = (name: string): FunctionDescription => ({
  name,
  trigger: 'orchestrationTrigger',
  inputs: [],
  outputs: [],
});
const activity = (name: string, inputs: string[] = []): FunctionDescription => ({
  name,
  trigger: 'activityTrigger',
  inputs,
  outputs: [],
});
const timer = (name: string, schedule: string): FunctionDescription => ({
  name,
  trigger: 'timerTrigger',
  schedule,
  runOnStartup: false,
  inputs: ['durableClient'],
  outputs: [],
});
const http = (name: string, method: string, route: string, authLevel = 'function'): FunctionDescription => ({
  name,
  trigger: 'httpTrigger',
  route,
  methods: [method],
  authLevel,
  inputs: ['durableClient'],
  outputs: ['http'],
});

/** The app, in registration order: the truth table. */
const EXPECTED: readonly FunctionDescription[] = [
  orchestration('WorkerLifecycle'),
  orchestration('SyncCycle'),
  activity('PollSource'),
  activity('PlanCycle'),
  activity('RecordCycleDecision'),
  activity('CommitCycle'),
  activity('HandOnPlans', ['durableClient']),
  activity('PlanIngest'),
  activity('IngestWaiting'),
  activity('SendCommand'),
  activity('RecordCommandOutcome'),
  timer('poll-hr-file', '0 */5 * * * *'),
  timer('poll-contractors', '0 30 2 * * *'),
  timer('full-read-contractors', '0 0 2 * * *'),
  http('health', 'GET', 'health'),
  http('worker-status', 'GET', 'workers/{workerKey}'),
  http('worker-provision', 'POST', 'workers/{workerKey}/provision'),
  http('preview', 'GET', 'preview'),
  http('source-list', 'GET', 'sources'),
  http('source-sync', 'POST', 'sources/{sourceId}/sync'),
  http('cycle-list', 'GET', 'cycles'),
  http('cycle-get', 'GET', 'cycles/{cycleId}'),
  http('cycle-approve', 'POST', 'cycles/{cycleId}/approve'),
  http('cycle-reject', 'POST', 'cycles/{cycleId}/reject'),
  http('quarantine-list', 'GET', 'quarantine'),
  http('audit-query', 'GET', 'audit'),
  http('agent-list', 'GET', 'agents'),
  http('provisioning-logs', 'GET', 'provisioningLogs'),
];

const RESULTS_TRIGGER: FunctionDescription = {
  name: 'CommandResults',
  trigger: 'serviceBusTrigger',
  queueName: 'hr2ad-results',
  connection: 'ServiceBusConnection',
  isSessionsEnabled: false,
  inputs: ['durableClient'],
  outputs: [],
};

let app: CapturedApp;
let described: FunctionDescription[];
beforeAll(async () => {
  app = await captureInto(mockSink, () => registerControlPlane(portsWithSources()));
  described = describeRegistrations(app.registrations);
});

describe('registerControlPlane', () => {
  it('registers exactly the expected functions, triggers and bindings, in order', () => {
    expect(described).toEqual(EXPECTED);
  });

  it.each(EXPECTED.map((e) => [e.name, e] as const))('%s is registered as the table says', (name, expected) => {
    expect(described.find((d) => d.name === name)).toEqual(expected);
  });

  it('gives every function a distinct name', () => {
    const names = described.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('registers no hooks and hands over the programming model', () => {
    expect(app.hookCount).toBe(0);
    expect(app.programmingModel.name).toBe('@azure/functions');
  });

  it('protects every HTTP route with a function key (none is anonymous)', () => {
    const httpRoutes = described.filter((d) => d.trigger === 'httpTrigger');
    expect(httpRoutes).toHaveLength(14);
    expect(httpRoutes.every((d) => d.authLevel === 'function')).toBe(true);
  });
});

describe('registerControlPlane with the Service Bus relay', () => {
  it('adds the results trigger after the timers, and nothing else', async () => {
    mockSink.registrations.length = 0;
    const relayed = await captureInto(mockSink, () =>
      registerControlPlane({ ...portsWithSources(), relay: { kind: 'serviceBus', resultsQueue: 'hr2ad-results' } }),
    );
    const timers = EXPECTED.filter((e) => e.trigger !== 'httpTrigger');
    const routes = EXPECTED.filter((e) => e.trigger === 'httpTrigger');
    expect(describeRegistrations(relayed.registrations)).toEqual([...timers, RESULTS_TRIGGER, ...routes]);
  });

  it('has no results trigger with the embedded channel (relay absent or embedded)', async () => {
    mockSink.registrations.length = 0;
    const embedded = await captureInto(mockSink, () =>
      registerControlPlane({ ...portsWithSources(), relay: { kind: 'embedded' } }),
    );
    expect(describeRegistrations(embedded.registrations)).toEqual(EXPECTED);
  });
});

describe('registerControlPlane taking pushed records', () => {
  it('adds the ingest sweep after the source timers, and the ingest routes, which check their own credentials', async () => {
    mockSink.registrations.length = 0;
    const ingest: IngestPorts = {
      // Registration reads nothing: any call would be a bug.
      store: {} as IngestStore,
      authorizer: {} as IngestAuthorizer,
      limits: { maxOperations: 50, maxPayloadBytes: 1_048_576 },
      sources: new Map([
        ['hr-scim', { sourceId: 'hr-scim', workerSource: 'hr', scim: null, csv: null, webhook: null }],
      ]),
    };
    const pushed = await captureInto(mockSink, () => registerControlPlane({ ...portsWithSources(), ingest }));
    const timers = EXPECTED.filter((e) => e.trigger !== 'httpTrigger');
    const routes = EXPECTED.filter((e) => e.trigger === 'httpTrigger');
    expect(describeRegistrations(pushed.registrations)).toEqual([
      ...timers,
      timer('ingest-sweep', INGEST_SWEEP_SCHEDULE),
      ...routes,
      http('scim-bulk-upload', 'POST', 'sources/{sourceId}/bulkUpload', 'anonymous'),
      http('csv-upload', 'POST', 'sources/{sourceId}/upload', 'anonymous'),
      http('ingest-request-status', 'GET', 'sources/{sourceId}/requests/{requestId}', 'anonymous'),
      http('source-webhook', 'POST', 'sources/{sourceId}/webhook', 'anonymous'),
    ]);
  });
});
