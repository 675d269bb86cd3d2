/**
 * The desired directory state along a worker's timeline: now, then every instant where the record
 * changes (creation, start, effective-dated changes, termination, hard delete), scope included.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import type { Worker } from '../worker/worker-schema';
import { versionAt, type RecordVersions } from './record-versions';
import { phaseAt, type WorkerInstants } from './timeline';
import type { DesiredAccount, DesiredState } from './types';

/** Instants (ms) and the desired state from each on; equal consecutive states are the same object. */
export interface Timeline {
  readonly points: readonly number[];
  readonly states: readonly DesiredState[];
}

/** The desired state at each point from now on: now, then every instant where the record changes. */
export function buildTimeline(
  worker: Worker,
  instants: WorkerInstants,
  nowMs: number,
  accountNow: DesiredAccount | null,
  existsNow: boolean,
  handoverAt: number,
  versions: RecordVersions,
  config: CompiledMappingConfig,
): Timeline | undefined {
  const disableOutOfScope = config.document.scoping.outOfScope === 'disable';
  const moveTo = config.document.leaver.moveToDisabledOu ? config.disabledOu : undefined;
  const boundaries = new Set<number>();
  if (worker.employmentStatus !== 'rescinded') {
    for (const t of [
      instants.createAt,
      instants.hireStart,
      ...instants.effective,
      instants.terminationAt,
      instants.deleteAt,
    ]) {
      if (Number.isFinite(t) && t > nowMs) boundaries.add(t);
    }
  }
  const points = boundaries.size ? [nowMs, ...[...boundaries].sort((a, b) => a - b)] : [nowMs];
  const states: DesiredState[] = [];
  let exists = existsNow;
  for (const p of points) {
    const previousState = states[states.length - 1];
    if (!versions.inScope(versionAt(instants, p))) {
      // Out of scope, hr2ad manages nothing: the account stays as it is (or is disabled, if so configured).
      const last = previousState ? previousState.account : accountNow;
      const account = exists && last ? (disableOutOfScope ? versions.disabledVersion(last, moveTo) : last) : null;
      states.push(
        previousState && previousState.phase === 'unmanaged' && previousState.account === account
          ? previousState
          : { phase: 'unmanaged', account },
      );
      continue;
    }
    const phase = phaseAt(worker, instants, p);
    let account: DesiredAccount | null | undefined = null;
    let statePhase: DesiredState['phase'] = phase;
    switch (phase) {
      case 'rescinded':
        if (exists && config.document.leaver.rescindedHire === 'disable')
          account = versions.account(p, 'terminated', config);
        break;
      case 'deleted':
        break;
      case 'terminated':
        // The account as it stood on the last day of work.
        if (exists) account = versions.account(Math.min(p, instants.terminationAt - 1), 'terminated', config);
        break;
      case 'pre-hire':
      case 'active':
        if ((!exists && p < instants.createAt) || p < handoverAt) statePhase = 'none';
        else account = versions.account(p, phase, config);
        break;
    }
    if (account === undefined) return undefined;
    // Equal consecutive states share one object, so transitions compare by identity first.
    states.push(
      previousState && previousState.phase === statePhase && previousState.account === account
        ? previousState
        : { phase: statePhase, account },
    );
    exists = account !== null;
  }
  return { points, states };
}
