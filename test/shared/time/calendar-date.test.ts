/**
 * `earliestDateAt`: the date at an instant in UTC−12, never later than the local date in any real zone
 * (checked against the zones furthest west and east, and against the UTC date either side of midnight).
 */
import { compareDates, earliestDateAt } from '../../../shared/time/calendar-date';
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
