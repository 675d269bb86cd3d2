/**
 * Settings of one file HR source: where the file is, how to read it, and (for CSV) which column holds
 * which canonical worker field. Every object rejects unknown keys (a typo is an error, not a silently
 * ignored setting) and every problem is reported at once, validated when the control plane starts.
 *
 * The column map names, for each canonical field path, the CSV header it is read from:
 *
 *     { "id": "Employee ID", "legalName.first": "First Name", "hireDate": "Start Date",
 *       "customFields.Badge": { "header": "Badge", "type": "number" } }
 *
 * Field paths: `id`, `source`, `legalName.first|middle|last`, `preferredName.first|middle|last`,
 * `email`, `phone.work|mobile`, `department`, `title`, `costCenter`, `location`, `company`,
 * `managerId`, `employeeType`, `employmentStatus`, `hireDate`, `terminationDate`, `timeZone`,
 * `previousId`, `customFields.<Name>`, and `effectiveDate` — not a worker field but the column that
 * marks effective-dated rows (see `csv-records.ts`: a row with an effective date lists changes that
 * take effect that day; the row without one is the worker's current record).
 *
 * Every mapped header must be in the file's header row, or the read is suspect: a renamed column must
 * not read as "every worker's department was cleared".
 */
import { CronPattern } from 'croner';
import { z } from 'zod';
import { deepFreeze } from '../../../shared/util/deep-freeze';
import { webhookSettings } from '../../ingest/webhook-settings';
import { issuesFromZod, ok, fail, type Result } from '../../../shared/util/result';
import { customFieldName, workerSchema } from '../../../shared/worker/worker-schema';

