/**
 * A worker's record as versions over time (index k: the first k effective-dated entries applied), each
 * mapped once, and the desired account per version and lifecycle phase, each built once so that equal
 * states are the same object (cheap to compare and to fingerprint).
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import type { WorkerIssue } from '../worker/validate-worker';
import { workerAsOf } from '../worker/worker-as-of';
import { workerAttributes, type WorkerAttributes } from '../worker/worker-attributes';
import type { Worker } from '../worker/worker-schema';
import { resolveTimeZone } from '../worker/worker-time-zone';
import { mapAccountVersion, type MappedAccount, type MappingContext } from './desired-account';
import type { WorkerInstants } from './timeline';
import type { DesiredAccount, LastKnownState } from './types';

/**
 * What the previous plan mapped, when it can stand in for evaluating again: same configuration, no
 * clock in the mapping, a record without effective-dated entries (so the stored account came from the
 * only version there was), and the account in its regular OU (not a leaver's).
 */
export function reuseBase(
  previous: LastKnownState | undefined,
  adopting: boolean,
  config: CompiledMappingConfig,
): MappingContext['reuse'] {
  if (!previous || adopting || config.usesClock || previous.configFingerprint !== config.fingerprint) return null;
  const account = previous.desired.account;
  if (
    !account ||
    previous.record.future.length > 0 ||
    (previous.desired.phase !== 'active' && previous.desired.phase !== 'pre-hire')
  )
    return null;
  return { account, bag: workerAttributes(previous.record, resolveTimeZone(previous.record, config.timeZones).zone) };
}

const PHASES = ['pre-hire', 'active', 'terminated'] as const;

/** The versions of one worker's record, mapped lazily and remembered. */
export class RecordVersions {
  readonly issues: WorkerIssue[] = [];
  /** Warnings from every version mapped, each once. */
  readonly warnings: WorkerIssue[] = [];
  readonly nowVersion: number;
  private readonly sortedEntries: Worker['future'];
  // By version number (arrays, not maps: a worker has a handful of versions, and a cycle 100,000 workers).
  private readonly byVersion: (MappedAccount | undefined)[] = [];
  private readonly bags: (WorkerAttributes | undefined)[] = [];
  private readonly scope: (boolean | undefined)[] = [];
  /** By version and phase: index `3k + PHASES.indexOf(phase)`. */
  private readonly accounts: (DesiredAccount | undefined)[] = [];
  private disabled: Map<DesiredAccount, DesiredAccount> | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly current: Worker,
    private readonly bagNow: WorkerAttributes,
    private readonly zone: string,
    readonly instants: WorkerInstants,
    nowMs: number,
    private readonly context: MappingContext,
  ) {
    this.nowVersion = versionAt(instants, nowMs);
    this.sortedEntries =
      worker.future.length > 1
        ? [...worker.future].sort((a, b) =>
            a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0,
          )
        : worker.future;
  }

  private version(k: number): Worker {
    return k === this.nowVersion ? this.current : workerAsOf(this.worker, this.sortedEntries[k - 1]!.effectiveDate);
  }

  /** Version `k` as the attribute bag expressions and filters read. */
  bag(k: number): WorkerAttributes {
    if (k === this.nowVersion) return this.bagNow;
    return (this.bags[k] ??= workerAttributes(this.version(k), this.zone));
  }

  /** Whether version `k` is in scope (scoping filters). */
  inScope(k: number): boolean {
    return (this.scope[k] ??= this.context.config.scope.admits(this.bag(k)));
  }

  /** `account` disabled (and parked in the disabled-users OU when leavers are): what an out-of-scope disable leaves. */
  disabledVersion(account: DesiredAccount, moveTo: string | undefined): DesiredAccount {
    this.disabled ??= new Map();
    let made = this.disabled.get(account);
    if (!made)
      this.disabled.set(account, (made = { ...account, enabled: false, parentOu: moveTo ?? account.parentOu }));
    return made;
  }

  /** The account version `k` maps to; undefined (with issues recorded) when the mapping fails. */
  mapped(k: number): MappedAccount | undefined {
    const cached = this.byVersion[k];
    if (cached) return cached;
    const result = mapAccountVersion(this.bag(k), this.version(k).managerId, this.context);
    if (!result.ok) {
      this.issues.push(...result.issues);
      return undefined;
    }
    for (const warning of result.value.warnings) {
      if (!this.warnings.some((w) => w.path === warning.path && w.message === warning.message))
        this.warnings.push(warning);
    }
    this.byVersion[k] = result.value;
    return result.value;
  }

  /** The desired account at instant `at` in `phase`. */
  account(
    at: number,
    phase: 'pre-hire' | 'active' | 'terminated',
    config: CompiledMappingConfig,
  ): DesiredAccount | undefined {
    const k = versionAt(this.instants, at);
    const slot = 3 * k + PHASES.indexOf(phase);
    const cached = this.accounts[slot];
    if (cached) return cached;
    const mapped = this.mapped(k);
    if (!mapped) return undefined;
    return (this.accounts[slot] = accountFor(phase, mapped, config, this.worker.employmentStatus === 'on-leave'));
  }
}

/** How many effective-dated entries have taken effect at `ms`. */
export function versionAt(instants: WorkerInstants, ms: number): number {
  let k = 0;
  while (k < instants.effective.length && instants.effective[k]! <= ms) k++;
  return k;
}

/** The desired account for a lifecycle phase, from what the record version maps to. */
export function accountFor(
  phase: 'pre-hire' | 'active' | 'terminated',
  mapped: MappedAccount,
  config: CompiledMappingConfig,
  onLeave: boolean,
): DesiredAccount {
  const leaver = config.document.leaver;
  const terminated = phase === 'terminated';
  const disabledOnLeave = onLeave && config.document.leaveOfAbsence === 'disable';
  return {
    match: mapped.match,
    parentOu: terminated && leaver.moveToDisabledOu ? config.disabledOu : mapped.regularOu,
    enabled: phase === 'active' && !disabledOnLeave,
    attributes: mapped.attributes,
    unique: mapped.unique,
    ...(mapped.manager !== undefined ? { manager: mapped.manager } : {}),
    groups: terminated && leaver.removeFromGroups ? [] : mapped.groups,
  };
}
