/**
 * `commitCycle` on Cosmos DB: a source's cursor and quarantine live in one document of the `sources`
 * container, the cycle record in `cycles`, each state in its worker's partition of `workers`. No
 * transaction spans them, so a commit is a hand-off through an intent stored first:
 *
 *  1. intent pages: the states to write (through the state codec), in the cycle's partition; the new
 *     quarantine pages (`since` already carried over), in the source's partition. Nothing reads these yet.
 *  2. the intent: the cycle document gets `pending` (the commit's id, its record, cursor, quarantine and
 *     page counts). From here on the commit is decided and will be rolled forward, never back.
 *  3. the states, each marked with the commit's id (`lastCommit`).
 *  4. the source document: the cursor and the quarantine pointer, in one write. The cursor moves only
 *     now, after every state of its read is stored.
 *  5. the cycle document: the record becomes visible, `pending` is cleared, the commit id is remembered.
 *  6. clean-up: the intent pages and the previous quarantine's pages are deleted.
 *
 * A crash before 2 leaves only unread pages (rewritten under the same ids when the commit is retried). A
 * crash after 2 leaves a pending intent, which is rolled forward — from the intent alone, without the
 * caller — by the store when it opens, by `getCursor` of that source (so a new cycle never plans over a
 * half-written commit) and by the next `commitCycle` of the cycle or its source. Rolling forward reads
 * each state first and skips one already marked with this commit, so a state written by `putState` after
 * the commit reached it is not put back. A commit identical to the one last committed for its cycle (an
 * activity retried after it succeeded) only redoes clean-up deletes. Steps 3–6 are idempotent; 4 and 5 are
 * etag-guarded. test/functions/state/cosmos/cosmos-handoff-crash.test.ts crashes it after each write.
 */
import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import type { CycleCommit, CycleRecord, QuarantineEntry, SourceCursor } from '../../../shared/ports/state-store.port';
import type { LastKnownState } from '../../../shared/planner/types';
import { encodeStateRow } from '../state-records/row-codecs';
import { checkCommitSources } from '../state-records/commit-rules';
import { instantMs } from '../state-records/paging';
import type { StoreContainers } from './containers';
import {
  deleteDocument,
  forEachLimited,
  params,
  queryAll,
  readDocument,
  updateWithRetry,
  upsertDocument,
  type Stored,
} from './documents';

/** States per intent page by default (about 3 KB each: pages stay far below the 2 MB item limit). */
export const STATES_PER_PAGE = 100;
/** Quarantine entries per page. */
const ENTRIES_PER_PAGE = 200;
/** Writes in flight at once while a commit stores its states. */
const PARALLEL_WRITES = 16;

/** Where a source's quarantine is: the generation (a commit id) and how many pages it has. */
export interface QuarantineRef {
  readonly generation: string;
  readonly pages: number;
}
const NO_QUARANTINE: QuarantineRef = { generation: '', pages: 0 };

export interface SourceDocument {
  readonly id: 'source';
  readonly type: 'source';
  readonly sourceId: string;
  readonly cursor: SourceCursor | null;
  readonly quarantine: QuarantineRef;
}

/** What a commit wrote besides its effects: enough to finish or clean it up again. */
export interface CommitPages {
  readonly commitId: string;
  readonly statePages: number;
  readonly quarantine: QuarantineRef;
  readonly previousQuarantine: QuarantineRef;
}

export interface PendingCommit extends CommitPages {
  readonly record: CycleRecord;
  readonly cursor: SourceCursor | null;
}

export interface CycleDocument {
  readonly id: 'cycle';
  readonly type: 'cycle';
  readonly cycleId: string;
  readonly sourceId: string;
  /** The visible record; null while the cycle exists only as a pending commit. */
  readonly record: CycleRecord | null;
  /** Copied from the record for queries (null while there is none). */
  readonly status: string | null;
  readonly startedMs: number | null;
  readonly pending: PendingCommit | null;
  readonly hasPending: boolean;
  /** The last commit finished for this cycle. */
  readonly lastCommit: CommitPages | null;
}

export interface StateDocument {
  readonly id: 'state';
  readonly type: 'state';
  readonly workerKey: string;
  /** The state codec's `hr2ad-state` document holding this one state. */
  readonly document: unknown;
  /** The commit that last wrote it (null when `putState` wrote it first). */
  readonly lastCommit: string | null;
}

interface IntentPage {
  readonly id: string;
  readonly type: 'intent';
  readonly cycleId: string;
  readonly states: readonly { readonly workerKey: string; readonly document: unknown }[];
}

interface QuarantinePage {
  readonly id: string;
  readonly type: 'quarantine';
  readonly sourceId: string;
  readonly entries: readonly QuarantineEntry[];
}

