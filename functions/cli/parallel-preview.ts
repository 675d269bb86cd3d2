/**
 * A preview with its bulk shared out: the snapshot is cut into contiguous ranges, one per share (this
 * thread's, and one per planning thread). Every planning thread reads the snapshot and validates its
 * range while this thread validates the whole of it and resolves takeovers (`prepareCycle`); each share
 * then plans the independent records of its range and renders its range of the report; this thread
 * applies the cycle-level rules to the shares' digests and writes the report in snapshot order. The
 * report is byte for byte the one `previewCycle` and its renderers give.
 */
import {
  amendResult,
  digestOf,
  judgeCycle,
  planDependent,
  prepareCycle,
  type PreparedCycle,
  type ResultDigest,
} from '../../shared/planner/plan-cycle';
import {
  JsonArrayJoiner,
  PREVIEW_JSON_END,
  inPreview,
  previewHeadOf,
  previewJsonHead,
  previewJsonWorkers,
  previewTextHead,
  previewTextTail,
  previewTextWorkers,
  previewWorkerOf,
  type PreviewHead,
  type PreviewInput,
  type ReportChunk,
} from '../../shared/planner/preview';
import { compileMappingConfig, type CompiledMappingConfig } from '../../shared/mapping/config';
import {
  PreviewShard,
  SnapshotShare,
  shardVerdict,
  shareRange,
  type ShardDigests,
  type ShardRenderRequest,
  type ShareSelection,
  type ShareSettings,
} from '../../shared/planner/preview-shard';
import type { WorkerPlanResult } from '../../shared/planner/types';
import type { ForeignFacts } from '../../shared/planner/validate-snapshot';

/** A share planned and rendered elsewhere (another thread), which has the snapshot already. */
export interface PreviewShardPort {
  /** Which share of how many this one plans (see `shareRange`). */
  readonly share: number;
  /** Its records: the share starts reading them at once. */
  give(records: ShareRecords): void;
  /** What the cycle-level rules need of the share's records (a share that plans ahead only). */
  facts(): Promise<ForeignFacts>;
  /**
   * The selected records planned, and their digests. A share that planned ahead keeps only those (it
   * handed its digests over already).
   */
  plan(selection: ShareSelection): Promise<ShardDigests>;
  /** The share's chunks, in order (encoded already, when another thread rendered them). */
  render(request: ShardRenderRequest): AsyncIterable<ReportChunk>;
  close(): Promise<void>;
}

/** What a planning thread is started with, before the snapshot is split. */
export interface PreviewThreadData {
  /** The mapping configuration as written, and the fingerprint it must compile to. */
  readonly document: unknown;
  readonly fingerprint: string;
  readonly settings: ShareSettings;
}

/** A share's range of the snapshot as the text of a JSON array: `count` records from position `first`. */
export interface ShareRecords {
  readonly records: string;
  readonly first: number;
  readonly count: number;
}

/** The snapshot text a planning thread was given is not the JSON it should be: the whole is read again for the error. */
export class UnreadableShareError extends Error {
  constructor() {
    super('a planning thread could not read its share of the snapshot');
    this.name = 'UnreadableShareError';
  }
}

function parsedRecords(given: ShareRecords): unknown[] {
  let records: unknown;
  try {
    records = JSON.parse(given.records);
  } catch {
    throw new UnreadableShareError();
  }
  if (!Array.isArray(records) || records.length !== given.count) throw new UnreadableShareError();
  return records;
}

/** What a share that plans ahead hands over before it is asked: its records' facts, then its digests. */
export interface PlanningAhead {
  facts(facts: ForeignFacts): void;
  planned(digests: ShardDigests): void;
}

/**
 * The configuration a planning thread was started with, compiled in that thread (while the coordinating
 * thread still reads the snapshot); it must compile to the coordinating thread's fingerprint.
 */
export function threadConfig(data: PreviewThreadData): CompiledMappingConfig {
  const compiled = compileMappingConfig(data.document);
  if (!compiled.ok || compiled.value.fingerprint !== data.fingerprint)
    throw new Error('the planning thread compiled the configuration to another fingerprint');
  return compiled.value;
}

