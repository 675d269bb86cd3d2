/**
 * The local Durable Functions engine: the Durable extension's work (histories, activities, timers, events,
 * continue-as-new, sub-orchestrations) done in process with state in SQLite, driving orchestrators through
 * durable-functions' own replay engine. Episodes run one at a time; activities run concurrently (bounded).
 */
import type { Clock } from '../../../shared/ports/clock.port';
import type { Logger } from '../../../shared/ports/logger.port';
import { ActivityRunner } from './activity-runner';
import {
  InstanceExistsError,
  type DurableEngine,
  type FunctionInvoker,
  type InstanceStatus,
  type RaiseOutcome,
  type StatusPage,
  type StatusQuery,
  type StopOptions,
} from './durable-engine';
import { DurableStore } from './durable-store';
import { EpisodeRunner } from './episode-runner';
import { createExecution, endExecution, isActive } from './executions';
import { eventRaised, executionTerminated, toJson } from './history-events';
import { listInstances, toInstanceStatus } from './status-query';
import { fireDueTimers } from './timers';

export interface SqliteDurableEngineOptions {
  /** A file path, or ':memory:' (state then lives as long as the engine). */
  readonly databasePath: string;
  readonly invoker: FunctionInvoker;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Activities run at the same time at most (default 16). */
  readonly activityConcurrency?: number;
  /** How often a started engine looks for due timers (default 200 ms). */
  readonly pollIntervalMs?: number;
  /**
   * Answer the client API and keep what it is given (instances started, events raised) but run nothing,
   * not even on `whenIdle` (a read-only control plane; a benchmark of what reaches the engine). Default false.
   */
  readonly idle?: boolean;
}

export class SqliteDurableEngine implements DurableEngine {
  private readonly store: DurableStore;
  private readonly episodes: EpisodeRunner;
  private readonly activities: ActivityRunner;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly pollIntervalMs: number;
  private readonly idle: boolean;
  private poller: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private again = false;
  private stopping = false;

  constructor(options: SqliteDurableEngineOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.idle = options.idle ?? false;
    this.store = new DurableStore(options.databasePath);
    this.episodes = new EpisodeRunner(this.store, options.invoker, this.clock, this.logger);
    const concurrency = Math.max(1, options.activityConcurrency ?? 16);
    this.activities = new ActivityRunner(this.store, options.invoker, this.clock, this.logger, concurrency, () =>
      this.kick(),
    );
  }

  async startNew(name: string, instanceId: string, input: unknown): Promise<void> {
    this.assertOpen();
    this.store.transaction(() => {
      const existing = this.store.getInstance(instanceId);
      if (existing !== undefined && isActive(existing.status)) throw new InstanceExistsError(instanceId);
      createExecution(this.store, { instanceId, name, input: toJson(input) }, this.clock.now());
    });
    this.logger.info('orchestration scheduled', { instanceId, name });
    this.kick();
    return Promise.resolve();
  }

  async raiseEvent(instanceId: string, eventName: string, data: unknown): Promise<RaiseOutcome> {
    this.assertOpen();
    const outcome = this.store.transaction((): RaiseOutcome => {
      const instance = this.store.getInstance(instanceId);
      if (instance === undefined) return 'not-found';
      if (!isActive(instance.status)) return 'gone';
      this.store.enqueue(instanceId, null, eventRaised(this.clock.now(), eventName, toJson(data)));
      return 'raised';
    });
    this.logger.info('event raised', { instanceId, event: eventName, outcome });
    this.kick();
    return Promise.resolve(outcome);
  }

  async getStatus(instanceId: string, options?: { readonly showHistory?: boolean }): Promise<InstanceStatus | null> {
    this.assertOpen();
    const row = this.store.getInstance(instanceId);
    if (row === undefined) return Promise.resolve(null);
    const history = options?.showHistory === true ? this.store.history(instanceId) : undefined;
    return Promise.resolve(toInstanceStatus(row, history));
  }

  async listStatus(query: StatusQuery): Promise<StatusPage> {
    this.assertOpen();
    return Promise.resolve(listInstances(this.store, query));
  }

