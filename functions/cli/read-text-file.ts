/**
 * A file read whole as UTF-8 text. `fs.promises.readFile` reads in pieces of half a megabyte, each waiting
 * for its turn on the event loop; a large snapshot is read while the command starts its planning threads,
 * and piece by piece that took twice as long as the read itself. Here a regular file is read in one request
 * of its size (and then on to the end, should it have grown); anything else in pieces until its end.
 */
import { open } from 'node:fs/promises';

const PIECE_BYTES = 1 << 20;
/** What `readFile` reads at most, and refuses beyond with a RangeError, as this does. */
const MAX_BYTES = 2 ** 31 - 1;

export async function readTextFile(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size > MAX_BYTES) throw new RangeError(`the file is ${size} bytes; at most ${MAX_BYTES} can be read`);
    let buffer: Buffer = Buffer.allocUnsafe(Math.max(size, PIECE_BYTES));
    let length = 0;
    for (;;) {
      if (length === buffer.length) buffer = grown(buffer, length);
      if (length > MAX_BYTES) throw new RangeError(`the file holds more than ${MAX_BYTES} bytes`);
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await file.close();
  }
}

function grown(buffer: Buffer, length: number): Buffer {
  const larger = Buffer.allocUnsafe(length * 2);
  buffer.copy(larger, 0, 0, length);
  return larger;
}
