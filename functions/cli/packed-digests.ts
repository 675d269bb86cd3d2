/**
 * A share's digests as they cross between threads: a column per field instead of an object per result.
 * A planning thread hands over tens of thousands at once, and the thread that receives them reads
 * columns of strings about four times faster than as many small objects (measured at 48,500 digests:
 * 15 ms against 60 ms), at the end of planning, when every other thread waits.
 */
import type { ResultDigest } from '../../shared/planner/plan-cycle';
import type { ShardDigests } from '../../shared/planner/preview-shard';
import type { WorkerIssue } from '../../shared/worker/validate-worker';

export interface PackedDigests {
  readonly indexes: readonly number[];
  readonly workerKeys: readonly string[];
  readonly classifications: readonly ResultDigest['classification'][];
  readonly outcomes: readonly ResultDigest['outcome'][];
  readonly planIds: readonly (string | null)[];
  /** 1 where the result is destructive. */
  readonly destructive: Uint8Array;
  /** The issues of the results that have any (quarantined ones), by their place in the columns. */
  readonly issues: readonly (readonly [number, readonly WorkerIssue[]])[];
}

export function packDigests({ indexes, digests }: ShardDigests): PackedDigests {
  const issues: (readonly [number, readonly WorkerIssue[]])[] = [];
  digests.forEach((d, i) => d.issues.length && issues.push([i, d.issues]));
  return {
    indexes,
    workerKeys: digests.map((d) => d.workerKey),
    classifications: digests.map((d) => d.classification),
    outcomes: digests.map((d) => d.outcome),
    planIds: digests.map((d) => d.planId),
    destructive: Uint8Array.from(digests, (d) => (d.destructive ? 1 : 0)),
    issues,
  };
}

const NO_ISSUES: readonly WorkerIssue[] = [];

export function unpackDigests(packed: PackedDigests): ShardDigests {
  const issues = new Map(packed.issues);
  const digests = packed.workerKeys.map((workerKey, i): ResultDigest => ({
    workerKey,
    classification: packed.classifications[i]!,
    outcome: packed.outcomes[i]!,
    issues: issues.get(i) ?? NO_ISSUES,
    planId: packed.planIds[i]!,
    destructive: packed.destructive[i] === 1,
  }));
  return { indexes: packed.indexes, digests };
}
