/**
 * CSV rows → canonical records: the default layout and a custom one (other headers, order, delimiter,
 * date format and HR words) give identical records; a row the source cannot read is a row issue
 * naming its row and column while the other rows flow on; effective-dated rows become `future`
 * entries; what only the planner may judge (control characters, any script) passes through unchanged.
 */
import { csvRecordsFromText, type SourceRecords } from '../../../../functions/sources/file/csv-records';
import {
  csvSettings,
  DEFAULT_CSV_SETTINGS,
  type CsvSettings,
} from '../../../../functions/sources/file/file-source-config';
import { hostileWorkers } from '../../../harness/hostile-workers';

const SOURCE = 'hr-file';
const DEFAULT_HEADER =
  'Employee ID,First Name,Middle Name,Last Name,Preferred First Name,Preferred Last Name,Work Email,Work Phone,Mobile Phone,Department,Job Title,Cost Center,Location,Company,Manager ID,Employee Type,Status,Start Date,Termination Date,Time Zone,Previous Employee ID,Effective Date';

/** A default-layout row from the cells that matter here (by header); every other cell is empty. */
function row(cells: Record<string, string>): string {
  return DEFAULT_HEADER.split(',')
    .map((h) => {
      const v = cells[h] ?? '';
      return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    })
    .join(',');
}

const ADA = {
  'Employee ID': '1001',
  'First Name': 'Ada',
  'Last Name': 'Lovelace',
  'Work Email': 'ada@contoso.com',
  Department: 'Engineering',
  'Job Title': 'Engineer, Senior',
  Location: 'London',
  'Manager ID': '1000',
  'Employee Type': 'Full-Time',
  Status: 'Active',
  'Start Date': '2024-01-08',
};

