/**
 * `earliestDateAt`: the date at an instant in UTC−12, never later than the local date in any real zone
 * (checked against the zones furthest west and east, and against the UTC date either side of midnight).
 * Reading a date: exactly the texts written `YYYY-MM-DD` that name a real day (checked against a pattern
 * and the UTC calendar, for dates with a character changed and for any text).
 */
import fc from 'fast-check';
import {
  calendarDateProblem,
  compareDates,
  earliestDateAt,
  parseCalendarDate,
} from '../../../shared/time/calendar-date';
import { localDateAt } from '../../../shared/time/zoned-time';

const ZONES = ['Pacific/Pago_Pago', 'America/New_York', 'Europe/London', 'Asia/Tokyo', 'Pacific/Kiritimati'];

it.each([
  ['2026-12-01T00:03:00Z', '2026-11-30'],
  ['2026-12-01T11:59:59Z', '2026-11-30'],
  ['2026-12-01T12:00:00Z', '2026-12-01'],
  ['2026-12-01T23:59:59Z', '2026-12-01'],
])('at %s it is %s', (instant, date) => {
  expect(earliestDateAt(new Date(instant))).toBe(date);
});

it.each(['2026-12-01T00:03:00Z', '2026-06-15T04:30:00Z', '2026-03-29T11:00:00Z', '2026-12-31T23:30:00Z'])(
  'at %s it is no later than the local date in any zone',
  (instant) => {
    const earliest = earliestDateAt(new Date(instant));
    for (const zone of ZONES)
      expect(compareDates(earliest, localDateAt(zone, Date.parse(instant)))).toBeLessThanOrEqual(0);
  },
);

/** The shape as a pattern, the way the schema's documentation states it. */
const WRITTEN_AS_DATE = /^\d{4}-\d{2}-\d{2}$/;

it('reads a date exactly when it is written YYYY-MM-DD in ASCII digits, and a real day of 1900–2999', () => {
  const near = fc
    .tuple(
      fc.constantFrom('2024-02-29', '2023-02-28', '1900-01-01', '2999-12-31'),
      fc.nat(9),
      fc.string({ maxLength: 2 }),
    )
    .map(([date, at, piece]) => date.slice(0, at) + piece + date.slice(at + piece.length));
  const odd = fc.constantFrom(
    '２０２４-01-01',
    '2024-01-01\n',
    '2024-1-01',
    '+024-01-01',
    '2024/01/01',
    '',
    '2024-01-0',
  );
  fc.assert(
    fc.property(fc.oneof(near, odd, fc.string({ maxLength: 12 })), (text) => {
      const parsed = parseCalendarDate(text);
      if (!WRITTEN_AS_DATE.test(text)) expect(parsed).toBeNull();
      else {
        const [year, month, day] = text.split('-').map(Number) as [number, number, number];
        const real = new Date(Date.UTC(year, month - 1, day));
        const isReal = year >= 1900 && year <= 2999 && real.getUTCMonth() === month - 1 && real.getUTCDate() === day;
        expect(parsed).toEqual(isReal ? { year, month, day } : null);
      }
      expect(calendarDateProblem(text) === null).toBe(parsed !== null);
    }),
    { numRuns: 5000, seed: 20261201 },
  );
});
