/**
 * The state store contract: what shared/ports/state-store.port.ts promises, asserted against any
 * adapter. Every adapter's test file calls `describeStateStoreContract` with a factory for an empty
 * store; the suite uses only the port, so a new adapter (Cosmos DB) runs it unchanged.
 *
 * States and plans are real: the planner's output for examples/hr-snapshot.json (see state-fixtures.ts).
 */
import {
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  type AuditEntry,
  type AuditQuery,
  type StateStore,
} from '../../../shared/ports/state-store.port';
import type { LastKnownState } from '../../../shared/planner/types';
import type { AgentHeartbeat, CommandRefused } from '../../../shared/protocol/relay-messages';
import {
  CYCLE_RESULT,
  PLANNED_AT,
  SOURCE,
  STATES,
  auditEntry,
  auditEntryOfKind,
  cursor,
  cycle,
  cyclePlans,
  invalidState,
  minutesAfter,
  outcome,
  quarantineEntry,
  quarantineOf,
} from './state-fixtures';

/** Every page of a query, following `next` until it is null. */
async function allPages(store: StateStore, query: AuditQuery): Promise<AuditEntry[][]> {
  const pages: AuditEntry[][] = [];
  let after: string | undefined;
  do {
    const page = await store.queryAudit({ ...query, ...(after === undefined ? {} : { after }) });
    pages.push([...page.entries]);
    after = page.next ?? undefined;
  } while (after !== undefined);
  return pages;
}

async function appendMany(store: StateStore, count: number, worker = 0): Promise<void> {
  for (let i = 0; i < count; i++)
    await store.appendAudit(auditEntry(`w${worker}-cmd-${i}`, minutesAfter(PLANNED_AT, i), {}, worker));
}

function byKey(states: readonly LastKnownState[]): Map<string, LastKnownState> {
  return new Map(states.map((s) => [s.workerKey, s]));
}

/**
 * Registers the contract's tests for one adapter. `open` returns an empty store for each test; `close`
 * (default: `store.close()`) releases it, e.g. dropping a test container.
 */
export function describeStateStoreContract(
  name: string,
  open: () => Promise<StateStore>,
  close: (store: StateStore) => Promise<void> = (store) => store.close(),
): void {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await close(store);
    });

    describeStates(() => store);
    describeLinksAndCursors(() => store);
    describeCommitCycle(() => store);
    describeQuarantine(() => store);
    describeCycles(() => store);
    describeOutcomes(() => store);
    describeAudit(() => store);
    describeAgents(() => store);

    it('closes, and closing twice is harmless', async () => {
      const other = await open();
      await other.close();
      await expect(other.close()).resolves.toBeUndefined();
    });
  });
}

function describeStates(store: () => StateStore): void {
  describe('worker states', () => {
    it('has none at first', async () => {
      expect(await store().getStates()).toEqual(new Map());
      expect(await store().getStates(['workday:1001'])).toEqual(new Map());
    });

    it('gives back the planner’s states as they were put, by worker key', async () => {
      expect(STATES.length).toBeGreaterThanOrEqual(3);
      for (const state of STATES) await store().putState(state);
      expect(await store().getStates()).toEqual(byKey(STATES));
    });

    it('gives back only the asked workers that it has', async () => {
      for (const state of STATES) await store().putState(state);
      const [first, second] = STATES as [LastKnownState, LastKnownState];
      const got = await store().getStates([second.workerKey, 'workday:nobody', first.workerKey]);
      expect(got).toEqual(byKey([first, second]));
      expect(await store().getStates([])).toEqual(new Map());
    });

    it('replaces one worker’s state', async () => {
      const [first] = STATES as [LastKnownState];
      await store().putState(first);
      const reported = { ...first, identifiers: { sAMAccountName: 'alovelace', objectGUID: 'g-1' }, sequence: 7 };
      await store().putState(reported);
      expect(await store().getStates([first.workerKey])).toEqual(byKey([reported]));
    });

    it('refuses a state the state codec refuses, keeping the stored one', async () => {
      const [first] = STATES as [LastKnownState];
      await store().putState(first);
      await expect(store().putState(invalidState(first))).rejects.toThrow(first.workerKey);
      expect(await store().getStates([first.workerKey])).toEqual(byKey([first]));
    });
  });
}