function read(text: string, settings: CsvSettings = DEFAULT_CSV_SETTINGS): SourceRecords {
  const result = csvRecordsFromText(text, settings, SOURCE);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

describe('csvRecordsFromText: the default layout', () => {
  it('turns a row into a canonical record with HR words mapped and empty cells left out', () => {
    const { records, locations, rowIssues } = read(`${DEFAULT_HEADER}\n${row(ADA)}\n`);
    expect(rowIssues).toEqual([]);
    expect(locations).toEqual(['row 2']);
    expect(records).toEqual([
      {
        source: SOURCE,
        id: '1001',
        legalName: { first: 'Ada', last: 'Lovelace' },
        email: 'ada@contoso.com',
        department: 'Engineering',
        title: 'Engineer, Senior',
        location: 'London',
        managerId: '1000',
        employeeType: 'employee',
        employmentStatus: 'active',
        hireDate: '2024-01-08',
      },
    ]);
  });

  it('reads quoted cells with delimiters, quotes and line breaks', () => {
    const text = `${DEFAULT_HEADER}\r\n${row({ ...ADA, 'Job Title': 'Lead, "Platform"\nand Tools' })}\r\n`;
    expect(read(text).records[0]).toMatchObject({ title: 'Lead, "Platform"\nand Tools' });
  });

  it('ignores a byte-order mark and CRLF line ends, and skips blank lines', () => {
    const plain = read(`${DEFAULT_HEADER}\n${row(ADA)}\n`);
    const windows = read(`\uFEFF${DEFAULT_HEADER}\r\n\r\n${row(ADA)}\r\n,,,\r\n`);
    expect(windows.records).toEqual(plain.records);
    expect(windows.rowIssues).toEqual([]);
  });

  it('fills in the other parts of preferred names and phones with null', () => {
    const text = `${DEFAULT_HEADER}\n${row({ ...ADA, 'Preferred First Name': 'Countess', 'Mobile Phone': '+44 7700 900123' })}\n`;
    expect(read(text).records[0]).toMatchObject({
      preferredName: { first: 'Countess', middle: null, last: null },
      phone: { work: null, mobile: '+44 7700 900123' },
    });
  });

  it('fails, naming every missing mapped column, when the header row lacks columns', () => {
    const result = csvRecordsFromText('Employee ID,First Name\n1,Ada\n', DEFAULT_CSV_SETTINGS, SOURCE);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual({ path: 'hireDate', message: 'the header row has no column "Start Date"' });
    expect(result.issues.length).toBe(20);
  });
});

describe('csvRecordsFromText: rows the source cannot read', () => {
  /** Each bad row, the column it names and the message's gist; row 2 is Ada's good row before them. */
  const TABLE: [string, Record<string, string>, string, RegExp][] = [
    ['an unparseable date', { ...ADA, 'Employee ID': '2', 'Start Date': '2024-02-30' }, 'Start Date', /not a date/],
    [
      'a date in another format',
      { ...ADA, 'Employee ID': '3', 'Termination Date': '08/01/2024' },
      'Termination Date',
      /YYYY-MM-DD/,
    ],
    [
      'an unknown employee type',
      { ...ADA, 'Employee ID': '4', 'Employee Type': 'Freelancer' },
      'Employee Type',
      /"Freelancer" is not a known value/,
    ],
    ['an unknown status', { ...ADA, 'Employee ID': '5', Status: 'Sabbatical' }, 'Status', /"Sabbatical"/],
    ['a missing id', { ...ADA, 'Employee ID': '' }, 'Employee ID', /id is empty/],
  ];

  it.each(TABLE)(
    '%s is a row issue naming the row and the column; the other rows flow on',
    (_, bad, column, message) => {
      const text = [DEFAULT_HEADER, row(ADA), row(bad), row({ ...ADA, 'Employee ID': '1002' })].join('\n');
      const { records, locations, rowIssues } = read(text);
      expect(locations).toEqual(['row 2', 'row 4']);
      expect(records.map((r) => (r as { id: string }).id)).toEqual(['1001', '1002']);
      expect(rowIssues).toEqual([
        {
          location: 'row 3',
          workerId: bad['Employee ID'] || null,
          workerKey: bad['Employee ID'] ? `${SOURCE}:${bad['Employee ID']}` : null,
          field: column,
          message: expect.stringMatching(message),
        },
      ]);
    },
  );

  it('a row with the wrong number of cells is a row issue', () => {
    const text = [DEFAULT_HEADER, row(ADA), '1003,Grace,Hopper'].join('\n');
    expect(read(text).rowIssues).toEqual([
      {
        location: 'row 3',
        workerId: '1003',
        workerKey: `${SOURCE}:1003`,
        field: '(row)',
        message: 'has 3 cells where the header has 22',
      },
    ]);
  });

  it('numbers rows by record, a quoted line break staying in its row', () => {
    const text = [
      DEFAULT_HEADER,
      row({ ...ADA, 'Job Title': 'two\nlines' }),
      row({ ...ADA, 'Employee ID': '9', 'Start Date': 'x' }),
    ].join('\n');
    expect(read(text).rowIssues.map((i) => i.location)).toEqual(['row 3']);
  });

  it('leaves duplicate ids to the planner (both rows become records)', () => {
    const { records } = read([DEFAULT_HEADER, row(ADA), row(ADA)].join('\n'));
    expect(records).toHaveLength(2);
  });
});

describe('csvRecordsFromText: effective-dated rows', () => {
  const transfer = { 'Employee ID': '1001', 'Effective Date': '2027-01-04', Location: 'Berlin', 'Last Name': 'Byron' };

  it('become future entries of the worker, names completed from the current row', () => {
    const { records, rowIssues } = read([DEFAULT_HEADER, row(transfer), row(ADA)].join('\n'));
    expect(rowIssues).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id: '1001',
      location: 'London',
      future: [
        {
          effectiveDate: '2027-01-04',
          changes: { location: 'Berlin', legalName: { first: 'Ada', middle: null, last: 'Byron' } },
        },
      ],
    });
  });

  it('without a current row, or changing a lifecycle column, are row issues that withhold the whole worker', () => {
    const orphan = read([DEFAULT_HEADER, row(transfer)].join('\n'));
    expect(orphan.records).toEqual([]);
    expect(orphan.rowIssues).toMatchObject([{ location: 'row 2', field: 'Effective Date' }]);

    const lifecycle = read([DEFAULT_HEADER, row(ADA), row({ ...transfer, Status: 'Terminated' })].join('\n'));
    expect(lifecycle.records).toEqual([]);
    expect(lifecycle.rowIssues).toEqual([
      expect.objectContaining({
        location: 'row 2',
        workerId: '1001',
        message: expect.stringMatching(/^withheld: row 3/),
      }),
      expect.objectContaining({ location: 'row 3', field: 'Status', message: expect.stringMatching(/cannot change/) }),
    ]);
  });

  it('a bad effective-dated row withholds the current row too (never plan a worker without a change)', () => {
    const { records, rowIssues } = read(
      [DEFAULT_HEADER, row(ADA), row({ ...transfer, 'Effective Date': '04/01/2027' })].join('\n'),
    );
    expect(records).toEqual([]);
    expect(rowIssues.map((i) => `${i.location} ${i.field}`)).toEqual(['row 2 (row)', 'row 3 Effective Date']);
  });
});

