/**
 * AFAS GetConnector rows → canonical workers, as truth tables. Today is 2026-06-01 in the environment's zone.
 *
 * Effective dating (function periods by start / end):
 * | periods                                   | current values from | future entries  | hireDate   |
 * |-------------------------------------------|---------------------|-----------------|------------|
 * | one, started 2021-03-01                   | it                  | none            | 2021-03-01 |
 * | 2021-03-01 ended 05-31, 2026-06-01 open   | the one from today  | none            | 2021-03-01 |
 * | 2021-03-01 open, 2026-07-01 open          | 2021-03-01          | 2026-07-01      | 2021-03-01 |
 * | only 2026-07-01 (a future hire)           | 2026-07-01          | none            | 2026-07-01 |
 * | 2026-07-01 and 2026-09-01 (future hire)   | 2026-07-01          | 2026-09-01      | 2026-07-01 |
 *
 * Status (Datum_uit_dienst → employmentStatus, terminationDate):
 * | Datum_uit_dienst      | employmentStatus | terminationDate |
 * |-----------------------|------------------|-----------------|
 * | null                  | active           | null            |
 * | 2026-05-31 (past)     | terminated       | 2026-05-31      |
 * | 2026-06-01 (today)    | active           | 2026-06-01      |
 * | 2026-06-30 (future)   | active           | 2026-06-30      |
 *
 * Soort_medewerker → employeeType: Werknemer → employee, Stagiair → intern, Uitzendkracht → temporary,
 * ZZP → contractor, none → employee, anything else → other.
 *
 * Malformed: a bad or missing date or name → a row issue naming the AFAS id and field; a row with no id →
 * an issue without a worker; the other employees still flow.
 */
import { workerSchema } from '../../../../../shared/worker/worker-schema';
import {
  DEFAULT_EMPLOYEE_TYPES,
  DEFAULT_FIELD_IDS,
  afasDate,
  afasTimestamp,
  rowsToRecords,
  type AfasRow,
} from '../../../../../functions/sources/connectors/afas/afas-records';

const ctx = { source: 'afas', today: '2026-06-01', fields: DEFAULT_FIELD_IDS, employeeTypes: DEFAULT_EMPLOYEE_TYPES };

function row(id: string, start: string, overrides: Record<string, unknown> = {}): AfasRow {
  return {
    Medewerker: id,
    Voornaam: 'Ava',
    Roepnaam: 'Ava',
    Voorvoegsel: null,
    Achternaam: 'Nguyen',
    Email_werk: 'ava.nguyen@contoso.nl',
    Telefoonnr_werk: '+31 20 555 0100',
    Organisatorische_eenheid_omschrijving: `Dept ${start}`,
    Functie_omschrijving: `Title ${start}`,
    Kostenplaats_code: '4130',
    Standplaats: 'Amsterdam',
    Werkgever_code: 'NL01',
    Medewerkernummer_leidinggevende: '1001',
    Soort_medewerker: 'Werknemer',
    Begindatum_functie: `${start}T00:00:00Z`,
    Einddatum_functie: null,
    Datum_in_dienst: '2021-03-01T00:00:00Z',
    Datum_uit_dienst: null,
    Gewijzigd_op: '2026-05-20T14:02:11Z',
    Badge: 'B-17',
    ...overrides,
  };
}

function one(rows: AfasRow[]) {
  const out = rowsToRecords(rows, ctx);
  expect(out.rowIssues).toEqual([]);
  expect(out.records).toHaveLength(1);
  return workerSchema.parse(out.records[0]);
}

