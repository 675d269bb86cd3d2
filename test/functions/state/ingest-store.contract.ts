/**
 * The ingest store contract: what shared/ports/ingest-store.port.ts promises, asserted against any
 * adapter. Each adapter's test file calls `describeIngestStoreContract` with a factory for an empty store.
 */
import type {
  IngestOperation,
  IngestOutcome,
  IngestRequest,
  IngestStore,
} from '../../../shared/ports/ingest-store.port';

const RECEIVED = '2026-12-01T09:00:00.000Z';

export function queuedOperation(
  index: number,
  workerId: string,
  extra: Partial<IngestOperation> = {},
): IngestOperation {
  return {
    index,
    bulkId: `b${index}`,
    location: `operation ${index}`,
    workerKey: `scim:${workerId}`,
    record: { source: 'scim', id: workerId },
    keepStatus: false,
    status: 'queued',
    issues: [],
    cycleId: null,
    classification: null,
    planId: null,
    decidedAt: null,
    ...extra,
  };
}

export function ingestRequest(
  requestId: string,
  workerIds: readonly string[],
  sourceId = 'scim-in',
  extra: Partial<IngestRequest> = {},
): IngestRequest {
  return {
    requestId,
    sourceId,
    kind: 'scim',
    receivedAt: RECEIVED,
    client: 'client-app',
    operations: workerIds.map((id, i) => queuedOperation(i, id)),
    ...extra,
  };
}

function outcome(requestId: string, index: number, cycleId: string, extra: Partial<IngestOutcome> = {}): IngestOutcome {
  return {
    requestId,
    index,
    status: 'planned',
    issues: [],
    cycleId,
    classification: 'joiner',
    planId: `plan-${requestId}-${index}`,
    decidedAt: '2026-12-01T09:00:01.000Z',
    ...extra,
  };
}

