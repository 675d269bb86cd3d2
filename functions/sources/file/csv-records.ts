/**
 * CSV rows → canonical worker records, in any column layout (a column map says which header holds
 * which field). Pure: text in, records out; the file source feeds it rows as it streams a file.
 *
 * The source turns cells into canonical shapes only; it does not judge the worker. A date it cannot
 * read, an employee type or status it does not know, an empty id or a row with the wrong number of
 * cells cannot become a record at all, so it is a row issue (`row 12`, the header being row 1, and
 * the column's header). Everything else — control characters, a termination before the hire, a
 * duplicated id — goes to the planner, which validates each record and quarantines the bad ones.
 *
 * Effective dating. A row with an empty effective-date cell is the worker's current record. Further
 * rows with the same id and an effective date are changes HR has recorded for that day: each becomes
 * one `future` entry holding the changeable fields whose cells are filled (an empty cell changes
 * nothing, so these rows usually fill only what changes). A name part fills in the rest of the name
 * from the current row, as the canonical entry needs a whole name. Identity and lifecycle columns
 * (id, status, start, termination, previous id) cannot be effective-dated: in such a row they must be
 * empty or repeat the current row's value. When any row of a worker cannot be read, every row of that
 * worker is withheld: planning a worker without one of their changes would plan the wrong thing.
 */
import { parse, type Options } from 'csv-parse/sync';
import type { SourceRowIssue } from '../../../shared/ports/hr-source.port';
import { parseCalendarDate } from '../../../shared/time/calendar-date';
import { fail, ok, type Issue, type Result } from '../../../shared/util/result';
import {
  CUSTOM_FIELD_PREFIX,
  DATE_FIELDS,
  ENUM_FIELDS,
  type ColumnOptions,
  type CsvSettings,
  type DateFormat,
} from './file-source-config';

/** What a file became: records for the planner, where each came from, and what could not be read. */
export interface SourceRecords {
  readonly records: unknown[];
  /** `row N` for each record, in the same order. */
  readonly locations: string[];
  readonly rowIssues: SourceRowIssue[];
}

/** The csv-parse options for a source's settings (shared by the text and the streaming readers). */
export function csvParseOptions(settings: CsvSettings): Options {
  return {
    delimiter: settings.delimiter,
    // Row lengths are checked per row (one short row is a row issue, not a failed file).
    relax_column_count: true,
    // A stray quote inside an unquoted cell (O"Brien) stays as text instead of failing the file.
    relax_quotes: true,
    bom: true,
  };
}

interface Column {
  readonly path: string;
  readonly header: string;
  readonly index: number;
  readonly options: ColumnOptions;
  /** The value map keyed by lower-cased, trimmed HR word. */
  readonly values: ReadonlyMap<string, string>;
}

type Converted = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

const EMPTY = { ok: true, value: undefined } as const;
const IDENTITY_FIELDS = ['id', 'source', 'employmentStatus', 'hireDate', 'terminationDate', 'previousId'];
const NAME_GROUPS = ['legalName', 'preferredName'];

function columnsOf(header: readonly string[], settings: CsvSettings): Result<Column[]> {
  const trimmed = header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const issues: Issue[] = [];
  const columns: Column[] = [];
  for (const [path, spec] of Object.entries(settings.columns)) {
    const options: ColumnOptions = typeof spec === 'string' ? { header: spec } : spec;
    const name = options.header.trim();
    const index = trimmed.indexOf(name);
    if (index < 0) issues.push({ path, message: `the header row has no column "${name}"` });
    else if (trimmed.indexOf(name, index + 1) >= 0)
      issues.push({ path, message: `the header row has the column "${name}" more than once` });
    else {
      const values = new Map(Object.entries(options.values ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v]));
      columns.push({ path, header: name, index, options, values });
    }
  }
  return issues.length ? fail(issues) : ok(columns);
}

const DATE_SHAPES: Record<DateFormat, { pattern: RegExp; order: [number, number, number] }> = {
  'YYYY-MM-DD': { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, order: [1, 2, 3] },
  'DD/MM/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 2, 1] },
  'MM/DD/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 1, 2] },
};