describe('csvRecordsFromText: a custom layout', () => {
  const custom = csvSettings.parse({
    delimiter: ';',
    encoding: 'latin1',
    columns: {
      id: 'Personalnummer',
      'legalName.first': 'Vorname',
      'legalName.last': 'Nachname',
      email: 'E-Mail',
      department: 'Abteilung',
      title: 'Position',
      location: 'Standort',
      managerId: 'Vorgesetzter',
      employeeType: { header: 'Art', values: { Angestellt: 'employee', Werkvertrag: 'contractor' } },
      employmentStatus: { header: 'Status', values: { Aktiv: 'active', Ausgeschieden: 'terminated' } },
      hireDate: { header: 'Eintritt', dateFormat: 'DD/MM/YYYY' },
      terminationDate: { header: 'Austritt', dateFormat: 'DD/MM/YYYY' },
      'customFields.Badge': { header: 'Ausweis', type: 'number' },
      'customFields.Skills': { header: 'Kenntnisse', type: 'list', separator: '|' },
    },
  });

  it('gives the same records as the default layout', () => {
    const defaults = read(
      [
        `${DEFAULT_HEADER}`,
        row({
          ...ADA,
          'First Name': 'José',
          'Last Name': 'Muñoz',
          'Employee Type': 'Contractor',
          'Termination Date': '2027-06-30',
        }),
        row({ ...ADA, 'Employee ID': '1002', 'First Name': 'Zoë', 'Last Name': 'Ångström' }),
      ].join('\n'),
    );
    const text = [
      'Ausweis;Nachname;Vorname;Personalnummer;E-Mail;Abteilung;Position;Standort;Vorgesetzter;Art;Status;Eintritt;Austritt;Kenntnisse',
      ';Muñoz;José;1001;ada@contoso.com;Engineering;"Engineer, Senior";London;1000;WERKVERTRAG;aktiv;08/01/2024;30/06/2027;',
      ';Ångström;Zoë;1002;ada@contoso.com;Engineering;"Engineer, Senior";London;1000;Angestellt;Aktiv;8/1/2024;;',
    ].join('\r\n');
    expect(read(text, custom)).toEqual(defaults);
  });

  it('reads custom fields as numbers and lists', () => {
    const text = [
      'Ausweis;Nachname;Vorname;Personalnummer;E-Mail;Abteilung;Position;Standort;Vorgesetzter;Art;Status;Eintritt;Austritt;Kenntnisse',
      '4711;Muñoz;José;1001;;;;;;Angestellt;Aktiv;08/01/2024;;LDAP | SQL',
      'vier;Muñoz;José;1002;;;;;;Angestellt;Aktiv;08/01/2024;;',
    ].join('\n');
    const { records, rowIssues } = read(text, custom);
    expect(records[0]).toMatchObject({ customFields: { Badge: 4711, Skills: ['LDAP', 'SQL'] } });
    expect(rowIssues).toEqual([
      {
        location: 'row 3',
        workerId: '1002',
        workerKey: `${SOURCE}:1002`,
        field: 'Ausweis',
        message: '"vier" is not a number',
      },
    ]);
  });
});

describe('csvRecordsFromText: what only the planner judges passes through unchanged', () => {
  const workers = hostileWorkers(60, 'OU=x,DC=example,DC=com', 'example.com');

  it('names in every script, injection attempts and control characters reach the records as HR wrote them', () => {
    const rows = workers.map((w) => row({ ...ADA, 'Employee ID': w.id, 'First Name': w.given, 'Last Name': w.family }));
    const { records, rowIssues } = read([DEFAULT_HEADER, ...rows].join('\n'));
    const blankIds = workers.filter((w) => w.id.trim() === '');
    expect(rowIssues).toHaveLength(blankIds.length);
    const byId = new Map(records.map((r) => [(r as { id: string }).id, r as { legalName: Record<string, string> }]));
    for (const w of workers) {
      const name = byId.get(w.id)!.legalName;
      expect(name.first).toBe(w.given.trim() === '' ? undefined : w.given);
      expect(name.last).toBe(w.family.trim() === '' ? undefined : w.family);
    }
  });
});
