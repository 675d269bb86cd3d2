/**
 * CSV uploads read with a file source's settings: records and row issues as the file source gives them,
 * and what would make that source suspect refuses the upload with the reason.
 */
import { recordsFromCsvUpload, type UploadRead } from '../../../../functions/sources/file/csv-upload';
import { csvSettings } from '../../../../functions/sources/file/file-source-config';

const HEADER = 'Employee ID,First Name,Last Name,Employee Type,Status,Start Date';
const SETTINGS = csvSettings.parse({
  columns: {
    id: 'Employee ID',
    'legalName.first': 'First Name',
    'legalName.last': 'Last Name',
    employeeType: 'Employee Type',
    employmentStatus: 'Status',
    hireDate: 'Start Date',
  },
});

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

function records(read: UploadRead): Extract<UploadRead, { kind: 'records' }> {
  if (read.kind !== 'records') throw new Error(`expected records: ${read.reason}`);
  return read;
}

describe('recordsFromCsvUpload', () => {
  it('reads a good upload into records, their rows and the hash of the bytes', async () => {
    const bytes = utf8(
      `${HEADER}\n1,Ada,Lovelace,Employee,Active,2024-01-08\n2,Alan,Turing,contractor,active,2024-02-01\n`,
    );
    const read = records(await recordsFromCsvUpload(bytes, SETTINGS, 'hr-upload'));
    expect(read.records).toEqual([
      {
        source: 'hr-upload',
        id: '1',
        legalName: { first: 'Ada', last: 'Lovelace' },
        employeeType: 'employee',
        employmentStatus: 'active',
        hireDate: '2024-01-08',
      },
      {
        source: 'hr-upload',
        id: '2',
        legalName: { first: 'Alan', last: 'Turing' },
        employeeType: 'contractor',
        employmentStatus: 'active',
        hireDate: '2024-02-01',
      },
    ]);
    expect(read.locations).toEqual(['row 2', 'row 3']);
    expect(read.rowIssues).toEqual([]);
    expect(read.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(records(await recordsFromCsvUpload(bytes, SETTINGS, 'hr-upload')).sha256).toBe(read.sha256);
  });

  it('a row with a bad column is a row issue naming its row and column; the other rows flow on', async () => {
    const bytes = utf8(
      `${HEADER}\n1,Ada,Lovelace,Employee,Active,2024-01-08\n2,Alan,Turing,Wizard,Active,2024-02-01\n`,
    );
    const read = records(await recordsFromCsvUpload(bytes, SETTINGS, 'hr-upload'));
    expect(read.locations).toEqual(['row 2']);
    expect(read.rowIssues).toEqual([
      {
        location: 'row 3',
        workerId: '2',
        workerKey: 'hr-upload:2',
        field: 'Employee Type',
        message: expect.stringMatching(/^"Wizard" is not a known value/),
      },
    ]);
  });

  it('reads latin1 with another delimiter', async () => {
    const settings = csvSettings.parse({ ...SETTINGS, delimiter: ';', encoding: 'latin1' });
    const bytes = Buffer.from(`${HEADER.replace(/,/g, ';')}\r\n1;Zoë;Muñoz;Employee;Active;2024-01-08\r\n`, 'latin1');
    const read = records(await recordsFromCsvUpload(bytes, settings, 'hr-upload'));
    expect(read.records).toMatchObject([{ legalName: { first: 'Zoë', last: 'Muñoz' } }]);
  });

  it('ignores a UTF-8 byte-order mark, in UTF-8 and in latin1', async () => {
    const text = `\uFEFF${HEADER}\n1,Ada,Lovelace,Employee,Active,2024-01-08\n`;
    const read = records(await recordsFromCsvUpload(utf8(text), SETTINGS, 'hr-upload'));
    expect(read.records).toMatchObject([{ id: '1' }]);
    const latin1 = csvSettings.parse({ ...SETTINGS, encoding: 'latin1' });
    expect(records(await recordsFromCsvUpload(utf8(text), latin1, 'hr-upload')).records).toMatchObject([{ id: '1' }]);
  });

  const REFUSED: [string, string, RegExp][] = [
    ['an empty upload', '', /^the upload is empty \(0 bytes\)$/],
    ['a byte-order mark alone', '\uFEFF', /^the upload holds no rows$/],
    ['a header alone', `${HEADER}\r\n`, /^the upload has a header row but no workers$/],
    ['a header and blank rows', `${HEADER}\n,,,,,\n`, /^the upload has a header row but no workers$/],
    [
      'a missing mapped column',
      'Employee ID,First Name,Employee Type,Status,Start Date\n1,Ada,Employee,Active,2024-01-08\n',
      /^the upload cannot be read as configured: legalName\.last: the header row has no column "Last Name"$/,
    ],
    ['an unclosed quote', `${HEADER}\n1,"Ada,Lovelace,Employee,Active,2024-01-08\n`, /^the upload is not valid CSV: /],
  ];

  it.each(REFUSED)('%s is refused with the reason', async (_, text, reason) => {
    expect(await recordsFromCsvUpload(utf8(text), SETTINGS, 'hr-upload')).toEqual({
      kind: 'refused',
      reason: expect.stringMatching(reason),
    });
  });

  it('reads a 100,000-row upload in bounded memory', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `${i},Ada ${i},"Love, lace",Employee,Active,2024-01-08`);
    const bytes = utf8(`${HEADER}\n${rows.join('\n')}\n`);
    rows.length = 0;
    const before = process.memoryUsage().heapUsed;
    const read = records(await recordsFromCsvUpload(bytes, SETTINGS, 'hr-upload'));
    const grown = process.memoryUsage().heapUsed - before;
    expect(read.records).toHaveLength(100_000);
    expect(read.locations[99_999]).toBe('row 100001');
    expect(read.records[99_999]).toMatchObject({ id: '99999', legalName: { first: 'Ada 99999', last: 'Love, lace' } });
    expect(read.rowIssues).toEqual([]);
    // The records themselves take about 60 MiB; the bound is loose enough for any collector's timing and
    // fails only when reading costs several times what the records do.
    expect(grown).toBeLessThan(256 * 2 ** 20);
  });
});