function convertDate(text: string, format: DateFormat): Converted {
  // BambooHR writes an empty date as 0000-00-00.
  if (text === '0000-00-00') return EMPTY;
  const { pattern, order } = DATE_SHAPES[format];
  const m = pattern.exec(text);
  const iso = m ? `${m[order[0]]}-${m[order[1]]!.padStart(2, '0')}-${m[order[2]]!.padStart(2, '0')}` : null;
  if (iso && parseCalendarDate(iso)) return { ok: true, value: iso };
  return { ok: false, message: `"${text}" is not a date written ${format}` };
}

function convertEnum(text: string, column: Column, allowed: readonly string[]): Converted {
  const key = text.toLowerCase();
  const value = column.values.get(key) ?? allowed.find((a) => a === key);
  if (value !== undefined) return { ok: true, value };
  const known = [...new Set([...Object.keys(column.options.values ?? {}), ...allowed])].join(', ');
  return { ok: false, message: `"${text}" is not a known value (known: ${known})` };
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

function convertCustom(text: string, column: Column): Converted {
  const mapped = column.values.get(text.toLowerCase()) ?? text;
  switch (column.options.type ?? 'string') {
    case 'string':
      return { ok: true, value: mapped };
    case 'list': {
      const items = mapped.split(column.options.separator ?? ';').map((s) => s.trim());
      return { ok: true, value: items.filter((s) => s !== '') };
    }
    case 'number': {
      const n = Number(mapped);
      return mapped !== '' && Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, message: `"${text}" is not a number` };
    }
    case 'boolean': {
      const word = mapped.toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return { ok: false, message: `"${text}" is not yes/no or true/false` };
    }
  }
}

/** One cell as its field's canonical value; `undefined` for an empty cell. */
function convertCell(cell: string, column: Column): Converted {
  const text = cell.trim();
  if (text === '') return EMPTY;
  const { path } = column;
  if ((DATE_FIELDS as readonly string[]).includes(path))
    return convertDate(text, column.options.dateFormat ?? 'YYYY-MM-DD');
  const allowed = (ENUM_FIELDS as Record<string, readonly string[]>)[path];
  if (allowed) return convertEnum(text, column, allowed);
  if (path.startsWith(CUSTOM_FIELD_PREFIX)) return convertCustom(text, column);
  // Text keeps its spaces: the worker schema trims, and reports control characters at HR's positions.
  return { ok: true, value: column.values.get(text.toLowerCase()) ?? (path === 'source' ? text : cell) };
}

type Values = Map<string, unknown>;

/** Puts `value` at a dotted field path of `target`. */
function put(target: Record<string, unknown>, path: string, value: unknown): void {
  const dot = path.indexOf('.');
  if (dot < 0) {
    target[path] = value;
    return;
  }
  const group = path.slice(0, dot);
  const inner = (target[group] ??= {}) as Record<string, unknown>;
  inner[path.slice(dot + 1)] = value;
}

/** The current row as a canonical record (only filled cells; the schema supplies the rest). */
function recordOf(values: Values, source: string): Record<string, unknown> {
  const record: Record<string, unknown> = { source };
  for (const [path, value] of values) if (path !== 'effectiveDate') put(record, path, value);
  if (record.preferredName)
    record.preferredName = { first: null, middle: null, last: null, ...(record.preferredName as object) };
  if (record.phone) record.phone = { work: null, mobile: null, ...(record.phone as object) };
  return record;
}

/** An effective-dated row as a `future` entry's changes, names completed from the current record. */
function changesOf(values: Values, current: Record<string, unknown>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [path, value] of values) {
    if (path !== 'effectiveDate' && !IDENTITY_FIELDS.includes(path)) put(changes, path, value);
  }
  for (const group of NAME_GROUPS) {
    if (changes[group]) {
      const base = (current[group] as object | undefined) ?? {};
      changes[group] = { first: null, middle: null, last: null, ...base, ...(changes[group] as object) };
    }
  }
  return changes;
}

interface CurrentRow {
  readonly kind: 'current';
  readonly row: number;
  readonly key: string;
  readonly record: Record<string, unknown>;
}