export function describeIngestStoreContract(name: string, open: () => Promise<IngestStore>): void {
  describe(`IngestStore contract: ${name}`, () => {
    let store: IngestStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores a request whole and reads it back by id, with a growing sequence', async () => {
      const first = await store.append(ingestRequest('r1', ['1', '2']));
      const second = await store.append(ingestRequest('r2', ['3']));
      expect(second).toBeGreaterThan(first);
      const read = await store.getRequest('r1');
      expect(read).toEqual({ ...ingestRequest('r1', ['1', '2']), seq: first });
      expect(await store.getRequest('nope')).toBeNull();
    });

    it('refuses a request id stored already', async () => {
      await store.append(ingestRequest('r1', ['1']));
      await expect(store.append(ingestRequest('r1', ['2']))).rejects.toThrow();
      expect((await store.getRequest('r1'))!.operations).toHaveLength(1);
    });

    it('returns a source’s waiting requests oldest first, whole, within the operation budget', async () => {
      await store.append(ingestRequest('a', ['1', '2', '3']));
      await store.append(ingestRequest('other', ['9'], 'csv-in'));
      await store.append(ingestRequest('b', ['4', '5']));
      await store.append(ingestRequest('c', ['6']));
      const pending = await store.pending('scim-in', 5);
      expect(pending.requests.map((r) => r.requestId)).toEqual(['a', 'b']);
      expect(pending.throughSeq).toBe(pending.requests[1]!.seq);
      // A request larger than the budget still comes alone: nothing is stuck.
      expect((await store.pending('scim-in', 1)).requests.map((r) => r.requestId)).toEqual(['a']);
      expect((await store.pending('csv-in', 100)).requests.map((r) => r.requestId)).toEqual(['other']);
    });

    it('moves the planned position forward only', async () => {
      const a = await store.append(ingestRequest('a', ['1']));
      const b = await store.append(ingestRequest('b', ['2']));
      expect(await store.hasPending('scim-in')).toBe(true);
      await store.markPlanned('scim-in', b);
      expect(await store.hasPending('scim-in')).toBe(false);
      await store.markPlanned('scim-in', a);
      expect((await store.pending('scim-in', 10)).requests).toEqual([]);
      expect((await store.pending('scim-in', 10)).throughSeq).toBeNull();
      const c = await store.append(ingestRequest('c', ['3']));
      expect((await store.pending('scim-in', 10)).requests.map((r) => r.seq)).toEqual([c]);
      expect(await store.hasPending('nothing-here')).toBe(false);
    });

    it('records outcomes; a later cycle’s replaces an earlier one’s; the same twice is harmless', async () => {
      await store.append(ingestRequest('r1', ['1', '2']));
      await store.recordOutcomes([
        outcome('r1', 0, 'c1'),
        outcome('r1', 1, 'c1', { status: 'superseded', planId: null }),
      ]);
      await store.recordOutcomes([outcome('r1', 0, 'c2', { classification: 'unchanged', planId: null })]);
      await store.recordOutcomes([outcome('r1', 0, 'c2', { classification: 'unchanged', planId: null })]);
      const ops = (await store.getRequest('r1'))!.operations;
      expect(ops[0]).toMatchObject({ status: 'planned', cycleId: 'c2', classification: 'unchanged', planId: null });
      expect(ops[1]).toMatchObject({ status: 'superseded', cycleId: 'c1', bulkId: 'b1', workerKey: 'scim:2' });
      await expect(store.recordOutcomes([outcome('nope', 0, 'c1')])).rejects.toThrow(/nope/);
    });

    it('lists operations newest request first, filtered, in pages that do not shift', async () => {
      await store.append(ingestRequest('r1', ['1', '2']));
      await store.append(ingestRequest('r2', ['3', '1']));
      await store.append(ingestRequest('r3', ['5'], 'csv-in', { kind: 'csv' }));
      await store.recordOutcomes([outcome('r2', 1, 'c1', { status: 'quarantined', issues: [issue()] })]);
      const all = await store.listOperations({ sourceId: 'scim-in' });
      expect(all.entries.map((e) => `${e.requestId}/${e.index}`)).toEqual(['r2/0', 'r2/1', 'r1/0', 'r1/1']);
      expect(all.entries[0]).toMatchObject({ sourceId: 'scim-in', kind: 'scim', receivedAt: RECEIVED });
      const worker = await store.listOperations({ workerKey: 'scim:1' });
      expect(worker.entries.map((e) => e.requestId)).toEqual(['r2', 'r1']);
      const bad = await store.listOperations({ status: 'quarantined' });
      expect(bad.entries.map((e) => e.issues)).toEqual([[issue()]]);
      expect((await store.listOperations({ requestId: 'r3' })).entries[0]!.kind).toBe('csv');

      const first = await store.listOperations({ sourceId: 'scim-in', limit: 3 });
      await store.append(ingestRequest('r4', ['7']));
      const second = await store.listOperations({ sourceId: 'scim-in', limit: 3, after: first.next! });
      expect([...first.entries, ...second.entries].map((e) => `${e.requestId}/${e.index}`)).toEqual([
        'r2/0',
        'r2/1',
        'r1/0',
        'r1/1',
      ]);
      expect(second.next).toBeNull();
      await expect(store.listOperations({ after: 'not-a-token' })).rejects.toThrow(/page token/);
    });

    it('remembers a webhook signature until it expires', async () => {
      const now = '2026-12-01T09:00:00.000Z';
      expect(await store.rememberSignature('hr', 'sig1', '2026-12-01T09:05:00.000Z', now)).toBe(true);
      expect(await store.rememberSignature('hr', 'sig1', '2026-12-01T09:05:00.000Z', now)).toBe(false);
      expect(await store.rememberSignature('other', 'sig1', '2026-12-01T09:05:00.000Z', now)).toBe(true);
      const later = '2026-12-01T09:06:00.000Z';
      expect(await store.rememberSignature('hr', 'sig1', '2026-12-01T09:11:00.000Z', later)).toBe(true);
    });

    it('closes, and closing twice is harmless', async () => {
      const other = await open();
      await other.close();
      await expect(other.close()).resolves.toBeUndefined();
    });
  });
}

function issue() {
  return { path: 'legalName.last', message: 'may not be empty', scimType: null };
}
