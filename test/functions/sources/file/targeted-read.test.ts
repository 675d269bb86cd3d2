/**
 * Targeted reads of the file source (`read({ workerIds })`): only the named workers, read exactly as the
 * whole file reads them — for CSV every row of each, effective-dated rows and withheld rows included —
 * under the same suspect rules, and with a cursor that is never a whole read's.
 */
import { FileHrSource } from '../../../../functions/sources/file/file-hr-source';
import { fileSourceSettings } from '../../../../functions/sources/file/file-source-config';
import type { HrRead, HrSnapshotRead } from '../../../../shared/ports/hr-source.port';
import { memoryFiles } from './memory-files';

const COLUMNS = {
  id: 'Employee ID',
  'legalName.first': 'First Name',
  'legalName.last': 'Last Name',
  employeeType: 'Employee Type',
  employmentStatus: 'Status',
  hireDate: 'Start Date',
  department: 'Department',
  effectiveDate: 'Effective Date',
};
const HEADER = 'Employee ID,First Name,Last Name,Employee Type,Status,Start Date,Department,Effective Date';

/** Worker 1 with a future change, 2 likewise, 3 with a bad date, 4 withheld by a bad dated row, an id-less row. */
const FILE = [
  HEADER,
  '1,Ada,Lovelace,Employee,Active,2024-01-08,Maths,',
  '2,Alan,Turing,Employee,Active,2024-01-08,Crypto,',
  '1,,,,,,Engines,2027-01-04',
  '3,Grace,Hopper,Employee,Active,13/01/2024,Navy,',
  '2,,,,,,Computing,2027-02-01',
  ',Nobody,Known,Employee,Active,2024-01-08,,',
  '4,Katherine,Johnson,Employee,Active,2024-01-08,NASA,',
  '4,,,,,,Flight,31/12/2027',
].join('\n');

function csvSource(content: string) {
  const settings = fileSourceSettings.parse({
    id: 'hr-file',
    kind: 'csv',
    path: 'hr.csv',
    source: 'hr-file',
    csv: { columns: COLUMNS },
  });
  return new FileHrSource(settings, memoryFiles(new Map([['hr.csv', content]])));
}

function jsonSource(content: string) {
  const settings = fileSourceSettings.parse({ id: 'hr-json', kind: 'json', path: 'hr.json', source: 'hr-file' });
  return new FileHrSource(settings, memoryFiles(new Map([['hr.json', content]])));
}

function snapshot(read: HrRead): HrSnapshotRead {
  if (read.kind !== 'snapshot') throw new Error(`expected a snapshot: ${read.reason}`);
  return read;
}

/** The whole read kept to `ids`: what a targeted read must equal. */
function filtered(whole: HrSnapshotRead, ids: readonly string[]) {
  const keep = whole.records.map((r) => ids.includes((r as { id: string }).id));
  return {
    records: whole.records.filter((_, i) => keep[i]),
    locations: whole.locations.filter((_, i) => keep[i]),
    rowIssues: whole.rowIssues.filter((issue) => issue.workerId !== null && ids.includes(issue.workerId)),
  };
}