function describeLinksAndCursors(store: () => StateStore): void {
  describe('links and cursors', () => {
    const link = {
      workerKey: 'workday:1001',
      objectGUID: '6f1c1a52-8d0c-4f5e-9d3a-3b1f0e9c2a11',
      dn: 'CN=Ada Lovelace,OU=London,OU=Users,DC=contoso,DC=com',
      identifiers: { sAMAccountName: 'alovelace', userPrincipalName: 'Ada.Lovelace@contoso.com' },
      updatedAt: PLANNED_AT,
    };

    it('stores and replaces a link', async () => {
      expect(await store().getLink(link.workerKey)).toBeNull();
      await store().putLink(link);
      expect(await store().getLink(link.workerKey)).toEqual(link);
      const moved = { ...link, dn: 'CN=Ada Lovelace,OU=Disabled Users,DC=contoso,DC=com' };
      await store().putLink(moved);
      expect(await store().getLink(link.workerKey)).toEqual(moved);
      expect(await store().getLink('workday:1000')).toBeNull();
    });

    it('gives back links in one read: all of them, or only the asked workers it has', async () => {
      expect(await store().getLinks()).toEqual(new Map());
      const other = { ...link, workerKey: 'workday:1002', objectGUID: '0b7e4a9d-2f1c-4c55-8a61-5d2e9f3c7b20' };
      await store().putLink(link);
      await store().putLink(other);
      expect(await store().getLinks()).toEqual(
        new Map([
          [link.workerKey, link],
          [other.workerKey, other],
        ]),
      );
      expect(await store().getLinks([other.workerKey, 'workday:9999'])).toEqual(new Map([[other.workerKey, other]]));
      expect(await store().getLinks([])).toEqual(new Map());
    });

    it('has no cursor for a source never committed', async () => {
      expect(await store().getCursor(SOURCE)).toBeNull();
    });
  });
}

function describeCommitCycle(store: () => StateStore): void {
  describe('commitCycle', () => {
    const first = () =>
      store().commitCycle({
        cycle: cycle('c1', { status: 'completed', cursor: 'cur-1' }),
        cursor: cursor('cur-1', 'c1'),
        states: STATES,
        quarantine: quarantineOf('c1'),
      });

    it('stores the cycle, the cursor, the states and the quarantine', async () => {
      await first();
      expect(await store().getCycle('c1')).toEqual(cycle('c1', { status: 'completed', cursor: 'cur-1' }));
      expect(await store().getCursor(SOURCE)).toEqual(cursor('cur-1', 'c1'));
      expect(await store().getStates()).toEqual(byKey(STATES));
      expect(await store().listQuarantine(SOURCE)).toEqual(quarantineOf('c1'));
      expect(CYCLE_RESULT.quarantined.length).toBeGreaterThan(0);
    });

    it('leaves the cursor where it is when the commit has none (a held cycle)', async () => {
      await first();
      await store().commitCycle({ cycle: cycle('c2', { status: 'held' }), cursor: null, states: [], quarantine: [] });
      expect(await store().getCursor(SOURCE)).toEqual(cursor('cur-1', 'c1'));
      expect(await store().getCycle('c2')).toEqual(cycle('c2', { status: 'held' }));
    });

    it('stores nothing when a state fails the codec midway: cursor, states, quarantine and cycle as before', async () => {
      await first();
      const changed = STATES.map((s) => ({ ...s, sequence: s.sequence + 1 }));
      const broken = [changed[0]!, invalidState(changed[1]!), ...changed.slice(2)];
      const commit = {
        cycle: cycle('c2', { status: 'completed', cursor: 'cur-2' }),
        cursor: cursor('cur-2', 'c2'),
        states: broken,
        quarantine: [quarantineEntry('record 9', 'workday:9')],
      };
      await expect(store().commitCycle(commit)).rejects.toThrow(changed[1]!.workerKey);
      expect(await store().getCursor(SOURCE)).toEqual(cursor('cur-1', 'c1'));
      expect(await store().getStates()).toEqual(byKey(STATES));
      expect(await store().listQuarantine()).toEqual(quarantineOf('c1'));
      expect(await store().getCycle('c2')).toBeNull();
    });

    it('refuses a commit that carries another source’s cursor or quarantine', async () => {
      const c = cycle('c1');
      await expect(
        store().commitCycle({ cycle: c, cursor: cursor('x', 'c1', 'other'), states: [], quarantine: [] }),
      ).rejects.toThrow('other');
      await expect(
        store().commitCycle({ cycle: c, cursor: null, states: [], quarantine: quarantineOf('c1', 'other') }),
      ).rejects.toThrow('other');
      expect(await store().getCycle('c1')).toBeNull();
    });
  });
}

