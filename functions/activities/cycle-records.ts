/**
 * What a cycle stores about itself besides plans: its counts (the summary an administrator reads) and
 * the source's quarantine, with each record's location in the source and how long it has been there.
 */
import type { CycleResult } from '../../shared/planner/plan-cycle';
import type { HrSnapshotRead } from '../../shared/ports/hr-source.port';
import type { CycleCounts, CyclePlan, QuarantineEntry } from '../../shared/ports/state-store.port';

/** Classification counts (non-zero only), plus quarantined, held, handed on and scheduled later. */
export function cycleCounts(result: CycleResult, plans: readonly CyclePlan[], quarantined: number): CycleCounts {
  const counts: Record<string, number> = {};
  for (const [classification, n] of Object.entries(result.summary)) if (n > 0) counts[classification] = n;
  const nowIso = result.now;
  counts.quarantined = quarantined;
  counts.held = result.hold.heldPlanIds.length;
  counts.plans = plans.filter((p) => p.plan !== null).length;
  counts.scheduled = plans.reduce(
    (n, p) => n + (p.plan?.steps.filter((s) => !s.immediate && s.dueAt > nowIso).length ?? 0),
    0,
  );
  return counts;
}

/**
 * The source's quarantine after this cycle: the planner's quarantined records and the rows the source
 * could not read. A record still bad keeps the `since` of its first quarantine.
 */
export function quarantineEntries(
  sourceId: string,
  cycleId: string,
  read: HrSnapshotRead,
  result: CycleResult,
  previous: readonly QuarantineEntry[],
  now: Date,
): QuarantineEntry[] {
  const since = new Map(previous.map((e) => [`${e.workerKey}\n${e.location}`, e.since]));
  const at = now.toISOString();
  const entry = (workerKey: string, location: string, issues: QuarantineEntry['issues']): QuarantineEntry => ({
    sourceId,
    workerKey,
    location,
    issues,
    since: since.get(`${workerKey}\n${location}`) ?? at,
    cycleId,
  });
  const fromPlanner = result.quarantined.map((q) =>
    entry(q.workerKey, read.locations[q.index] ?? `record ${q.index}`, q.issues),
  );
  const fromSource = read.rowIssues.map((row) => {
    const workerKey = row.workerKey ?? row.location;
    return entry(workerKey, row.location, [{ workerKey, path: row.field, message: row.message }]);
  });
  return [...fromSource, ...fromPlanner];
}