describe('AFAS records: effective dating', () => {
  it.each([
    ['one period', [row('1', '2021-03-01')], 'Title 2021-03-01', [], '2021-03-01'],
    [
      'a period ended yesterday, a new one from today',
      [row('1', '2021-03-01', { Einddatum_functie: '2026-05-31T00:00:00Z' }), row('1', '2026-06-01')],
      'Title 2026-06-01',
      [],
      '2021-03-01',
    ],
    [
      'a future transfer',
      [row('1', '2021-03-01'), row('1', '2026-07-01')],
      'Title 2021-03-01',
      ['2026-07-01'],
      '2021-03-01',
    ],
    [
      'a future hire',
      [row('1', '2026-07-01', { Datum_in_dienst: '2026-07-01T00:00:00Z' })],
      'Title 2026-07-01',
      [],
      '2026-07-01',
    ],
    [
      'a future hire with a later transfer',
      [
        row('1', '2026-09-01', { Datum_in_dienst: '2026-07-01T00:00:00Z' }),
        row('1', '2026-07-01', { Datum_in_dienst: '2026-07-01T00:00:00Z' }),
      ],
      'Title 2026-07-01',
      ['2026-09-01'],
      '2026-07-01',
    ],
  ])('%s', (_case, rows, title, futureDates, hireDate) => {
    const worker = one(rows);
    expect(worker.title).toBe(title);
    expect(worker.future.map((f) => f.effectiveDate)).toEqual(futureDates);
    expect(worker.hireDate).toBe(hireDate);
  });

  it('a future entry carries what its period changes, nothing repeated (a repeated type would read as a conversion)', () => {
    const worker = one([row('1', '2021-03-01'), row('1', '2026-07-01', { Standplaats: 'Utrecht' })]);
    expect(worker.future[0]?.changes).toEqual({
      department: 'Dept 2026-07-01',
      title: 'Title 2026-07-01',
      location: 'Utrecht',
    });
  });

  it('each later period changes from the one before it', () => {
    const worker = one([
      row('1', '2021-03-01'),
      row('1', '2026-07-01', { Standplaats: 'Utrecht' }),
      row('1', '2026-09-01', { Standplaats: 'Utrecht', Soort_medewerker: 'Stagiair' }),
    ]);
    expect(worker.future[1]).toEqual({
      effectiveDate: '2026-09-01',
      changes: { department: 'Dept 2026-09-01', title: 'Title 2026-09-01', employeeType: 'intern' },
    });
  });

  it('maps the person fields, the prefix into the last name and unknown fields into customFields', () => {
    const worker = one([row('1', '2021-03-01', { Voorvoegsel: 'de', Achternaam: 'Vries', Roepnaam: 'Eef' })]);
    expect(worker.legalName).toEqual({ first: 'Ava', middle: null, last: 'de Vries' });
    expect(worker.preferredName).toEqual({ first: 'Eef', middle: null, last: null });
    expect(worker.email).toBe('ava.nguyen@contoso.nl');
    expect(worker.costCenter).toBe('4130');
    expect(worker.company).toBe('NL01');
    expect(worker.location).toBe('Amsterdam');
    expect(worker.customFields).toEqual({ Badge: 'B-17' });
  });
});

describe('AFAS records: status', () => {
  it.each([
    [null, 'active', null],
    ['2026-05-31T00:00:00Z', 'terminated', '2026-05-31'],
    ['2026-06-01T00:00:00Z', 'active', '2026-06-01'],
    ['2026-06-30T00:00:00Z', 'active', '2026-06-30'],
  ])('Datum_uit_dienst %s → %s, terminationDate %s', (leaving, status, terminationDate) => {
    const worker = one([row('1', '2021-03-01', { Datum_uit_dienst: leaving })]);
    expect(worker.employmentStatus).toBe(status);
    expect(worker.terminationDate).toBe(terminationDate);
  });

  it.each([
    ['Werknemer', 'employee'],
    ['stagiair', 'intern'],
    ['Uitzendkracht', 'temporary'],
    ['ZZP', 'contractor'],
    [null, 'employee'],
    ['Vrijwilliger', 'other'],
  ])('Soort_medewerker %s → %s', (kind, type) => {
    expect(one([row('1', '2021-03-01', { Soort_medewerker: kind })]).employeeType).toBe(type);
  });
});

describe('AFAS records: malformed rows', () => {
  it.each([
    ['Datum_in_dienst', 'not-a-date', 'is not a date (expected YYYY-MM-DDTHH:mm:ssZ)'],
    ['Datum_in_dienst', '2026-02-30T00:00:00Z', 'is not a date (expected YYYY-MM-DDTHH:mm:ssZ)'],
    ['Datum_in_dienst', null, 'is missing'],
    ['Datum_uit_dienst', '31-05-2026', 'is not a date (expected YYYY-MM-DDTHH:mm:ssZ)'],
    ['Begindatum_functie', null, 'is missing'],
    ['Achternaam', '  ', 'is missing'],
  ])('%s = %s → a row issue naming the id and field; the others flow', (field, value, message) => {
    const out = rowsToRecords([row('1', '2021-03-01', { [field]: value }), row('2', '2021-03-01')], ctx);
    expect(out.rowIssues).toEqual([{ location: 'employee 1', workerId: '1', workerKey: 'afas:1', field, message }]);
    expect(out.records.map((r) => (r as { id: string }).id)).toEqual(['2']);
    expect(out.locations).toEqual(['employee 2']);
  });

  it('a row without an id is an issue without a worker', () => {
    const out = rowsToRecords([row('', '2021-03-01'), row('2', '2021-03-01')], ctx);
    expect(out.rowIssues).toEqual([
      { location: 'row (no id)', workerId: null, workerKey: null, field: 'Medewerker', message: 'is missing' },
    ]);
    expect(out.records).toHaveLength(1);
  });
});

describe('AFAS dates ("Z" but local time)', () => {
  it.each([
    ['2026-06-15T00:00:00Z', '2026-06-15'],
    ['2026-06-15T23:30:00Z', '2026-06-15'],
    ['2026-06-15', '2026-06-15'],
    [null, null],
  ])('%s is the calendar date %s, never shifted from UTC', (value, day) => {
    expect(afasDate(value, 'f')).toBe(day);
  });

  it('timestamps keep AFAS local time without the Z', () => {
    expect(afasTimestamp('2026-05-20T14:02:11Z')).toBe('2026-05-20T14:02:11');
    expect(afasTimestamp('2026-05-20T14:02:11.123Z')).toBe('2026-05-20T14:02:11');
    expect(afasTimestamp('yesterday')).toBeNull();
  });
});
