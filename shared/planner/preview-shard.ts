/**
 * A share of a preview, planned and rendered apart from the rest (on another thread, so a large snapshot
 * uses every core): the independent records (`PreparedCycle.independent`) of one contiguous range of the
 * snapshot. It answers each result's digest for the cycle-level rules, keeps the results themselves,
 * and renders its range of the report once the cycle's verdict is known. Requests and answers are plain
 * data, so they can cross a thread boundary; the results never do.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import type { ValidatedWorker, WorkerIssue, WorkerValidation } from '../worker/validate-worker';
import { amendResult, digestOf, planEntry, type CycleAmendments, type ResultDigest } from './plan-cycle';
import type { PlanOptions } from './plan-worker';
import { PlanningMemo } from './planning-memo';
import {
  hasSomethingToSay,
  inPreview,
  previewWorkerJson,
  previewWorkerOf,
  previewWorkerText,
  withWarningsJson,
  withWarningsText,
  type ReportChunk,
} from './preview';
import { RenderedBytes, type ByteSpan } from './rendered-bytes';
import type { LastKnownState, WorkerPlanResult } from './types';
import { recordFacts, validateRecord, type ForeignFacts, type SnapshotEntry } from './validate-snapshot';

/** How many entries a share plans between pauses (see `PreviewShard.planInSlices`): a few tens of milliseconds. */
const SLICE = 1024;

/** Runs a sliced computation to its end without pausing. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * What the coordinating thread does for every record of the snapshot besides planning its own share
 * (splitting the snapshot, preparing the cycle from every share's facts, taking in their digests), as a
 * part of planning one record. Measured at 100,000 workers on two cores: with equal shares the
 * coordinating thread ended about 0.14 s after the other, with twice this part about 0.15 s before it.
 */
const COORDINATION_PER_RECORD = 0.011;

/**
 * Share `share` of `shares` of a snapshot of `records` records: positions [start, end). The coordinating
 * thread (share 0) takes less than the others by what coordinating costs it, so every share ends at about
 * the same time (with `shares` shares of n records each, it coordinates for shares × n records).
 */
export function shareRange(records: number, share: number, shares: number): readonly [number, number] {
  const first = Math.max(0.5, 1 - COORDINATION_PER_RECORD * shares);
  const start = (k: number) => {
    if (k === 0) return 0;
    if (k === shares) return records;
    return Math.floor((records * (first + k - 1)) / (first + shares - 1));
  };
  return [start(share), start(share + 1)];
}

/** How the report is rendered: known before planning, so each worker is rendered as soon as it is planned. */
export interface ShardRendering {
  readonly json: boolean;
  readonly changesOnly: boolean;
  /** The report's instant (the cycle's clock as ISO text). */
  readonly generatedAt: string;
}

export interface ShardPlanRequest {
  /** Milliseconds of the cycle's clock. */
  readonly nowMs: number;
  readonly options: Pick<PlanOptions, 'seed' | 'commandLifetimeHours' | 'incremental'>;
  readonly rendering: ShardRendering;
  /** In snapshot order. */
  readonly entries: readonly SnapshotEntry[];
}

/** The share's results as the cycle-level rules read them, in the order of the entries. */
export interface ShardDigests {
  readonly indexes: readonly number[];
  readonly digests: readonly ResultDigest[];
}

export interface ShardRenderRequest {
  /** Results in the share's range that were decided elsewhere (quarantined records, takeovers), final, by position. */
  readonly others: readonly (readonly [number, WorkerPlanResult])[];
  /** The cycle's verdict on the share's own results. */
  readonly warnings: readonly (readonly [number, readonly WorkerIssue[]])[];
  readonly held: { readonly reason: string; readonly planIds: readonly string[] } | null;
}

