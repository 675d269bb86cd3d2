/**
 * A preview share on its own thread (`worker_threads`): the thread compiles the same configuration,
 * reads the snapshot's text, validates and plans the records of its range and renders its range of the
 * report. Only small data crosses: which records to plan in, digests and report text out. A failed
 * thread fails the preview with its error.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ResultDigest } from '../../shared/planner/plan-cycle';
import type { ShardDigests, ShardRenderRequest, ShareSelection } from '../../shared/planner/preview-shard';
import type { ForeignFacts } from '../../shared/planner/validate-snapshot';
import {
  UnreadableShareError,
  type PreviewShardPort,
  type PreviewThreadData,
  type ShareRecords,
} from './parallel-preview';
import { unpackDigests, unpackFacts, type PackedDigests, type PackedFacts } from './packed-columns';

export type PreviewThreadRequest =
  | { readonly kind: 'records'; readonly given: ShareRecords }
  | { readonly kind: 'plan'; readonly selection: ShareSelection }
  | { readonly kind: 'render'; readonly request: ShardRenderRequest };

export type PreviewThreadAnswer =
  | { readonly kind: 'facts'; readonly facts: PackedFacts }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'digests'; readonly digests: PackedDigests }
  | { readonly kind: 'chunk'; readonly chunk: Uint8Array }
  | { readonly kind: 'end' };

/** The thread's script beside this module: compiled JavaScript, or TypeScript run through tsx (tests). */
function threadScript(): { readonly file: string; readonly execArgv: string[] } {
  const extension = extname(__filename);
  const file = join(__dirname, `preview-thread-entry${extension}`);
  return { file, execArgv: extension === '.ts' ? ['--import', 'tsx'] : [] };
}

export class ThreadPreviewShard implements PreviewShardPort {
  private readonly thread: Worker;
  private readonly inbox: PreviewThreadAnswer[] = [];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  readonly share: number;

  /** Starts the thread; it reads its records once given them. */
  constructor(data: PreviewThreadData) {
    this.share = data.settings.share;
    const { file, execArgv } = threadScript();
    // The process's V8 flags (the launcher's young generation) hold for the thread too.
    this.thread = new Worker(file, { workerData: data, execArgv });
    this.thread.on('message', (answer: PreviewThreadAnswer) => {
      this.inbox.push(answer);
      this.wake?.();
    });
    this.thread.on('error', (error) => this.fail(error));
    this.thread.on('exit', (code) => this.fail(new Error(`a planning thread stopped (exit code ${code})`)));
  }

  give(given: ShareRecords): void {
    this.send({ kind: 'records', given });
  }

  /** The first answer of a thread that plans ahead. */
  async facts(): Promise<ForeignFacts> {
    const answer = await this.next();
    if (answer.kind !== 'facts') throw new Error(`a planning thread answered ${answer.kind} before its facts`);
    return unpackFacts(answer.facts);
  }

  async plan(selection: ShareSelection): Promise<ShardDigests> {
    this.send({ kind: 'plan', selection });
    const answer = await this.next();
    if (answer.kind !== 'digests') throw new Error(`a planning thread answered ${answer.kind} to plan`);
    return chosenDigests(unpackDigests(answer.digests), selection);
  }

  /** Starts rendering at once; the chunks wait here until they are read. */
  render(request: ShardRenderRequest): AsyncIterable<Uint8Array> {
    this.send({ kind: 'render', request });
    return this.chunks();
  }

  async close(): Promise<void> {
    this.thread.removeAllListeners('exit');
    await this.thread.terminate();
  }

  private async *chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const answer = await this.next();
      if (answer.kind === 'end') return;
      if (answer.kind !== 'chunk') throw new Error(`a planning thread answered ${answer.kind} to render`);
      yield answer.chunk;
    }
  }

  private send(message: PreviewThreadRequest): void {
    this.thread.postMessage(message);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  private async next(): Promise<PreviewThreadAnswer> {
    while (this.inbox.length === 0) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    const answer = this.inbox.shift()!;
    if (answer.kind === 'unreadable') throw new UnreadableShareError();
    return answer;
  }
}

/** The digests of the selected records (a share that planned ahead sent all of its own). */
function chosenDigests(all: ShardDigests, selection: ShareSelection): ShardDigests {
  if (all.indexes.length === selection.indexes.length) return all;
  const chosen = new Set(selection.indexes);
  const indexes: number[] = [];
  const digests: ResultDigest[] = [];
  all.indexes.forEach((index, i) => {
    if (!chosen.has(index)) return;
    indexes.push(index);
    digests.push(all.digests[i]!);
  });
  return { indexes, digests };
}
