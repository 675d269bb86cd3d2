/**
 * Calendar dates (`YYYY-MM-DD`) as HR systems give them: a day, with no time and no zone. They become
 * instants only together with a worker's time zone (see `zoned-time.ts`).
 */

/** A calendar date written `YYYY-MM-DD`. */
export type CalendarDate = string;

/** Days in each month of a non-leap year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const HYPHEN = 0x2d;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The number the `count` ASCII digits at `from` spell, or -1 when they are not all ASCII digits. */
function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * Whether `text` is written `YYYY-MM-DD` (ASCII digits). Read character by character: every record's
 * dates go through here, and a pattern match with its captures costs many times more.
 */
function hasDateShape(text: string): boolean {
  return (
    text.length === 10 &&
    text.charCodeAt(4) === HYPHEN &&
    text.charCodeAt(7) === HYPHEN &&
    digitsAt(text, 0, 4) >= 0 &&
    digitsAt(text, 5, 2) >= 0 &&
    digitsAt(text, 8, 2) >= 0
  );
}

/** The year, month (1–12) and day of a well-formed date, or null when the text is not a real calendar date. */
export function parseCalendarDate(text: string): { year: number; month: number; day: number } | null {
  if (!hasDateShape(text)) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return null;
  const max = month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
  return day <= max ? { year, month, day } : null;
}

/** Why `text` is not a calendar date, or null when it is one. */
export function calendarDateProblem(text: unknown): string | null {
  if (typeof text !== 'string') return 'must be a date written YYYY-MM-DD';
  if (!hasDateShape(text)) return `"${text}" is not a date written YYYY-MM-DD`;
  if (!parseCalendarDate(text)) return `"${text}" is not a real calendar date (years 1900–2999)`;
  return null;
}

/** Midnight UTC of the date, in epoch milliseconds: a day number, not an instant anyone lives in. */
export function calendarDateToUtcMs(date: CalendarDate): number {
  const p = parseCalendarDate(date);
  if (!p) throw new RangeError(`not a calendar date: ${date}`);
  return Date.UTC(p.year, p.month - 1, p.day);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The calendar date `days` after `date` (negative goes back). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(calendarDateToUtcMs(date) + days * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** The westernmost zone's offset (UTC−12) in milliseconds. */
const WESTERNMOST_OFFSET_MS = -12 * 3_600_000;

/**
 * The date at `instant` in the westernmost time zone (UTC−12): the earliest date it is anywhere, so a day
 * that is today or already past in every zone. A record dated "today" when it arrives gets this date, never
 * a date still tomorrow in the worker's own zone (New York's evening is already tomorrow in UTC).
 */
export function earliestDateAt(instant: Date): CalendarDate {
  return new Date(instant.getTime() + WESTERNMOST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Dates written `YYYY-MM-DD` compare correctly as strings; this names that fact. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
