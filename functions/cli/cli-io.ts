/**
 * What a command touches outside itself, injected so commands are tested by calling them, without a
 * process. The composition root (hr2ad.ts) binds it to the real file system, stdin, stdout and clock.
 */
import type { PreviewShardPort, PreviewThreadData } from './parallel-preview';

export interface CliIo {
  /** A file's bytes as UTF-8 text; rejects with Node's error (its `code` says why). */
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
  /** A file's size in bytes, or null when it cannot be had (a preview starts its threads early from it). */
  fileSize?(path: string): Promise<number | null>;
  /**
   * Writes to standard output. The promise resolves when the destination can take more (backpressure)
   * and rejects with OutputClosedError once the reader has gone (e.g. `| head`).
   */
  stdout(text: string | Uint8Array): void | Promise<void>;
  stderr(text: string): void;
  /** The clock, when --now is not given. */
  readonly now: Date;
  /** Whether standard error is a terminal: progress bars and readable logs there, JSON lines elsewhere. */
  readonly terminal?: boolean;
  /** CPUs this process may use: how many threads `preview` plans a large snapshot with by default. */
  readonly cpus?: number;
  /** Starts a preview's planning threads, one per share (see parallel-preview.ts); without it one thread plans. */
  readonly startPreviewThreads?: (threads: readonly PreviewThreadData[]) => PreviewShardPort[];
  /** Resolves with the signal's name when the process is asked to stop (SIGINT, SIGTERM); for `run`. */
  readonly stopRequested?: () => Promise<string>;
}

/** The reader of standard output went away: stop writing, quietly. */
export class OutputClosedError extends Error {
  constructor() {
    super('standard output was closed by its reader');
    this.name = 'OutputClosedError';
  }
}