/**
 * A planning thread's share, started from what the thread is given: its records read and validated;
 * without stored states, its facts handed over at once, its records planned ahead and their digests
 * handed over too.
 */
export function startSnapshotShare(
  config: CompiledMappingConfig,
  data: PreviewThreadData,
  given: ShareRecords,
  ahead: PlanningAhead,
): SnapshotShare {
  const share = new SnapshotShare(new PreviewShard(config), parsedRecords(given), given.first, data.settings);
  if (data.settings.planAhead) {
    ahead.facts(share.facts());
    ahead.planned(share.planAhead());
  }
  return share;
}

/** The settings every share of a preview has in common. */
export function shareSettings(input: ParallelPreviewInput): Omit<ShareSettings, 'share' | 'shares'> {
  const { seed, commandLifetimeHours, incremental } = input.options ?? {};
  return {
    nowMs: input.now.getTime(),
    options: { seed, commandLifetimeHours, incremental },
    rendering: { json: input.json, changesOnly: !!input.changesOnly, generatedAt: input.now.toISOString() },
    planAhead: input.planAhead,
  };
}

export interface ParallelPreviewInput extends PreviewInput {
  readonly json: boolean;
  /** No stored states: every share plans its range ahead (see `ShareSettings.planAhead`). */
  readonly planAhead: boolean;
}

type Write = (chunk: ReportChunk) => void | Promise<void>;
type Parts = (Iterable<ReportChunk> | AsyncIterable<ReportChunk>)[];

/** This thread's share, planned, and the cycle prepared with every share's records. */
interface Planned {
  readonly prepared: PreparedCycle;
  readonly local: { render(request: ShardRenderRequest): Iterable<ReportChunk> };
  readonly localDigests: ShardDigests;
  readonly planning: readonly Promise<ShardDigests>[];
}

/**
 * Without stored states every share (this thread's too) validates and plans its range at once, and this
 * thread prepares the cycle from the shares' facts: no share waits for another before planning.
 */
async function planAhead(
  input: ParallelPreviewInput,
  remote: readonly PreviewShardPort[],
  shares: number,
): Promise<Planned> {
  const settings = { ...shareSettings(input), share: 0, shares };
  const [first, end] = shareRange(input.records.length, 0, shares);
  const local = new SnapshotShare(new PreviewShard(input.config), input.records.slice(first, end), first, settings);
  const localFacts = local.facts();
  // The cycle is prepared as soon as every share's facts are in, between slices of this share's planning;
  // the planning threads' digests are received there too. Each share then keeps only what is chosen.
  const preparing = Promise.all(remote.map((s) => s.facts())).then((facts) =>
    prepareCycle(input, [localFacts, ...facts]),
  );
  preparing.catch(() => undefined); // awaited below: a thread's failure is thrown there
  await attending(local.planAheadInSlices());
  const prepared = await preparing;
  const records = input.records.length;
  const chosen = (k: number): ShareSelection => ({
    indexes: inRange(prepared.snapshot.validIndexes, records, shares, k),
    stored: [],
  });
  const planning = remote.map((shard) => shard.plan(chosen(shard.share)));
  return { prepared, local, localDigests: local.plan(chosen(0)), planning };
}

/** Runs a sliced computation, letting other work (messages from the planning threads) run between slices. */
async function attending<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** With stored states this thread validates the whole snapshot; each share plans the independent records of its range. */
function planGiven(input: ParallelPreviewInput, remote: readonly PreviewShardPort[], shares: number): Planned {
  const prepared = prepareCycle(input);
  const byIndex = new Map(prepared.independent.map((e) => [e.index, e]));
  const records = input.records.length;
  const entries = (k: number) => inRange([...byIndex.keys()], records, shares, k).map((i) => byIndex.get(i)!);
  const planning = remote.map((shard) => {
    const given = entries(shard.share);
    const stored = given.filter((e) => e.stored).map((e) => [e.index, e.stored!] as const);
    return shard.plan({ indexes: given.map((e) => e.index), stored });
  });
  const local = new PreviewShard(input.config);
  const localDigests = local.plan({ ...shareSettings(input), entries: entries(0) });
  return { prepared, local, localDigests, planning };
}

