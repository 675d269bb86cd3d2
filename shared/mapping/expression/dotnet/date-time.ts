/**
 * A .NET-like DateTime: proleptic Gregorian, years 1–9999, 100-nanosecond precision.
 *
 * Entra's date functions run on .NET, so dates outside .NET's range must fail the same way
 * and FILETIME conversions must be exact to the tick. JavaScript's Date is only used as an
 * epoch-millisecond number; all calendar arithmetic is done here so that years below 100
 * and month-end clamping behave like .NET.
 */

/**
 * `utc` and `unspecified` come from strings without/with a `Z`; `local` is what .NET gives
 * a parsed offset. Entra's service runs in UTC, so "local" is UTC with a different `K` rendering.
 */
export type DateTimeKind = 'utc' | 'local' | 'unspecified';

export interface DateTimeValue {
  /** Milliseconds since 1970-01-01T00:00:00Z, a whole number. */
  readonly ms: number;
  /** Extra 100-ns ticks beyond `ms`, 0–9999. */
  readonly subTicks: number;
  readonly kind: DateTimeKind;
}

export const MS_PER_DAY = 86_400_000;
/** 0001-01-01T00:00:00Z. */
export const MIN_DATE_MS = -62_135_596_800_000;
/** 9999-12-31T23:59:59.999Z. */
export const MAX_DATE_MS = 253_402_300_799_999;
/** Ticks between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
const FILETIME_UNIX_EPOCH_TICKS = 116_444_736_000_000_000n;

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to the given civil date (Gregorian, any year). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export interface CivilParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Fraction of the second in 100-ns ticks, 0–9,999,999. */
  readonly fractionTicks: number;
  /** 0 = Sunday. */
  readonly dayOfWeek: number;
}

export function toCivil(dt: DateTimeValue): CivilParts {
  const days = Math.floor(dt.ms / MS_PER_DAY);
  const msOfDay = dt.ms - days * MS_PER_DAY;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return {
    year,
    month,
    day,
    hour: Math.floor(msOfDay / 3_600_000),
    minute: Math.floor(msOfDay / 60_000) % 60,
    second: Math.floor(msOfDay / 1000) % 60,
    fractionTicks: (msOfDay % 1000) * 10_000 + dt.subTicks,
    dayOfWeek: (((days + 4) % 7) + 7) % 7,
  };
}

export function inRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_DATE_MS && ms <= MAX_DATE_MS;
}

/** Builds a date from civil parts already validated by the caller; null if out of .NET's range. */
export function fromCivil(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fractionTicks: number,
  kind: DateTimeKind,
): DateTimeValue | null {
  const ms =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    Math.floor(fractionTicks / 10_000);
  if (!inRange(ms)) return null;
  return { ms, subTicks: fractionTicks % 10_000, kind };
}

/** Validates civil parts; returns the problem or null. */
export function civilProblem(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): string | null {
  if (year < 1 || year > 9999) return `year ${year} is outside 1–9999`;
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  if (day < 1 || day > daysInMonth(year, month))
    return `day ${day} does not exist in ${MONTH_NAMES[month - 1] ?? ''} ${year}`;
  if (hour > 23) return `hour ${hour} is not valid`;
  if (minute > 59) return `minute ${minute} is not valid`;
  if (second > 59) return `second ${second} is not valid`;
  return null;
}

/** Adds milliseconds; null if the result leaves .NET's range. */
export function addMilliseconds(dt: DateTimeValue, ms: number): DateTimeValue | null {
  const result = dt.ms + Math.round(ms);
  return inRange(result) ? { ms: result, subTicks: dt.subTicks, kind: dt.kind } : null;
}

/** .NET AddMonths: the day is clamped to the end of the target month (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(dt: DateTimeValue, months: number): DateTimeValue | null {
  const c = toCivil(dt);
  const total = c.year * 12 + (c.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  if (year < 1 || year > 9999) return null;
  const day = Math.min(c.day, daysInMonth(year, month));
  return fromCivil(year, month, day, c.hour, c.minute, c.second, c.fractionTicks, dt.kind);
}

/** Windows FILETIME / AD large-integer time: 100-ns ticks since 1601-01-01 UTC. */
export function toFileTime(dt: DateTimeValue): bigint {
  return BigInt(dt.ms) * 10_000n + BigInt(dt.subTicks) + FILETIME_UNIX_EPOCH_TICKS;
}

/** Inverse of {@link toFileTime}; null if negative or beyond year 9999 (as .NET FromFileTimeUtc fails). */
export function fromFileTime(ticks: bigint): DateTimeValue | null {
  if (ticks < 0n) return null;
  const sinceUnix = ticks - FILETIME_UNIX_EPOCH_TICKS;
  let ms = sinceUnix / 10_000n;
  let sub = sinceUnix % 10_000n;
  if (sub < 0n) {
    sub += 10_000n;
    ms -= 1n;
  }
  const msNumber = Number(ms);
  if (!inRange(msNumber)) return null;
  return { ms: msNumber, subTicks: Number(sub), kind: 'utc' };
}