function describeQuarantine(store: () => StateStore): void {
  describe('quarantine', () => {
    const commit = (cycleId: string, sourceId: string, quarantine: ReturnType<typeof quarantineEntry>[]) =>
      store().commitCycle({ cycle: cycle(cycleId, { sourceId }), cursor: null, states: [], quarantine });

    it('replaces one source’s quarantine and leaves other sources alone', async () => {
      const other = [quarantineEntry('row 3', 'csv:7', { sourceId: 'csv', cycleId: 'k1' })];
      await commit('k1', 'csv', other);
      await commit('c1', SOURCE, [quarantineEntry('record 1', 'workday:1'), quarantineEntry('record 2', 'workday:2')]);
      await commit('c2', SOURCE, [quarantineEntry('record 5', 'workday:5', { cycleId: 'c2' })]);
      expect(await store().listQuarantine(SOURCE)).toEqual([
        quarantineEntry('record 5', 'workday:5', { cycleId: 'c2' }),
      ]);
      expect(await store().listQuarantine('csv')).toEqual(other);
      await commit('c3', SOURCE, []);
      expect(await store().listQuarantine()).toEqual(other);
    });

    it('lists by source, then location', async () => {
      await commit('c1', SOURCE, [quarantineEntry('record 2', 'workday:2'), quarantineEntry('record 1', 'workday:1')]);
      await commit('k1', 'csv', [quarantineEntry('row 3', 'csv:3', { sourceId: 'csv' })]);
      const listed = await store().listQuarantine();
      expect(listed.map((q) => `${q.sourceId} ${q.location}`)).toEqual([
        'csv row 3',
        'workday record 1',
        'workday record 2',
      ]);
    });

    it('keeps when a worker was first quarantined while it stays quarantined', async () => {
      await commit('c1', SOURCE, [quarantineEntry('record 1', 'workday:1', { since: PLANNED_AT })]);
      const later = minutesAfter(PLANNED_AT, 60);
      await commit('c2', SOURCE, [
        quarantineEntry('record 4', 'workday:1', { since: later, cycleId: 'c2' }),
        quarantineEntry('record 5', 'workday:5', { since: later, cycleId: 'c2' }),
      ]);
      expect(await store().listQuarantine(SOURCE)).toEqual([
        quarantineEntry('record 4', 'workday:1', { since: PLANNED_AT, cycleId: 'c2' }),
        quarantineEntry('record 5', 'workday:5', { since: later, cycleId: 'c2' }),
      ]);
    });
  });
}