/** Date layouts a date column may use; `YYYY-MM-DD` is the default (BambooHR's `0000-00-00` reads as empty). */
export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** How a custom field's cell becomes a value: text (default), a number, a boolean, or a list of text. */
export const CUSTOM_FIELD_TYPES = ['string', 'number', 'boolean', 'list'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Field paths read as text (the worker schema checks them). */
const TEXT_FIELDS = [
  'id',
  'source',
  'legalName.first',
  'legalName.middle',
  'legalName.last',
  'preferredName.first',
  'preferredName.middle',
  'preferredName.last',
  'email',
  'phone.work',
  'phone.mobile',
  'department',
  'title',
  'costCenter',
  'location',
  'company',
  'managerId',
  'timeZone',
  'previousId',
] as const;

/** Field paths whose cells are dates, converted from the column's `dateFormat` to `YYYY-MM-DD`. */
export const DATE_FIELDS = ['hireDate', 'terminationDate', 'effectiveDate'] as const;

/** Field paths whose values must be one of the worker schema's values once the value map applied. */
export const ENUM_FIELDS = {
  employeeType: workerSchema.shape.employeeType.options,
  employmentStatus: workerSchema.shape.employmentStatus.options,
} as const;

export type BuiltInFieldPath = (typeof TEXT_FIELDS)[number] | (typeof DATE_FIELDS)[number] | keyof typeof ENUM_FIELDS;

const BUILT_IN_FIELDS: ReadonlySet<string> = new Set<string>([
  ...TEXT_FIELDS,
  ...DATE_FIELDS,
  ...Object.keys(ENUM_FIELDS),
]);

/** Fields a file must map: without them every row would be quarantined, so it is a configuration error. */
export const REQUIRED_FIELDS = [
  'id',
  'legalName.first',
  'legalName.last',
  'employeeType',
  'employmentStatus',
  'hireDate',
] as const;

export const CUSTOM_FIELD_PREFIX = 'customFields.';

const header = z.string().trim().min(1, 'a header may not be empty').max(256);

/** One column with options; a bare header string is the same with every option at its default. */
export const columnOptions = z.strictObject({
  /** The CSV header, matched exactly after trimming spaces. */
  header,
  /** Date columns only: how the dates are written (default `YYYY-MM-DD`). */
  dateFormat: z.enum(DATE_FORMATS).optional(),
  /**
   * HR's words → canonical values, e.g. `{ "Full-Time": "employee", "Contractor": "contractor" }`.
   * Matched ignoring case and surrounding spaces. For `employeeType` and `employmentStatus` a value
   * neither in the map nor already canonical is a row issue; for other columns it passes through.
   */
  values: z.record(z.string(), z.string()).optional(),
  /** Custom fields only: how the cell becomes a value (default `string`). */
  type: z.enum(CUSTOM_FIELD_TYPES).optional(),
  /** `list` custom fields only: what separates the items (default `;`). */
  separator: z.string().min(1).max(8).optional(),
});
export type ColumnOptions = z.infer<typeof columnOptions>;

export const columnSpec = z.union([header, columnOptions]);
export type ColumnSpec = z.infer<typeof columnSpec>;

/** Why `path` cannot be a column map key, or null. */
function fieldPathProblem(path: string): string | null {
  if (BUILT_IN_FIELDS.has(path)) return null;
  if (path.startsWith(CUSTOM_FIELD_PREFIX)) {
    const name = customFieldName.safeParse(path.slice(CUSTOM_FIELD_PREFIX.length));
    return name.success ? null : `custom field name ${name.error.issues[0]!.message}`;
  }
  return `"${path}" is not a worker field (e.g. "id", "legalName.first", "hireDate", "customFields.Badge")`;
}

/** Why the options do not fit the field, or null. */
function optionsProblem(path: string, spec: ColumnSpec): string | null {
  if (typeof spec === 'string') return null;
  const isDate = (DATE_FIELDS as readonly string[]).includes(path);
  const isCustom = path.startsWith(CUSTOM_FIELD_PREFIX);
  if (spec.dateFormat !== undefined && !isDate) return 'dateFormat applies to date columns only';
  if (spec.type !== undefined && !isCustom) return 'type applies to custom fields only';
  if (spec.separator !== undefined && spec.type !== 'list') return 'separator applies to custom fields of type "list"';
  const allowed = (ENUM_FIELDS as Record<string, readonly string[]>)[path];
  const bad = allowed ? Object.values(spec.values ?? {}).find((v) => !allowed.includes(v)) : undefined;
  if (bad !== undefined) return `values: "${bad}" is not one of ${allowed!.join(', ')}`;
  return null;
}

/** Canonical field path → CSV column. */
export const columnMap = z.record(z.string(), columnSpec).superRefine((map, ctx) => {
  for (const [path, spec] of Object.entries(map)) {
    const problem = fieldPathProblem(path) ?? optionsProblem(path, spec);
    if (problem) ctx.addIssue({ code: 'custom', path: [path], message: problem });
  }
  for (const path of REQUIRED_FIELDS) {
    if (!(path in map)) ctx.addIssue({ code: 'custom', path: [path], message: `"${path}" must be mapped to a column` });
  }
});
export type ColumnMap = z.infer<typeof columnMap>;

/**
 * The documented default layout (what `examples/sample/workers.csv` uses), with the HR words most
 * exports use for employee types and statuses (BambooHR's Full-Time/Part-Time, Workday's Contingent).
 */
export const DEFAULT_CSV_COLUMNS: ColumnMap = deepFreeze({
  id: 'Employee ID',
  'legalName.first': 'First Name',
  'legalName.middle': 'Middle Name',
  'legalName.last': 'Last Name',
  'preferredName.first': 'Preferred First Name',
  'preferredName.last': 'Preferred Last Name',
  email: 'Work Email',
  'phone.work': 'Work Phone',
  'phone.mobile': 'Mobile Phone',
  department: 'Department',
  title: 'Job Title',
  costCenter: 'Cost Center',
  location: 'Location',
  company: 'Company',
  managerId: 'Manager ID',
  employeeType: {
    header: 'Employee Type',
    values: {
      'Full-Time': 'employee',
      'Part-Time': 'employee',
      Employee: 'employee',
      Contractor: 'contractor',
      Contingent: 'contractor',
      Intern: 'intern',
      Temporary: 'temporary',
      Other: 'other',
    },
  },
  employmentStatus: {
    header: 'Status',
    values: {
      Active: 'active',
      'On Leave': 'on-leave',
      Leave: 'on-leave',
      Terminated: 'terminated',
      Rescinded: 'rescinded',
      'Hire Rescinded': 'rescinded',
    },
  },
  hireDate: 'Start Date',
  terminationDate: 'Termination Date',
  timeZone: 'Time Zone',
  previousId: 'Previous Employee ID',
  effectiveDate: 'Effective Date',
});

/** A single character that is not a quote or a line break. */
const delimiter = z
  .string()
  .length(1, 'must be one character, e.g. "," ";" "|" or a tab')
  .refine((d) => !['"', '\n', '\r'].includes(d), 'may not be a quote or a line break');

export const csvSettings = z.strictObject({
  /** Field separator (default `,`). */
  delimiter: delimiter.default(','),
  /** The file's encoding (default `utf8`; `latin1` for older Windows exports). A UTF-8 BOM is ignored. */
  encoding: z.enum(['utf8', 'latin1']).default('utf8'),
  /** Canonical field path → column (default `DEFAULT_CSV_COLUMNS`). */
  columns: columnMap.default(DEFAULT_CSV_COLUMNS),
});
export type CsvSettings = z.infer<typeof csvSettings>;

/** The CSV settings with every default. */
export const DEFAULT_CSV_SETTINGS: CsvSettings = deepFreeze(csvSettings.parse({}));

/** Azure Functions' timer syntax (NCRONTAB): six fields, seconds first; the default runs every five minutes. */
export const ncrontab = z.string().superRefine((value, ctx) => {
  try {
    new CronPattern(value, undefined, { mode: '6-part' });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    ctx.addIssue({ code: 'custom', message: `not an NCRONTAB schedule (six fields, seconds first): ${reason}` });
  }
});

const common = {
  /** The source's id, the key of its cursor: lower-case letters and digits in dash-separated words. */
  id: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be a kebab-case id such as "hr-file"'),
  /** The file's path (relative paths are resolved against the host's working directory). */
  path: z.string().min(1, 'may not be empty'),
  /** The worker key's `source` for records that do not say (e.g. `hr-file`). */
  source: workerSchema.shape.source,
  /** When the file is read (NCRONTAB, default every five minutes). */
  schedule: ncrontab.default('0 */5 * * * *'),
  /** What makes a read suspect instead of a snapshot. */
  suspect: z
    .strictObject({
      /**
       * An empty file (0 bytes, a header only, `[]`): `hold` (default) reports the read as suspect;
       * `accept` reads it as a snapshot with no workers (for a feed that can legitimately be empty).
       */
      emptyFile: z.enum(['hold', 'accept']).default('hold'),
    })
    .default({ emptyFile: 'hold' }),
  /** A signed webhook (`POST …/api/sources/<id>/webhook`) that makes hr2ad read the workers it names now. */
  webhook: webhookSettings.optional(),
};

const csvSource = z.strictObject({
  kind: z.literal('csv'),
  ...common,
  csv: csvSettings.default(DEFAULT_CSV_SETTINGS),
});

/** JSON: an array of canonical worker records, or `{ "workers": [...] }`. */
const jsonSource = z.strictObject({ kind: z.literal('json'), ...common });

/** One file source's settings. */
export const fileSourceSettings = z.discriminatedUnion('kind', [csvSource, jsonSource]);
export type FileSourceSettings = z.infer<typeof fileSourceSettings>;
export type FileSourceSettingsInput = z.input<typeof fileSourceSettings>;

/** Validates settings once at start: every problem at once, or the deep-frozen settings with defaults. */
export function parseFileSourceSettings(input: unknown): Result<FileSourceSettings> {
  const parsed = fileSourceSettings.safeParse(input);
  return parsed.success ? ok(deepFreeze(parsed.data)) : fail(issuesFromZod(parsed.error));
}

/** Where the schema is published (and its `$id`). */
export const FILE_SOURCE_SETTINGS_SCHEMA_FILE = 'file-source-settings.v1.schema.json';

/** The JSON Schema of a file source's settings, for editors (as written: defaults optional). */
export function fileSourceSettingsJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://hr2ad.dev/schemas/${FILE_SOURCE_SETTINGS_SCHEMA_FILE}`,
    title: 'hr2ad file HR source settings (version 1)',
    ...z.toJSONSchema(fileSourceSettings, { io: 'input' }),
  };
}
