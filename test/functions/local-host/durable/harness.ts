/** Builds an engine over an in-memory (or given) database, a virtual clock and a memory logger. */
import { SqliteDurableEngine } from '../../../../functions/local-host/durable/sqlite-durable-engine';
import { VirtualClock } from '../../../../functions/local-host/virtual-clock';
import { MemoryLogger, TestInvoker } from './test-invoker';

export const T0 = new Date('2025-03-01T08:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Harness {
  readonly engine: SqliteDurableEngine;
  readonly invoker: TestInvoker;
  readonly clock: VirtualClock;
  readonly logger: MemoryLogger;
}

export function harness(
  invoker = new TestInvoker(),
  options: { databasePath?: string; clock?: VirtualClock; activityConcurrency?: number } = {},
): Harness {
  const clock = options.clock ?? new VirtualClock(T0);
  const logger = new MemoryLogger();
  const engine = new SqliteDurableEngine({
    databasePath: options.databasePath ?? ':memory:',
    invoker,
    clock,
    logger,
    ...(options.activityConcurrency === undefined ? {} : { activityConcurrency: options.activityConcurrency }),
  });
  return { engine, invoker, clock, logger };
}
