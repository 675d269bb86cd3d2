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
} from '../../shared/planner/preview';
import { compileMappingConfig } from '../../shared/mapping/config';
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

/** A share planned and rendered elsewhere (another thread), which has the snapshot already. */
export interface PreviewShardPort {
  /** Which share of how many this one plans (see `shareRange`). */
  readonly share: number;
  plan(selection: ShareSelection): Promise<ShardDigests>;
  /** The share's chunks, in order. */
  render(request: ShardRenderRequest): AsyncIterable<string>;
  close(): Promise<void>;
}

/** What a planning thread is started with. */
export interface PreviewThreadData {
  /** The mapping configuration as written, and the fingerprint it must compile to. */
  readonly document: unknown;
  readonly fingerprint: string;
  /** The snapshot's JSON text. */
  readonly snapshot: string;
  readonly settings: ShareSettings;
}

/** What every planning thread of a preview is started with (each then with its own share). */
export type PreviewThreadsData = Omit<PreviewThreadData, 'settings'> & {
  readonly settings: Omit<ShareSettings, 'share' | 'shares'>;
};

/** A planning thread's share, from what the thread is started with: the same configuration, its snapshot. */
export function snapshotShareOf(data: PreviewThreadData): SnapshotShare {
  const compiled = compileMappingConfig(data.document);
  if (!compiled.ok || compiled.value.fingerprint !== data.fingerprint)
    throw new Error('the planning thread compiled the configuration to another fingerprint');
  const snapshot = JSON.parse(data.snapshot) as unknown[];
  return new SnapshotShare(new PreviewShard(compiled.value), snapshot, data.settings);
}

/** The settings every share of a preview has in common. */
export function shareSettings(
  input: ParallelPreviewInput,
  planAhead: boolean,
): Omit<ShareSettings, 'share' | 'shares'> {
  const { seed, commandLifetimeHours, incremental } = input.options ?? {};
  return {
    nowMs: input.now.getTime(),
    options: { seed, commandLifetimeHours, incremental },
    rendering: { json: input.json, changesOnly: !!input.changesOnly, generatedAt: input.now.toISOString() },
    planAhead,
  };
}

export interface ParallelPreviewInput extends PreviewInput {
  readonly json: boolean;
}

type Write = (chunk: string) => void | Promise<void>;
type Parts = (Iterable<string> | AsyncIterable<string>)[];

/** Writes the preview of `input` through `write`, planned by this thread (share 0) and `remote`; returns its head. */
export async function writeParallelPreview(
  input: ParallelPreviewInput,
  remote: readonly PreviewShardPort[],
  write: Write,
): Promise<PreviewHead> {
  const prepared = prepareCycle(input);
  const { config, now, states } = input;
  const nowMs = now.getTime();
  const records = prepared.snapshot.results.length;
  const shares = remote.length + 1;
  const ranges = Array.from({ length: shares }, (_, k) => shareRange(records, k, shares));
  const inRange = (k: number) =>
    prepared.independent.filter((e) => e.index >= ranges[k]![0] && e.index < ranges[k]![1]);
  const planning = remote.map((shard) => {
    const entries = inRange(shard.share);
    const stored = entries.filter((e) => e.stored).map((e) => [e.index, e.stored!] as const);
    return shard.plan({ indexes: entries.map((e) => e.index), stored });
  });
  const local = new PreviewShard(config);
  const localDigests = local.plan({ ...shareSettings(input, false), entries: inRange(0) });
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
  for (const part of parts) for await (const chunk of part) await write(chunk);
  for (const chunk of previewTextTail(head)) await write(chunk);
}

async function writeJson(head: PreviewHead, parts: Parts, write: Write): Promise<void> {
  for (const chunk of previewJsonHead(head)) await write(chunk);
  const workers = new JsonArrayJoiner();
  for (const part of parts) {
    for await (const chunk of part) {
      const ready = workers.add(chunk);
      if (ready) await write(ready);
    }
  }
  await write(workers.end());
  await write(PREVIEW_JSON_END);
}
