/**
 * The state store on Azure Cosmos DB (NoSQL API, `@azure/cosmos`): the control plane's memory in Azure.
 * Containers and partition keys are in containers.ts, the commit hand-off in cycle-commit.ts.
 *
 * Why it stays correct:
 * - The hot path is point reads: a worker's state, link and agent record are read by id and partition
 *   key; only lists (all states, a worker's outcomes, audit pages, a cycle's plans) are queries, and those
 *   of one worker or one cycle stay in one partition.
 * - Every read-modify-write (putState, cycle records, a source's cursor and quarantine, agent records)
 *   replaces with `IfMatch` on the `_etag` it read, and reads again on 412 (documents.ts).
 * - Outcomes, audit entries and counted refusals have deterministic ids (a hash of command id and
 *   status/effect, of message id), created with `create`: a repeat gets 409, writes nothing, returns false.
 * - `commitCycle` spans partitions, so it hands off through an intent stored first and is rolled forward
 *   after a crash, never half-applied and never applied twice (cycle-commit.ts).
 * - Audit retention is Cosmos DB's time to live: each entry carries `ttl` from `auditTtlSeconds`.
 * - Outcomes and audit entries at the same instant keep the order they were recorded in through `seq`, a
 *   microsecond counter that never goes backwards within a process.
 *
 * The Cosmos DB test server (`@vercel/cosmosdb-server`) differs from Azure in ways pinned by
 * test/functions/state/cosmos/cosmos-server-deviations.test.ts. The adapter relies on none of them: it
 * uses no transactional batch, no change feed, no stored procedure and no `IfNoneMatch`; every query that
 * passes the `partitionKey` option also filters on the partition key; tests never wait for a TTL.
 */
import type { Container, CosmosClient, ItemDefinition } from '@azure/cosmos';
import type {
  AccountLink,
  AgentRecord,
  AuditEntry,
  AuditPage,
  AuditQuery,
  CommandOutcome,
  CycleCommit,
  CyclePlan,
  CycleQuery,
  CycleRecord,
  HandOnPage,
  QuarantineEntry,
  SourceCursor,
  StateStore,
} from '../../../shared/ports/state-store.port';
import type { LastKnownState } from '../../../shared/planner/types';
import type { AgentHeartbeat, CommandRefused } from '../../../shared/protocol/relay-messages';
import { agentFromHeartbeat, agentFromRefusal } from '../state-records/agent-records';
import { makeCosmosClient, type CosmosConnection } from './cosmos-connection';
import { boundedLimit, instantMs } from '../state-records/paging';
import { decodeCyclePlanRow, decodeStateRow, encodeCyclePlanRow } from '../state-records/row-codecs';
import { auditPageQuery, encodeAuditToken } from './audit-paging';
import { ensureContainers, type StoreContainers } from './containers';
import {
  createDocument,
  documentId,
  forEachLimited,
  params,
  queryAll,
  readDocument,
  updateWithRetry,
  upsertDocument,
  type Stored,
} from './documents';
import {
  STATES_PER_PAGE,
  CycleCommitter,
  cycleDocument,
  readQuarantinePages,
  stateDocument,
  type CycleDocument,
  type SourceDocument,
  type StateDocument,
} from './cycle-commit';

export { InvalidDocumentError, StoredRowError } from '../state-records/row-codecs';

export interface CosmosStateStoreOptions extends CosmosConnection {
  readonly databaseId: string;
  /** How long audit entries are kept, in seconds; null or absent keeps them forever. */
  readonly auditTtlSeconds?: number | null;
  /** Roll forward commits a crash left pending when opening (default true). */
  readonly resumePendingCommits?: boolean;
  /** States per commit intent page (default 100). */
  readonly statesPerIntentPage?: number;
}

/** Point reads in flight at once (getStates of many workers, putCyclePlans). */
const PARALLEL = 16;
const REFUSALS_REMEMBERED = 50;

interface LinkDocument {
  readonly id: 'link';
  readonly workerKey: string;
  readonly link: AccountLink;
}
interface PlanDocument {
  readonly workerKey: string;
  readonly plan: unknown;
}
interface AgentDocument {
  readonly id: 'agent';
  readonly agentId: string;
  readonly record: AgentRecord;
  readonly countedRefusals: readonly string[];
}
interface RefusalMarker {
  readonly counted: boolean;
}

