/**
 * Standard output for large reports: whatever mix of text and bytes is written, in whatever sizes, the
 * stream receives exactly those bytes in order — whether it writes at once (a file) or later (a pipe
 * that is full), and even when the writers do not wait for one another. A reader that goes away ends
 * the output with OutputClosedError.
 */
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { OutputClosedError } from '../../../functions/cli/cli-io';
import { createStreamOutput } from '../../../functions/cli/stream-output';

/** A stream that keeps a copy of what it is given, at once or on the next turn (and then asks to drain). */
function recordingStream(writesLater: boolean) {
  const received: Buffer[] = [];
  let writes = 0;
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, done) {
      writes++;
      // Copied only when written: a buffer the output reused too early would show here.
      if (writesLater)
        setImmediate(() => {
          received.push(Buffer.from(chunk));
          done();
        });
      else {
        received.push(Buffer.from(chunk));
        done();
      }
    },
  });
  return { stream, received: () => Buffer.concat(received), writes: () => writes };
}

const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'grapheme', minLength: 10_000, maxLength: 12_000 }),
  fc.uint8Array({ maxLength: 3000 }),
  fc.integer({ min: 20_000, max: 120_000 }).map((n) => new Uint8Array(n).fill(n % 251)),
);

const bytesOf = (p: string | Uint8Array) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p));

describe('createStreamOutput', () => {
  it.each([
    ['writes at once', false],
    ['writes later', true],
  ])('delivers every piece, in order, to a stream that %s', async (_name, writesLater) => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.boolean(), async (pieces, waitForEach) => {
        const { stream, received } = recordingStream(writesLater);
        const output = createStreamOutput(stream);
        if (waitForEach) for (const p of pieces) await output.write(p);
        else await Promise.all(pieces.map((p) => output.write(p)));
        await output.flush();
        await new Promise<void>((resolve) => stream.end(resolve));
        expect(received().equals(Buffer.concat(pieces.map(bytesOf)))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('gathers small pieces into few writes', async () => {
    const { stream, received, writes } = recordingStream(false);
    const output = createStreamOutput(stream);
    for (let i = 0; i < 1000; i++) await output.write(i % 2 ? `line ${i} → ok\n` : new Uint8Array(100).fill(65));
    await output.flush();
    expect(writes()).toBeLessThanOrEqual(3);
    expect(received().length).toBe(
      500 * 100 +
        [...Array(1000).keys()].filter((i) => i % 2).reduce((n, i) => n + Buffer.byteLength(`line ${i} → ok\n`), 0),
    );
  });

  it('ends with OutputClosedError once the reader has gone', async () => {
    const stream = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const output = createStreamOutput(stream);
    await output.write('x'.repeat(40_000)).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(output.closed).toBe(true);
    await expect(output.write('more')).rejects.toBeInstanceOf(OutputClosedError);
  });
});