/** The positions among `indexes` that fall in share `k`'s range of a snapshot of `records` records. */
function inRange(indexes: readonly number[], records: number, shares: number, k: number): number[] {
  const [start, end] = shareRange(records, k, shares);
  return indexes.filter((i) => i >= start && i < end);
}

/** Writes the preview of `input` through `write`, planned by this thread (share 0) and `remote`; returns its head. */
export async function writeParallelPreview(
  input: ParallelPreviewInput,
  remote: readonly PreviewShardPort[],
  write: Write,
): Promise<PreviewHead> {
  if (input.planAhead && input.states.size) throw new Error('a preview over stored states cannot plan ahead');
  const { config, now, states } = input;
  const nowMs = now.getTime();
  const shares = remote.length + 1;
  const { prepared, local, localDigests, planning } = input.planAhead
    ? await planAhead(input, remote, shares)
    : planGiven(input, remote, shares);
  const records = prepared.snapshot.results.length;
  const ranges = Array.from({ length: shares }, (_, k) => shareRange(records, k, shares));
  const takenOver = planDependent(prepared);

  const digests: ResultDigest[] = new Array(records);
  const decided = prepared.snapshot.results;
  decided.forEach((r, index) => r && (digests[index] = digestOf(r, states, nowMs, prepared.memo)));
  const remoteDigests = await Promise.all(planning);
  for (const share of [localDigests, ...remoteDigests])
    share.indexes.forEach((index, i) => (digests[index] = share.digests[i]!));
  for (const r of takenOver) digests.push(digestOf(r, states, nowMs, prepared.memo));
  const verdict = judgeCycle(prepared, digests);
  const head = previewHeadOf({ ...verdict, now: now.toISOString() }, config.fingerprint);

  const renderRequest = (k: number, own: ShardDigests): ShardRenderRequest => {
    const others: (readonly [number, WorkerPlanResult])[] = [];
    for (let i = ranges[k]![0]; i < ranges[k]![1]; i++) {
      const r = decided[i];
      if (r) others.push([i, amendResult(r, verdict.amendments, i)]);
    }
    return { others, ...shardVerdict(verdict.amendments, own.indexes) };
  };
  // Every remote share renders while this thread writes its own.
  const byShare: Parts = new Array(shares);
  remote.forEach((shard, k) => (byShare[shard.share] = shard.render(renderRequest(shard.share, remoteDigests[k]!))));
  byShare[0] = local.render(renderRequest(0, localDigests));
  const marks = takenOver
    .map((r, i) => amendResult(r, verdict.amendments, records + i))
    .filter((r) => inPreview(r, input.changesOnly))
    .map(previewWorkerOf);
  byShare.push(input.json ? previewJsonWorkers(marks, head.generatedAt) : previewTextWorkers(marks));
  await (input.json ? writeJson(head, byShare, write) : writeText(head, byShare, write));
  return head;
}

async function writeText(head: PreviewHead, parts: Parts, write: Write): Promise<void> {
  for (const chunk of previewTextHead(head)) await write(chunk);
  for (const part of parts) {
    for await (const chunk of part) await write(chunk);
  }
  for (const chunk of previewTextTail(head)) await write(chunk);
}

async function writeJson(head: PreviewHead, parts: Parts, write: Write): Promise<void> {
  for (const chunk of previewJsonHead(head)) await write(chunk);
  const workers = new JsonArrayJoiner();
  for (const part of parts) {
    for await (const chunk of part) {
      const ready = workers.add(chunk);
      if (ready.length) await write(ready);
    }
  }
  for (const rest of workers.end()) await write(rest);
  await write(PREVIEW_JSON_END);
}
