/**
 * Lenient date parsing in the spirit of .NET `DateTime.Parse` (invariant culture), used by
 * CDate, DateAdd, DateDiff and NumFromDate.
 *
 * Accepted shapes, all optionally followed by a zone (`Z`, `GMT`, `UTC`, `±hh`, `±hh:mm`, `±hhmm`):
 *   - ISO 8601 dates with optional time: `2009-06-15T01:45:30.5-07:00`, `2021-08-24 17:00`
 *   - Workday's date-with-offset: `2020-03-16-07:00`
 *   - US dates as Entra itself prints them: `8/25/2021 5:41:18 PM`
 *   - Month names: `15 June 2009`, `Mon, 15 Jun 2009 01:45:30 GMT`, `June 15, 2009 1:45 PM`
 *   - A time alone, which .NET places on the current date.
 * Values without a zone are taken as UTC, because Entra's service clock is UTC.
 */
import { civilProblem, fromCivil, inRange, MONTH_NAMES, toCivil, type DateTimeValue } from './date-time';

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7})\d*)?)?(?:\s*([AaPp])\.?[Mm]\.?)?`;
const ZONE = String.raw`\s*(Z|z|GMT|UTC|[+-]\d{2}(?::?\d{2})?)?`;
const MONTH = String.raw`(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)`;
const WEEKDAY = String.raw`(?:(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat)[a-z]*,?\s+)?`;

const ISO = new RegExp(String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:T|\s+)${TIME})?${ZONE}$`, 'i');
const US = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+${TIME})?${ZONE}$`, 'i');
const DAY_MONTH_YEAR = new RegExp(String.raw`^${WEEKDAY}(\d{1,2})\s+${MONTH}\.?\s+(\d{4})(?:\s+${TIME})?${ZONE}$`, 'i');
const MONTH_DAY_YEAR = new RegExp(
  String.raw`^${WEEKDAY}${MONTH}\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s+${TIME})?${ZONE}$`,
  'i',
);
const TIME_ONLY = new RegExp(String.raw`^${TIME}${ZONE}$`, 'i');

function monthFromName(name: string): number {
  const lower = name.toLowerCase().slice(0, 3);
  return MONTH_NAMES.findIndex((m) => m.toLowerCase().startsWith(lower)) + 1;
}

function zoneMinutes(zone: string | undefined): number {
  if (zone === undefined || /^(z|gmt|utc)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0));
}

function build(
  year: number,
  month: number,
  day: number,
  time: readonly (string | undefined)[],
  zone: string | undefined,
): DateTimeValue | string {
  let hour = time[0] === undefined ? 0 : Number(time[0]);
  const minute = time[1] === undefined ? 0 : Number(time[1]);
  const second = time[2] === undefined ? 0 : Number(time[2]);
  const fractionTicks = time[3] === undefined ? 0 : Number(time[3].padEnd(7, '0'));
  const meridiem = time[4];
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return `hour ${hour} is not valid with AM/PM`;
    hour = (hour % 12) + (/p/i.test(meridiem) ? 12 : 0);
  }
  const problem = civilProblem(year, month, day, hour, minute, second);
  if (problem !== null) return problem;
  const local = fromCivil(year, month, day, hour, minute, second, fractionTicks, 'utc');
  if (local === null) return 'the date is outside the supported range (years 1–9999)';
  const offset = zoneMinutes(zone);
  if (Math.abs(offset) > 14 * 60) return 'the time-zone offset is out of range';
  const ms = local.ms - offset * 60_000;
  if (!inRange(ms)) return 'the date is outside the supported range (years 1–9999)';
  return { ms, subTicks: local.subTicks, kind: 'utc' };
}

/**
 * Parses a date/time string to a UTC instant; returns a message when it is not a date.
 * `nowMs` supplies the date for time-only input.
 */
export function parseDateTime(input: string, nowMs: number): DateTimeValue | string {
  const text = input.trim();
  let m = ISO.exec(text);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), m.slice(4, 9), m[9]);
  m = US.exec(text);
  if (m) return build(Number(m[3]), Number(m[1]), Number(m[2]), m.slice(4, 9), m[9]);
  m = DAY_MONTH_YEAR.exec(text);
  if (m) return build(Number(m[3]), monthFromName(m[2] ?? ''), Number(m[1]), m.slice(4, 9), m[9]);
  m = MONTH_DAY_YEAR.exec(text);
  if (m) return build(Number(m[3]), monthFromName(m[1] ?? ''), Number(m[2]), m.slice(4, 9), m[9]);
  m = TIME_ONLY.exec(text);
  if (m && Number.isFinite(nowMs)) {
    const today = toCivil({ ms: nowMs, subTicks: 0, kind: 'utc' });
    return build(today.year, today.month, today.day, m.slice(1, 6), m[6]);
  }
  return `"${input}" is not a recognised date/time (use ISO 8601 such as 2024-01-31T09:00:00Z, or M/d/yyyy h:mm:ss tt)`;
}