function describeCycles(store: () => StateStore): void {
  describe('cycles and their plans', () => {
    it('stores, replaces and lists cycles newest first, filtered by status and limited', async () => {
      const statuses = ['completed', 'held', 'completed', 'failed', 'completed'] as const;
      for (const [i, status] of statuses.entries())
        await store().putCycle(cycle(`c${i}`, { status, startedAt: minutesAfter(PLANNED_AT, i * 10) }));
      await store().putCycle(cycle('c1', { status: 'approved', startedAt: minutesAfter(PLANNED_AT, 10) }));
      expect((await store().getCycle('c1'))?.status).toBe('approved');
      expect(await store().getCycle('nope')).toBeNull();
      const ids = async (q?: Parameters<StateStore['listCycles']>[0]) =>
        (await store().listCycles(q)).map((c) => c.cycleId);
      expect(await ids()).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
      expect(await ids({ status: 'completed' })).toEqual(['c4', 'c2', 'c0']);
      expect(await ids({ status: 'completed', limit: 2 })).toEqual(['c4', 'c2']);
      expect(await ids({ status: 'rejected' })).toEqual([]);
      await store().putCycle(cycle('other', { sourceId: 'hr-other', startedAt: minutesAfter(PLANNED_AT, 60) }));
      expect(await ids({ sourceId: 'hr-other' })).toEqual(['other']);
      expect(await ids({ sourceId: SOURCE, status: 'completed', limit: 2 })).toEqual(['c4', 'c2']);
      expect(await ids({ sourceId: 'hr-none' })).toEqual([]);
    });

    it('caps how many cycles one list returns', async () => {
      for (let i = 0; i < DEFAULT_LIST_LIMIT + 5; i++)
        await store().putCycle(cycle(`c${String(i).padStart(4, '0')}`, { startedAt: minutesAfter(PLANNED_AT, i) }));
      expect(await store().listCycles()).toHaveLength(DEFAULT_LIST_LIMIT);
      expect(await store().listCycles({ limit: 0 })).toHaveLength(1);
    });

    it('keeps a cycle’s worker outcomes in worker-key order, replacing by cycle and worker', async () => {
      const plans = cyclePlans('c1');
      await store().putCyclePlans([...plans].reverse());
      await store().putCyclePlans(cyclePlans('c2').slice(0, 1));
      const sorted = [...plans].sort((a, b) => (a.workerKey < b.workerKey ? -1 : 1));
      expect(await store().getCyclePlans('c1')).toEqual(sorted);
      expect(plans.some((p) => p.plan === null && p.nextState === null)).toBe(true);

      const held = { ...sorted[0]!, held: true };
      await store().putCyclePlans([held]);
      expect(await store().getCyclePlans('c1')).toEqual([held, ...sorted.slice(1)]);
      expect(await store().getCyclePlans('c2')).toHaveLength(1);
      expect(await store().getCyclePlans('c3')).toEqual([]);
    });

    it('pages the plans to hand on: only outcomes with a plan and the asked held flag, in worker-key order', async () => {
      const plans = cyclePlans('c1');
      const withPlan = plans.filter((p) => p.plan !== null).sort((a, b) => (a.workerKey < b.workerKey ? -1 : 1));
      const held = { ...withPlan[0]!, held: true };
      await store().putCyclePlans([...plans, held]);
      const ready = withPlan.slice(1);
      expect(await store().getCyclePlans('c1', { held: false, offset: 0, limit: 100 })).toEqual(ready);
      expect(await store().getCyclePlans('c1', { held: false, offset: 1, limit: 1 })).toEqual(ready.slice(1, 2));
      expect(await store().getCyclePlans('c1', { held: true, offset: 0, limit: 100 })).toEqual([held]);
      expect(await store().getCyclePlans('c1', { held: true, offset: 1, limit: 100 })).toEqual([]);
    });

    it('refuses a worker outcome whose next state fails the codec', async () => {
      const [plan] = cyclePlans('c1').filter((p) => p.nextState);
      const bad = { ...plan!, nextState: invalidState(plan!.nextState!) };
      await expect(store().putCyclePlans([bad])).rejects.toThrow(plan!.workerKey);
    });
  });
}

