/**
 * The file HR source: a CSV or JSON file an HR system exports (or an administrator drops) somewhere the
 * control plane can read. Each read takes the whole file — a file source has no deltas — and its
 * cursor is the SHA-256 of the bytes, so an unchanged file reads as "nothing new".
 *
 * A read that looks wrong is `suspect`, never an empty snapshot: a file that is missing, empty, a
 * header alone, not CSV or JSON at all, or missing a mapped column. (Whether a readable snapshot would
 * terminate too many workers is the planner's threshold, decided for the whole cycle.)
 *
 * CSV is streamed: bytes are hashed, decoded and parsed row by row, so a 100 MB export costs the
 * records it becomes, not also its text and its rows. JSON is parsed whole (JSON.parse needs it).
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import type { HrRead, HrSource } from '../../../shared/ports/hr-source.port';
import { displayText } from '../../../shared/util/display-text';
import { formatIssues, type Result } from '../../../shared/util/result';
import { CsvRecordBuilder, csvParseOptions, emptyRecords, type SourceRecords } from './csv-records';
import type { CsvSettings, FileSourceSettings } from './file-source-config';
import { jsonRecordsFromText } from './json-records';

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
  readonly cursor: string;
  /** Why it holds no workers, for the suspect reason: `is empty (0 bytes)`. */
  readonly emptyReason: string;
}

/** Thrown inside a read when the file is suspect; caught by `read()`. */
class SuspectFile extends Error {}

/** Why a file could not be read, in words (never a bare ENOENT). */
function ioReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('CSV_'))
    return `is not valid CSV: ${error instanceof Error ? error.message : code}`;
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

/** Hashes the bytes going through and decodes them to text without a leading byte-order mark. */
class HashingDecoder extends Transform {
  private readonly decoder: StringDecoder;
  private first = true;

  constructor(
    private readonly hash: Hash,
    encoding: BufferEncoding,
  ) {
    super({ decodeStrings: true, readableObjectMode: false });
    this.decoder = new StringDecoder(encoding);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    done(null, this.text(this.decoder.write(chunk)));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.text(this.decoder.end()));
  }

  /** A UTF-8 BOM read as latin1 is three characters, not U+FEFF: both are stripped. */
  private text(decoded: string): string {
    if (!this.first || decoded === '') return decoded;
    this.first = false;
    return decoded.replace(/^(\uFEFF|\u00EF\u00BB\u00BF)/, '');
  }
}

/** Streams a CSV file into records, row by row. */
async function readCsv(
  access: FileAccess,
  path: string,
  settings: CsvSettings,
  source: string,
  size: number,
): Promise<FileContent> {
  const hash = createHash('sha256');
  const parser = parse(csvParseOptions(settings));
  // Settled here so a failure while rows are still being consumed is never an unhandled rejection.
  const piping = pipeline(Readable.from(access.chunks(path)), new HashingDecoder(hash, settings.encoding), parser).then(
    () => null,
    (error: unknown) => error,
  );
  let builder: CsvRecordBuilder | undefined;
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row++;
      if (builder) builder.add(cells, row);
      else {
        const header = CsvRecordBuilder.forHeader(cells, settings, source);
        if (!header.ok) return { records: header, cursor: '', emptyReason: '' };
        builder = header.value;
      }
    }
  } catch (error) {
    throw new SuspectFile(ioReason((await piping) ?? error));
  }
  const failure = await piping;
  if (failure) throw new SuspectFile(ioReason(failure));
  const emptyReason = size === 0 ? 'is empty (0 bytes)' : builder ? 'has a header row but no workers' : 'holds no rows';
  return { records: { ok: true, value: builder?.finish() ?? emptyRecords() }, cursor: hash.digest('hex'), emptyReason };
}

/** Reads a JSON file whole. */
async function readJson(access: FileAccess, path: string, source: string, size: number): Promise<FileContent> {
  const parts: Uint8Array[] = [];
  try {
    for await (const chunk of access.chunks(path)) parts.push(chunk);
  } catch (error) {
    throw new SuspectFile(ioReason(error));
  }
  const bytes = Buffer.concat(parts);
  const cursor = createHash('sha256').update(bytes).digest('hex');
  if (size === 0 || bytes.length === 0)
    return { records: { ok: true, value: emptyRecords() }, cursor, emptyReason: 'is empty (0 bytes)' };
  return {
    records: jsonRecordsFromText(bytes.toString('utf8'), source),
    cursor,
    emptyReason: 'holds no worker records',
  };
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

  /** The whole file as a snapshot, or `suspect` with a reason naming the file. */
  async read(): Promise<HrRead> {
    const name = `the file "${displayText(this.settings.path)}"`;
    try {
      const content = await this.content();
      if (!content.records.ok)
        return {
          kind: 'suspect',
          reason: `${name} cannot be read as configured: ${formatIssues(content.records.issues, '; ')}`,
        };
      const { records, locations, rowIssues } = content.records.value;
      if (records.length === 0 && rowIssues.length === 0 && this.settings.suspect.emptyFile === 'hold')
        return { kind: 'suspect', reason: `${name} ${content.emptyReason}` };
      return { kind: 'snapshot', records, locations, rowIssues, cursor: `sha256:${content.cursor}` };
    } catch (error) {
      if (error instanceof SuspectFile) return { kind: 'suspect', reason: `${name} ${error.message}` };
      throw error;
    }
  }

  private async content(): Promise<FileContent> {
    const { settings, access } = this;
    let size: number;
    try {
      const stats = await access.stat(settings.path);
      if (!stats.isFile()) throw new SuspectFile('is not a file');
      size = stats.size;
    } catch (error) {
      throw error instanceof SuspectFile ? error : new SuspectFile(ioReason(error));
    }
    return settings.kind === 'csv'
      ? readCsv(access, settings.path, settings.csv, settings.source, size)
      : readJson(access, settings.path, settings.source, size);
  }
}
