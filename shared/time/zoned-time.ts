/**
 * Local days in IANA time zones, converted to UTC instants with nothing but `Intl`.
 *
 * HR effective dates are days in the worker's own zone: a hire takes effect at the start of the local
 * day, a termination (the last day of work) at its end, which is the start of the next local day.
 * Daylight-saving transitions make days 23 or 25 hours long and can even remove local midnight; the
 * functions here answer "the first instant of that local day" in every such case.
 *
 * `Intl` formatting is slow (microseconds a call) and a cycle converts tens of thousands of dates, so
 * each zone's offsets are learnt once per year: sampled on the 1st and the 16th of every month, with
 * every change located to the second by bisection. Offsets are then plain arithmetic. This assumes a
 * zone changes its offset at most once in any half month, which holds for every zone in current tzdata
 * (the closest pair, Morocco's around Ramadan, is a month apart).
 *
 * The tables live in a `ZoneCalendar` instance, never in the module: a cycle makes one (its planning
 * memo holds it) and drops it with the cycle. The free functions below answer one-off questions with a
 * fresh calendar each time.
 */
import { calendarDateToUtcMs, addDays, type CalendarDate } from './calendar-date';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `MM/DD/YYYY, HH:MM:SS`, as the en-US formatter writes it. */
const WALL_CLOCK = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

/** A zone's offsets through one UTC year: the offset at its start and each change after. */
interface YearOffsets {
  readonly initial: number;
  readonly changes: readonly { readonly at: number; readonly offset: number }[];
}

/** Local days in IANA zones, with what it learnt about each zone remembered for its own lifetime. */
export class ZoneCalendar {
  private readonly formatters = new Map<string, Intl.DateTimeFormat>();
  private readonly zoneProblems = new Map<string, string | null>();
  private readonly yearTables = new Map<string, Map<number, YearOffsets>>();
  private readonly dayStarts = new Map<string, Map<CalendarDate, number>>();
  private readonly lastLocalDates = new Map<string, { readonly ms: number; readonly date: CalendarDate }>();

  private formatterFor(zone: string): Intl.DateTimeFormat {
    let f = this.formatters.get(zone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
      this.formatters.set(zone, f);
    }
    return f;
  }