function describeOutcomes(store: () => StateStore): void {
  describe('command outcomes', () => {
    it('stores an outcome once per command and status', async () => {
      const applied = outcome('cmd-1', PLANNED_AT);
      expect(await store().recordOutcome(applied)).toBe(true);
      expect(await store().recordOutcome({ ...applied, attempts: 2 })).toBe(false);
      const timedOut = { ...applied, status: 'timed-out' as const, result: null, at: minutesAfter(PLANNED_AT, 1) };
      expect(await store().recordOutcome(timedOut)).toBe(true);
      expect(await store().listOutcomes(applied.workerKey)).toEqual([timedOut, applied]);
    });

    it('lists one worker’s outcomes newest first, limited', async () => {
      for (let i = 0; i < 5; i++) await store().recordOutcome(outcome(`a-${i}`, minutesAfter(PLANNED_AT, i)));
      await store().recordOutcome(outcome('other', PLANNED_AT, {}, 1));
      const worker = outcome('x', PLANNED_AT).workerKey;
      const listed = await store().listOutcomes(worker, 3);
      expect(listed.map((o) => o.commandId)).toEqual(['a-4', 'a-3', 'a-2']);
      expect((await store().listOutcomes(worker)).every((o) => o.workerKey === worker)).toBe(true);
      expect(await store().listOutcomes('workday:nobody')).toEqual([]);
    });

    it('caps how many outcomes one list returns', async () => {
      for (let i = 0; i < DEFAULT_LIST_LIMIT + 5; i++)
        await store().recordOutcome(outcome(`a-${i}`, minutesAfter(PLANNED_AT, i)));
      const worker = outcome('x', PLANNED_AT).workerKey;
      expect(await store().listOutcomes(worker)).toHaveLength(DEFAULT_LIST_LIMIT);
      expect(await store().listOutcomes(worker, MAX_LIST_LIMIT * 10)).toHaveLength(DEFAULT_LIST_LIMIT + 5);
    });
  });
}

