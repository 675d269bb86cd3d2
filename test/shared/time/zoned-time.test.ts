/**
 * Local days to UTC instants with Intl only: the start and end (start of the next day) of a local day,
 * on ordinary days, on 23- and 25-hour days in both hemispheres, where midnight does not exist, and
 * where a whole date was skipped.
 */
import { endOfLocalDayMs, localDateAt, startOfLocalDayMs, timeZoneProblem } from '../../../shared/time/zoned-time';

type Row = [zone: string, date: string, start: string, end: string];

const TABLE: Row[] = [
  ['UTC', '2025-06-30', '2025-06-30T00:00:00.000Z', '2025-07-01T00:00:00.000Z'],
  ['Europe/London', '2025-03-30', '2025-03-30T00:00:00.000Z', '2025-03-30T23:00:00.000Z'],
  ['Europe/London', '2025-10-26', '2025-10-25T23:00:00.000Z', '2025-10-27T00:00:00.000Z'],
  ['Australia/Sydney', '2025-04-06', '2025-04-05T13:00:00.000Z', '2025-04-06T14:00:00.000Z'],
  ['Australia/Sydney', '2025-10-05', '2025-10-04T14:00:00.000Z', '2025-10-05T13:00:00.000Z'],
  ['America/Los_Angeles', '2025-03-09', '2025-03-09T08:00:00.000Z', '2025-03-10T07:00:00.000Z'],
  ['America/Los_Angeles', '2025-11-02', '2025-11-02T07:00:00.000Z', '2025-11-03T08:00:00.000Z'],
  ['Australia/Lord_Howe', '2025-04-06', '2025-04-05T13:00:00.000Z', '2025-04-06T13:30:00.000Z'],
  ['Asia/Kolkata', '2025-01-15', '2025-01-14T18:30:00.000Z', '2025-01-15T18:30:00.000Z'],
  ['America/Santiago', '2024-09-08', '2024-09-08T04:00:00.000Z', '2024-09-09T03:00:00.000Z'],
  ['America/Havana', '2024-11-03', '2024-11-03T04:00:00.000Z', '2024-11-04T05:00:00.000Z'],
  ['Pacific/Apia', '2011-12-30', '2011-12-30T10:00:00.000Z', '2011-12-30T10:00:00.000Z'],
];

describe('local days in IANA zones', () => {
  it.each(TABLE)('%s %s', (zone, date, start, end) => {
    expect(timeZoneProblem(zone)).toBeNull();
    expect(new Date(startOfLocalDayMs(date, zone)).toISOString()).toBe(start);
    expect(new Date(endOfLocalDayMs(date, zone)).toISOString()).toBe(end);
    // The day's first instant is in the day (unless the zone skipped the date), the instant before is not.
    const startMs = Date.parse(start);
    if (start !== end) expect(localDateAt(zone, startMs)).toBe(date);
    expect(localDateAt(zone, startMs - 1)).not.toBe(date);
  });
});
