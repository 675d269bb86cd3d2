/**
 * The instants at which a worker's HR record takes effect, in UTC, computed in the worker's own zone:
 * hires at the start of the local day, effective-dated changes at the start of theirs, terminations at
 * the end of the last day of work, hard deletes a configured number of local days later.
 */
import type { MappingConfig } from '../mapping/config/config-schema';
import { addDays } from '../time/calendar-date';
import type { ZoneCalendar } from '../time/zoned-time';
import type { Worker } from '../worker/worker-schema';

export interface WorkerInstants {
  readonly zone: string;
  /** Start of the first local day of work. */
  readonly hireStart: number;
  /** When a future hire's account is created: -Infinity when as soon as possible. */
  readonly createAt: number;
  /** End of the last local day of work; +Infinity without a termination date. */
  readonly terminationAt: number;
  /** Hard delete; +Infinity when never. */
  readonly deleteAt: number;
  /** Starts of the effective-dated entries' local days, ascending. */
  readonly effective: readonly number[];
}

/** The lifecycle position of a worker's record at one instant. */
export type RecordPhase = 'pre-hire' | 'active' | 'terminated' | 'deleted' | 'rescinded';

export function workerInstants(
  worker: Worker,
  zone: string,
  config: MappingConfig,
  calendar: ZoneCalendar,
): WorkerInstants {
  const lead = config.joiner.createDaysBeforeStart;
  const deleteAfter = config.leaver.deleteAfterDays;
  const termination = worker.terminationDate;
  const effective: number[] = [];
  for (const entry of worker.future) effective.push(calendar.startOfLocalDayMs(entry.effectiveDate, zone));
  effective.sort((a, b) => a - b);
  return {
    zone,
    hireStart: calendar.startOfLocalDayMs(worker.hireDate, zone),
    createAt: lead === null ? -Infinity : calendar.startOfLocalDayMs(addDays(worker.hireDate, -lead), zone),
    terminationAt: termination ? calendar.endOfLocalDayMs(termination, zone) : Infinity,
    deleteAt:
      termination && deleteAfter !== null
        ? calendar.startOfLocalDayMs(addDays(termination, 1 + deleteAfter), zone)
        : Infinity,
    effective,
  };
}

/** Where the record puts the worker at instant `t` (ms). */
export function phaseAt(worker: Worker, instants: WorkerInstants, t: number): RecordPhase {
  if (worker.employmentStatus === 'rescinded') return 'rescinded';
  if (t >= instants.deleteAt) return 'deleted';
  if (t >= instants.terminationAt) return 'terminated';
  if (t < instants.hireStart) return 'pre-hire';
  return 'active';
}
