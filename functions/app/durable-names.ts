/**
 * Durable names: orchestrations, activities and events live in durable histories, so a name is defined
 * once here and never renamed in place. An incompatible change to what a name carries gets a new name
 * (`LifecycleV2`), and the old one stays registered until no history uses it.
 */
export const ORCHESTRATION = {
  /** One per worker: receives plans, waits for due dates, sends commands, records outcomes. */
  lifecycle: 'WorkerLifecycle',
  /** One per HR source at a time: poll, plan, hold, hand on, commit. */
  syncCycle: 'SyncCycle',
} as const;

export const ACTIVITY = {
  pollSource: 'PollSource',
  planCycle: 'PlanCycle',
  handOnPlans: 'HandOnPlans',
  commitCycle: 'CommitCycle',
  decideCycle: 'RecordCycleDecision',
  planIngest: 'PlanIngest',
  ingestWaiting: 'IngestWaiting',
  sendCommand: 'SendCommand',
  recordOutcome: 'RecordCommandOutcome',
} as const;

export const EVENT = {
  /** A newer plan for a worker (payload: HandedOnPlan). */
  newPlan: 'NewPlan',
  /** An administrator's decision on a held cycle (payload: CycleDecision). */
  cycleDecision: 'CycleDecision',
} as const;

/**
 * A cycle id that sorts by time, says its source and is unique: `hr-file.20261201T090000Z.5f3a9c1e`
 * (two cycles may start within one second, or at one instant of a virtual clock). `unique` is any
 * random or replay-safe id (its first 8 characters are used).
 */
export function cycleIdAt(sourceId: string, at: Date, unique: string): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${sourceId}.${stamp}.${unique.slice(0, 8)}`;
}

/** The event that carries one command's result: one name per command, so a late duplicate never answers another. */
export function commandResultEvent(commandId: string): string {
  return `CommandResult.${commandId}`;
}

/**
 * Instance ids: a worker has at most one lifecycle orchestration, a source at most one live cycle.
 * Durable instance ids may not hold `/ \ # ?` or control characters; worker keys may, so those are
 * percent-encoded (and `%` itself, so the mapping is one to one).
 */
export function lifecycleInstanceId(workerKey: string): string {
  return `lifecycle:${encodeInstanceIdPart(workerKey)}`;
}

export function syncCycleInstanceId(sourceId: string): string {
  return `sync:${encodeInstanceIdPart(sourceId)}`;
}

function encodeInstanceIdPart(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[%/\\#?\u0000-\u001f\u007f-\u009f]/g, (ch) => {
    const hex = ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    return `%${hex}`;
  });
}
