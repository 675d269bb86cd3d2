/**
 * The host with the real SQLite durable engine: an orchestration started over HTTP runs its activity
 * and completes; its status reads back through the durable client.
 */
jest.mock(
  '@azure/functions-core',
  () => jest.requireActual<typeof import('./fixtures/core-mock')>('./fixtures/core-mock').coreModule,
  { virtual: true },
);

import { SqliteDurableEngine } from '../../../../functions/local-host/durable/sqlite-durable-engine';
import { LocalFunctionsHost } from '../../../../functions/local-host/functions-host/local-functions-host';
import { captureTestApp } from './fixtures/core-mock';
import { FUNCTION_KEY } from './fixtures/test-host';
import { recordingLogger, VirtualClock } from './fixtures/test-support';

test('start over HTTP → activity runs → Completed, through SqliteDurableEngine', async () => {
  const clock = new VirtualClock('2030-01-01T00:00:00Z');
  const logger = recordingLogger();
  const host = await LocalFunctionsHost.load({
    app: await captureTestApp(),
    engineFactory: (invoker) => new SqliteDurableEngine({ databasePath: ':memory:', invoker, clock, logger }),
    clock,
    logger,
    functionKey: FUNCTION_KEY,
    httpPort: 0,
    realTimers: false,
  });
  await host.start();
  try {
    const started = await fetch(`${host.url}/api/provision/e2e-1`, {
      method: 'POST',
      headers: { 'x-functions-key': FUNCTION_KEY },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ instanceId: 'e2e-1' });

    await host.engine.whenIdle();

    const status = await fetch(`${host.url}/api/durable/status/e2e-1`, { method: 'POST' });
    expect(await status.json()).toMatchObject({
      name: 'provision',
      instanceId: 'e2e-1',
      runtimeStatus: 'Completed',
      input: { name: 'Ada' },
      output: { created: 'created:Ada' },
      customStatus: { stage: 'created' },
    });
  } finally {
    await host.stop();
  }
});
