/**
 * Effective dating: a worker as HR says they will be on a given day, with every future entry that
 * has taken effect by then applied in date order.
 */
import type { CalendarDate } from '../time/calendar-date';
import type { FutureChange, Worker } from './worker-schema';

/** The entries in effect by `date` (inclusive), oldest first. */
export function changesInEffect(worker: Worker, date: CalendarDate): FutureChange[] {
  const due: FutureChange[] = [];
  for (const entry of worker.future) if (entry.effectiveDate <= date) due.push(entry);
  if (due.length > 1)
    due.sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0));
  return due;
}

/**
 * The worker on `date`. Returns the same object when nothing has taken effect (the common case), so
 * callers can compare by identity. The result keeps only the entries still in the future.
 */
export function workerAsOf(worker: Worker, date: CalendarDate): Worker {
  if (worker.future.length === 0) return worker;
  const due = changesInEffect(worker, date);
  if (due.length === 0) return worker;
  let current: Worker = { ...worker, future: worker.future.filter((f) => f.effectiveDate > date) };
  for (const entry of due) {
    const changes = entry.changes;
    current = {
      ...current,
      ...changes,
      // Nested records replace as a whole except where HR sent only some parts.
      phone: changes.phone ? { ...current.phone, ...changes.phone } : current.phone,
      customFields: changes.customFields ? { ...current.customFields, ...changes.customFields } : current.customFields,
    } as Worker;
  }
  return current;
}

/** The dates on which the worker's record changes after `date` (exclusive), ascending, without duplicates. */
export function futureEffectiveDates(worker: Worker, after: CalendarDate): CalendarDate[] {
  const dates = new Set<CalendarDate>();
  for (const entry of worker.future) if (entry.effectiveDate > after) dates.add(entry.effectiveDate);
  return [...dates].sort();
}