/** The part of a cycle's amendments that a share's render request carries. */
export function shardVerdict(
  amendments: CycleAmendments,
  indexes: readonly number[],
): Omit<ShardRenderRequest, 'others'> {
  const warnings: (readonly [number, readonly WorkerIssue[]])[] = [];
  for (const index of indexes) {
    const found = amendments.warnings.get(index);
    if (found) warnings.push([index, found]);
  }
  const held = amendments.held && { reason: amendments.held.reason, planIds: [...amendments.held.planIds] };
  return { warnings, held };
}

/**
 * One planned worker as the share keeps it until the verdict. Rendered at once (a flat string costs the
 * garbage collector almost nothing, the result's object graph a great deal), unless the verdict could
 * change more than its warnings: a destructive plan (it may be held), or a worker the text report leaves
 * out unless a warning is added. A warning is added to the rendered form as it would have been rendered.
 */
interface KeptWorker {
  readonly index: number;
  readonly digest: ResultDigest;
  /**
   * The worker's part of the report as rendered (a JSON element and its comma, or the text block); null
   * when the report leaves it out or it is kept whole.
   */
  readonly rendered: ByteSpan | null;
  /** Where in the text block warnings added later go (UTF-16 units). */
  readonly warningsEnd: number;
  readonly whole: WorkerPlanResult | null;
}

export class PreviewShard {
  /** One memo for the share's life: validation and planning share its calendar. */
  readonly memo: PlanningMemo;
  private kept: KeptWorker[] = [];
  private bytes = new RenderedBytes();
  private rendering: ShardRendering | null = null;

  constructor(readonly config: CompiledMappingConfig) {
    this.memo = new PlanningMemo(config.fingerprint);
  }

  plan(request: ShardPlanRequest): ShardDigests {
    return drain(this.planInSlices(request));
  }

  /**
   * `plan`, pausing after every `SLICE` entries, so the thread that drives it can attend to other work
   * (messages from other shares) between slices.
   */
  *planInSlices(request: ShardPlanRequest): Generator<void, ShardDigests> {
    const { memo } = this;
    const now = new Date(request.nowMs);
    const options = { ...request.options, memo };
    this.rendering = request.rendering;
    const states = new Map<string, LastKnownState>();
    this.kept = [];
    const { entries } = request;
    for (let i = 0; i < entries.length; i++) {
      if (i > 0 && i % SLICE === 0) yield;
      const entry = entries[i]!;
      const result = planEntry(entry, this.config, now, options);
      if (entry.stored) states.set(entry.workerKey, entry.stored);
      const digest = digestOf(result, states, request.nowMs, memo);
      this.kept.push({ index: entry.index, digest, ...this.keep(result, digest) });
    }
    return this.digests();
  }

  /** Keeps only the workers at `indexes` (planned ahead, before the coordinator chose); their digests. */
  select(indexes: readonly number[]): ShardDigests {
    const chosen = new Set(indexes);
    this.kept = this.kept.filter((k) => chosen.has(k.index));
    if (this.kept.length !== chosen.size) throw new Error('a record was chosen that this share did not plan');
    return this.digests();
  }

  /**
   * The share's part of the report's workers, in order: text, or JSON array elements (see
   * `JsonArrayJoiner`); what was rendered while planning comes as UTF-8 bytes.
   */
  *render(request: ShardRenderRequest): Generator<ReportChunk> {
    const amendments: CycleAmendments = {
      warnings: new Map(request.warnings),
      held: request.held && { reason: request.held.reason, planIds: new Set(request.held.planIds) },
    };
    const { others } = request;
    const kept = this.kept;
    const bytes = this.bytes;
    this.kept = []; // rendered once: the memory goes back as the report is written
    this.bytes = new RenderedBytes();
    const run = new ByteRun(bytes);
    let o = 0;
    for (let i = 0; i <= kept.length; i++) {
      const index = i < kept.length ? kept[i]!.index : Infinity;
      for (; o < others.length && others[o]![0] < index; o++) yield* run.then(this.renderWhole(others[o]![1]));
      if (i === kept.length) break;
      const k = kept[i]!;
      if (k.rendered && !amendments.warnings.has(k.index)) {
        const flushed = run.extend(k.rendered);
        if (flushed) yield flushed;
      } else yield* run.then(this.renderKept(k, amendments, bytes));
    }
    const last = run.close();
    if (last) yield last;
  }