function describeAudit(store: () => StateStore): void {
  describe('audit', () => {
    it('appends an entry once per command and effect', async () => {
      const created = auditEntry('cmd-1', PLANNED_AT);
      expect(await store().appendAudit(created)).toBe(true);
      expect(await store().appendAudit({ ...created, at: minutesAfter(PLANNED_AT, 5) })).toBe(false);
      const failed = { ...created, effect: 'failed', at: minutesAfter(PLANNED_AT, 1) };
      expect(await store().appendAudit(failed)).toBe(true);
      expect(await store().queryAudit({})).toEqual({ entries: [created, failed], next: null });
    });

    it('filters by worker, by action and by time range (from inclusive, to exclusive)', async () => {
      await appendMany(store(), 6, 0);
      await appendMany(store(), 6, 1);
      const disabled = auditEntryOfKind('DisableAccount', 'dis-1', minutesAfter(PLANNED_AT, 2));
      await store().appendAudit(disabled);
      const worker1 = auditEntry('x', PLANNED_AT, {}, 1).workerKey;

      const byWorker = await store().queryAudit({ workerKey: worker1 });
      expect(byWorker.entries.map((e) => e.commandId)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `w1-cmd-${i}`));
      expect((await store().queryAudit({ action: 'DisableAccount' })).entries).toEqual([disabled]);

      const range = { from: minutesAfter(PLANNED_AT, 2), to: minutesAfter(PLANNED_AT, 4) };
      const inRange = await store().queryAudit({ ...range, workerKey: auditEntry('x', PLANNED_AT).workerKey });
      expect(inRange.entries.map((e) => e.commandId)).toEqual(['w0-cmd-2', 'w0-cmd-3']);
      const all = await store().queryAudit({ ...range, limit: MAX_LIST_LIMIT });
      expect(all.entries.every((e) => e.at >= range.from && e.at < range.to)).toBe(true);
      expect(all.entries).toHaveLength(5);
    });

    it('orders entries by instant, whatever offset their time is written with', async () => {
      const utc = auditEntry('utc', '2026-11-01T00:00:00Z');
      const paris = auditEntry('paris', '2026-11-01T00:30:00+01:00');
      await store().appendAudit(utc);
      await store().appendAudit(paris);
      expect((await store().queryAudit({})).entries.map((e) => e.commandId)).toEqual(['paris', 'utc']);
      const from = await store().queryAudit({ from: '2026-10-31T23:45:00Z' });
      expect(from.entries.map((e) => e.commandId)).toEqual(['utc']);
    });

    it('pages through a few hundred entries with no duplicates or gaps', async () => {
      const count = 310;
      for (let i = 0; i < count; i++)
        // Three entries per instant: paging must tell entries at the same instant apart.
        await store().appendAudit(auditEntry(`cmd-${i}`, minutesAfter(PLANNED_AT, Math.floor(i / 3)), {}, i % 4));
      const pages = await allPages(store(), { limit: 37 });
      expect(pages.map((p) => p.length)).toEqual([...Array(8).fill(37), count - 8 * 37]);
      expect(pages.flat().map((e) => e.commandId)).toEqual(Array.from({ length: count }, (_, i) => `cmd-${i}`));
    });

    it('pages one worker’s entries within a time range', async () => {
      await appendMany(store(), 50, 0);
      await appendMany(store(), 50, 1);
      const workerKey = auditEntry('x', PLANNED_AT, {}, 1).workerKey;
      const query = { workerKey, from: minutesAfter(PLANNED_AT, 10), to: minutesAfter(PLANNED_AT, 40), limit: 7 };
      const seen = (await allPages(store(), query)).flat().map((e) => e.commandId);
      expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `w1-cmd-${i + 10}`));
    });

    it('returns the default number of entries, and never more than the cap', async () => {
      const count = MAX_LIST_LIMIT + 5;
      for (let i = 0; i < count; i++) await store().appendAudit(auditEntry(`cmd-${i}`, minutesAfter(PLANNED_AT, i)));
      const first = await store().queryAudit({});
      expect(first.entries).toHaveLength(DEFAULT_LIST_LIMIT);
      expect(first.next).not.toBeNull();
      const capped = await store().queryAudit({ limit: MAX_LIST_LIMIT * 10 });
      expect(capped.entries).toHaveLength(MAX_LIST_LIMIT);
      const rest = await store().queryAudit({ limit: MAX_LIST_LIMIT, after: capped.next! });
      expect(rest.next).toBeNull();
      expect(rest.entries.map((e) => e.commandId)).toEqual([0, 1, 2, 3, 4].map((i) => `cmd-${MAX_LIST_LIMIT + i}`));
    });

    it('has no next page when the last page is exactly full', async () => {
      await appendMany(store(), 10);
      const page = await store().queryAudit({ limit: 10 });
      expect(page.entries).toHaveLength(10);
      expect(page.next).toBeNull();
    });

    it('refuses a page token it did not make', async () => {
      await expect(store().queryAudit({ after: 'not-a-token' })).rejects.toThrow();
    });
  });
}

function heartbeat(agentId: string, sentAt: string, changes: Partial<AgentHeartbeat> = {}): AgentHeartbeat {
  return {
    type: 'AgentHeartbeat',
    agentId,
    version: '0.1.0',
    hostname: `${agentId}.corp.example`,
    startedAt: PLANNED_AT,
    sentAt,
    sessionsHeld: 2,
    commandsApplied: 10,
    commandsRefused: 0,
    errors: 1,
    deadLettered: 0,
    ...changes,
  };
}

function refusal(messageId: string, at: string): CommandRefused {
  return {
    type: 'CommandRefused',
    agentId: 'agent-a',
    at,
    messageId,
    sessionId: 'workday:1001',
    code: 'SignatureInvalid',
    reason: 'no pinned key verifies the signature',
  };
}

