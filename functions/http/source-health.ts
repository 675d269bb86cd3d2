/**
 * GET sources: every configured source and whether it is healthy, judged by its latest cycles. A source
 * whose latest finished cycle failed (refused credentials, a server gone after the retries, a suspect read
 * held back) is unhealthy from its first failure in a row until a cycle of it finishes again — the cursor
 * stays where it was meanwhile, so nothing is lost, but an administrator must see it.
 */
import type { HttpResponseInit } from '@azure/functions';
import type { CycleRecord } from '../../shared/ports/state-store.port';
import type { ControlPlanePorts } from '../app/control-plane-ports';
import { json } from './problem';

/** A source's latest cycles looked at: enough to date a failing streak of a source read every few minutes. */
const HEALTH_WINDOW = 50;

export interface SourceHealth {
  readonly sourceId: string;
  /** null until a cycle of the source has finished. */
  readonly healthy: boolean | null;
  readonly lastCycle: { readonly cycleId: string; readonly status: string; readonly startedAt: string } | null;
  /** When the failures in a row began (the oldest of them within the window). */
  readonly failingSince: string | null;
  /** The latest failure's reason, in the source's own words. */
  readonly reason: string | null;
}

/** The health a source's cycles (newest first) show; a cycle still being planned decides nothing yet. */
export function sourceHealth(sourceId: string, cycles: readonly CycleRecord[]): SourceHealth {
  const finished = cycles.filter((c) => c.status !== 'planned');
  const last = finished[0];
  if (!last) return { sourceId, healthy: null, lastCycle: null, failingSince: null, reason: null };
  const lastCycle = { cycleId: last.cycleId, status: last.status, startedAt: last.startedAt };
  if (last.status !== 'failed') return { sourceId, healthy: true, lastCycle, failingSince: null, reason: null };
  const streak = finished.findIndex((c) => c.status !== 'failed');
  const firstFailure = finished[(streak === -1 ? finished.length : streak) - 1]!;
  return { sourceId, healthy: false, lastCycle, failingSince: firstFailure.startedAt, reason: last.reason };
}

/** The ids of the sources hr2ad reads and of those HR pushes to, each once. */
function configuredSourceIds(ports: ControlPlanePorts): string[] {
  const ids = [...ports.sources.map((s) => s.source.id), ...(ports.ingest?.sources.keys() ?? [])];
  return [...new Set(ids)];
}

export async function sources(ports: ControlPlanePorts): Promise<HttpResponseInit> {
  const health = await Promise.all(
    configuredSourceIds(ports).map(async (sourceId) =>
      sourceHealth(sourceId, await ports.stateStore.listCycles({ sourceId, limit: HEALTH_WINDOW })),
    ),
  );
  return json(200, { sources: health });
}
