/**
 * WorkerTurns: one worker's messages are handled one at a time across all of an agent's session receivers
 * (a receiver whose link dropped may still be applying when another receiver gets the same message),
 * while different workers' messages still run side by side.
 */
import { WorkerTurns } from '../../agent/relay/session-pump';

/** A piece of work that records when it starts and ends, and finishes when the test says so. */
function gate(log: string[], name: string) {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const work = async () => {
    log.push(`${name} start`);
    await opened;
    log.push(`${name} end`);
    return name;
  };
  return { work, open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

it('runs the same worker’s work in turn: the second starts only after the first ended', async () => {
  const turns = new WorkerTurns();
  const log: string[] = [];
  const first = gate(log, 'first');
  const second = gate(log, 'second');
  const running = [turns.run('test:W1', first.work), turns.run('test:W1', second.work)];
  await settle();
  expect(log).toEqual(['first start']);
  first.open();
  second.open();
  expect(await Promise.all(running)).toEqual(['first', 'second']);
  expect(log).toEqual(['first start', 'first end', 'second start', 'second end']);
});

it('runs different workers side by side', async () => {
  const turns = new WorkerTurns();
  const log: string[] = [];
  const one = gate(log, 'one');
  const other = gate(log, 'other');
  const running = [turns.run('test:W1', one.work), turns.run('test:W2', other.work)];
  await settle();
  expect(log).toEqual(['one start', 'other start']);
  one.open();
  other.open();
  await Promise.all(running);
});

it('gives the next turn even when the previous work failed, and passes the failure to its own caller', async () => {
  const turns = new WorkerTurns();
  const failed = turns.run('test:W1', async () => {
    throw new Error('link lost');
  });
  const next = turns.run('test:W1', async () => 'handled');
  await expect(failed).rejects.toThrow('link lost');
  await expect(next).resolves.toBe('handled');
});