describe('FileHrSource.read({ workerIds }): CSV', () => {
  it("keeps a worker's current row with its effective-dated rows", async () => {
    const read = snapshot(await csvSource(FILE).read({ workerIds: ['1'] }));
    expect(read.records).toEqual([
      {
        source: 'hr-file',
        id: '1',
        legalName: { first: 'Ada', last: 'Lovelace' },
        employeeType: 'employee',
        employmentStatus: 'active',
        hireDate: '2024-01-08',
        department: 'Maths',
        future: [{ effectiveDate: '2027-01-04', changes: { department: 'Engines' } }],
      },
    ]);
    expect(read.locations).toEqual(['row 2']);
    expect(read.rowIssues).toEqual([]);
  });

  it("gives a worker's row issues, and withholds the worker as the whole read does", async () => {
    const bad = snapshot(await csvSource(FILE).read({ workerIds: ['3'] }));
    expect(bad.records).toEqual([]);
    expect(bad.rowIssues).toEqual([
      {
        location: 'row 5',
        workerId: '3',
        workerKey: 'hr-file:3',
        field: 'Start Date',
        message: '"13/01/2024" is not a date written YYYY-MM-DD',
      },
    ]);
    const withheld = snapshot(await csvSource(FILE).read({ workerIds: ['4'] }));
    expect(withheld.records).toEqual([]);
    expect(withheld.rowIssues.map((i) => `${i.location} ${i.field}`)).toEqual(['row 8 (row)', 'row 9 Effective Date']);
  });

  const SUBSETS: [string, string[]][] = [
    ['1', ['1']],
    ['2', ['2']],
    ['1, 2', ['1', '2']],
    ['2, 3, 4', ['2', '3', '4']],
    ['1, 2, 3, 4', ['1', '2', '3', '4']],
    ['99', ['99']],
    ['no ids', []],
  ];

  it.each(SUBSETS)('reading %s equals the whole read kept to those workers', async (_, ids) => {
    const source = csvSource(FILE);
    const whole = snapshot(await source.read());
    const targeted = snapshot(await source.read({ workerIds: ids }));
    expect({ records: targeted.records, locations: targeted.locations, rowIssues: targeted.rowIssues }).toEqual(
      filtered(whole, ids),
    );
  });

  it('an id the file does not hold gives an empty snapshot, not a suspect read', async () => {
    const read = snapshot(await csvSource(FILE).read({ workerIds: ['99'] }));
    expect(read).toMatchObject({ records: [], locations: [], rowIssues: [] });
  });

  it('trims the requested ids', async () => {
    const read = snapshot(await csvSource(FILE).read({ workerIds: [' 2 '] }));
    expect(read.records).toMatchObject([{ id: '2', future: [{ effectiveDate: '2027-02-01' }] }]);
  });

  it("has a cursor that is not the whole read's, the same for the same ids in any order", async () => {
    const source = csvSource(FILE);
    const whole = snapshot(await source.read()).cursor;
    const oneTwo = snapshot(await source.read({ workerIds: ['1', '2'] })).cursor;
    expect(oneTwo).not.toBe(whole);
    expect(snapshot(await source.read({ workerIds: ['2', '1'] })).cursor).toBe(oneTwo);
    expect(snapshot(await source.read({ workerIds: ['1'] })).cursor).not.toBe(oneTwo);
  });

  const SUSPECT: [string, string, RegExp][] = [
    ['a 0-byte file', '', /is empty \(0 bytes\)$/],
    ['a header alone', `${HEADER}\n`, /has a header row but no workers$/],
    ['a header without a mapped column', 'Employee ID,First Name\n1,Ada\n', /no column "Last Name"/],
    ['an unclosed quote', `${HEADER}\n1,"Ada,Lovelace,Employee,Active,2024-01-08,,\n`, /is not valid CSV/],
  ];

  it.each(SUSPECT)('%s is still a suspect read', async (_, content, reason) => {
    const read = await csvSource(content).read({ workerIds: ['1'] });
    expect(read).toEqual({ kind: 'suspect', reason: expect.stringMatching(reason) });
  });
});

describe('FileHrSource.read({ workerIds }): JSON', () => {
  const ADA = { id: '1', legalName: { first: 'Ada', last: 'Lovelace' }, hireDate: '2024-01-08' };
  const ALAN = { id: '2', source: 'workday', legalName: { first: 'Alan', last: 'Turing' } };
  const GRACE = { id: 3, legalName: { first: 'Grace', last: 'Hopper' } };
  const DOCUMENT = JSON.stringify({ workers: [ADA, 'not a worker', ALAN, GRACE] });

  it('keeps the records with those ids, at their locations', async () => {
    const read = snapshot(await jsonSource(DOCUMENT).read({ workerIds: ['2', '3'] }));
    expect(read.records).toEqual([ALAN, { source: 'hr-file', ...GRACE }]);
    expect(read.locations).toEqual(['record 2', 'record 3']);
    // The entry that is not an object has no worker id: no targeted read names it.
    expect(read.rowIssues).toEqual([]);
  });

  it('an id the file does not hold gives an empty snapshot', async () => {
    const read = snapshot(await jsonSource(DOCUMENT).read({ workerIds: ['99'] }));
    expect(read).toMatchObject({ records: [], locations: [], rowIssues: [] });
    expect(read.cursor).not.toBe(snapshot(await jsonSource(DOCUMENT).read()).cursor);
  });

  it.each([
    ['an empty array', '[]', /holds no worker records$/],
    ['text that is not JSON', '[{"id": ', /is not JSON/],
  ])('%s is still a suspect read', async (_, content, reason) => {
    const read = await jsonSource(content).read({ workerIds: ['1'] });
    expect(read).toEqual({ kind: 'suspect', reason: expect.stringMatching(reason) });
  });
});
