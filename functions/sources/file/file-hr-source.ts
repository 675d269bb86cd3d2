/**
 * The file HR source: a CSV or JSON file an HR system exports (or an administrator drops) somewhere the
 * control plane can read. Each read takes the whole file — a file source has no deltas — and its
 * cursor is the SHA-256 of the bytes, so an unchanged file reads as "nothing new".
 *
 * A read that looks wrong is `suspect`, never an empty snapshot: a file that is missing, empty, a
 * header alone, not CSV or JSON at all, or missing a mapped column. (Whether a readable snapshot would
 * terminate too many workers is the planner's threshold, decided for the whole cycle.)
 *
 * A targeted read (`workerIds`) reads the same file under the same rules and keeps only those workers:
 * for CSV every row of each (`csv-records.ts`), for JSON the records with those ids. Whether the file
 * is empty is judged on the whole file, so an id it does not hold simply gives nothing. Its cursor is
 * the file's hash with the ids read, so it never equals the cursor of a whole read.
 *
 * CSV is streamed (`csv-stream.ts`). JSON is parsed whole (JSON.parse needs it).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { HrRead, HrReadRequest, HrSource } from '../../../shared/ports/hr-source.port';
import { displayText } from '../../../shared/util/display-text';
import { formatIssues, type Result } from '../../../shared/util/result';
import { emptyRecords, type SourceRecords } from './csv-records';
import { CsvStreamFailure, notCsvReason, readCsvStream } from './csv-stream';
import type { CsvSettings, FileSourceSettings } from './file-source-config';
import { jsonRecordsFromText, onlyWorkers } from './json-records';

/** The file system as the source uses it; injected so tests read from memory. */
export interface FileAccess {
  stat(path: string): Promise<{ readonly size: number; isFile(): boolean }>;
  /** The file's bytes, in order, in chunks of any size. */
  chunks(path: string): AsyncIterable<Uint8Array>;
}

/** The real file system, reading 1 MiB at a time. */
export const nodeFileAccess: FileAccess = {
  stat: (path) => stat(path),
  chunks: (path) => createReadStream(path, { highWaterMark: 1 << 20 }),
};

/** What a file read to its end gave: records (or why the file is not readable as such) and its hash. */
interface FileContent {
  readonly records: Result<SourceRecords>;
  readonly sha256: string;
  /** Why the whole file holds no workers (`is empty (0 bytes)`), or null when it holds some. */
  readonly emptyReason: string | null;
}

/** Thrown inside a read when the file is suspect; caught by `read()`. */
class SuspectFile extends Error {}

/** Why a file could not be read, in words (never a bare ENOENT). */
function ioReason(error: unknown): string {
  const notCsv = notCsvReason(error);
  if (notCsv) return notCsv;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'does not exist';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    default:
      return `cannot be read (${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)})`;
  }
}

/** Streams a CSV file into records, row by row. */
async function readCsv(
  access: FileAccess,
  path: string,
  settings: CsvSettings,
  source: string,
  workerIds: ReadonlySet<string> | undefined,
): Promise<FileContent> {
  try {
    return await readCsvStream(access.chunks(path), settings, source, workerIds);
  } catch (error) {
    throw new SuspectFile(ioReason(error instanceof CsvStreamFailure ? error.cause : error));
  }
}

/** Reads a JSON file whole. */
async function readJson(
  access: FileAccess,
  path: string,
  source: string,
  workerIds: ReadonlySet<string> | undefined,
): Promise<FileContent> {
  const parts: Uint8Array[] = [];
  try {
    for await (const chunk of access.chunks(path)) parts.push(chunk);
  } catch (error) {
    throw new SuspectFile(ioReason(error));
  }
  const bytes = Buffer.concat(parts);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length === 0)
    return { records: { ok: true, value: emptyRecords() }, sha256, emptyReason: 'is empty (0 bytes)' };
  const records = jsonRecordsFromText(bytes.toString('utf8'), source);
  if (!records.ok) return { records, sha256, emptyReason: null };
  const { value } = records;
  const holdsNone = value.records.length === 0 && value.rowIssues.length === 0;
  return {
    records: { ok: true, value: workerIds ? onlyWorkers(value, workerIds) : value },
    sha256,
    emptyReason: holdsNone ? 'holds no worker records' : null,
  };
}

/** The cursor of a targeted read: the file's hash and which ids were read. */
function targetedCursor(sha256: string, workerIds: ReadonlySet<string>): string {
  const ids = createHash('sha256')
    .update([...workerIds].sort().join('\n'))
    .digest('hex');
  return `sha256:${sha256};workers=${ids}`;
}

/** The requested ids, trimmed, as a set; undefined for a whole read. */
function requestedIds(request: HrReadRequest | undefined): ReadonlySet<string> | undefined {
  return request?.workerIds ? new Set(request.workerIds.map((id) => id.trim())) : undefined;
}

/** An HR source reading one configured CSV or JSON file. */
export class FileHrSource implements HrSource {
  readonly id: string;

  constructor(
    private readonly settings: FileSourceSettings,
    private readonly access: FileAccess = nodeFileAccess,
  ) {
    this.id = settings.id;
  }

  /** The whole file (or only `request.workerIds`) as a snapshot, or `suspect` with a reason naming the file. */
  async read(request?: HrReadRequest): Promise<HrRead> {
    const name = `the file "${displayText(this.settings.path)}"`;
    const workerIds = requestedIds(request);
    try {
      const content = await this.content(workerIds);
      if (!content.records.ok)
        return {
          kind: 'suspect',
          reason: `${name} cannot be read as configured: ${formatIssues(content.records.issues, '; ')}`,
        };
      if (content.emptyReason !== null && this.settings.suspect.emptyFile === 'hold')
        return { kind: 'suspect', reason: `${name} ${content.emptyReason}` };
      const { records, locations, rowIssues } = content.records.value;
      const cursor = workerIds ? targetedCursor(content.sha256, workerIds) : `sha256:${content.sha256}`;
      return { kind: 'snapshot', records, locations, rowIssues, cursor };
    } catch (error) {
      if (error instanceof SuspectFile) return { kind: 'suspect', reason: `${name} ${error.message}` };
      throw error;
    }
  }

  private async content(workerIds: ReadonlySet<string> | undefined): Promise<FileContent> {
    const { settings, access } = this;
    try {
      const stats = await access.stat(settings.path);
      if (!stats.isFile()) throw new SuspectFile('is not a file');
    } catch (error) {
      throw error instanceof SuspectFile ? error : new SuspectFile(ioReason(error));
    }
    return settings.kind === 'csv'
      ? readCsv(access, settings.path, settings.csv, settings.source, workerIds)
      : readJson(access, settings.path, settings.source, workerIds);
  }
}
