/** Option values both commands share, parsed one way (commander calls these; a throw is a usage error). */
import { InvalidArgumentError } from 'commander';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * `--now`: an ISO-8601 date (midnight UTC) or date-time with `Z` or an offset. A date-time without one
 * is refused rather than read in the machine's own zone, which would make the same command plan
 * differently on another machine.
 */
export function parseInstant(value: string): Date {
  const date = new Date(value);
  if (!ISO_INSTANT.test(value) || Number.isNaN(date.getTime())) {
    const hint = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? ' (add Z or an offset such as +02:00)' : '';
    throw new InvalidArgumentError(
      `expected an ISO-8601 instant such as 2024-05-01T09:00:00Z or a date such as 2024-05-01${hint}.`,
    );
  }
  return date;
}

/** `--threads`: how many threads plan a preview, 1 to 64. */
export function parseThreads(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64.');
  return n;
}
