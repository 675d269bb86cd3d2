/**
 * The ingest store port: what HR systems push to the control plane — SCIM bulk requests, CSV uploads,
 * and webhook hints naming workers to read again — kept from the moment a request is accepted until a
 * cycle of its source has planned it, and each operation's outcome after that (what a request's status
 * and the provisioning log show). Locally SQLite; in Azure, Cosmos DB. Both run the same contract suite
 * (test/functions/state/ingest-store.contract.ts).
 *
 * Rules every adapter keeps:
 * - `append` returns only once the request is durable, and gives it a sequence number greater than any
 *   earlier request's: a source's requests are planned in that order, so the later of two records for
 *   one worker wins.
 * - The planned position only moves forward (`markPlanned` with a lower sequence changes nothing), and
 *   `pending` returns requests after it, whole, oldest first.
 * - Recording outcomes is idempotent: the same outcome recorded twice is stored once, a later cycle's
 *   outcome for the same operation replaces an earlier one (a cycle replanned after a crash).
 */

/** How a request arrived. */
export type IngestKind = 'scim' | 'csv' | 'webhook';

/**
 * Where an operation stands: `queued` until a cycle plans it; `failed` when it was refused at intake
 * (malformed, with the field named); `planned` (with its cycle and classification: `no-op` when the
 * record changed nothing); `quarantined` when the planner refused it; `superseded` when a later record for
 * the same worker in the same batch replaced it; `not-found` when a webhook named a worker the source
 * does not have.
 */
export type IngestOperationStatus = 'queued' | 'failed' | 'planned' | 'quarantined' | 'superseded' | 'not-found';

/** A problem with an operation: the field at fault (as the request names it) and what is wrong. */
export interface IngestIssue {
  readonly path: string;
  readonly message: string;
  /** The SCIM error type (`invalidValue`, `invalidSyntax`) for SCIM requests; null otherwise. */
  readonly scimType: string | null;
}

export interface IngestOperation {
  /** Position in the request, from 0. */
  readonly index: number;
  /** The SCIM operation's bulkId; null for CSV rows and webhook hints. */
  readonly bulkId: string | null;
  /** Where it is in the request: `operation 3`, `row 12`, `worker 4711`. */
  readonly location: string;
  /** `<source>:<id>` when the operation got far enough to have an id. */
  readonly workerKey: string | null;
  /** The canonical worker record to plan (queued SCIM and CSV operations); null for hints and refusals. */
  readonly record: unknown;
  /** Keep the worker's stored employment status (SCIM `active` omitted); the record says `active` meanwhile. */
  readonly keepStatus: boolean;
  readonly status: IngestOperationStatus;
  readonly issues: readonly IngestIssue[];
  /** Set once planned: the cycle, what the planner made of it, and the plan handed on (null: nothing to do). */
  readonly cycleId: string | null;
  readonly classification: string | null;
  readonly planId: string | null;
  /** ISO instant of the outcome; null while queued. */
  readonly decidedAt: string | null;
}

export interface IngestRequest {
  /** Unique; what the request's status URL names. */
  readonly requestId: string;
  readonly sourceId: string;
  readonly kind: IngestKind;
  /** ISO instant. */
  readonly receivedAt: string;
  /** Who sent it: the token's subject or client id; `webhook` for signed webhooks. */
  readonly client: string | null;
  readonly operations: readonly IngestOperation[];
}

/** A stored request with its place in its source's order. */
export interface StoredIngestRequest extends IngestRequest {
  readonly seq: number;
}

/** What waits to be planned for one source. */
export interface PendingIngest {
  /** Oldest first, whole requests. */
  readonly requests: readonly StoredIngestRequest[];
  /** The last request's sequence number (what `markPlanned` moves to once planned); null when none wait. */
  readonly throughSeq: number | null;
}

/** One operation's outcome, recorded by the cycle that planned it. */
export interface IngestOutcome {
  readonly requestId: string;
  readonly index: number;
  readonly status: Exclude<IngestOperationStatus, 'queued'>;
  readonly issues: readonly IngestIssue[];
  readonly cycleId: string;
  readonly classification: string | null;
  readonly planId: string | null;
  readonly decidedAt: string;
}

/** An operation as the provisioning log lists it: with its request's source, kind and arrival. */
export interface IngestLogEntry extends IngestOperation {
  readonly requestId: string;
  readonly sourceId: string;
  readonly kind: IngestKind;
  readonly receivedAt: string;
}

export interface IngestLogQuery {
  readonly sourceId?: string;
  readonly requestId?: string;
  readonly workerKey?: string;
  readonly status?: IngestOperationStatus;
  /** At most this many (default 100, at most 1000). */
  readonly limit?: number;
  /** From a previous page's `next`, with the same filters. */
  readonly after?: string;
}

export interface IngestLogPage {
  /** Newest request first; a request's operations in order. */
  readonly entries: readonly IngestLogEntry[];
  readonly next: string | null;
}

export interface IngestStore {
  /** Stores a request durably; returns its sequence number. A request id stored already rejects. */
  append(request: IngestRequest): Promise<number>;
  /** The source's requests after its planned position: at least one, then more while `maxOperations` allows. */
  pending(sourceId: string, maxOperations: number): Promise<PendingIngest>;
  /** Whether any request of the source waits. */
  hasPending(sourceId: string): Promise<boolean>;
  /** Records operations' outcomes (a later cycle's replaces an earlier one's). */
  recordOutcomes(outcomes: readonly IngestOutcome[]): Promise<void>;
  /** Moves the source's planned position forward to `throughSeq` (never back). */
  markPlanned(sourceId: string, throughSeq: number): Promise<void>;
  getRequest(requestId: string): Promise<StoredIngestRequest | null>;
  listOperations(query: IngestLogQuery): Promise<IngestLogPage>;
  /**
   * Remembers a webhook signature until `expiresAt`; false when it is remembered already (a replay).
   * Signatures expired by `now` are forgotten. Both ISO instants.
   */
  rememberSignature(sourceId: string, signatureId: string, expiresAt: string, now: string): Promise<boolean>;
  /** Releases the store; closing twice is harmless. */
  close(): Promise<void>;
}