  async terminate(instanceId: string, reason: string): Promise<RaiseOutcome> {
    this.assertOpen();
    const now = this.clock.now();
    const outcome = this.store.transaction((): RaiseOutcome => {
      const instance = this.store.getInstance(instanceId);
      if (instance === undefined) return 'not-found';
      if (!isActive(instance.status)) return 'gone';
      const ending = { status: 'Terminated', output: toJson(reason), customStatus: instance.customStatus } as const;
      endExecution(this.store, instance, { ...ending, history: [executionTerminated(now, reason)] }, now);
      return 'raised';
    });
    this.logger.info('orchestration terminated', { instanceId, outcome, reasonLength: reason.length });
    this.kick();
    return Promise.resolve(outcome);
  }

  async purge(instanceId: string): Promise<number> {
    this.assertOpen();
    const deleted = this.store.transaction(() => this.store.deleteInstance(instanceId));
    this.logger.info('orchestration purged', { instanceId, deleted });
    return Promise.resolve(deleted);
  }

  start(): void {
    this.assertOpen();
    if (this.poller !== undefined || this.idle) return;
    this.poller = setInterval(() => this.kick(), this.pollIntervalMs);
    this.poller.unref();
    this.kick();
  }

  /**
   * Stops taking new work and closes the database once episodes in flight are done. Activities in flight
   * are awaited too, unless `abandonInFlight`: their work items stay in the database (their results are
   * ignored) and run again when an engine is next started on the file.
   */
  async stop(options?: StopOptions): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.poller !== undefined) clearInterval(this.poller);
    this.poller = undefined;
    this.activities.stopAccepting();
    await this.loop;
    if (options?.abandonInFlight !== true) await this.activities.whenAllSettled();
    this.store.close();
    this.logger.info('durable engine stopped', {
      abandoned: options?.abandonInFlight === true ? this.activities.running : 0,
    });
  }

  /** Also drives the work itself, so it works on an engine that was never started (tests). */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.stopping || this.idle) return;
      this.kick();
      await this.loop;
      if (this.stopping) return;
      if (this.activities.running > 0) {
        await this.activities.whenAnySettled();
        continue;
      }
      if (!this.hasRunnableWork()) return;
    }
  }

  async nextTimerDue(): Promise<Date | null> {
    this.assertOpen();
    return Promise.resolve(this.store.nextTimer());
  }

  private hasRunnableWork(): boolean {
    const due = this.store.nextTimer();
    if (due !== null && due.getTime() <= this.clock.now().getTime()) return true;
    return this.store.countWorkItems() > 0 || this.store.nextRunnableInstance(new Set()) !== undefined;
  }

  private assertOpen(): void {
    if (this.store.isClosed) throw new Error('the durable engine is stopped');
  }

  /** Makes the work loop run (again): after client calls, activity results and poll ticks. */
  private kick(): void {
    if (this.stopping || this.idle) return;
    if (this.loop !== undefined) {
      this.again = true;
      return;
    }
    this.loop = this.drain().finally(() => {
      this.loop = undefined;
    });
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      await this.pass();
    } while (this.again && !this.stopping);
  }

  /** Fires due timers, starts activities and runs episodes until no instance has messages. */
  private async pass(): Promise<void> {
    while (!this.stopping) {
      fireDueTimers(this.store, this.clock.now());
      this.activities.dispatch();
      const instanceId = this.store.nextRunnableInstance(new Set());
      if (instanceId === undefined) return;
      await this.runEpisode(instanceId);
      // Episodes commit synchronously: let I/O callbacks in between (HTTP requests, activity results), so
      // a long backlog never starves the API or the intake of pushed records.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async runEpisode(instanceId: string): Promise<void> {
    try {
      await this.episodes.run(instanceId);
    } catch (error) {
      if (this.store.isClosed) return;
      // An engine fault (not the orchestrator's): fail the instance rather than retry it forever.
      this.logger.error('orchestrator episode failed in the engine', {
        instanceId,
        errorType: error instanceof Error ? error.name : typeof error,
      });
      this.failInstance(instanceId, error instanceof Error ? error.message : String(error));
    }
  }

  private failInstance(instanceId: string, message: string): void {
    this.store.transaction(() => {
      const instance = this.store.getInstance(instanceId);
      if (instance === undefined || !isActive(instance.status)) return;
      const ending = {
        status: 'Failed',
        output: toJson(message),
        customStatus: instance.customStatus,
        history: [],
      } as const;
      endExecution(this.store, instance, ending, this.clock.now());
    });
  }
}
