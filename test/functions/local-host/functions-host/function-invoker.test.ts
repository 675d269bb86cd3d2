/** Orchestrators and activities through the worker-style invoker (what the durable engine calls). */
jest.mock(
  '@azure/functions-core',
  () => jest.requireActual<typeof import('./fixtures/core-mock')>('./fixtures/core-mock').coreModule,
  { virtual: true },
);

import type { OrchestrationTriggerPayload } from '../../../../functions/local-host/durable/durable-engine';
import {
  FunctionNotFoundError,
  LocalFunctionInvoker,
  OrchestratorFailedError,
} from '../../../../functions/local-host/functions-host/function-invoker';
import { captureTestApp } from './fixtures/core-mock';
import { startTestHost } from './fixtures/test-host';
import { recordingLogger } from './fixtures/test-support';

function payload(instanceId: string, history: unknown[], input: unknown): OrchestrationTriggerPayload {
  return {
    history,
    input,
    instanceId,
    isReplaying: false,
    parentInstanceId: null,
    upperSchemaVersion: 3,
    maximumShortTimerDuration: '6.00:00:00',
    longRunningTimerIntervalDuration: '3.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
}

const started = (input: unknown) => [
  { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: '2030-01-01T00:00:00Z' },
  {
    EventType: 0,
    EventId: -1,
    IsPlayed: false,
    Timestamp: '2030-01-01T00:00:00Z',
    Name: 'provision',
    Input: JSON.stringify(input),
  },
];

async function invoker(): Promise<LocalFunctionInvoker> {
  return new LocalFunctionInvoker({
    app: await captureTestApp(),
    logger: recordingLogger(),
    durableClientBinding: () => undefined,
  });
}

test('an orchestrator episode returns its state: the first episode schedules the activity', async () => {
  const episode = await (
    await invoker()
  ).invokeOrchestrator('provision', payload('i-1', started({ name: 'Ada' }), { name: 'Ada' }));
  expect(episode).toMatchObject({ isDone: false, schemaVersion: 3 });
  expect(episode.actions).toEqual([[{ actionType: 0, functionName: 'createUser', input: { name: 'Ada' } }]]);
});

test('replaying a completed activity finishes the orchestration with its output and custom status', async () => {
  const history = [
    ...started({ name: 'Ada' }),
    { EventType: 4, EventId: 0, IsPlayed: false, Timestamp: '2030-01-01T00:00:00Z', Name: 'createUser' },
    { EventType: 13, EventId: -1, IsPlayed: false, Timestamp: '2030-01-01T00:00:01Z' },
    { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: '2030-01-01T00:00:01Z' },
    {
      EventType: 5,
      EventId: -1,
      IsPlayed: false,
      Timestamp: '2030-01-01T00:00:01Z',
      TaskScheduledId: 0,
      Result: '"created:Ada"',
    },
  ];
  const episode = await (await invoker()).invokeOrchestrator('provision', payload('i-1', history, { name: 'Ada' }));
  expect(episode).toMatchObject({
    isDone: true,
    output: { created: 'created:Ada' },
    customStatus: { stage: 'created' },
  });
});

test('a failing orchestration rejects with OrchestratorFailedError carrying its message and state', async () => {
  const history = [
    ...started({}),
    { EventType: 4, EventId: 0, IsPlayed: false, Timestamp: '2030-01-01T00:00:00Z', Name: 'createUser' },
    { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: '2030-01-01T00:00:01Z' },
    {
      EventType: 5,
      EventId: -1,
      IsPlayed: false,
      Timestamp: '2030-01-01T00:00:01Z',
      TaskScheduledId: 0,
      Result: '"ok"',
    },
  ];
  const failure = await (
    await invoker()
  )
    .invokeOrchestrator('failing', payload('f-1', history, {}))
    .catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(OrchestratorFailedError);
  expect((failure as OrchestratorFailedError).message).toBe('orchestration gave up');
  expect((failure as OrchestratorFailedError).episode).toMatchObject({
    isDone: false,
    error: expect.stringContaining('orchestration gave up'),
  });
});

test('activities get their input and return their result; a throwing activity rejects with its error', async () => {
  const inv = await invoker();
  await expect(inv.invokeActivity('createUser', { name: 'Ada' })).resolves.toBe('created:Ada');
  await expect(inv.invokeActivity('explode', null)).rejects.toThrow('activity exploded');
});

test('what the app registered, by trigger', async () => {
  const inv = await invoker();
  expect([inv.hasOrchestrator('provision'), inv.hasOrchestrator('createUser'), inv.hasActivity('createUser')]).toEqual([
    true,
    false,
    true,
  ]);
  await expect(inv.invokeActivity('provision', {})).rejects.toBeInstanceOf(FunctionNotFoundError);
});

test('an activity with a durable client binding gets a working client', async () => {
  const t = await startTestHost();
  try {
    await t.engine.startNew('provision', 'for-activity', {});
    await expect(t.host.invoker.invokeActivity('statusOf', 'for-activity')).resolves.toBe('Running');
  } finally {
    await t.host.stop();
  }
});

test('a function that needs the durable client fails clearly when the durable API is not running', async () => {
  await expect((await invoker()).invokeActivity('statusOf', 'x')).rejects.toThrow('needs the durable API');
});