  private digests(): ShardDigests {
    return { indexes: this.kept.map((k) => k.index), digests: this.kept.map((k) => k.digest) };
  }

  private keep(result: WorkerPlanResult, digest: ResultDigest): Pick<KeptWorker, 'rendered' | 'warningsEnd' | 'whole'> {
    const { json, changesOnly, generatedAt } = this.rendering!;
    if (!inPreview(result, changesOnly)) return { rendered: null, warningsEnd: 0, whole: null };
    // A preview stores nothing: without the next state, most of what planning built dies young.
    const whole = () => ({ rendered: null, warningsEnd: 0, whole: { ...result, nextState: null } });
    if (digest.destructive) return whole();
    const worker = previewWorkerOf(result);
    if (json) {
      const element = `${JSON.stringify(previewWorkerJson(worker, generatedAt))},\n`;
      return { rendered: this.bytes.append(element), warningsEnd: 0, whole: null };
    }
    if (!hasSomethingToSay(worker)) return whole();
    const { text, warningsEnd } = previewWorkerText(worker);
    return { rendered: this.bytes.append(text), warningsEnd, whole: null };
  }

  /** A kept worker the verdict changes: amended and rendered again, or given its added warnings. */
  private renderKept(k: KeptWorker, amendments: CycleAmendments, bytes: RenderedBytes): string {
    if (k.whole) return this.renderWhole(amendResult(k.whole, amendments, k.index));
    if (k.rendered === null) return '';
    const added = amendments.warnings.get(k.index)!;
    const { block, start, end } = k.rendered;
    if (this.rendering!.json) return `${withWarningsJson(bytes.text(block, start, end - 2), added)},\n`;
    return withWarningsText({ text: bytes.text(block, start, end), warningsEnd: k.warningsEnd }, added);
  }

  private renderWhole(result: WorkerPlanResult): string {
    const { json, changesOnly, generatedAt } = this.rendering!;
    if (!inPreview(result, changesOnly)) return '';
    const worker = previewWorkerOf(result);
    return json ? `${JSON.stringify(previewWorkerJson(worker, generatedAt))},\n` : previewWorkerText(worker).text;
  }
}

/** Spans rendered back to back, gathered into one view of their block until something else comes between. */
class ByteRun {
  private block = -1;
  private start = 0;
  private end = 0;

  constructor(private readonly bytes: RenderedBytes) {}

  /** Adds a span; the run so far when the span does not continue it. */
  extend(span: ByteSpan): Uint8Array | null {
    if (span.block === this.block && span.start === this.end) {
      this.end = span.end;
      return null;
    }
    const flushed = this.close();
    this.block = span.block;
    this.start = span.start;
    this.end = span.end;
    return flushed;
  }

  /** The run so far, then `text`; nothing when `text` is empty (a worker the report leaves out does not end the run). */
  *then(text: string): Generator<ReportChunk> {
    if (!text) return;
    const flushed = this.close();
    if (flushed) yield flushed;
    yield text;
  }

  /** The run so far, if any; the next span starts a new one. */
  close(): Uint8Array | null {
    if (this.block < 0 || this.start === this.end) return null;
    const view = this.bytes.bytes(this.block, this.start, this.end);
    this.block = -1;
    return view;
  }
}

/** What a share that reads the snapshot itself is told before it starts. */
export interface ShareSettings {
  /** Which share of how many (see `shareRange`). */
  readonly share: number;
  readonly shares: number;
  readonly nowMs: number;
  readonly options: ShardPlanRequest['options'];
  readonly rendering: ShardRendering;
  /**
   * The cycle has no stored states (a first preview): every valid record of the range is planned at once,
   * while the coordinator is still validating, and the coordinator's choice then only leaves some out.
   */
  readonly planAhead: boolean;
}

