/**
 * What a planning thread hands over in bulk (its records' facts, its results' digests) as it crosses
 * between threads: a column per field instead of an object per record. The receiving thread reads
 * columns of strings several times faster than as many small objects (measured: 48,500 digests in
 * 15 ms against 60 ms, 50,000 facts in 25 ms against 50–80 ms), and it receives them between slices of
 * its own planning.
 */
import type { ResultDigest } from '../../shared/planner/plan-cycle';
import type { ShardDigests } from '../../shared/planner/preview-shard';
import type { ForeignFacts, RecordFacts } from '../../shared/planner/validate-snapshot';
import type { WorkerIssue } from '../../shared/worker/validate-worker';

/** Issues by the place in the columns of the item they belong to (most items have none: `issuesOf` gives null). */
type IssuesByPlace = readonly (readonly [number, readonly WorkerIssue[]])[];

function issuesByPlace<T>(items: readonly T[], issuesOf: (item: T) => readonly WorkerIssue[] | null): IssuesByPlace {
  const found: (readonly [number, readonly WorkerIssue[]])[] = [];
  items.forEach((item, i) => {
    const issues = issuesOf(item);
    if (issues !== null) found.push([i, issues]);
  });
  return found;
}

export interface PackedDigests {
  readonly indexes: readonly number[];
  readonly workerKeys: readonly string[];
  readonly classifications: readonly ResultDigest['classification'][];
  readonly outcomes: readonly ResultDigest['outcome'][];
  readonly planIds: readonly (string | null)[];
  /** 1 where the result is destructive. */
  readonly destructive: Uint8Array;
  /** The issues of the results that have any (quarantined ones). */
  readonly issues: IssuesByPlace;
}

export function packDigests({ indexes, digests }: ShardDigests): PackedDigests {
  return {
    indexes,
    workerKeys: digests.map((d) => d.workerKey),
    classifications: digests.map((d) => d.classification),
    outcomes: digests.map((d) => d.outcome),
    planIds: digests.map((d) => d.planId),
    destructive: Uint8Array.from(digests, (d) => (d.destructive ? 1 : 0)),
    issues: issuesByPlace(digests, (d) => (d.issues.length ? d.issues : null)),
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

export interface PackedFacts {
  readonly start: number;
  readonly workerKeys: readonly string[];
  readonly managerKeys: readonly (string | null)[];
  readonly gone: readonly (string | null)[];
  readonly persons: readonly string[];
  /** The issues of the invalid records (the others have none: null). */
  readonly issues: IssuesByPlace;
}

export function packFacts({ start, facts }: ForeignFacts): PackedFacts {
  return {
    start,
    workerKeys: facts.map((f) => f.workerKey),
    managerKeys: facts.map((f) => f.managerKey),
    gone: facts.map((f) => f.gone),
    persons: facts.map((f) => f.person),
    issues: issuesByPlace(facts, (f) => f.issues),
  };
}

export function unpackFacts(packed: PackedFacts): ForeignFacts {
  const issues = new Map(packed.issues);
  const facts = packed.workerKeys.map((workerKey, i): RecordFacts => ({
    workerKey,
    issues: issues.get(i) ?? null,
    managerKey: packed.managerKeys[i]!,
    gone: packed.gone[i]!,
    person: packed.persons[i]!,
  }));
  return { start: packed.start, facts };
}
