/**
 * The HR source port: one configured origin of HR workers (a CSV or JSON file now; SCIM and vendor APIs
 * later). A read returns the snapshot as raw records for the planner to validate, what could not even
 * become a record (a CSV row with a bad column), and the cursor that identifies this read. A source that
 * looks wrong (the file vanished, is empty) says so as `suspect` instead of returning an empty snapshot:
 * absence is never read as a mass termination.
 *
 * A read may be targeted: only the named workers (a webhook said they changed). It reads the source as
 * it is now, with the same suspect rules, and keeps only those workers' records and row issues.
 */
export interface SourceRowIssue {
  /** Where the row is: `row 12` (1-based, the header is row 1) or `record 3` (0-based JSON index). */
  readonly location: string;
  /** The worker id when the row got far enough to have one. */
  readonly workerId: string | null;
  /** The worker key (`<source>:<id>`) when the row has an id: what the quarantine is keyed by. */
  readonly workerKey: string | null;
  /** The column or field at fault, as the source names it (CSV header, JSON path). */
  readonly field: string;
  readonly message: string;
}

export interface HrSnapshotRead {
  readonly kind: 'snapshot';
  /** Canonical worker records (unvalidated; the planner validates each and quarantines the bad ones). */
  readonly records: readonly unknown[];
  /** For each record, where it came from (`row 12`), in the same order; used in quarantine reasons. */
  readonly locations: readonly string[];
  /** Rows that could not become records; quarantined with their location and column. */
  readonly rowIssues: readonly SourceRowIssue[];
  /**
   * Identifies what was read (a content hash for files). Stored with the cycle's plans; a read whose
   * cursor equals the stored one has nothing new. A targeted read's cursor identifies that read only:
   * it never equals a whole read's cursor and is never stored as the source's.
   */
  readonly cursor: string;
  /**
   * The records are only some of the source's workers (a delta since `since`, or a targeted read): workers
   * not in them are left as they are and keep their quarantine entries. Absent: the whole source.
   */
  readonly partial?: boolean;
}

export interface HrSuspectRead {
  readonly kind: 'suspect';
  /** Why the read is not trusted, e.g. `the file data/hr.csv does not exist`. */
  readonly reason: string;
}

export type HrRead = HrSnapshotRead | HrSuspectRead;

export interface HrReadRequest {
  /**
   * Read only these workers (ids in the source, not worker keys); the read's cursor is then not a
   * cursor of the whole source and is never stored as one. An id the source does not hold gives
   * nothing (not an error).
   */
  readonly workerIds?: readonly string[];
  /**
   * The cursor of the last read the control plane stored for this source (null: none yet). A source with
   * deltas (an HR API) answers what changed since then as a `partial` snapshot; a file ignores it.
   */
  readonly since?: string | null;
  /**
   * A look, not a read (`hr2ad source test`): the first page of the source's list, at most this many
   * workers, as a targeted read of them would give them (partial; its cursor never stored). A source without
   * pages (a file) may give them all. Ignored with `workerIds`.
   */
  readonly sample?: number;
}

export interface HrSource {
  /** The source's configured id (`hr-file`), the key of its cursor. */
  readonly id: string;
  /** The whole source, or only the workers `request.workerIds` names. */
  read(request?: HrReadRequest): Promise<HrRead>;
}
