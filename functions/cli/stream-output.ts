/**
 * Standard output for large reports: small pieces (text, or short runs of encoded bytes) are gathered
 * into writes of about 64 KiB, large runs of bytes go as they are; each write waits for the stream to
 * drain when it asks to (so memory stays flat however large the report), and a reader that goes away
 * (`hr2ad preview … | head`) ends the output quietly instead of with an EPIPE stack.
 */
import { OutputClosedError } from './cli-io';

const WRITE_SIZE = 64 * 1024;

export interface StreamOutput {
  /** Queues text (or UTF-8 bytes); resolves when the stream can take more. Rejects with OutputClosedError once closed. */
  write(data: string | Uint8Array): Promise<void>;
  /** Writes what is queued and waits for the stream to take it. */
  flush(): Promise<void>;
  /** True once the reader has gone. */
  readonly closed: boolean;
}

function isClosedError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

/** A stream that says how much it still holds (a Node.js Writable), so a buffer it took can be used again. */
type OutputStream = NodeJS.WritableStream & { readonly writableLength?: number };

export function createStreamOutput(stream: OutputStream): StreamOutput {
  let failure: unknown = null;
  let waiters: Array<() => void> = [];
  const wake = () => {
    const current = waiters;
    waiters = [];
    for (const w of current) w();
  };
  // An unhandled 'error' would crash the process with a stack: record it, and end the output.
  stream.on('error', (error: unknown) => {
    failure = error;
    wake();
  });
  stream.on('drain', wake);
  stream.on('close', wake);

  const encoder = new TextEncoder();
  /** Where small pieces gather; `spare` is a gathering buffer the stream has finished with. */
  let gathered = new Uint8Array(WRITE_SIZE);
  let used = 0;
  let spare: Uint8Array<ArrayBuffer> | null = null;

  function check(): void {
    if (failure === null) return;
    if (isClosedError(failure)) throw new OutputClosedError();
    throw failure;
  }

  /** Hands `data` to the stream at once; resolves when the stream can take more. */
  function send(data: string | Uint8Array): Promise<void> {
    check();
    let needsDrain: boolean;
    try {
      needsDrain = !stream.write(data);
    } catch (error) {
      failure = error;
      check();
      return Promise.resolve();
    }
    return needsDrain ? drained() : Promise.resolve();
  }

  async function drained(): Promise<void> {
    await new Promise<void>((resolve) => waiters.push(resolve));
    check();
  }

  /**
   * Hands what is gathered to the stream at once. Its buffer is used again when the stream holds
   * nothing right after (it wrote the data at once, as to a file); otherwise the stream keeps it.
   */
  function sendGathered(): Promise<void> {
    if (used === 0) return Promise.resolve();
    const buffer = gathered;
    const data = buffer.subarray(0, used);
    gathered = spare ?? new Uint8Array(WRITE_SIZE);
    spare = null;
    used = 0;
    const sent = send(data);
    if (stream.writableLength === 0) spare = buffer;
    return sent;
  }

  // Every write hands its data over (or gathers it) before it first waits, so writes keep their order
  // even when their callers do not wait for one another.
  return {
    get closed() {
      return failure !== null && isClosedError(failure);
    },
    async write(data: string | Uint8Array) {
      check();
      // UTF-8 takes at most three bytes per UTF-16 unit.
      const room = typeof data === 'string' ? data.length * 3 : data.length;
      if (room > WRITE_SIZE / 2) {
        await Promise.all([sendGathered(), send(data)]);
        return;
      }
      const sent = used + room > gathered.length ? sendGathered() : null;
      if (typeof data === 'string') used += encoder.encodeInto(data, gathered.subarray(used)).written;
      else {
        gathered.set(data, used);
        used += data.length;
      }
      await sent;
    },
    async flush() {
      await sendGathered();
      check();
    },
  };
}