const SOURCE_ID = 'source';
const CYCLE_ID = 'cycle';
const STATE_ID = 'state';

const intentPageId = (commitId: string, page: number) => `intent.${commitId}.${page}`;
export const quarantinePageId = (generation: string, page: number) => `quarantine.${generation}.${page}`;

/** The cycle document showing `record` (keeping whatever commit is pending). */
export function cycleDocument(
  cycleId: string,
  record: CycleRecord | null,
  base: Partial<CycleDocument> & { sourceId: string },
): CycleDocument {
  const pending = base.pending ?? null;
  return {
    id: CYCLE_ID,
    type: 'cycle',
    cycleId,
    sourceId: record?.sourceId ?? base.sourceId,
    record,
    status: record?.status ?? null,
    startedMs: record ? instantMs(record.startedAt, `cycle ${cycleId}: startedAt`) : null,
    pending,
    hasPending: pending !== null,
    lastCommit: base.lastCommit ?? null,
  };
}

export function stateDocument(state: LastKnownState, lastCommit: string | null): StateDocument {
  return {
    id: STATE_ID,
    type: 'state',
    workerKey: state.workerKey,
    document: JSON.parse(encodeStateRow(state)),
    lastCommit,
  };
}

function commitPages({ commitId, statePages, quarantine, previousQuarantine }: CommitPages): CommitPages {
  return { commitId, statePages, quarantine, previousQuarantine };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs commits and rolls pending ones forward. */
export class CycleCommitter {
  constructor(
    private readonly containers: StoreContainers,
    private readonly statesPerPage = STATES_PER_PAGE,
  ) {}

  async commit(commit: CycleCommit): Promise<void> {
    checkCommitSources(commit);
    const states = commit.states.map((s) => ({ workerKey: s.workerKey, document: stateDocument(s, null).document }));
    instantMs(commit.cycle.startedAt, `cycle ${commit.cycle.cycleId}: startedAt`);
    const commitId = createHash('sha256').update(JSON.stringify(commit)).digest('base64url').slice(0, 32);
    const { cycleId, sourceId } = commit.cycle;

    const cycleDoc = await readDocument<CycleDocument>(this.containers.cycles, CYCLE_ID, cycleId);
    // The same commit again (an activity retried after it succeeded): only its clean-up may be unfinished.
    if (cycleDoc?.lastCommit?.commitId === commitId && !cycleDoc.pending)
      return this.cleanUp(cycleId, commit.cycle.sourceId, cycleDoc.lastCommit);
    if (cycleDoc?.pending?.commitId === commitId) return this.rollForward(cycleId, cycleDoc.pending);
    await this.resumePending(sourceId);

    const source = await this.readSource(sourceId);
    const previousQuarantine = source?.quarantine ?? NO_QUARANTINE;
    const quarantine = await this.quarantineWithSince(sourceId, previousQuarantine, commit.quarantine);
    const statePages = chunks(states, this.statesPerPage);
    const quarantinePages = chunks(quarantine, ENTRIES_PER_PAGE);
    await this.writeIntentPages(cycleId, commitId, statePages);
    await this.writeQuarantinePages(sourceId, commitId, quarantinePages);

    const pending: PendingCommit = {
      commitId,
      record: commit.cycle,
      cursor: commit.cursor,
      statePages: statePages.length,
      quarantine: quarantinePages.length ? { generation: commitId, pages: quarantinePages.length } : NO_QUARANTINE,
      previousQuarantine,
    };
    await updateWithRetry<CycleDocument>(this.containers.cycles, CYCLE_ID, cycleId, (current) =>
      cycleDocument(cycleId, current?.record ?? null, { ...current, sourceId, pending }),
    );
    await this.applyPending(cycleId, pending, false);
  }

  /** Rolls forward every pending commit (of one source, or all); returns how many. */
  async resumePending(sourceId?: string): Promise<number> {
    const filter = sourceId === undefined ? '' : ' AND c.sourceId = @sourceId';
    const pending = await queryAll<CycleDocument>(this.containers.cycles, {
      query: `SELECT * FROM c WHERE c.type = 'cycle' AND c.hasPending = true${filter}`,
      parameters: params(sourceId === undefined ? {} : { sourceId }),
    });
    // Oldest first: a source's cursor then moves in the order its cycles started.
    pending.sort((a, b) => (a.pending!.record.startedAt < b.pending!.record.startedAt ? -1 : 1));
    for (const doc of pending) await this.rollForward(doc.cycleId, doc.pending!);
    return pending.length;
  }

  private async rollForward(cycleId: string, pending: PendingCommit): Promise<void> {
    await this.applyPending(cycleId, pending, true);
  }

  /** Steps 3–6. `resuming`: states may already be written (by this commit, or by `putState` since). */
  private async applyPending(cycleId: string, pending: PendingCommit, resuming: boolean): Promise<void> {
    for (let page = 0; page < pending.statePages; page++) {
      const intent = await readDocument<IntentPage>(
        this.containers.cycles,
        intentPageId(pending.commitId, page),
        cycleId,
      );
      // A missing page means step 5 already ran (pages are deleted only after it).
      if (!intent) break;
      await forEachLimited(intent.states, PARALLEL_WRITES, (s) =>
        resuming ? this.resumeState(s, pending.commitId) : this.writeState(s, pending.commitId),
      );
    }
    await this.moveSource(pending);
    const finished = await updateWithRetry<CycleDocument>(this.containers.cycles, CYCLE_ID, cycleId, (current) =>
      current?.pending?.commitId !== pending.commitId
        ? null
        : cycleDocument(cycleId, pending.record, {
            sourceId: pending.record.sourceId,
            lastCommit: commitPages(pending),
          }),
    );
    if (finished !== null || resuming) await this.cleanUp(cycleId, pending.record.sourceId, pending);
  }

  private async writeState(state: IntentPage['states'][number], commitId: string): Promise<void> {
    await upsertDocument(this.containers.workers, { ...state, id: STATE_ID, type: 'state', lastCommit: commitId });
  }

  private async resumeState(state: IntentPage['states'][number], commitId: string): Promise<void> {
    await updateWithRetry<StateDocument>(this.containers.workers, STATE_ID, state.workerKey, (current) =>
      current?.lastCommit === commitId ? null : { ...state, id: STATE_ID, type: 'state', lastCommit: commitId },
    );
  }

  private async moveSource(pending: PendingCommit): Promise<void> {
    const { sourceId } = pending.record;
    await updateWithRetry<SourceDocument>(this.containers.sources, SOURCE_ID, sourceId, (current) => {
      const cursor = pending.cursor ?? current?.cursor ?? null;
      const same =
        current?.quarantine.generation === pending.quarantine.generation &&
        JSON.stringify(current.cursor) === JSON.stringify(cursor);
      return same ? null : { id: SOURCE_ID, type: 'source', sourceId, cursor, quarantine: pending.quarantine };
    });
  }

  private async cleanUp(cycleId: string, sourceId: string, pending: CommitPages): Promise<void> {
    const { cycles, sources } = this.containers;
    for (let page = 0; page < pending.statePages; page++)
      await deleteDocument(cycles, intentPageId(pending.commitId, page), cycleId);
    const previous = pending.previousQuarantine;
    if (previous.generation !== pending.quarantine.generation)
      for (let page = 0; page < previous.pages; page++)
        await deleteDocument(sources, quarantinePageId(previous.generation, page), sourceId);
  }

  private async readSource(sourceId: string): Promise<Stored<SourceDocument> | null> {
    return readDocument<SourceDocument>(this.containers.sources, SOURCE_ID, sourceId);
  }

  /** The new entries, each worker still quarantined keeping the `since` stored for it. */
  private async quarantineWithSince(
    sourceId: string,
    current: QuarantineRef,
    entries: readonly QuarantineEntry[],
  ): Promise<QuarantineEntry[]> {
    const stored = await readQuarantinePages(this.containers.sources, sourceId, current);
    const since = new Map(stored.map((e) => [e.workerKey, e.since]));
    return entries.map((e) => ({ ...e, since: since.get(e.workerKey) ?? e.since }));
  }

  private async writeIntentPages(cycleId: string, commitId: string, pages: IntentPage['states'][]): Promise<void> {
    await forEachLimited([...pages.entries()], PARALLEL_WRITES, ([page, states]) =>
      upsertDocument(this.containers.cycles, { id: intentPageId(commitId, page), type: 'intent', cycleId, states }),
    );
  }

  private async writeQuarantinePages(sourceId: string, generation: string, pages: QuarantineEntry[][]): Promise<void> {
    for (const [page, entries] of pages.entries())
      await upsertDocument(this.containers.sources, {
        id: quarantinePageId(generation, page),
        type: 'quarantine',
        sourceId,
        entries,
      });
  }
}

/** A source's quarantine entries, page by page (point reads). */
export async function readQuarantinePages(
  sources: Container,
  sourceId: string,
  ref: QuarantineRef,
): Promise<QuarantineEntry[]> {
  const entries: QuarantineEntry[] = [];
  for (let page = 0; page < ref.pages; page++) {
    const doc = await readDocument<QuarantinePage>(sources, quarantinePageId(ref.generation, page), sourceId);
    if (!doc) throw new Error(`quarantine of ${sourceId}: page ${page} of generation ${ref.generation} is missing`);
    entries.push(...doc.entries);
  }
  return entries;
}
