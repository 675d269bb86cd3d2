/**
 * A CSV byte stream → records, row by row: bytes are hashed, decoded and parsed as they come, so a
 * 100 MB export costs the records it becomes, not also its text and its rows. Shared by the file
 * source (chunks of a file) and CSV uploads (chunks of a request body).
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import type { Result } from '../../../shared/util/result';
import { CsvRecordBuilder, csvParseOptions, emptyRecords, type SourceRecords } from './csv-records';
import type { CsvSettings } from './file-source-config';

/** What a CSV stream read to its end gave. */
export interface CsvStreamContent {
  /** The records, or why the header row does not fit the column map. */
  readonly records: Result<SourceRecords>;
  /** SHA-256 of the bytes, as hex. */
  readonly sha256: string;
  /** Why the stream holds no workers (`is empty (0 bytes)`), or null when it holds rows. */
  readonly emptyReason: string | null;
}

/** The stream could not be read to its end, or is not CSV; `cause` is what failed. */
export class CsvStreamFailure extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** `is not valid CSV: …` when `error` is the CSV parser's (an unclosed quote), else null. */
export function notCsvReason(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('CSV_')) return null;
  return `is not valid CSV: ${error instanceof Error ? error.message : code}`;
}

/** Hashes and counts the bytes going through and decodes them to text without a leading byte-order mark. */
class HashingDecoder extends Transform {
  private readonly decoder: StringDecoder;
  private first = true;
  bytes = 0;

  constructor(
    private readonly hash: Hash,
    encoding: BufferEncoding,
  ) {
    super({ decodeStrings: true, readableObjectMode: false });
    this.decoder = new StringDecoder(encoding);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
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

/**
 * Reads CSV bytes to their end into records (only the rows of `workerIds` when given). Throws
 * `CsvStreamFailure` when the chunks cannot be read or the text is not CSV.
 */
export async function readCsvStream(
  chunks: AsyncIterable<Uint8Array>,
  settings: CsvSettings,
  source: string,
  workerIds?: ReadonlySet<string>,
): Promise<CsvStreamContent> {
  const hash = createHash('sha256');
  const decoder = new HashingDecoder(hash, settings.encoding);
  const parser = parse(csvParseOptions(settings));
  // Settled here so a failure while rows are still being consumed is never an unhandled rejection.
  const piping = pipeline(Readable.from(chunks), decoder, parser).then(
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
        const header = CsvRecordBuilder.forHeader(cells, settings, source, workerIds);
        if (!header.ok) return { records: header, sha256: '', emptyReason: null };
        builder = header.value;
      }
    }
  } catch (error) {
    throw new CsvStreamFailure((await piping) ?? error);
  }
  const failure = await piping;
  if (failure) throw new CsvStreamFailure(failure);
  return {
    records: { ok: true, value: builder?.finish() ?? emptyRecords() },
    sha256: hash.digest('hex'),
    emptyReason: emptyReason(decoder.bytes, builder),
  };
}

function emptyReason(bytes: number, builder: CsvRecordBuilder | undefined): string | null {
  if (bytes === 0) return 'is empty (0 bytes)';
  if (!builder) return 'holds no rows';
  return builder.rowsRead === 0 ? 'has a header row but no workers' : null;
}