interface FutureRow {
  readonly kind: 'future';
  readonly row: number;
  readonly key: string;
  readonly effectiveDate: string;
  readonly values: Values;
}

interface BadRow {
  readonly kind: 'bad';
  readonly row: number;
  readonly key: string | null;
  readonly issues: SourceRowIssue[];
}

type RowEntry = CurrentRow | FutureRow | BadRow;

/**
 * Builds records from a file's rows, fed one at a time in file order (so a huge file never has to be
 * held as text or as rows), and groups effective-dated rows with their worker at the end.
 */
export class CsvRecordBuilder {
  private readonly entries: RowEntry[] = [];
  private rowsWithCells = 0;
  private readonly idColumn: Column;
  private readonly sourceColumn: Column | undefined;
  private readonly dateColumn: Column | undefined;

  private constructor(
    private readonly columns: readonly Column[],
    private readonly width: number,
    private readonly source: string,
    private readonly only: ReadonlySet<string> | undefined,
  ) {
    this.idColumn = columns.find((c) => c.path === 'id')!;
    this.sourceColumn = columns.find((c) => c.path === 'source');
    this.dateColumn = columns.find((c) => c.path === 'effectiveDate');
  }

  /**
   * A builder for a file with this header row; fails when a mapped column is missing or repeated.
   * With `workerIds`, only the rows of those workers are kept — every row of each, so a worker reads
   * exactly as in the whole file (their effective-dated rows, and withheld when one of them is bad).
   */
  static forHeader(
    header: readonly string[],
    settings: CsvSettings,
    source: string,
    workerIds?: ReadonlySet<string>,
  ): Result<CsvRecordBuilder> {
    const columns = columnsOf(header, settings);
    return columns.ok ? ok(new CsvRecordBuilder(columns.value, header.length, source, workerIds)) : columns;
  }

  /** How many rows with a filled cell were added, kept or not: whether the file holds workers at all. */
  get rowsRead(): number {
    return this.rowsWithCells;
  }

  /** Adds the row numbered `row` (the header is row 1). Rows whose cells are all empty are skipped. */
  add(cells: readonly string[], row: number): void {
    if (cells.every((c) => c.trim() === '')) return;
    this.rowsWithCells++;
    const id = cells[this.idColumn.index]?.trim() || null;
    if (this.only && (id === null || !this.only.has(id))) return;
    const source = cells[this.sourceColumn?.index ?? -1]?.trim() || this.source;
    const key = id === null ? null : `${source}:${id}`;
    const issue = (field: string, message: string): SourceRowIssue => ({
      location: `row ${row}`,
      workerId: id,
      workerKey: key,
      field,
      message,
    });
    if (cells.length !== this.width) {
      // Usually a delimiter inside an unquoted cell, or a row cut short by the export.
      const message = `has ${cells.length} cells where the header has ${this.width}`;
      this.entries.push({ kind: 'bad', row, key, issues: [issue('(row)', message)] });
      return;
    }
    const values: Values = new Map();
    const issues: SourceRowIssue[] = [];
    for (const column of this.columns) {
      const converted = convertCell(cells[column.index]!, column);
      if (!converted.ok) issues.push(issue(column.header, converted.message));
      else if (converted.value !== undefined) values.set(column.path, converted.value);
    }
    if (id === null) issues.push(issue(this.idColumn.header, 'the worker id is empty'));
    if (issues.length) this.entries.push({ kind: 'bad', row, key, issues });
    else if (values.has('effectiveDate'))
      this.entries.push({
        kind: 'future',
        row,
        key: key!,
        effectiveDate: values.get('effectiveDate') as string,
        values,
      });
    else this.entries.push({ kind: 'current', row, key: key!, record: recordOf(values, source) });
  }

