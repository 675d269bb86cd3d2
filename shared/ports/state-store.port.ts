/**
 * The state store port: everything the control plane remembers between cycles and across restarts.
 * Locally SQLite; in Azure, Cosmos DB (a later adapter). Both run the same contract suite
 * (test/functions/state/state-store.contract.ts), so what it asserts is what this file promises.
 *
 * Rules every adapter keeps:
 * - Worker states go through the state codec (shared/planner/state-codec.ts), so what is stored is the
 *   published `last-known-state.v1` shape. A state the codec refuses is never stored (`putState` and
 *   `commitCycle` reject, and `commitCycle` then stores nothing); a stored state that no longer decodes
 *   makes the read reject with an error naming its worker key, never a half-read state.
 * - `commitCycle` is atomic: a source's cursor never moves without the states and quarantine decided
 *   under it, and never moves when they are not stored.
 * - Command outcomes and audit entries are keyed by command id and result kind: recording the same result
 *   twice (at-least-once delivery) stores it once and says so.
 * - Every list is returned in a stable, documented order, and every query is bounded (`limit`: default
 *   `DEFAULT_LIST_LIMIT`, capped at `MAX_LIST_LIMIT`; a limit below 1 counts as 1).
 */
import type { AccountIdentifiers, LastKnownState, Plan } from '../planner/types';
import type { DirectoryCommandInput } from '../protocol/commands';
import type { AgentHeartbeat, CommandRefused } from '../protocol/relay-messages';
import type { CommandResult } from '../protocol/results';
import type { WorkerIssue } from '../worker/validate-worker';

/** How many items a list or query returns when its `limit` is absent. */
export const DEFAULT_LIST_LIMIT = 100;
/** The most items one list or query returns, whatever its `limit` asks. */
export const MAX_LIST_LIMIT = 1000;

/** The directory account a worker is linked to, as the agent last reported it. */
export interface AccountLink {
  readonly workerKey: string;
  readonly objectGUID: string;
  readonly dn: string;
  /** Chosen unique values (sAMAccountName, userPrincipalName, cn, mail) as last reported. */
  readonly identifiers: AccountIdentifiers;
  /** ISO instant of the result that last changed the link. */
  readonly updatedAt: string;
}

/** Where a source's reading stands. */
export interface SourceCursor {
  readonly sourceId: string;
  /** The source's cursor of the last read whose plans were all handed on. */
  readonly cursor: string;
  /** ISO instant. */
  readonly committedAt: string;
  /** The cycle that committed it. */
  readonly cycleId: string;
}

export type CycleStatus = 'planned' | 'held' | 'approved' | 'rejected' | 'completed' | 'failed' | 'skipped';

/** What a cycle counted, for the summary an administrator reads. */
export type CycleCounts = Readonly<Record<string, number>>;

/** Which cycles a list returns: newest first, optionally of one status and/or one source. */
export interface CycleQuery {
  readonly status?: CycleStatus;
  readonly sourceId?: string;
  readonly limit?: number;
}

export interface CycleRecord {
  readonly cycleId: string;
  readonly sourceId: string;
  readonly status: CycleStatus;
  /** ISO instants. */
  readonly startedAt: string;
  readonly updatedAt: string;
  /** The read this cycle planned (the source's cursor). */
  readonly cursor: string | null;
  /** Why held, skipped or failed. */
  readonly reason: string | null;
  /** Classification counts, plus `quarantined`, `held`, `handedOn`. */
  readonly counts: CycleCounts;
  /** Plan ids held for approval (empty unless held). */
  readonly heldPlanIds: readonly string[];
  /** Who approved or rejected, and when (ISO), once decided. */
  readonly decision: { readonly by: string; readonly at: string; readonly approved: boolean } | null;
}

