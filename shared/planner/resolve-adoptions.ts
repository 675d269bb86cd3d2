/**
 * Former accounts for workers hr2ad has never planned (a rehire or a conversion under a new id): found
 * by the previous-id attribute first, then (if enabled) by equal matching-attribute values. A former
 * account is reused only when its worker has left (or leaves) before the new one starts; otherwise two
 * people would share one account, and the new record is quarantined instead.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import { readAttribute } from '../mapping/config/read-attribute';
import type { MatchKey } from '../protocol/commands';
import { ROOT_PATH } from '../util/result';
import type { WorkerIssue } from '../worker/validate-worker';
import { workerAsOf } from '../worker/worker-as-of';
import { workerAttributes, type WorkerAttributes } from '../worker/worker-attributes';
import { mappingContext, matchKeysFor } from './desired-account';
import { accountExistsAt, type PlanOptions } from './plan-worker';
import { memoFor, type PlanningMemo } from './planning-memo';
import { workerInstants } from './timeline';
import type { LastKnownState } from './types';
import type { SnapshotEntry } from './validate-snapshot';

export interface Adoptions {
  /** New worker key → the former worker's state whose account it reuses. */
  readonly found: Map<string, LastKnownState>;
  /** New worker keys that point at an account another current worker still uses. */
  readonly conflicts: Map<string, WorkerIssue>;
}

/** Stored accounts by match key (attribute and value compared case-insensitively, as AD does). */
class StoredAccountIndex {
  private readonly byAttribute = new Map<string, Map<string, LastKnownState>>();

  constructor(states: ReadonlyMap<string, LastKnownState>) {
    for (const state of states.values()) {
      if (state.adoptedBy !== null || !state.desired.account) continue;
      for (const key of state.desired.account.match) {
        const attribute = key.attribute.toLowerCase();
        let values = this.byAttribute.get(attribute);
        if (!values) this.byAttribute.set(attribute, (values = new Map()));
        values.set(key.value.toLowerCase(), state);
      }
    }
  }

  find(key: MatchKey): LastKnownState | undefined {
    return this.byAttribute.get(key.attribute.toLowerCase())?.get(key.value.toLowerCase());
  }
}

interface Former {
  readonly state: LastKnownState;
  /** How it was found, for messages: `PreviousWorkerID 1001` or `employeeID=1001`. */
  readonly how: string;
  readonly byPreviousId: boolean;
}

interface Search {
  readonly states: ReadonlyMap<string, LastKnownState>;
  readonly config: CompiledMappingConfig;
  readonly now: Date;
  readonly options: PlanOptions;
  readonly memo: PlanningMemo;
  index: StoredAccountIndex | undefined;
}

export function resolveAdoptions(
  newcomers: readonly SnapshotEntry[],
  byKey: ReadonlyMap<string, SnapshotEntry>,
  states: ReadonlyMap<string, LastKnownState>,
  config: CompiledMappingConfig,
  now: Date,
  options: PlanOptions,
): Adoptions {
  const found = new Map<string, LastKnownState>();
  const conflicts = new Map<string, WorkerIssue>();
  const rehire = config.document.rehire;
  const off = rehire.previousIdAttribute === null && !rehire.matchOnAttributes;
  if (newcomers.length === 0 || states.size === 0 || off) {
    return { found, conflicts };
  }
  const memo = memoFor(config.fingerprint, options.memo);
  const search: Search = { states, config, now, options, memo, index: undefined };
  const claimedBy = new Map<string, string>();
  for (const entry of newcomers) {
    const key = entry.workerKey;
    const former = findFormer(entry, search);
    if (!former) continue;
    if (!goneBeforeStart(former.state, entry, byKey, search)) {
      const path = former.byPreviousId ? rehire.previousIdAttribute! : ROOT_PATH;
      const message = `${former.how} points at the account of ${former.state.workerKey}, who is still employed when ${key} starts; one account cannot serve both`;
      conflicts.set(key, { workerKey: key, path, message });
      continue;
    }
    const other = claimedBy.get(former.state.workerKey);
    if (other !== undefined) {
      const message = `${former.state.workerKey}'s account is claimed by both ${other} and ${key}`;
      conflicts.set(key, { workerKey: key, path: ROOT_PATH, message });
      conflicts.set(other, { workerKey: other, path: ROOT_PATH, message });
      found.delete(other);
      continue;
    }
    claimedBy.set(former.state.workerKey, key);
    found.set(key, former.state);
  }
  return { found, conflicts };
}

function findFormer(entry: SnapshotEntry, search: Search): Former | undefined {
  const { worker, timeZone } = entry.validated;
  const bag = workerAttributes(
    workerAsOf(worker, search.memo.calendar.localDateAt(timeZone.zone, search.now.getTime())),
    timeZone.zone,
  );
  return byPreviousId(entry, bag, search) ?? byMatchingAttributes(entry, bag, search);
}

function byPreviousId(entry: SnapshotEntry, bag: WorkerAttributes, search: Search): Former | undefined {
  const attribute = search.config.document.rehire.previousIdAttribute;
  if (attribute === null) return undefined;
  const previousId = readAttribute(bag, attribute);
  if (typeof previousId !== 'string' || !previousId) return undefined;
  const state = search.states.get(`${entry.validated.worker.source}:${previousId}`);
  if (!state || state.adoptedBy !== null || state.workerKey === entry.workerKey) return undefined;
  return { state, how: `${attribute} ${previousId}`, byPreviousId: true };
}

function byMatchingAttributes(entry: SnapshotEntry, bag: WorkerAttributes, search: Search): Former | undefined {
  const { config } = search;
  if (!config.document.rehire.matchOnAttributes) return undefined;
  const worker = entry.validated.worker;
  const keys = matchKeysFor(
    bag,
    mappingContext(bag, {
      config,
      workerKey: entry.workerKey,
      source: worker.source,
      managerId: worker.managerId,
      now: search.now,
      seed: search.options.seed,
      formerMatch: [],
      validated: null,
      reuse: null,
      memo: search.memo,
    }),
  );
  for (const m of keys ?? []) {
    search.index ??= new StoredAccountIndex(search.states);
    const state = search.index.find(m);
    if (state && state.workerKey !== entry.workerKey)
      return { state, how: `${m.attribute}=${m.value}`, byPreviousId: false };
  }
  return undefined;
}

/** The former worker must be gone by the new start: per their record in this snapshot if present. */
function goneBeforeStart(
  former: LastKnownState,
  entry: SnapshotEntry,
  byKey: ReadonlyMap<string, SnapshotEntry>,
  { config, now, memo }: Search,
): boolean {
  const formerEntry = byKey.get(former.workerKey)?.validated;
  const formerWorker = formerEntry?.worker ?? former.record;
  const formerZone = formerEntry?.timeZone.zone ?? entry.validated.timeZone.zone;
  const formerEnd = workerInstants(formerWorker, formerZone, config.document, memo.calendar).terminationAt;
  const { worker, timeZone } = entry.validated;
  const newStart = workerInstants(worker, timeZone.zone, config.document, memo.calendar).hireStart;
  return (
    formerWorker.employmentStatus === 'rescinded' || formerEnd <= newStart || !accountExistsAt(former, now.getTime())
  );
}