  /**
   * Why `zone` is not an IANA time-zone name this runtime knows, or null when it is one. Offsets such as
   * `+02:00` are refused even where `Intl` accepts them: they have no daylight-saving rules, so a worker's
   * local day would silently drift by an hour for half the year.
   */
  timeZoneProblem(zone: unknown): string | null {
    if (typeof zone !== 'string' || zone === '') return 'must be an IANA time-zone name such as Europe/Paris';
    const known = this.zoneProblems.get(zone);
    if (known !== undefined) return known;
    let problem: string | null = null;
    if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) {
      problem = `"${zone}" is not an IANA time-zone name (such as Europe/Paris)`;
    } else {
      try {
        this.formatterFor(zone);
      } catch {
        problem = `"${zone}" is not a time zone this runtime knows (IANA names such as Europe/Paris)`;
      }
    }
    this.zoneProblems.set(zone, problem);
    return problem;
  }

  /** The offset at a whole-second instant, straight from `Intl` (the slow path the tables are built from). */
  private intlOffsetMs(zone: string, utcMs: number): number {
    const text = this.formatterFor(zone).format(utcMs);
    const m = WALL_CLOCK.exec(text);
    if (!m) throw new Error(`unexpected date format from Intl for ${zone}: ${text}`);
    return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6])) - utcMs;
  }

  private yearOffsets(zone: string, year: number): YearOffsets {
    let years = this.yearTables.get(zone);
    if (!years) this.yearTables.set(zone, (years = new Map()));
    let table = years.get(year);
    if (!table) years.set(year, (table = this.learnYear(zone, year)));
    return table;
  }

  /** Samples the 1st and 16th of every month and bisects each change to the second. */
  private learnYear(zone: string, year: number): YearOffsets {
    const start = Date.UTC(year, 0, 1);
    const initial = this.intlOffsetMs(zone, start);
    const changes: { at: number; offset: number }[] = [];
    let previousAt = start;
    let previousOffset = initial;
    for (let sample = 1; sample <= 24; sample++) {
      const t = Date.UTC(year, sample >> 1, sample % 2 === 1 ? 16 : 1);
      const offset = this.intlOffsetMs(zone, t);
      if (offset !== previousOffset) {
        let lo = previousAt / SECOND;
        let hi = t / SECOND;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.intlOffsetMs(zone, mid * SECOND) === previousOffset) lo = mid;
          else hi = mid;
        }
        changes.push({ at: hi * SECOND, offset });
        previousOffset = offset;
      }
      previousAt = t;
    }
    return { initial, changes };
  }

  /** The zone's offset from UTC at `utcMs`, in milliseconds (positive east of Greenwich). */
  zoneOffsetMs(zone: string, utcMs: number): number {
    const table = this.yearOffsets(zone, new Date(utcMs).getUTCFullYear());
    let offset = table.initial;
    for (const change of table.changes) {
      if (utcMs < change.at) break;
      offset = change.offset;
    }
    return offset;
  }

  /**
   * The first instant (epoch ms) whose local wall-clock time in `zone` is at or after `wallMs`
   * (a wall time written as if UTC). Ambiguous times (clocks set back) give the earlier instant; times
   * that do not exist (clocks set forward) give the moment the clocks jump.
   */
  wallTimeToUtcMs(zone: string, wallMs: number): number {
    const before = wallMs - this.zoneOffsetMs(zone, wallMs - DAY);
    const after = wallMs - this.zoneOffsetMs(zone, wallMs + DAY);
    if (before === after) return before;
    const candidates = before < after ? [before, after] : [after, before];
    for (const u of candidates) if (u + this.zoneOffsetMs(zone, u) === wallMs) return u;
    // In a gap: the transition itself, the first instant whose wall time has passed `wallMs`.
    let lo = candidates[0]!;
    let hi = candidates[1]!;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (mid + this.zoneOffsetMs(zone, mid) >= wallMs) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** The first instant of the local day `date` in `zone`, in epoch milliseconds. */
  startOfLocalDayMs(date: CalendarDate, zone: string): number {
    let days = this.dayStarts.get(zone);
    if (!days) this.dayStarts.set(zone, (days = new Map()));
    let start = days.get(date);
    if (start === undefined) days.set(date, (start = this.wallTimeToUtcMs(zone, calendarDateToUtcMs(date))));
    return start;
  }

  /** The end of the local day `date` in `zone`: the first instant of the next local day. */
  endOfLocalDayMs(date: CalendarDate, zone: string): number {
    return this.startOfLocalDayMs(addDays(date, 1), zone);
  }

  /** The calendar date in `zone` at the instant `utcMs` (the last answer per zone is kept: a cycle asks about one instant). */
  localDateAt(zone: string, utcMs: number): CalendarDate {
    const last = this.lastLocalDates.get(zone);
    if (last && last.ms === utcMs) return last.date;
    const date = new Date(utcMs + this.zoneOffsetMs(zone, utcMs)).toISOString().slice(0, 10);
    this.lastLocalDates.set(zone, { ms: utcMs, date });
    return date;
  }
}

/** One-off: why `zone` is not a usable IANA zone (see {@link ZoneCalendar.timeZoneProblem}). */
export function timeZoneProblem(zone: unknown): string | null {
  return new ZoneCalendar().timeZoneProblem(zone);
}

/** One-off: the first instant of a local day (see {@link ZoneCalendar.startOfLocalDayMs}). */
export function startOfLocalDayMs(date: CalendarDate, zone: string): number {
  return new ZoneCalendar().startOfLocalDayMs(date, zone);
}

/** One-off: the end of a local day (see {@link ZoneCalendar.endOfLocalDayMs}). */
export function endOfLocalDayMs(date: CalendarDate, zone: string): number {
  return new ZoneCalendar().endOfLocalDayMs(date, zone);
}

/** One-off: the local date at an instant (see {@link ZoneCalendar.localDateAt}). */
export function localDateAt(zone: string, utcMs: number): CalendarDate {
  return new ZoneCalendar().localDateAt(zone, utcMs);
}