  /** The records, their locations and the row issues, in file order. */
  finish(): SourceRecords {
    const futures = new Map<string, FutureRow[]>();
    const currents = new Map<string, CurrentRow[]>();
    for (const e of this.entries) {
      if (e.kind === 'future') push(futures, e.key, e);
      if (e.kind === 'current') push(currents, e.key, e);
    }
    const futureIssues = new Map<number, SourceRowIssue[]>();
    for (const [key, rows] of futures) {
      for (const f of rows) {
        const problems = this.futureRowIssues(f, currents.get(key));
        if (problems.length) futureIssues.set(f.row, problems);
      }
    }
    const badKeys = new Map<string, number>();
    for (const e of this.entries) {
      if (e.key !== null && !badKeys.has(e.key) && (e.kind === 'bad' || futureIssues.has(e.row)))
        badKeys.set(e.key, e.row);
    }
    return this.collect(futures, futureIssues, badKeys);
  }

  private collect(
    futures: ReadonlyMap<string, FutureRow[]>,
    futureIssues: ReadonlyMap<number, SourceRowIssue[]>,
    badKeys: ReadonlyMap<string, number>,
  ): SourceRecords {
    const out: SourceRecords = { records: [], locations: [], rowIssues: [] };
    for (const e of this.entries) {
      if (e.kind === 'bad') out.rowIssues.push(...e.issues);
      else if (futureIssues.has(e.row)) out.rowIssues.push(...futureIssues.get(e.row)!);
      else if (badKeys.has(e.key)) out.rowIssues.push(this.withheld(e, badKeys.get(e.key)!));
      else if (e.kind === 'current') {
        const future = (futures.get(e.key) ?? []).map((f) => ({
          effectiveDate: f.effectiveDate,
          changes: changesOf(f.values, e.record),
        }));
        out.records.push(future.length ? { ...e.record, future } : e.record);
        out.locations.push(`row ${e.row}`);
      }
    }
    return out;
  }

  private withheld(e: CurrentRow | FutureRow, badRow: number): SourceRowIssue {
    const id = e.key.slice(e.key.indexOf(':') + 1);
    return {
      location: `row ${e.row}`,
      workerId: id,
      workerKey: e.key,
      field: '(row)',
      message: `withheld: row ${badRow} of the same worker cannot be read, and the worker is planned only from all of their rows`,
    };
  }

  /** What is wrong with an effective-dated row against the worker's current row. */
  private futureRowIssues(f: FutureRow, current: readonly CurrentRow[] | undefined): SourceRowIssue[] {
    const issue = (field: string, message: string): SourceRowIssue => ({
      location: `row ${f.row}`,
      workerId: f.key.slice(f.key.indexOf(':') + 1),
      workerKey: f.key,
      field,
      message,
    });
    const header = this.dateColumn!.header;
    if (!current)
      return [issue(header, "an effective-dated row needs the worker's current row (one without an effective date)")];
    const record = current[0]!.record;
    const issues: SourceRowIssue[] = [];
    for (const column of this.columns) {
      if (!IDENTITY_FIELDS.includes(column.path) || column.path === 'id' || column.path === 'source') continue;
      const value = f.values.get(column.path);
      if (value !== undefined && value !== record[column.path])
        issues.push(issue(column.header, `cannot change in an effective-dated row; change it on the current row`));
    }
    const changes = [...f.values.keys()].filter((p) => p !== 'effectiveDate' && !IDENTITY_FIELDS.includes(p));
    if (changes.length === 0) issues.push(issue(header, 'an effective-dated row must change at least one field'));
    return issues;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** No records, no issues: what an empty file or a header alone reads as. */
export function emptyRecords(): SourceRecords {
  return { records: [], locations: [], rowIssues: [] };
}

/**
 * A whole CSV text read at once (tests, small files). Fails, with the problems, when the header row
 * lacks a mapped column or the text is not CSV at all (an unclosed quote).
 */
export function csvRecordsFromText(text: string, settings: CsvSettings, source: string): Result<SourceRecords> {
  let rows: string[][];
  try {
    rows = parse(text, csvParseOptions(settings)) as string[][];
  } catch (error) {
    return fail([{ path: '(file)', message: error instanceof Error ? error.message : String(error) }]);
  }
  if (rows.length === 0) return ok(emptyRecords());
  const builder = CsvRecordBuilder.forHeader(rows[0]!, settings, source);
  if (!builder.ok) return builder;
  for (let i = 1; i < rows.length; i++) builder.value.add(rows[i]!, i + 1);
  return ok(builder.value.finish());
}
