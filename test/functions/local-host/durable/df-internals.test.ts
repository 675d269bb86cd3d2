/**
 * The engine relies on durable-functions internals (pinned exactly). If an upgrade moves or renumbers
 * them, these fail loudly, before any replay goes wrong.
 */
import {
  createOrchestrator,
  durableFunctionsVersion,
  OUT_OF_PROC_DATA_LABEL,
  packageActionType,
  packageHistoryEventType,
  SUPPORTED_DURABLE_FUNCTIONS_VERSION,
} from '../../../../functions/local-host/durable/df-internals';
import { ActionType } from '../../../../functions/local-host/durable/actions';
import { EventType } from '../../../../functions/local-host/durable/history-events';
import { failureOfOrchestrator } from '../../../../functions/local-host/durable/episode-runner';
import { InvocationContext } from '@azure/functions';
import type { OrchestrationContext } from 'durable-functions';

describe('durable-functions internals the engine relies on', () => {
  it('is the exact version the engine was written for', () => {
    expect(durableFunctionsVersion).toBe(SUPPORTED_DURABLE_FUNCTIONS_VERSION);
    expect(SUPPORTED_DURABLE_FUNCTIONS_VERSION).toBe('3.5.0');
  });

  it('numbers history events and actions as the engine does', () => {
    for (const [name, n] of Object.entries(EventType)) expect(packageHistoryEventType[name]).toBe(n);
    for (const [name, n] of Object.entries(ActionType)) expect(packageActionType[name]).toBe(n);
  });

  it('exposes createOrchestrator, whose failures carry the state after the label the engine parses', async () => {
    const callback = createOrchestrator(function* (ctx: OrchestrationContext) {
      ctx.df.setCustomStatus('half way');
      yield ctx.df.callActivity('a');
      throw new Error('kaputt');
    } as never);
    const payload = {
      history: [
        { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: '2025-01-01T00:00:00.000Z' },
        { EventType: 0, EventId: -1, IsPlayed: false, Timestamp: '2025-01-01T00:00:00.000Z', Name: 'x', Input: null },
        { EventType: 4, EventId: 0, IsPlayed: false, Timestamp: '2025-01-01T00:00:00.000Z', Name: 'a', Input: null },
        {
          EventType: 5,
          EventId: -1,
          IsPlayed: false,
          Timestamp: '2025-01-01T00:00:00.000Z',
          TaskScheduledId: 0,
          Result: '1',
        },
      ],
      input: null,
      instanceId: 'i',
      isReplaying: false,
      parentInstanceId: null,
      upperSchemaVersion: 3,
      maximumShortTimerDuration: '6.00:00:00',
      longRunningTimerIntervalDuration: '3.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    };
    const error = await callback(payload, new InvocationContext({ functionName: 'x' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(OUT_OF_PROC_DATA_LABEL);
    expect(failureOfOrchestrator(error)).toEqual({ message: 'kaputt', customStatus: 'half way' });
  });
});
