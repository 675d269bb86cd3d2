/**
 * File source settings: defaults filled in, every problem reported at once with its path, frozen once
 * valid, and a JSON Schema for editors.
 */
import {
  DEFAULT_CSV_COLUMNS,
  fileSourceSettingsJsonSchema,
  parseFileSourceSettings,
} from '../../../../functions/sources/file/file-source-config';

const MINIMAL = { id: 'hr-file', kind: 'csv', path: 'data/hr.csv', source: 'hr-file' };

describe('file source settings', () => {
  it('fill in the defaults: comma, UTF-8, the default layout, every five minutes, hold empty files', () => {
    const parsed = parseFileSourceSettings(MINIMAL);
    expect(parsed).toEqual({
      ok: true,
      value: {
        ...MINIMAL,
        schedule: '0 */5 * * * *',
        suspect: { emptyFile: 'hold' },
        csv: { delimiter: ',', encoding: 'utf8', columns: DEFAULT_CSV_COLUMNS },
      },
    });
    if (parsed.ok && parsed.value.kind === 'csv') expect(Object.isFrozen(parsed.value.csv)).toBe(true);
  });

  it('report every problem at once, each with its path', () => {
    const parsed = parseFileSourceSettings({
      id: 'HR File',
      kind: 'csv',
      path: '',
      source: 'HR',
      schedule: '*/5 * * * *',
      surprise: true,
      csv: {
        delimiter: '"',
        encoding: 'utf16',
        columns: {
          id: 'Employee ID',
          'legalName.first': { header: 'First', dateFormat: 'DD/MM/YYYY' },
          nickname: 'Nick',
          'customFields.9lives': 'Lives',
          employeeType: { header: 'Type', values: { Freelancer: 'freelancer' } },
          'customFields.Tags': { header: 'Tags', separator: ',' },
        },
      },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((i) => i.path).sort()).toEqual(
      [
        '(root)',
        'id',
        'path',
        'source',
        'schedule',
        'csv.delimiter',
        'csv.encoding',
        'csv.columns.legalName.first',
        'csv.columns.nickname',
        'csv.columns.customFields.9lives',
        'csv.columns.employeeType',
        'csv.columns.customFields.Tags',
        'csv.columns.legalName.last',
        'csv.columns.employmentStatus',
        'csv.columns.hireDate',
      ].sort(),
    );
  });

  it('JSON sources take no CSV settings', () => {
    const parsed = parseFileSourceSettings({ ...MINIMAL, kind: 'json', csv: {} });
    expect(parsed).toEqual({ ok: false, issues: [expect.objectContaining({ path: '(root)' })] });
  });

  it('have a JSON Schema with an $id', () => {
    const schema = fileSourceSettingsJsonSchema();
    expect(schema.$id).toBe('https://hr2ad.dev/schemas/file-source-settings.v1.schema.json');
    expect(JSON.stringify(schema)).toContain('"Employee ID"');
  });
});
