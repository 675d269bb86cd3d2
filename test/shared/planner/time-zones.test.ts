/**
 * Effective dates land on the right UTC instant: a termination (last day of work) at the end of the
 * worker's local day, a hire at its start, in both hemispheres and on daylight-saving transition days
 * (23- and 25-hour days). The zone comes from the worker's location (Sydney, Seattle) or from HR.
 */
import { ada, resultFor, runCycles } from './fixtures';

type Row = [
  situation: string,
  worker: { location?: string; timeZone?: string },
  event: 'last day' | 'start',
  date: string,
  utc: string,
];

const TABLE: Row[] = [
  ['Sydney, winter (AEST +10)', { location: 'Sydney' }, 'last day', '2025-06-30', '2025-06-30T14:00:00.000Z'],
  ['Sydney, summer (AEDT +11)', { location: 'Sydney' }, 'last day', '2025-01-31', '2025-01-31T13:00:00.000Z'],
  ['Los Angeles, summer (PDT -7)', { location: 'Seattle' }, 'last day', '2025-06-30', '2025-07-01T07:00:00.000Z'],
  ['Los Angeles, winter (PST -8)', { location: 'Seattle' }, 'last day', '2025-01-31', '2025-02-01T08:00:00.000Z'],
  [
    'Sydney, the day before DST ends (ends at +11)',
    { location: 'Sydney' },
    'last day',
    '2025-04-05',
    '2025-04-05T13:00:00.000Z',
  ],
  [
    'Sydney, DST ends that night: a 25-hour day (ends at +10)',
    { location: 'Sydney' },
    'last day',
    '2025-04-06',
    '2025-04-06T14:00:00.000Z',
  ],
  [
    'Sydney, the day before DST starts (ends at +10)',
    { location: 'Sydney' },
    'last day',
    '2025-10-04',
    '2025-10-04T14:00:00.000Z',
  ],
  [
    'Sydney, DST starts that night: a 23-hour day (ends at +11)',
    { location: 'Sydney' },
    'last day',
    '2025-10-05',
    '2025-10-05T13:00:00.000Z',
  ],
  [
    'Los Angeles, the day before DST starts',
    { location: 'Seattle' },
    'last day',
    '2025-03-08',
    '2025-03-09T08:00:00.000Z',
  ],
  [
    'Los Angeles, DST starts: a 23-hour day',
    { location: 'Seattle' },
    'last day',
    '2025-03-09',
    '2025-03-10T07:00:00.000Z',
  ],
  [
    'Los Angeles, the day before DST ends',
    { location: 'Seattle' },
    'last day',
    '2025-11-01',
    '2025-11-02T07:00:00.000Z',
  ],
  [
    'Los Angeles, DST ends: a 25-hour day',
    { location: 'Seattle' },
    'last day',
    '2025-11-02',
    '2025-11-03T08:00:00.000Z',
  ],
  ['Sydney start on the 23-hour day', { location: 'Sydney' }, 'start', '2025-10-05', '2025-10-04T14:00:00.000Z'],
  ['Sydney start the day after DST starts', { location: 'Sydney' }, 'start', '2025-10-06', '2025-10-05T13:00:00.000Z'],
  ['Los Angeles start on the 23-hour day', { location: 'Seattle' }, 'start', '2025-03-09', '2025-03-09T08:00:00.000Z'],
  ['Los Angeles start on the 25-hour day', { location: 'Seattle' }, 'start', '2025-11-02', '2025-11-02T07:00:00.000Z'],
  [
    'zone from HR wins over the location table',
    { location: 'Sydney', timeZone: 'America/Los_Angeles' },
    'last day',
    '2025-06-30',
    '2025-07-01T07:00:00.000Z',
  ],
  [
    'Santiago: midnight does not exist on 2024-09-08; the day starts at the jump',
    { timeZone: 'America/Santiago' },
    'start',
    '2024-09-08',
    '2024-09-08T04:00:00.000Z',
  ],
  [
    'no zone and no known location: UTC',
    { location: 'Atlantis' },
    'last day',
    '2025-06-30',
    '2025-07-01T00:00:00.000Z',
  ],
];

describe('effective dates in the worker’s zone', () => {
  it.each(TABLE)('%s', (_situation, where, event, date, utc) => {
    // Planned a day before the earliest date in the table, so every step is still in the future.
    const now = '2024-09-01T00:00:00.000Z';
    const record =
      event === 'last day'
        ? ada({ ...where, hireDate: '2024-01-08', terminationDate: date })
        : ada({ ...where, hireDate: date });
    const { result } = runCycles([{ at: now, records: [record] }]);
    const steps = resultFor(result, 'workday:1001').plan!.steps;
    const kind = event === 'last day' ? 'DisableAccount' : 'EnableAccount';
    const step = steps.find((s) => s.command.kind === kind)!;
    expect(step.dueAt).toBe(utc);
    expect(step.immediate).toBe(false);
  });
});
