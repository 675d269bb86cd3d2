/**
 * A JSON file of canonical worker records — an array, or `{ "workers": [...] }` — as source records.
 * Pure. The records are already canonical, so they pass through as they are (the planner validates
 * them); a record without `source` gets the configured one. An entry that is not an object cannot be
 * a record at all and becomes a row issue at `record N` (0-based, as JSON paths count).
 */
import type { SourceRowIssue } from '../../../shared/ports/hr-source.port';
import { fail, ok, ROOT_PATH, type Result } from '../../../shared/util/result';
import type { SourceRecords } from './csv-records';

function entriesOf(document: unknown): unknown[] | null {
  if (Array.isArray(document)) return document;
  if (document && typeof document === 'object') {
    const workers = (document as { workers?: unknown }).workers;
    if (Array.isArray(workers)) return workers;
  }
  return null;
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** The records of a parsed JSON document; fails when it is neither an array nor `{workers: [...]}`. */
export function jsonRecords(document: unknown, source: string): Result<SourceRecords> {
  const entries = entriesOf(document);
  if (!entries)
    return fail([{ path: ROOT_PATH, message: 'must be an array of worker records or an object {"workers": [...]}' }]);
  const out: SourceRecords = { records: [], locations: [], rowIssues: [] };
  entries.forEach((entry, index) => {
    if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      const record = entry as Record<string, unknown>;
      out.records.push(record.source === undefined ? { source, ...record } : record);
      out.locations.push(`record ${index}`);
    } else {
      const issue: SourceRowIssue = {
        location: `record ${index}`,
        workerId: null,
        workerKey: null,
        field: ROOT_PATH,
        message: `must be a worker record (an object), not ${kindOf(entry)}`,
      };
      out.rowIssues.push(issue);
    }
  });
  return ok(out);
}

/** JSON text (a UTF-8 byte-order mark allowed) as records; fails when it is not JSON. */
export function jsonRecordsFromText(text: string, source: string): Result<SourceRecords> {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return fail([
      { path: ROOT_PATH, message: `is not JSON: ${error instanceof Error ? error.message : String(error)}` },
    ]);
  }
  return jsonRecords(document, source);
}

/** The id of a JSON record as the source names it (trimmed text; a number as its digits), or null. */
function idOf(record: unknown): string | null {
  const id = (record as { id?: unknown }).id;
  if (typeof id === 'string') return id.trim();
  return typeof id === 'number' ? String(id) : null;
}

/** Only the records (and row issues) of the workers `ids` names, locations kept beside their records. */
export function onlyWorkers(read: SourceRecords, ids: ReadonlySet<string>): SourceRecords {
  const out: SourceRecords = { records: [], locations: [], rowIssues: [] };
  read.records.forEach((record, index) => {
    const id = idOf(record);
    if (id === null || !ids.has(id)) return;
    out.records.push(record);
    out.locations.push(read.locations[index]!);
  });
  out.rowIssues.push(...read.rowIssues.filter((issue) => issue.workerId !== null && ids.has(issue.workerId)));
  return out;
}