/** A record the planner (or the source) refused, kept until a later read of its source fixes it. */
export interface QuarantineEntry {
  readonly sourceId: string;
  /** The worker key when known, else the record's location. */
  readonly workerKey: string;
  /** `row 12`, `record 3`. */
  readonly location: string;
  readonly issues: readonly WorkerIssue[];
  /**
   * ISO instant it was first quarantined. Kept while it stays quarantined: when `commitCycle` replaces a
   * source's quarantine, an entry whose worker key was already quarantined in that source keeps the
   * stored (earlier) `since`.
   */
  readonly since: string;
  /** The cycle that last found it bad. */
  readonly cycleId: string;
}

/** What the cycle decided, stored all at once by `commitCycle`. */
export interface CycleCommit {
  readonly cycle: CycleRecord;
  /** The source's new cursor; null leaves the cursor where it is (a held or rejected cycle). */
  readonly cursor: SourceCursor | null;
  /** The accepted next states (planned or unchanged workers). */
  readonly states: readonly LastKnownState[];
  /** The source's quarantine after this cycle: it replaces the source's previous quarantine. */
  readonly quarantine: readonly QuarantineEntry[];
}

/**
 * One worker's outcome in a cycle, kept with its cycle until the cycle commits: its plan to hand on (if
 * any) and the state to store once handed on. Also what status and audit read back.
 */
export interface CyclePlan {
  readonly cycleId: string;
  readonly workerKey: string;
  /** The planner's classification (`joiner`, `mover`…) and what changed, the audit's "cause". */
  readonly classification: string;
  readonly details: readonly string[];
  /** The plan to hand on; null when the worker's directory state does not change. */
  readonly plan: Plan | null;
  /** The state to store when the cycle commits; null for a quarantined record. */
  readonly nextState: LastKnownState | null;
  /** Held plans wait for the cycle's approval. */
  readonly held: boolean;
}

/** One chunk of a cycle's plans to hand on. */
export interface HandOnPage {
  readonly held: boolean;
  readonly offset: number;
  readonly limit: number;
}

/** The outcome of one command: the agent's result, or the control plane giving up on it. */
export interface CommandOutcome {
  readonly commandId: string;
  readonly workerKey: string;
  readonly planId: string;
  readonly sequence: number;
  readonly kind: DirectoryCommandInput['kind'];
  /** ISO instant the outcome was recorded. */
  readonly at: string;
  /** How many times the command was sent. */
  readonly attempts: number;
  /** The agent's result; null when none came (`timedOut`). */
  readonly result: CommandResult | null;
  readonly status: 'applied' | 'unchanged' | 'failed' | 'timed-out' | 'looked-up' | 'cancelled';
}

/** The audit action an entry records: the command kind, plus what happened (`created`, `moved`, …). */
export interface AuditEntry {
  readonly commandId: string;
  readonly workerKey: string;
  /** ISO instant the result was recorded. */
  readonly at: string;
  /** The command kind (`UpsertAccount`, `DisableAccount`, …). */
  readonly action: DirectoryCommandInput['kind'];
  /** What it did: `created`, `updated`, `moved`, `disabled`, `enabled`, `deleted`, `no-change`, `failed`, `timed-out`. */
  readonly effect: string;
  /** The HR change behind it: the cycle, the classification and what changed. */
  readonly cause: {
    readonly cycleId: string | null;
    readonly classification: string | null;
    readonly details: readonly string[];
  };
  readonly planId: string;
  readonly command: DirectoryCommandInput;
  /** The result with its before/after per attribute; null when none came. */
  readonly result: CommandResult | null;
}

export interface AuditQuery {
  readonly workerKey?: string;
  /** ISO instants, inclusive from, exclusive to. */
  readonly from?: string;
  readonly to?: string;
  readonly action?: DirectoryCommandInput['kind'];
  /** At most this many (default `DEFAULT_LIST_LIMIT`, at most `MAX_LIST_LIMIT`). */
  readonly limit?: number;
  /** From a previous page's `next`, with the same filters; an unreadable token rejects. */
  readonly after?: string;
}