/** Opens the store, creating the database and containers when missing. */
export async function createCosmosStateStore(options: CosmosStateStoreOptions): Promise<CosmosStateStore> {
  const owned = options.client === undefined;
  const client = options.client ?? makeCosmosClient(options, 'state store');
  try {
    const containers = await ensureContainers(client, options.databaseId);
    const store = new CosmosStateStore(containers, {
      auditTtlSeconds: options.auditTtlSeconds ?? null,
      ownedClient: owned ? client : null,
      statesPerIntentPage: options.statesPerIntentPage ?? STATES_PER_PAGE,
    });
    if (options.resumePendingCommits !== false) await store.resumePendingCommits();
    return store;
  } catch (error) {
    if (owned) client.dispose();
    throw new Error(
      `Cosmos DB database ${options.databaseId}: cannot open the state store: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

export class CosmosStateStore implements StateStore {
  private readonly committer: CycleCommitter;
  private lastSeq = 0;
  private closed = false;

  private readonly auditTtlSeconds: number | null;
  private readonly ownedClient: CosmosClient | null;

  constructor(
    private readonly containers: StoreContainers,
    settings: { auditTtlSeconds: number | null; ownedClient: CosmosClient | null; statesPerIntentPage: number },
  ) {
    this.auditTtlSeconds = settings.auditTtlSeconds;
    this.ownedClient = settings.ownedClient;
    this.committer = new CycleCommitter(containers, settings.statesPerIntentPage);
  }

  /** Rolls forward every commit a crash left pending; returns how many. */
  async resumePendingCommits(): Promise<number> {
    return this.committer.resumePending();
  }

  async getStates(workerKeys?: readonly string[]): Promise<Map<string, LastKnownState>> {
    this.checkOpen();
    const docs =
      workerKeys === undefined
        ? await queryAll<StateDocument>(this.containers.workers, { query: "SELECT * FROM c WHERE c.type = 'state'" })
        : await this.readStates([...new Set(workerKeys)]);
    const states = docs
      .map((doc) => decodeStateRow(doc.workerKey, JSON.stringify(doc.document)))
      .sort((a, b) => (a.workerKey < b.workerKey ? -1 : 1));
    return new Map(states.map((s) => [s.workerKey, s]));
  }

  async putState(state: LastKnownState): Promise<void> {
    this.checkOpen();
    const doc = stateDocument(state, null);
    await updateWithRetry<StateDocument>(this.containers.workers, doc.id, state.workerKey, (current) => ({
      ...doc,
      lastCommit: current?.lastCommit ?? null,
    }));
  }

  async getLink(workerKey: string): Promise<AccountLink | null> {
    this.checkOpen();
    return (await readDocument<LinkDocument>(this.containers.workers, 'link', workerKey))?.link ?? null;
  }

  async getLinks(workerKeys?: readonly string[]): Promise<Map<string, AccountLink>> {
    this.checkOpen();
    const docs: LinkDocument[] = [];
    if (workerKeys === undefined) {
      docs.push(
        ...(await queryAll<LinkDocument>(this.containers.workers, { query: "SELECT * FROM c WHERE c.type = 'link'" })),
      );
    } else {
      await forEachLimited([...new Set(workerKeys)], PARALLEL, async (workerKey) => {
        const doc = await readDocument<LinkDocument>(this.containers.workers, 'link', workerKey);
        if (doc) docs.push(doc);
      });
    }
    return new Map(docs.map((doc) => [doc.workerKey, doc.link]));
  }

  async putLink(link: AccountLink): Promise<void> {
    this.checkOpen();
    await upsertDocument(this.containers.workers, { id: 'link', type: 'link', workerKey: link.workerKey, link });
  }

  async getCursor(sourceId: string): Promise<SourceCursor | null> {
    this.checkOpen();
    await this.committer.resumePending(sourceId);
    return (await readDocument<SourceDocument>(this.containers.sources, 'source', sourceId))?.cursor ?? null;
  }

  async putCycle(cycle: CycleRecord): Promise<void> {
    this.checkOpen();
    const { cycleId, sourceId } = cycle;
    await updateWithRetry<CycleDocument>(this.containers.cycles, 'cycle', cycleId, (current) =>
      cycleDocument(cycleId, cycle, { ...current, sourceId }),
    );
  }

  async getCycle(cycleId: string): Promise<CycleRecord | null> {
    this.checkOpen();
    return (await readDocument<CycleDocument>(this.containers.cycles, 'cycle', cycleId))?.record ?? null;
  }

  async listCycles(query: CycleQuery = {}): Promise<CycleRecord[]> {
    this.checkOpen();
    const status = query.status === undefined ? 'IS_STRING(c.status)' : 'c.status = @status';
    const source = query.sourceId === undefined ? '' : ' AND c.sourceId = @sourceId';
    const docs = await queryAll<CycleDocument>(this.containers.cycles, {
      query: `SELECT TOP @top * FROM c WHERE c.type = 'cycle' AND ${status}${source} ORDER BY c.startedMs DESC, c.cycleId DESC`,
      parameters: params({
        top: boundedLimit(query.limit),
        ...(query.status ? { status: query.status } : {}),
        ...(query.sourceId !== undefined ? { sourceId: query.sourceId } : {}),
      }),
    });
    return docs.map((d) => d.record!);
  }

  async putCyclePlans(plans: readonly CyclePlan[]): Promise<void> {
    this.checkOpen();
    const byWorker = new Map(plans.map((p) => [`${p.cycleId}\n${p.workerKey}`, p]));
    const docs = [...byWorker.values()].map((p) => ({
      id: documentId('plan', p.workerKey),
      type: 'plan',
      cycleId: p.cycleId,
      workerKey: p.workerKey,
      hasPlan: p.plan !== null,
      held: p.held,
      plan: JSON.parse(encodeCyclePlanRow(p)) as unknown,
    }));
    await forEachLimited(docs, PARALLEL, (doc) => upsertDocument(this.containers.cycles, doc));
  }

  async getCyclePlans(cycleId: string, handOn?: HandOnPage): Promise<CyclePlan[]> {
    this.checkOpen();
    const docs = handOn
      ? await this.handOnPage(cycleId, handOn)
      : await queryAll<PlanDocument>(
          this.containers.cycles,
          {
            query: "SELECT * FROM c WHERE c.cycleId = @cycleId AND c.type = 'plan' ORDER BY c.workerKey",
            parameters: params({ cycleId }),
          },
          cycleId,
        );
    return docs.map((d) => decodeCyclePlanRow(cycleId, d.workerKey, JSON.stringify(d.plan)));
  }

  async commitCycle(commit: CycleCommit): Promise<void> {
    this.checkOpen();
    await this.committer.commit(commit);
  }

  async listQuarantine(sourceId?: string): Promise<QuarantineEntry[]> {
    this.checkOpen();
    const { sources } = this.containers;
    const docs =
      sourceId === undefined
        ? await queryAll<SourceDocument>(sources, { query: "SELECT * FROM c WHERE c.type = 'source'" })
        : [await readDocument<SourceDocument>(sources, 'source', sourceId)].filter((d) => d !== null);
    const entries = (await Promise.all(docs.map((d) => readQuarantinePages(sources, d.sourceId, d.quarantine)))).flat();
    const key = (e: QuarantineEntry) => [e.sourceId, e.location] as const;
    return entries.sort((a, b) => compareTuples(key(a), key(b)));
  }

  async recordOutcome(outcome: CommandOutcome): Promise<boolean> {
    this.checkOpen();
    const atMs = instantMs(outcome.at, `outcome of ${outcome.commandId}: at`);
    return createDocument(this.containers.workers, {
      id: documentId('outcome', outcome.commandId, outcome.status),
      type: 'outcome',
      workerKey: outcome.workerKey,
      atMs,
      seq: this.nextSeq(),
      outcome,
    });
  }

  async listOutcomes(workerKey: string, limit?: number): Promise<CommandOutcome[]> {
    this.checkOpen();
    const docs = await queryAll<{ outcome: CommandOutcome }>(
      this.containers.workers,
      {
        query:
          "SELECT TOP @top * FROM c WHERE c.workerKey = @workerKey AND c.type = 'outcome' ORDER BY c.atMs DESC, c.seq DESC",
        parameters: params({ top: boundedLimit(limit), workerKey }),
      },
      workerKey,
    );
    return docs.map((d) => d.outcome);
  }

  async appendAudit(entry: AuditEntry): Promise<boolean> {
    this.checkOpen();
    const atMs = instantMs(entry.at, `audit entry of ${entry.commandId}: at`);
    const doc: ItemDefinition = {
      id: documentId('audit', entry.commandId, entry.effect),
      type: 'audit',
      workerKey: entry.workerKey,
      action: entry.action,
      atMs,
      seq: this.nextSeq(),
      entry,
      ...(this.auditTtlSeconds === null ? {} : { ttl: this.auditTtlSeconds }),
    };
    return createDocument(this.containers.audit, doc);
  }

  async queryAudit(query: AuditQuery): Promise<AuditPage> {
    this.checkOpen();
    const limit = boundedLimit(query.limit);
    const docs = await queryAll<{ id: string; atMs: number; seq: number; entry: AuditEntry }>(
      this.containers.audit,
      auditPageQuery(query, limit),
      query.workerKey,
    );
    const page = docs.slice(0, limit);
    const last = page[page.length - 1];
    return {
      entries: page.map((d) => d.entry),
      next: docs.length > limit && last ? encodeAuditToken(last) : null,
    };
  }

  async recordAgentHeartbeat(heartbeat: AgentHeartbeat): Promise<boolean> {
    this.checkOpen();
    const sentMs = instantMs(heartbeat.sentAt, `heartbeat of agent ${heartbeat.agentId}: sentAt`);
    const written = await this.updateAgent(heartbeat.agentId, (stored) => {
      // A record known only by refusals has seen no heartbeat yet: any heartbeat is newer.
      if (stored?.record.version && instantMs(stored.record.lastSeen, `agent ${heartbeat.agentId}: lastSeen`) >= sentMs)
        return null;
      return { record: agentFromHeartbeat(heartbeat, stored?.record ?? null) };
    });
    return written;
  }

  /**
   * A marker per refused message (created once), then the count on the agent record, then the marker set
   * `counted`. A retry after a crash between those finds the marker uncounted and finishes; the agent
   * record remembers the last refusals it counted, so the crash after counting does not count twice.
   */
  async recordAgentRefusal(agentId: string, refusal: CommandRefused): Promise<boolean> {
    this.checkOpen();
    instantMs(refusal.at, `refusal of agent ${agentId}: at`);
    const marker = { id: documentId('refusal', refusal.messageId), type: 'refusal', agentId, refusal };
    if (!(await createDocument(this.containers.agents, { ...marker, counted: false }))) {
      const stored = await readDocument<RefusalMarker>(this.containers.agents, marker.id, agentId);
      if (stored?.counted) return false;
    }
    const counted = await this.updateAgent(agentId, (stored) =>
      stored?.countedRefusals.includes(refusal.messageId)
        ? null
        : {
            record: agentFromRefusal(agentId, refusal, stored?.record ?? null),
            counted: [...(stored?.countedRefusals ?? []), refusal.messageId].slice(-REFUSALS_REMEMBERED),
          },
    );
    await upsertDocument(this.containers.agents, { ...marker, counted: true });
    return counted;
  }

  async listAgents(): Promise<AgentRecord[]> {
    this.checkOpen();
    const docs = await queryAll<AgentDocument>(this.containers.agents, {
      query: "SELECT * FROM c WHERE c.type = 'agent' ORDER BY c.agentId",
    });
    return docs.map((d) => d.record);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ownedClient?.dispose();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the Cosmos DB state store is closed');
  }

  /** A sequence for ordering records at the same instant: microseconds, never repeating within a process. */
  private nextSeq(): number {
    this.lastSeq = Math.max(this.lastSeq + 1, Date.now() * 1000);
    return this.lastSeq;
  }

  private async readStates(workerKeys: readonly string[]): Promise<StateDocument[]> {
    const docs: StateDocument[] = [];
    await forEachLimited(workerKeys, PARALLEL, async (workerKey) => {
      const doc = await readDocument<StateDocument>(this.containers.workers, 'state', workerKey);
      if (doc) docs.push(doc);
    });
    return docs;
  }

  /**
   * One hand-on chunk: the cycle's plans with a plan and that held flag, in worker-key order, from
   * `offset`. The worker key before the chunk comes from a keys-only query (one small page of `offset`
   * keys); the chunk is then the next `limit` plans after that key. Both stay in the cycle's partition.
   */
  private async handOnPage(cycleId: string, page: HandOnPage): Promise<PlanDocument[]> {
    const filter = "c.cycleId = @cycleId AND c.type = 'plan' AND c.hasPlan = true AND c.held = @held";
    const values = { cycleId, held: page.held };
    let after: string | null = null;
    if (page.offset > 0) {
      const keys = await queryAll<string>(
        this.containers.cycles,
        {
          query: `SELECT TOP @top VALUE c.workerKey FROM c WHERE ${filter} ORDER BY c.workerKey`,
          parameters: params({ ...values, top: page.offset }),
        },
        cycleId,
      );
      if (keys.length < page.offset) return [];
      after = keys[keys.length - 1]!;
    }
    return queryAll<PlanDocument>(
      this.containers.cycles,
      {
        query: `SELECT TOP @top * FROM c WHERE ${filter}${after === null ? '' : ' AND c.workerKey > @after'} ORDER BY c.workerKey`,
        parameters: params({ ...values, top: Math.max(1, page.limit), ...(after === null ? {} : { after }) }),
      },
      cycleId,
    );
  }

  /** Read-modify-write of an agent's record; true when it was written. */
  private async updateAgent(
    agentId: string,
    change: (stored: Stored<AgentDocument> | null) => { record: AgentRecord; counted?: readonly string[] } | null,
  ): Promise<boolean> {
    const container: Container = this.containers.agents;
    const written = await updateWithRetry<AgentDocument>(container, 'agent', agentId, (stored) => {
      const next = change(stored);
      if (next === null) return null;
      return {
        id: 'agent',
        type: 'agent',
        agentId,
        record: next.record,
        countedRefusals: next.counted ?? stored?.countedRefusals ?? [],
      };
    });
    return written !== null;
  }
}

function compareTuples(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}