/** Which records of its range a share plans (the independent ones), with their stored states. */
export interface ShareSelection {
  readonly indexes: readonly number[];
  readonly stored: readonly (readonly [number, LastKnownState])[];
}

/**
 * A share that reads the snapshot itself: it validates the records of its range, so no record crosses
 * between threads. Without stored states it plans them all at once (`planAhead`), while the coordinator
 * gathers every share's facts; the coordinator's choice then only leaves out the ambiguous ones. With
 * stored states the coordinator validates the whole snapshot and the share plans what it is given.
 */
export class SnapshotShare {
  private records: readonly unknown[];
  private validations: readonly WorkerValidation[];

  /** `records` are the share's range of the snapshot, from position `first`. */
  constructor(
    private readonly shard: PreviewShard,
    records: readonly unknown[],
    private readonly first: number,
    private readonly settings: ShareSettings,
  ) {
    this.records = records;
    const none = new Map<string, LastKnownState>();
    this.validations = records.map((r) => validateRecord(r, none, shard.config, shard.memo));
  }

  /** What the cycle-level rules need of the range's records. */
  facts(): ForeignFacts {
    const { config, memo } = this.shard;
    const facts = this.validations.map((v, i) => recordFacts(this.records[i], v, config, this.settings.nowMs, memo));
    return { start: this.first, facts };
  }

  /** Plans every valid record of the range (see `ShareSettings.planAhead`); their digests. */
  planAhead(): ShardDigests {
    return drain(this.planAheadInSlices());
  }

  /** `planAhead`, pausing between slices (see `PreviewShard.planInSlices`). */
  *planAheadInSlices(): Generator<void, ShardDigests> {
    if (!this.settings.planAhead) throw new Error('this share plans only what it is given');
    const entries: SnapshotEntry[] = [];
    this.validations.forEach((v, i) => {
      if (v.ok) entries.push({ index: this.first + i, workerKey: v.workerKey, validated: v.value, stored: undefined });
    });
    return yield* this.planEntriesInSlices(entries);
  }

  /** The chosen records planned (or, planned ahead, kept), with their digests. */
  plan(selection: ShareSelection): ShardDigests {
    if (this.settings.planAhead) {
      if (selection.stored.length) throw new Error('a share that planned ahead was given stored states');
      return this.shard.select(selection.indexes);
    }
    const stored = new Map(selection.stored);
    const entries = selection.indexes.map((index): SnapshotEntry => {
      const state = stored.get(index);
      const validated = state ? this.revalidate(index, state) : this.validated(index);
      return { index, workerKey: validated.workerKey, validated, stored: state };
    });
    return this.planEntries(entries);
  }

  render(request: ShardRenderRequest): Iterable<ReportChunk> {
    return this.shard.render(request);
  }

  private planEntries(entries: readonly SnapshotEntry[]): ShardDigests {
    return drain(this.planEntriesInSlices(entries));
  }

  private *planEntriesInSlices(entries: readonly SnapshotEntry[]): Generator<void, ShardDigests> {
    const { nowMs, options, rendering } = this.settings;
    const digests = yield* this.shard.planInSlices({ nowMs, options, rendering, entries });
    this.records = [];
    this.validations = [];
    return digests;
  }

  private validated(index: number): ValidatedWorker {
    const validation = this.validations[index - this.first];
    if (!validation?.ok) throw new Error(`record ${index} was chosen for planning but is not valid here`);
    return validation.value;
  }

  /** With a stored state, validated as the coordinator did (an unchanged record reuses the stored one). */
  private revalidate(index: number, state: LastKnownState): ValidatedWorker {
    const record = this.records[index - this.first];
    const validation = validateRecord(record, new Map([[state.workerKey, state]]), this.shard.config, this.shard.memo);
    if (!validation.ok) throw new Error(`record ${index} was chosen for planning but is not valid here`);
    return validation.value;
  }
}
