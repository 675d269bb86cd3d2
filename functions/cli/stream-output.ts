/**
 * Standard output for large reports: text is gathered into writes of about 64 KiB (bytes already encoded
 * go as they are), each write waits
 * for the stream to drain when it asks to (so memory stays flat however large the report), and a reader
 * that goes away (`hr2ad preview … | head`) ends the output quietly instead of with an EPIPE stack.
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

export function createStreamOutput(stream: NodeJS.WritableStream): StreamOutput {
  let pending = '';
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

  function check(): void {
    if (failure === null) return;
    if (isClosedError(failure)) throw new OutputClosedError();
    throw failure;
  }

  async function send(text: string | Uint8Array): Promise<void> {
    check();
    let needsDrain: boolean;
    try {
      needsDrain = !stream.write(text);
    } catch (error) {
      failure = error;
      check();
      return;
    }
    if (needsDrain) {
      await new Promise<void>((resolve) => waiters.push(resolve));
      check();
    }
  }

  return {
    get closed() {
      return failure !== null && isClosedError(failure);
    },
    async write(data: string | Uint8Array) {
      check();
      if (typeof data !== 'string') {
        const text = pending;
        pending = '';
        if (text) await send(text);
        return send(data);
      }
      pending += data;
      if (pending.length < WRITE_SIZE) return;
      const chunk = pending;
      pending = '';
      await send(chunk);
    },
    async flush() {
      if (!pending) return check();
      const chunk = pending;
      pending = '';
      await send(chunk);
    },
  };
}
