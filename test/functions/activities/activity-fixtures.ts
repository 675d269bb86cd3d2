/**
 * Builders for the activity tests: ports over a real SqliteStateStore(':memory:') and a fake HR source
 * whose next read the test sets, canonical worker records (examples/hr-snapshot.json) and agent results.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../agent/logging/silent-logger';
import type { ControlPlanePorts } from '../../../functions/app/control-plane-ports';
import type { InstanceState, OrchestrationClient } from '../../../functions/app/durable-client';
import { SqliteStateStore } from '../../../functions/adapters/sqlite/sqlite-state-store';
import { DEFAULT_LIFECYCLE_SETTINGS, type PendingStep } from '../../../functions/orchestrations/lifecycle-state';
import { compileMappingConfig, createDefaultMappingConfig } from '../../../shared/mapping/config';
import type { PlanStep } from '../../../shared/planner/types';
import type { HrRead, HrReadRequest, HrSource, SourceRowIssue } from '../../../shared/ports/hr-source.port';
import type { DirectoryCommandInput } from '../../../shared/protocol/commands';
import type { AppliedResult, CommandResult } from '../../../shared/protocol/results';
import { VirtualClock } from '../../../functions/local-host/virtual-clock';

export const SOURCE_ID = 'hr-file';
export const DOMAIN = 'DC=contoso,DC=com';
/** The planning instant: hire 1004 (2030-02-03) is in the future, the others in the past. */
export const NOW = new Date('2026-11-01T06:00:00.000Z');

/** The example snapshot's canonical records (1001, 1000, 1004 future hire, 1002, 1005 invalid hire date). */
export const RECORDS: readonly Record<string, unknown>[] = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/hr-snapshot.json'), 'utf8'),
) as Record<string, unknown>[];

export const VALID = RECORDS.filter((r) => r.id !== '1005');
export const keyOf = (record: Record<string, unknown>): string => `${String(record.source)}:${String(record.id)}`;

/** The record with `id`, changed. */
export function record(id: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const found = RECORDS.find((r) => r.id === id);
  if (!found) throw new Error(`no example record ${id}`);
  return { ...found, ...changes };
}

/** A source whose read the test decides; counts reads. */
export class FakeSource implements HrSource {
  readonly id = SOURCE_ID;
  next: HrRead = snapshot([], 'empty');
  /** When set, reads reject with it (a refused key, a server gone). */
  failure: Error | null = null;
  reads = 0;
  /** The `since` of each read, in order. */
  readonly sinces: (string | null | undefined)[] = [];

  async read(request: HrReadRequest = {}): Promise<HrRead> {
    this.reads++;
    this.sinces.push(request.since);
    if (this.failure) throw this.failure;
    return this.next;
  }
}

export function snapshot(
  records: readonly Record<string, unknown>[],
  cursor: string,
  rowIssues: readonly SourceRowIssue[] = [],
): HrRead {
  return {
    kind: 'snapshot',
    records,
    locations: records.map((_, i) => `row ${i + 2}`),
    rowIssues,
    cursor,
  };
}

export interface ActivityHarness {
  readonly ports: ControlPlanePorts;
  readonly store: SqliteStateStore;
  readonly source: FakeSource;
  readonly clock: VirtualClock;
  readonly sent: DirectoryCommandInput[];
}

/** Ports over an in-memory SQLite store; `maxCount` is the disable/delete threshold (null: none). */
export function harness(maxCount: number | null = null): ActivityHarness {
  const defaults = createDefaultMappingConfig({ domainDn: DOMAIN, upnSuffix: 'contoso.com' });
  const mapping = compileMappingConfig({
    ...defaults,
    thresholds: { disableOrDelete: { maxCount, maxPercent: null } },
  });
  if (!mapping.ok) throw new Error('the test mapping does not compile');
  const store = SqliteStateStore.open(':memory:');
  const source = new FakeSource();
  const clock = new VirtualClock(NOW);
  const sent: DirectoryCommandInput[] = [];
  const ports: ControlPlanePorts = {
    stateStore: store,
    sources: [{ source, schedule: '0 */5 * * * *' }],
    channel: {
      send: async (command) => {
        sent.push(command);
      },
      close: async () => undefined,
    },
    clock,
    logger: silentLogger,
    mapping: mapping.value,
    lifecycle: DEFAULT_LIFECYCLE_SETTINGS,
    commandLifetimeHours: 24,
  };
  return { ports, store, source, clock, sent };
}

/** A plan step as the lifecycle orchestration holds it. */
export function pendingStep(step: PlanStep, planId: string, cycleId: string | null = 'c1'): PendingStep {
  return {
    planId,
    index: step.index,
    purpose: step.purpose,
    dueAt: step.dueAt,
    command: step.command,
    cause: { cycleId, classification: 'joiner', details: ['new worker'] },
  };
}

const GUID = '6f1c1a52-8d0c-4f5e-9d3a-3b1f0e9c2a11';

/** Agent results for a command, by kind. */
export const results = {
  applied(command: DirectoryCommandInput, changes: Partial<AppliedResult> = {}): AppliedResult {
    return {
      kind: 'Applied',
      commandId: command.commandId,
      workerKey: command.workerKey,
      sequence: command.sequence,
      dn: `CN=Ada Lovelace,OU=Users,${DOMAIN}`,
      objectGUID: GUID,
      created: false,
      deleted: false,
      changes: [],
      chosen: {},
      groupsAdded: [],
      groupsRemoved: [],
      pending: [],
      ...changes,
    };
  },
  noChange(command: DirectoryCommandInput): CommandResult {
    return {
      kind: 'NoChange',
      commandId: command.commandId,
      workerKey: command.workerKey,
      sequence: command.sequence,
      dn: `CN=Ada Lovelace,OU=Users,${DOMAIN}`,
      objectGUID: GUID,
      pending: [],
    };
  },
  failed(command: DirectoryCommandInput): CommandResult {
    return {
      kind: 'Failed',
      commandId: command.commandId,
      workerKey: command.workerKey,
      sequence: command.sequence,
      code: 'OutsideAllowedOus',
      retryable: false,
      message: 'the target OU is not allowed',
    };
  },
  lookedUp(command: DirectoryCommandInput): CommandResult {
    return {
      kind: 'LookedUp',
      commandId: command.commandId,
      workerKey: command.workerKey,
      sequence: command.sequence,
      account: null,
    };
  },
};

export const OBJECT_GUID = GUID;

/** A fake durable client: instance statuses the test sets, and every call recorded. */
export class FakeOrchestrationClient implements OrchestrationClient {
  readonly statuses = new Map<string, InstanceState>();
  readonly started: { name: string; instanceId: string; input: unknown }[] = [];
  readonly raised: { instanceId: string; eventName: string; eventData: unknown }[] = [];

  async getStatus(instanceId: string): Promise<InstanceState | undefined> {
    return this.statuses.get(instanceId);
  }

  async startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string> {
    this.started.push({ name, ...options });
    this.statuses.set(options.instanceId, { runtimeStatus: 'Running', input: options.input });
    return options.instanceId;
  }

  async raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void> {
    this.raised.push({ instanceId, eventName, eventData });
  }
}
