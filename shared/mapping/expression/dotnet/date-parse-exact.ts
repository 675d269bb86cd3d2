/**
 * .NET `DateTime.ParseExact` for custom format strings, as used by FormatDateTime's
 * inputFormat (e.g. `yyyyMMddHHmmss.fZ`, `yyyy-MM-ddzzz`, `M/d/yyyy hh:mm:ss tt`).
 */
import {
  civilProblem,
  daysInMonth,
  DAY_NAMES,
  fromCivil,
  inRange,
  MONTH_NAMES,
  toCivil,
  type DateTimeKind,
  type DateTimeValue,
} from './date-time';
import type { FormatToken } from './date-format';
import type { DateTimeStyles } from './date-time-styles';

const isWhite = (ch: string | undefined): boolean => ch === ' ' || (ch !== undefined && /\s/.test(ch));

interface Fields {
  year?: number;
  twoDigitYear?: boolean;
  month?: number;
  day?: number;
  dayOfWeek?: number;
  hour?: number;
  hour12?: boolean;
  pm?: boolean;
  minute?: number;
  second?: number;
  fractionTicks?: number;
  offsetMinutes?: number;
  utcMarker?: boolean;
}

/** .NET's invariant calendar maps two-digit years 00–49 to 2000–2049 and 50–99 to 1950–1999. */
function expandTwoDigitYear(year: number): number {
  return year <= 49 ? 2000 + year : 1900 + year;
}

/** Reading position in the value being parsed; methods return the parsed part or a message. */
class Cursor {
  constructor(
    readonly text: string,
    public pos: number,
    readonly end: number,
  ) {}

  digits(min: number, max: number, what: string): number | string {
    const { text, end } = this;
    const start = this.pos;
    let j = start;
    while (j < end && j - start < max) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) break;
      j++;
    }
    if (j - start < min)
      return `expected ${min === max ? min : `${min}–${max}`} digit${max === 1 ? '' : 's'} for the ${what} at position ${start + 1}`;
    let value = 0;
    for (let k = start; k < j; k++) value = value * 10 + (text.charCodeAt(k) - 48);
    this.pos = j;
    return value;
  }

  word(names: readonly string[], what: string): number | string {
    const rest = this.text.slice(this.pos, this.end).toLowerCase();
    let best = -1;
    let bestLength = 0;
    names.forEach((name, index) => {
      if (rest.startsWith(name.toLowerCase()) && name.length > bestLength) {
        best = index;
        bestLength = name.length;
      }
    });
    if (best < 0) return `expected a ${what} name at position ${this.pos + 1}`;
    this.pos += bestLength;
    return best;
  }

  /** A ±hh[:mm] offset in minutes; null for "Z" when allowed. */
  offset(count: number, allowZ: boolean): number | string | null {
    const { text } = this;
    if (allowZ && text[this.pos] === 'Z') {
      this.pos++;
      return null;
    }
    const sign = text[this.pos];
    if (sign !== '+' && sign !== '-') return `expected a time-zone offset (+hh:mm) at position ${this.pos + 1}`;
    this.pos++;
    const hours = this.digits(count === 1 ? 1 : 2, 2, 'offset hours');
    if (typeof hours === 'string') return hours;
    let minutes = 0;
    if (count >= 3 || text[this.pos] === ':') {
      if (text[this.pos] === ':') this.pos++;
      else if (count >= 3) return `expected ":" in the time-zone offset at position ${this.pos + 1}`;
      const m = this.digits(2, 2, 'offset minutes');
      if (typeof m === 'string') return m;
      minutes = m;
    }
    if (hours > 14 || minutes > 59) return 'the time-zone offset is out of range';
    return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
}

/**
 * Parses `text` against tokenised `format`. Returns the date, or a message explaining the
 * mismatch. `nowMs` supplies the date when the format has no date part (as .NET does).
 */
