/**
 * Reading durable-functions' action list. The list an episode returns is cumulative (everything scheduled
 * in this execution so far); Task.any / Task.all nest their tasks as compound actions. The engine flattens
 * it in the order the replay engine hands out sequence numbers and takes what it has not seen yet.
 */

/** ActionType numbers (checked against the package in df-internals.test.ts). */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

/** Retry settings as durable-functions' RetryOptions serialises them. */
export interface RetryPolicy {
  readonly firstRetryIntervalInMilliseconds: number;
  readonly maxNumberOfAttempts: number;
  readonly backoffCoefficient?: number;
  readonly maxRetryIntervalInMilliseconds?: number;
  readonly retryTimeoutInMilliseconds?: number;
}

/** One action (atomic or compound) as the episode returned it. */
export interface RawAction {
  readonly actionType: number;
  readonly functionName?: string;
  readonly input?: unknown;
  readonly instanceId?: string;
  readonly fireAt?: string;
  readonly isCanceled?: boolean;
  readonly externalEventName?: string;
  readonly retryOptions?: RetryPolicy;
  readonly compoundActions?: readonly RawAction[];
}

function isRawAction(value: unknown): value is RawAction {
  return typeof value === 'object' && value !== null && typeof (value as RawAction).actionType === 'number';
}

/**
 * The atomic actions in scheduling order: depth-first through compound actions, as the replay engine's
 * trackOpenTask walks a compound task's children. Accepts V2+ (`[[...]]`) and V1 (one array per yield).
 */
export function flattenActions(actions: readonly unknown[]): RawAction[] {
  const flat: RawAction[] = [];
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) {
      item.forEach(visit);
    } else if (isRawAction(item)) {
      if (item.actionType === ActionType.WhenAny || item.actionType === ActionType.WhenAll) {
        (item.compoundActions ?? []).forEach(visit);
      } else {
        flat.push(item);
      }
    }
  };
  actions.forEach(visit);
  return flat;
}

/**
 * Activity and continue-as-new inputs arrive JSON-encoded only when they are strings (durable-functions'
 * Utils.processInput); objects and numbers pass through. This gives back the value in both cases.
 */
export function decodeProcessedInput(input: unknown): unknown {
  return typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
}

/** Whether the action takes a sequence number in the replay engine (external event waits and continue-as-new do not). */
export function takesSequenceNumber(action: RawAction): boolean {
  return action.actionType !== ActionType.WaitForExternalEvent && action.actionType !== ActionType.ContinueAsNew;
}

/** The action types the local engine runs. */
export function isSupported(action: RawAction): boolean {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
    case ActionType.ContinueAsNew:
    case ActionType.CreateTimer:
    case ActionType.WaitForExternalEvent:
      return true;
    default:
      return false;
  }
}

/** How many times each event name is waited for (each wait consumes one EventRaised of that name, in order). */
export function countWaits(flat: readonly RawAction[]): Map<string, number> {
  const waits = new Map<string, number>();
  for (const action of flat) {
    if (action.actionType === ActionType.WaitForExternalEvent && action.externalEventName !== undefined) {
      waits.set(action.externalEventName, (waits.get(action.externalEventName) ?? 0) + 1);
    }
  }
  return waits;
}

/** The delay before retry attempt `attempt + 1` after attempt `attempt` failed (DurableTask's RetryOptions). */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const coefficient = policy.backoffCoefficient ?? 1;
  const delay = policy.firstRetryIntervalInMilliseconds * Math.pow(coefficient, attempt - 1);
  const cap = policy.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 ? Math.min(delay, cap) : delay;
}
