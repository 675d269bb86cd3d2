/**
 * A CSV file uploaded over HTTP, read with a file source's settings (its column map, delimiter and
 * encoding): the same parsing and the same row issues as the file source, and what would make that
 * source's read suspect — an empty upload, a header alone, a mapped column missing, not CSV — refuses
 * the upload with the reason. An upload is refused even when the source accepts empty files: an empty
 * upload is a mistake, never a statement that the organisation has no workers.
 */
import type { SourceRowIssue } from '../../../shared/ports/hr-source.port';
import { formatIssues } from '../../../shared/util/result';
import { CsvStreamFailure, notCsvReason, readCsvStream } from './csv-stream';
import type { CsvSettings } from './file-source-config';

export type UploadRead =
  | {
      readonly kind: 'records';
      /** Canonical worker records (unvalidated, as a source read gives them). */
      readonly records: readonly unknown[];
      /** `row N` for each record, in the same order. */
      readonly locations: readonly string[];
      /** Rows that could not become records, with their location and column. */
      readonly rowIssues: readonly SourceRowIssue[];
      /** SHA-256 of the uploaded bytes (hex): the same upload twice has the same hash. */
      readonly sha256: string;
    }
  | {
      readonly kind: 'refused';
      /** Why, e.g. `the upload has a header row but no workers`. */
      readonly reason: string;
    };

/** Chunk size fed to the parser: the bytes are in memory already, but their text and rows need not be. */
const CHUNK_BYTES = 1 << 20;

async function* chunksOf(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
}

/** The records of an uploaded CSV file, or why it is refused. */
export async function recordsFromCsvUpload(
  bytes: Uint8Array,
  settings: CsvSettings,
  source: string,
): Promise<UploadRead> {
  const refused = (why: string): UploadRead => ({ kind: 'refused', reason: `the upload ${why}` });
  let content;
  try {
    content = await readCsvStream(chunksOf(bytes), settings, source);
  } catch (error) {
    const notCsv = error instanceof CsvStreamFailure ? notCsvReason(error.cause) : null;
    if (notCsv) return refused(notCsv);
    throw error;
  }
  if (!content.records.ok)
    return refused(`cannot be read as configured: ${formatIssues(content.records.issues, '; ')}`);
  if (content.emptyReason !== null) return refused(content.emptyReason);
  const { records, locations, rowIssues } = content.records.value;
  return { kind: 'records', records, locations, rowIssues, sha256: content.sha256 };
}