function describeAgents(store: () => StateStore): void {
  describe('agents', () => {
    it('knows no agent at first', async () => {
      expect(await store().listAgents()).toEqual([]);
    });

    it('keeps the newest heartbeat of each agent, and the interval between the last two', async () => {
      expect(await store().recordAgentHeartbeat(heartbeat('agent-b', minutesAfter(PLANNED_AT, 1)))).toBe(true);
      expect(await store().recordAgentHeartbeat(heartbeat('agent-a', minutesAfter(PLANNED_AT, 1)))).toBe(true);
      const later = heartbeat('agent-a', minutesAfter(PLANNED_AT, 2), { commandsApplied: 12, lastError: 'busy' });
      expect(await store().recordAgentHeartbeat(later)).toBe(true);
      const agents = await store().listAgents();
      expect(agents.map((a) => a.agentId)).toEqual(['agent-a', 'agent-b']);
      expect(agents[0]).toEqual({
        agentId: 'agent-a',
        version: '0.1.0',
        hostname: 'agent-a.corp.example',
        lastSeen: later.sentAt,
        heartbeatIntervalSeconds: 60,
        sessionsHeld: 2,
        commandsApplied: 12,
        refused: 0,
        errors: 1,
        deadLettered: 0,
        lastError: 'busy',
        lastRefusal: null,
      });
      expect(agents[1]?.heartbeatIntervalSeconds).toBeNull();
    });

    it('ignores a heartbeat older than the one kept (redelivered or overtaken)', async () => {
      await store().recordAgentHeartbeat(heartbeat('agent-a', minutesAfter(PLANNED_AT, 5), { commandsApplied: 50 }));
      const older = heartbeat('agent-a', minutesAfter(PLANNED_AT, 4), { commandsApplied: 40 });
      expect(await store().recordAgentHeartbeat(older)).toBe(false);
      expect(await store().recordAgentHeartbeat(heartbeat('agent-a', minutesAfter(PLANNED_AT, 5)))).toBe(false);
      expect((await store().listAgents())[0]?.commandsApplied).toBe(50);
    });

    it('counts each refused message once, across heartbeats', async () => {
      await store().recordAgentHeartbeat(heartbeat('agent-a', minutesAfter(PLANNED_AT, 1)));
      expect(await store().recordAgentRefusal('agent-a', refusal('m-1', minutesAfter(PLANNED_AT, 2)))).toBe(true);
      expect(await store().recordAgentRefusal('agent-a', refusal('m-1', minutesAfter(PLANNED_AT, 2)))).toBe(false);
      expect(await store().recordAgentRefusal('agent-a', refusal('m-2', minutesAfter(PLANNED_AT, 3)))).toBe(true);
      await store().recordAgentHeartbeat(heartbeat('agent-a', minutesAfter(PLANNED_AT, 4)));
      const [agent] = await store().listAgents();
      expect(agent?.refused).toBe(2);
      expect(agent?.lastRefusal).toEqual({
        at: minutesAfter(PLANNED_AT, 3),
        code: 'SignatureInvalid',
        reason: 'no pinned key verifies the signature',
      });
    });

    it('knows an agent heard of only by a refusal, and takes its first heartbeat whenever it was sent', async () => {
      await store().recordAgentRefusal('agent-a', refusal('m-1', minutesAfter(PLANNED_AT, 9)));
      expect(await store().listAgents()).toEqual([
        expect.objectContaining({ agentId: 'agent-a', version: '', lastSeen: minutesAfter(PLANNED_AT, 9), refused: 1 }),
      ]);
      expect(await store().recordAgentHeartbeat(heartbeat('agent-a', minutesAfter(PLANNED_AT, 8)))).toBe(true);
      expect(await store().listAgents()).toEqual([
        expect.objectContaining({ version: '0.1.0', lastSeen: minutesAfter(PLANNED_AT, 8), refused: 1 }),
      ]);
    });
  });
}
