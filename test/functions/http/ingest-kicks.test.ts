/**
 * IngestKicks: one start attempt per source in flight; a push during it asks for exactly one more
 * attempt after it, so every push is followed by an attempt that began after the push was stored.
 */
import { IngestKicks } from '../../../functions/http/ingest-kicks';

/** A start whose attempts are counted and finish only when released. */
function gatedStarts() {
  const log: string[] = [];
  const gates: (() => void)[] = [];
  const start = (label: string) => () =>
    new Promise<void>((resolve) => {
      log.push(`start ${label}`);
      gates.push(() => {
        log.push(`end ${label}`);
        resolve();
      });
    });
  const release = async () => {
    gates.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { log, start, release };
}

describe('IngestKicks', () => {
  it('a burst during an attempt costs one more attempt, made with the latest caller’s start', async () => {
    const errors: unknown[] = [];
    const kicks = new IngestKicks((_source, error) => errors.push(error));
    const g = gatedStarts();
    const first = kicks.kick('hr', g.start('a'));
    await expect(kicks.kick('hr', g.start('b'))).resolves.toBeUndefined();
    await expect(kicks.kick('hr', g.start('c'))).resolves.toBeUndefined();
    expect(g.log).toEqual(['start a']);
    await g.release();
    await first;
    expect(g.log).toEqual(['start a', 'end a', 'start c']);
    await g.release();
    expect(g.log).toEqual(['start a', 'end a', 'start c', 'end c']);
    expect(errors).toEqual([]);
  });

  it('sources do not wait for each other', async () => {
    const kicks = new IngestKicks(() => undefined);
    const g = gatedStarts();
    void kicks.kick('hr', g.start('hr'));
    void kicks.kick('csv', g.start('csv'));
    expect(g.log).toEqual(['start hr', 'start csv']);
  });

  it('a failed attempt rejects for the caller that made it; a failed follow-up is reported, and later kicks work', async () => {
    const errors: string[] = [];
    const kicks = new IngestKicks((source, error) => errors.push(`${source}: ${(error as Error).message}`));
    let fail = true;
    let calls = 0;
    const start = () => {
      calls++;
      return fail ? Promise.reject(new Error(`attempt ${calls}`)) : Promise.resolve();
    };
    const first = kicks.kick('hr', start);
    void kicks.kick('hr', start);
    await expect(first).rejects.toThrow('attempt 1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['hr: attempt 2']);
    fail = false;
    await expect(kicks.kick('hr', start)).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });
});