export function parseExact(
  text: string,
  tokens: readonly FormatToken[],
  styles: DateTimeStyles,
  nowMs: number,
): DateTimeValue | string {
  let start = 0;
  let end = text.length;
  if (styles.allowLeadingWhite) while (start < end && isWhite(text[start])) start++;
  if (styles.allowTrailingWhite) while (end > start && isWhite(text[end - 1])) end--;
  const f: Fields = {};
  const c = new Cursor(text, start, end);

  const skipInnerWhite = (): void => {
    // AllowInnerWhite: blanks in the value between format elements are ignored.
    if (styles.allowInnerWhite) while (c.pos < end && isWhite(text[c.pos])) c.pos++;
  };
  for (const token of tokens) {
    if (token.type === 'literal') {
      for (const ch of token.text) {
        skipInnerWhite();
        if (styles.allowInnerWhite && isWhite(ch)) continue;
        if (text[c.pos] !== ch || c.pos >= end) {
          return c.pos >= end
            ? `the value ends before "${ch}" expected by the format`
            : `expected "${ch}" at position ${c.pos + 1} but found "${text[c.pos] ?? ''}"`;
        }
        c.pos++;
        // A literal Z in the format means the value is in UTC, as in .NET.
        if (ch === 'Z') f.utcMarker = true;
      }
      continue;
    }
    skipInnerWhite();
    const n = token.count;
    let result: number | string | null;
    switch (token.letter) {
      case 'y':
        result = n <= 2 ? c.digits(n === 1 ? 1 : 2, 2, 'year') : c.digits(n, n === 3 ? 4 : n, 'year');
        if (typeof result === 'number') {
          f.year = result;
          f.twoDigitYear = n <= 2;
        }
        break;
      case 'M':
        result =
          n <= 2
            ? c.digits(n, 2, 'month')
            : c.word(n === 3 ? MONTH_NAMES.map((m) => m.slice(0, 3)) : MONTH_NAMES, 'month');
        if (typeof result === 'number') f.month = n <= 2 ? result : result + 1;
        break;
      case 'd':
        result =
          n <= 2 ? c.digits(n, 2, 'day') : c.word(n === 3 ? DAY_NAMES.map((d) => d.slice(0, 3)) : DAY_NAMES, 'day');
        if (typeof result === 'number') {
          if (n <= 2) f.day = result;
          else f.dayOfWeek = result;
        }
        break;
      case 'h':
      case 'H':
        result = c.digits(Math.min(n, 2), 2, 'hour');
        if (typeof result === 'number') {
          f.hour = result;
          f.hour12 = token.letter === 'h';
        }
        break;
      case 'm':
        result = c.digits(Math.min(n, 2), 2, 'minute');
        if (typeof result === 'number') f.minute = result;
        break;
      case 's':
        result = c.digits(Math.min(n, 2), 2, 'second');
        if (typeof result === 'number') f.second = result;
        break;
      case 'f':
      case 'F': {
        const from = c.pos;
        result = c.digits(token.letter === 'f' ? n : 0, n, 'fraction of a second');
        if (typeof result === 'number')
          f.fractionTicks = c.pos === from ? 0 : Number(text.slice(from, c.pos).padEnd(7, '0'));
        break;
      }
      case 't': {
        const rest = text.slice(c.pos, c.pos + n).toUpperCase();
        if (n === 1 ? rest === 'A' || rest === 'P' : rest === 'AM' || rest === 'PM') {
          f.pm = rest.startsWith('P');
          c.pos += n === 1 ? 1 : 2;
          result = 0;
        } else {
          result = `expected ${n === 1 ? 'A or P' : 'AM or PM'} at position ${c.pos + 1}`;
        }
        break;
      }
      case 'z':
        result = c.offset(n, false);
        if (typeof result === 'number') f.offsetMinutes = result;
        break;
      case 'K':
        if (c.pos >= end) {
          result = 0;
          break;
        }
        result = c.offset(3, true);
        if (result === null) f.utcMarker = true;
        else if (typeof result === 'number') f.offsetMinutes = result;
        break;
      case 'g': {
        const rest = text.slice(c.pos, end).toUpperCase();
        if (rest.startsWith('A.D.')) c.pos += 4;
        else if (rest.startsWith('AD')) c.pos += 2;
        else return `expected the era "A.D." at position ${c.pos + 1}`;
        result = 0;
        break;
      }
    }
    if (typeof result === 'string') return result;
  }
  if (c.pos < end) return `unexpected "${text.slice(c.pos, end)}" after the value matched the format`;

  let hour = f.hour ?? 0;
  if (f.pm !== undefined) {
    if (hour > 12) return `hour ${hour} cannot be combined with AM/PM`;
    hour = (hour % 12) + (f.pm ? 12 : 0);
  } else if (f.hour12 === true && hour > 12) {
    return `hour ${hour} is not valid on a 12-hour clock`;
  }

  const hasDate = f.year !== undefined || f.month !== undefined || f.day !== undefined;
  let year: number;
  let month: number;
  let day: number;
  if (!hasDate && !styles.noCurrentDateDefault && Number.isFinite(nowMs)) {
    const today = toCivil({ ms: nowMs, subTicks: 0, kind: 'utc' });
    year = today.year;
    month = today.month;
    day = today.day;
  } else if (!hasDate) {
    year = 1;
    month = 1;
    day = 1;
  } else {
    if (f.year === undefined) year = Number.isFinite(nowMs) ? toCivil({ ms: nowMs, subTicks: 0, kind: 'utc' }).year : 1;
    else year = f.twoDigitYear === true ? expandTwoDigitYear(f.year) : f.year;
    month = f.month ?? 1;
    day = f.day ?? 1;
  }
  const problem = civilProblem(year, month, day, hour, f.minute ?? 0, f.second ?? 0);
  if (problem !== null) return problem;
  if (f.dayOfWeek !== undefined && day <= daysInMonth(year, month)) {
    const actual = toCivil(
      fromCivil(year, month, day, 0, 0, 0, 0, 'utc') ?? { ms: 0, subTicks: 0, kind: 'utc' },
    ).dayOfWeek;
    if (actual !== f.dayOfWeek)
      return `the day name ${DAY_NAMES[f.dayOfWeek] ?? ''} does not match the date (a ${DAY_NAMES[actual] ?? ''})`;
  }

  const hasZone = f.offsetMinutes !== undefined || f.utcMarker === true;
  let kind: DateTimeKind;
  if (styles.adjustToUniversal) kind = 'utc';
  else if (f.utcMarker === true && styles.roundtripKind) kind = 'utc';
  else if (hasZone) kind = 'local';
  else if (styles.assumeUniversal) kind = styles.adjustToUniversal ? 'utc' : 'local';
  else if (styles.assumeLocal) kind = 'local';
  else kind = 'unspecified';

  const local = fromCivil(year, month, day, hour, f.minute ?? 0, f.second ?? 0, f.fractionTicks ?? 0, kind);
  if (local === null) return 'the date is outside the supported range (years 1–9999)';
  if (f.offsetMinutes === undefined || f.offsetMinutes === 0) return local;
  const ms = local.ms - f.offsetMinutes * 60_000;
  if (!inRange(ms)) return 'the date is outside the supported range (years 1–9999)';
  return { ms, subTicks: local.subTicks, kind };
}
