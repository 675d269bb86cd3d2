/**
 * The file HR source over an in-memory file system (and once over the real one): snapshots with a
 * content-hash cursor, suspect reads that name the file, encodings, JSON, and a large streamed file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileHrSource } from '../../../../functions/sources/file/file-hr-source';
import {
  fileSourceSettings,
  type FileSourceSettingsInput,
} from '../../../../functions/sources/file/file-source-config';
import type { HrRead, HrSnapshotRead } from '../../../../shared/ports/hr-source.port';
import { memoryFiles } from './memory-files';

const HEADER = 'Employee ID,First Name,Last Name,Employee Type,Status,Start Date';
const MINIMAL_COLUMNS = {
  id: 'Employee ID',
  'legalName.first': 'First Name',
  'legalName.last': 'Last Name',
  employeeType: 'Employee Type',
  employmentStatus: 'Status',
  hireDate: 'Start Date',
};

function csvSource(
  files: Map<string, Uint8Array | string>,
  extra: Partial<FileSourceSettingsInput> = {},
  chunkSize = 7,
) {
  const settings = fileSourceSettings.parse({
    id: 'hr-file',
    kind: 'csv',
    path: 'data/hr.csv',
    source: 'hr-file',
    csv: { columns: MINIMAL_COLUMNS },
    ...extra,
  });
  return new FileHrSource(settings, memoryFiles(files, chunkSize));
}

function snapshot(read: HrRead): HrSnapshotRead {
  if (read.kind !== 'snapshot') throw new Error(`expected a snapshot: ${read.reason}`);
  return read;
}

describe('FileHrSource: CSV', () => {
  it('reads every row, with locations and a sha256 cursor', async () => {
    const files = new Map([['data/hr.csv', `${HEADER}\n1,Ada,Lovelace,Employee,Active,2024-01-08\n`]]);
    const read = snapshot(await csvSource(files).read());
    expect(read.records).toEqual([
      {
        source: 'hr-file',
        id: '1',
        legalName: { first: 'Ada', last: 'Lovelace' },
        employeeType: 'employee',
        employmentStatus: 'active',
        hireDate: '2024-01-08',
      },
    ]);
    expect(read.locations).toEqual(['row 2']);
    expect(read.cursor).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('changes its cursor exactly when the content changes', async () => {
    const files = new Map([['data/hr.csv', `${HEADER}\n1,Ada,Lovelace,Employee,Active,2024-01-08\n`]]);
    const source = csvSource(files);
    const first = snapshot(await source.read()).cursor;
    expect(snapshot(await source.read()).cursor).toBe(first);
    files.set('data/hr.csv', `${HEADER}\n1,Ada,Byron,Employee,Active,2024-01-08\n`);
    const changed = snapshot(await source.read()).cursor;
    expect(changed).not.toBe(first);
    files.set('data/hr.csv', `${HEADER}\n1,Ada,Lovelace,Employee,Active,2024-01-08\n`);
    expect(snapshot(await source.read()).cursor).toBe(first);
  });

  it('decodes UTF-8 across chunk boundaries and strips a byte-order mark; CRLF is fine', async () => {
    const text = `\uFEFF${HEADER}\r\n1,王伟,Ångström,Employee,Active,2024-01-08\r\n`;
    const read = snapshot(await csvSource(new Map([['data/hr.csv', text]])).read());
    expect(read.records[0]).toMatchObject({ id: '1', legalName: { first: '王伟', last: 'Ångström' } });
  });

  it('reads latin1 files with another delimiter', async () => {
    const bytes = Buffer.from(`${HEADER.replace(/,/g, ';')}\r\n1;Zoë;Muñoz;Employee;Active;2024-01-08\r\n`, 'latin1');
    const source = csvSource(new Map([['data/hr.csv', bytes]]), {
      csv: { delimiter: ';', encoding: 'latin1', columns: MINIMAL_COLUMNS },
    });
    expect(snapshot(await source.read()).records[0]).toMatchObject({ legalName: { first: 'Zoë', last: 'Muñoz' } });
  });

  it('passes row issues on beside the records', async () => {
    const text = `${HEADER}\n1,Ada,Lovelace,Employee,Active,2024-01-08\n2,Alan,Turing,Employee,Active,08/01/2024\n`;
    const read = snapshot(await csvSource(new Map([['data/hr.csv', text]])).read());
    expect(read.records).toHaveLength(1);
    expect(read.rowIssues).toEqual([
      {
        location: 'row 3',
        workerId: '2',
        workerKey: 'hr-file:2',
        field: 'Start Date',
        message: '"08/01/2024" is not a date written YYYY-MM-DD',
      },
    ]);
  });

  /** Each file content, and how the suspect reason ends (it always starts by naming the file). */
  const SUSPECT: [string, string | null, RegExp][] = [
    ['a missing file', null, /does not exist$/],
    ['a 0-byte file', '', /is empty \(0 bytes\)$/],
    ['a header alone', `${HEADER}\r\n`, /has a header row but no workers$/],
    ['a header and blank lines', `${HEADER}\n\n,,,,,\n`, /has a header row but no workers$/],
    ['a header without a mapped column', 'Employee ID,First Name\n1,Ada\n', /no column "Last Name"/],
    ['an unclosed quote', `${HEADER}\n1,"Ada,Lovelace,Employee,Active,2024-01-08\n`, /is not valid CSV/],
  ];

  it.each(SUSPECT)('%s is a suspect read naming the file', async (_, content, reason) => {
    const files = new Map<string, string>(content === null ? [] : [['data/hr.csv', content]]);
    const read = await csvSource(files).read();
    expect(read).toEqual({ kind: 'suspect', reason: expect.stringMatching(reason) });
    if (read.kind === 'suspect') expect(read.reason.startsWith('the file "data/hr.csv" ')).toBe(true);
  });

  it('reads an empty file as an empty snapshot when configured to accept it', async () => {
    const source = csvSource(new Map([['data/hr.csv', `${HEADER}\n`]]), { suspect: { emptyFile: 'accept' } });
    expect(snapshot(await source.read()).records).toEqual([]);
  });

  it('streams a 50,000-row file', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => `${i},Ada ${i},"Love, lace",Employee,Active,2024-01-08`);
    const files = new Map([['data/hr.csv', `${HEADER}\n${rows.join('\n')}\n`]]);
    const read = snapshot(await csvSource(files, {}, 1 << 16).read());
    expect(read.records).toHaveLength(50_000);
    expect(read.locations[49_999]).toBe('row 50001');
    expect(read.rowIssues).toEqual([]);
  });

  it('reads from the real file system by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hr2ad-file-source-'));
    try {
      const path = join(dir, 'hr.csv');
      writeFileSync(path, `${HEADER}\n1,Ada,Lovelace,Employee,Active,2024-01-08\n`);
      const settings = { id: 'hr-file', kind: 'csv', path, source: 'hr-file', csv: { columns: MINIMAL_COLUMNS } };
      const source = new FileHrSource(fileSourceSettings.parse(settings));
      expect(snapshot(await source.read()).records).toHaveLength(1);
      const missing = new FileHrSource(fileSourceSettings.parse({ ...settings, path: join(dir, 'gone.csv') }));
      expect(await missing.read()).toEqual({
        kind: 'suspect',
        reason: expect.stringMatching(/gone\.csv" does not exist$/),
      });
      const directory = new FileHrSource(fileSourceSettings.parse({ ...settings, path: dir }));
      expect(await directory.read()).toEqual({ kind: 'suspect', reason: expect.stringMatching(/is not a file$/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('FileHrSource: JSON', () => {
  function jsonSource(files: Map<string, string>) {
    const settings = fileSourceSettings.parse({ id: 'hr-json', kind: 'json', path: 'hr.json', source: 'hr-file' });
    return new FileHrSource(settings, memoryFiles(files));
  }
  const ADA = { id: '1', legalName: { first: 'Ada', last: 'Lovelace' }, hireDate: '2024-01-08' };

  it('reads an array or {workers: [...]}, giving records without a source the configured one', async () => {
    const workday = { ...ADA, id: '2', source: 'workday' };
    const asArray = snapshot(await jsonSource(new Map([['hr.json', JSON.stringify([ADA, workday])]])).read());
    const wrapped = snapshot(
      await jsonSource(new Map([['hr.json', `\uFEFF${JSON.stringify({ workers: [ADA, workday] })}`]])).read(),
    );
    expect(asArray.records).toEqual([{ source: 'hr-file', ...ADA }, workday]);
    expect(wrapped.records).toEqual(asArray.records);
    expect(asArray.locations).toEqual(['record 0', 'record 1']);
  });

  it('an entry that is not an object is a row issue; the others flow on', async () => {
    const read = snapshot(await jsonSource(new Map([['hr.json', JSON.stringify([ADA, 'Alan', null])]])).read());
    expect(read.records).toHaveLength(1);
    expect(read.rowIssues).toEqual([
      {
        location: 'record 1',
        workerId: null,
        workerKey: null,
        field: '(root)',
        message: 'must be a worker record (an object), not a string',
      },
      {
        location: 'record 2',
        workerId: null,
        workerKey: null,
        field: '(root)',
        message: 'must be a worker record (an object), not null',
      },
    ]);
  });

  const SUSPECT: [string, string | null, RegExp][] = [
    ['a missing file', null, /does not exist$/],
    ['a 0-byte file', '', /is empty \(0 bytes\)$/],
    ['an empty array', '[]', /holds no worker records$/],
    ['an empty workers list', '{"workers": []}', /holds no worker records$/],
    ['text that is not JSON', '[{"id": ', /is not JSON/],
    ['an object without workers', '{"people": []}', /must be an array of worker records/],
  ];

  it.each(SUSPECT)('%s is a suspect read', async (_, content, reason) => {
    const read = await jsonSource(new Map(content === null ? [] : [['hr.json', content]])).read();
    expect(read).toEqual({ kind: 'suspect', reason: expect.stringMatching(reason) });
  });
});