export interface AuditPage {
  /** Oldest first by `at` as an instant (entries at the same instant in a stable order). */
  readonly entries: readonly AuditEntry[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: string | null;
}

/**
 * What the control plane knows of one relay agent: its last heartbeat (counters since the agent started)
 * and the refusals it reported (counted here, once per refused message, across agent restarts).
 */
export interface AgentRecord {
  readonly agentId: string;
  /** From the last heartbeat; empty until one came (an agent known only by a refusal). */
  readonly version: string;
  readonly hostname: string;
  /** ISO instant of the newest heartbeat's `sentAt` (or refusal's `at`, before any heartbeat). */
  readonly lastSeen: string;
  /** Seconds between the last two heartbeats; null until two came. */
  readonly heartbeatIntervalSeconds: number | null;
  readonly sessionsHeld: number;
  readonly commandsApplied: number;
  /** Refusals reported on the results queue (each refused message once). */
  readonly refused: number;
  readonly errors: number;
  readonly deadLettered: number;
  readonly lastError: string | null;
  /** The newest refusal's code and reason. */
  readonly lastRefusal: { readonly at: string; readonly code: CommandRefused['code']; readonly reason: string } | null;
}

export interface StateStore {
  /** Stored states by worker key; all of them when `workerKeys` is absent. */
  getStates(workerKeys?: readonly string[]): Promise<Map<string, LastKnownState>>;
  /** Replaces one worker's state (after a command result changed its identifiers). */
  putState(state: LastKnownState): Promise<void>;

  getLink(workerKey: string): Promise<AccountLink | null>;
  /** Links by worker key, in one read; all of them when `workerKeys` is absent (a cycle laying them over states). */
  getLinks(workerKeys?: readonly string[]): Promise<Map<string, AccountLink>>;
  putLink(link: AccountLink): Promise<void>;

  getCursor(sourceId: string): Promise<SourceCursor | null>;

  /** Stores a cycle record on its own (created, held, approved…); replaces the record with its id. */
  putCycle(cycle: CycleRecord): Promise<void>;
  getCycle(cycleId: string): Promise<CycleRecord | null>;
  /** Newest first by `startedAt` (then cycle id); `limit` as for every list. */
  listCycles(query?: CycleQuery): Promise<CycleRecord[]>;
  /** Stores the cycle's worker outcomes (replacing any stored under the same cycle and worker). */
  putCyclePlans(plans: readonly CyclePlan[]): Promise<void>;
  /**
   * The cycle's worker outcomes in worker-key order; with `handOn`, only those with a plan and that
   * `held` flag, from `offset`, at most `limit` (what one hand-on chunk reads).
   */
  getCyclePlans(cycleId: string, handOn?: HandOnPage): Promise<CyclePlan[]>;
  /**
   * Atomically: the cycle record, the cursor, the states and the source's quarantine. The cursor and the
   * quarantine entries must be the cycle's source's; a commit carrying another source's rejects.
   */
  commitCycle(commit: CycleCommit): Promise<void>;

  /** Every quarantined record, or one source's, ordered by source then location. */
  listQuarantine(sourceId?: string): Promise<QuarantineEntry[]>;

  /** Stores an outcome; false when the same command already has an outcome of the same status. */
  recordOutcome(outcome: CommandOutcome): Promise<boolean>;
  /** A worker's outcomes, newest first by `at` (same instant: last recorded first); `limit` as for every list. */
  listOutcomes(workerKey: string, limit?: number): Promise<CommandOutcome[]>;

  /** Appends an audit entry; false when one for the same command and effect is already there. */
  appendAudit(entry: AuditEntry): Promise<boolean>;
  queryAudit(query: AuditQuery): Promise<AuditPage>;

  /**
   * Keeps an agent's heartbeat; an older heartbeat than the one kept (redelivered, or overtaken) changes
   * nothing and returns false.
   */
  recordAgentHeartbeat(heartbeat: AgentHeartbeat): Promise<boolean>;
  /** Counts a refusal on its agent's record; false when that message's refusal is already counted. */
  recordAgentRefusal(agentId: string, refusal: CommandRefused): Promise<boolean>;
  /** Every agent heard from, by agent id. */
  listAgents(): Promise<AgentRecord[]>;

  /** Releases the store; closing twice is harmless. */
  close(): Promise<void>;
}
