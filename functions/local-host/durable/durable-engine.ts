/**
 * The local Durable Functions engine's contract: what the Durable extension does for the Functions host
 * in Azure (keep histories, schedule activities, fire timers, deliver events, continue-as-new), done in
 * process with state in SQLite. It drives orchestrators through the durable-functions package's own
 * replay engine, by invoking the app's registered orchestration and activity functions through a
 * `FunctionInvoker` the local Functions host provides.
 *
 * The local host's durable client API (the HTTP routes durable-functions' `DurableClient` calls) is a thin
 * mapping of these methods.
 */

/** Durable Functions' runtime status names, as the client API reports them. */
export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Terminated';

export interface InstanceStatus {
  readonly name: string;
  readonly instanceId: string;
  readonly runtimeStatus: RuntimeStatus;
  /** ISO instants. */
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly customStatus: unknown;
  /** The history in the extension's shape (`EventType` names), when asked for. */
  readonly history?: readonly unknown[];
}

export interface StatusQuery {
  readonly runtimeStatus?: readonly RuntimeStatus[];
  /** ISO instants bounding createdTime. */
  readonly createdTimeFrom?: string;
  readonly createdTimeTo?: string;
  /** Instance ids starting with this. */
  readonly instanceIdPrefix?: string;
  readonly top?: number;
  readonly continuationToken?: string;
}

export interface StatusPage {
  readonly instances: readonly InstanceStatus[];
  readonly continuationToken: string | null;
}

/** What an orchestrator episode returned (durable-functions' OrchestratorState, as JSON). */
export interface OrchestratorEpisode {
  readonly isDone: boolean;
  readonly actions: readonly unknown[];
  readonly output?: unknown;
  readonly error?: string;
  readonly customStatus?: unknown;
  readonly schemaVersion: number;
}

/**
 * How the engine runs the app's functions. The local Functions host implements it over the captured
 * registrations, giving each call a fresh InvocationContext with the function's bindings (a durable
 * client included).
 */
export interface FunctionInvoker {
  /** Runs one orchestrator episode with the extension's trigger payload; a failed orchestration rejects. */
  invokeOrchestrator(name: string, payload: OrchestrationTriggerPayload): Promise<OrchestratorEpisode>;
  /** Runs an activity; rejects with the activity's error. */
  invokeActivity(name: string, input: unknown): Promise<unknown>;
  /** Whether the app registered an orchestration / activity of that name. */
  hasOrchestrator(name: string): boolean;
  hasActivity(name: string): boolean;
}

/** The orchestration trigger's payload, as the Durable extension sends it. */
export interface OrchestrationTriggerPayload {
  readonly history: readonly unknown[];
  readonly input: unknown;
  readonly instanceId: string;
  readonly isReplaying: boolean;
  readonly parentInstanceId: string | null;
  readonly upperSchemaVersion: number;
  readonly maximumShortTimerDuration: string;
  readonly longRunningTimerIntervalDuration: string;
  readonly defaultHttpAsyncRequestSleepTimeMillseconds: number;
}

export type RaiseOutcome = 'raised' | 'not-found' | 'gone';

export interface StopOptions {
  /** Do not wait for activities in flight (e.g. one that never settles); they run again after a restart. */
  readonly abandonInFlight?: boolean;
}

export interface DurableEngine {
  /**
   * Starts an orchestration. With an instance id that is still running, it fails with
   * `InstanceExistsError` (the extension's 409); a finished one is replaced.
   */
  startNew(name: string, instanceId: string, input: unknown): Promise<void>;
  /** Queues an event for the instance; `gone` when it has finished, `not-found` when unknown. */
  raiseEvent(instanceId: string, eventName: string, data: unknown): Promise<RaiseOutcome>;
  getStatus(instanceId: string, options?: { readonly showHistory?: boolean }): Promise<InstanceStatus | null>;
  listStatus(query: StatusQuery): Promise<StatusPage>;
  terminate(instanceId: string, reason: string): Promise<RaiseOutcome>;
  /** Deletes the instance and its history; the number deleted (0 or 1). */
  purge(instanceId: string): Promise<number>;

  /** Starts working: runs what is runnable now and whenever the clock reaches a timer. */
  start(): void;
  /**
   * Stops taking new work, waits for episodes and activities in flight, closes the database. With
   * `abandonInFlight`, activities still running are not awaited: their results are ignored and they run
   * again on the next start (at-least-once), as after a crash.
   */
  stop(options?: StopOptions): Promise<void>;
  /**
   * Resolves when nothing is runnable at the clock's current time: no queued messages, no activity in
   * flight, no timer due. Timers due later do not count.
   */
  whenIdle(): Promise<void>;
  /** The earliest pending timer, or null. */
  nextTimerDue(): Promise<Date | null>;
}

export class InstanceExistsError extends Error {
  constructor(readonly instanceId: string) {
    super(`an orchestration with instance id ${instanceId} is already running`);
    this.name = 'InstanceExistsError';
  }
}
