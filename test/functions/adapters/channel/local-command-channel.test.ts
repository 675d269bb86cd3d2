/**
 * The local command channel (functions/adapters/channel/local-command-channel.ts): an SQLite outbox with
 * Service Bus session semantics. Proves:
 * - per-worker order: one worker's commands, even sent all at once, are applied one at a time in
 *   sequence order;
 * - cross-worker parallelism: different workers are applied at once, up to the concurrency and no more;
 * - at least once across a restart: commands still queued when a channel closes are applied by a new
 *   channel on the same file (and a command the agent threw on stays queued and is applied again);
 * - results are kept while the sink refuses them and delivered later (by the same channel with its next
 *   delivery, or by a new channel on start), oldest first;
 * - stats(): applied and waiting counts; a closed channel takes no more commands.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../../agent/logging/silent-logger';
import {
  LocalCommandChannel,
  type LocalCommandChannelOptions,
} from '../../../../functions/adapters/channel/local-command-channel';
import type { DirectoryCommandInput } from '../../../../shared/protocol/commands';
import type { CommandResult } from '../../../../shared/protocol/results';
import { command as plannedCommand } from '../../state/state-fixtures';

let dir: string;
let databasePath: string;
const channels: LocalCommandChannel[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hr2ad-channel-'));
  databasePath = join(dir, 'commands.db');
});
afterEach(async () => {
  for (const c of channels.splice(0)) await c.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** A real planned command, re-addressed to `workerKey` at `sequence`. */
function cmd(workerKey: string, sequence: number): DirectoryCommandInput {
  return { ...plannedCommand(`${workerKey}#${sequence}`), workerKey, sequence };
}

function noChange(command: unknown): CommandResult {
  const { commandId, workerKey, sequence } = command as DirectoryCommandInput;
  return { kind: 'NoChange', commandId, workerKey, sequence, pending: [] };
}

/** A promise with its resolver, to hold an apply until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lets queued microtasks and I/O callbacks run until `condition` holds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error(`never happened: ${what}`);
}

/** An agent that fails after one turn of the event loop (as a broken connection would), counting calls. */
function failingApply(count: () => void): LocalCommandChannelOptions['apply'] {
  return async () => {
    count();
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error('LDAP socket reset');
  };
}

/** An agent that records what it applies and when it starts and ends each. */
class RecordingAgent {
  readonly events: string[] = [];
  readonly applied: string[] = [];
  active = 0;
  maxActive = 0;
  readonly activeByWorker = new Map<string, number>();
  maxPerWorker = 0;
  hold: Promise<void> | null = null;

  readonly apply = async (command: unknown): Promise<CommandResult> => {
    const { workerKey, sequence } = command as DirectoryCommandInput;
    const id = `${workerKey}#${sequence}`;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    const mine = (this.activeByWorker.get(workerKey) ?? 0) + 1;
    this.activeByWorker.set(workerKey, mine);
    this.maxPerWorker = Math.max(this.maxPerWorker, mine);
    this.events.push(`start ${id}`);
    await new Promise((resolve) => setImmediate(resolve));
    if (this.hold) await this.hold;
    this.events.push(`end ${id}`);
    this.applied.push(id);
    this.activeByWorker.set(workerKey, mine - 1);
    this.active--;
    return noChange(command);
  };
}

function open(options: Partial<LocalCommandChannelOptions> & Pick<LocalCommandChannelOptions, 'apply'>) {
  const delivered: CommandResult[] = [];
  const channel = new LocalCommandChannel({
    databasePath,
    sink: async (result) => {
      delivered.push(result);
    },
    logger: silentLogger,
    ...options,
  });
  channels.push(channel);
  return { channel, delivered };
}

describe('per-worker order', () => {
  it('applies one worker’s commands one at a time, in sequence, even when sent concurrently', async () => {
    const agent = new RecordingAgent();
    const { channel, delivered } = open({ apply: agent.apply, concurrency: 8 });
    await channel.start();
    await Promise.all([1, 2, 3, 4, 5].map((s) => channel.send(cmd('hr:A', s))));
    await channel.whenIdle();

    expect(agent.events).toEqual([1, 2, 3, 4, 5].flatMap((s) => [`start hr:A#${s}`, `end hr:A#${s}`]));
    expect(agent.maxPerWorker).toBe(1);
    expect(delivered.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5]);
  });

  it('applies queued commands by sequence, not by the order they were queued', async () => {
    const agent = new RecordingAgent();
    const blocker = gate();
    agent.hold = blocker.promise;
    const { channel } = open({ apply: agent.apply, concurrency: 1 });
    await channel.start();
    await channel.send(cmd('hr:A', 1)); // in flight, held
    await until(() => agent.active === 1, 'the first command is applied');
    for (const s of [4, 2, 3]) await channel.send(cmd('hr:A', s));
    agent.hold = null;
    blocker.open();
    await channel.whenIdle();
    expect(agent.applied).toEqual(['hr:A#1', 'hr:A#2', 'hr:A#3', 'hr:A#4']);
  });
});

describe('cross-worker parallelism', () => {
  it.each([1, 3, 8])('applies up to %i workers at once, never more', async (concurrency) => {
    const agent = new RecordingAgent();
    const blocker = gate();
    agent.hold = blocker.promise;
    const { channel, delivered } = open({ apply: agent.apply, concurrency });
    await channel.start();
    const workers = Array.from({ length: 10 }, (_, i) => `hr:W${i}`);
    await Promise.all(workers.flatMap((w) => [channel.send(cmd(w, 1)), channel.send(cmd(w, 2))]));

    await until(() => agent.active === concurrency, `${concurrency} workers in flight`);
    expect(new Set(agent.events.map((e) => e.split('#')[0])).size).toBe(concurrency);
    expect(channel.stats()).toEqual({ applied: 0, waiting: 20 });

    agent.hold = null;
    blocker.open();
    await channel.whenIdle();
    expect(agent.maxActive).toBe(concurrency);
    expect(agent.maxPerWorker).toBe(1);
    expect(delivered).toHaveLength(20);
    for (const w of workers) expect(agent.applied.filter((id) => id.startsWith(`${w}#`))).toEqual([`${w}#1`, `${w}#2`]);
  });
});

describe('at least once across a restart', () => {
  it('a new channel on the same file applies the commands the closed one left queued', async () => {
    const first = new RecordingAgent();
    const blocker = gate();
    first.hold = blocker.promise;
    const one = open({ apply: first.apply, concurrency: 1 });
    await one.channel.start();
    for (const [w, s] of [
      ['hr:A', 1],
      ['hr:A', 2],
      ['hr:B', 1],
    ] as const)
      await one.channel.send(cmd(w, s));
    await until(() => first.active === 1, 'the first command in flight');

    const closing = one.channel.close(); // mid-way: one in flight, two queued
    blocker.open();
    await closing;
    expect(first.applied).toEqual(['hr:A#1']);
    await expect(one.channel.send(cmd('hr:C', 1))).rejects.toThrow(/closed/);
    expect(one.channel.stats().waiting).toBe(0);

    const second = new RecordingAgent();
    const two = open({ apply: second.apply });
    expect(two.channel.stats()).toEqual({ applied: 0, waiting: 2 });
    await two.channel.start();
    await two.channel.whenIdle();
    expect(second.applied.sort()).toEqual(['hr:A#2', 'hr:B#1']);
    expect(two.delivered.map((r) => r.commandId).sort()).toEqual(['hr:A#2', 'hr:B#1']);
    expect(two.channel.stats()).toEqual({ applied: 2, waiting: 0 });
  });

  it('a command the agent threw on stays queued and is applied again by the next channel', async () => {
    let attempts = 0;
    const one = open({ apply: failingApply(() => attempts++) });
    await one.channel.start();
    await one.channel.send(cmd('hr:A', 1));
    await until(() => attempts >= 1, 'the failed delivery');
    expect(one.channel.stats()).toEqual({ applied: 0, waiting: 1 });
    expect(one.delivered).toEqual([]);
    await one.channel.close();

    const agent = new RecordingAgent();
    const two = open({ apply: agent.apply });
    await two.channel.start();
    await two.channel.whenIdle();
    expect(agent.applied).toEqual(['hr:A#1']);
    expect(two.delivered.map((r) => r.commandId)).toEqual(['hr:A#1']);
  });
});

describe('a host fault while applying', () => {
  /**
   * The embedded agent answers every command with a result; a throw is a fault of the host (the channel's
   * own comment). The command stays queued, as the test above shows, but it is tried again at once, with
   * no backoff: the channel spins on it (and logs an error per turn) for as long as the fault lasts. With
   * an agent that rejects without I/O the loop is microtasks only and starves the event loop entirely (no
   * timer, socket or HTTP request runs again). Fails until the retry waits, as kept results do.
   */
  it('does not retry a command the agent threw on at once, in a loop', async () => {
    let attempts = 0;
    const { channel } = open({ apply: failingApply(() => attempts++) });
    await channel.start();
    await channel.send(cmd('hr:A', 1));
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    await channel.close();
    expect(attempts).toBeLessThanOrEqual(2);
  });
});

describe('results while the sink refuses them', () => {
  // A refused result is retried on a 1 s timer; fake setTimeout keeps it from firing after the test (it
  // would read the closed database: see the last test here). setImmediate stays real for `until`.
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => {
    jest.clearAllTimers();
    jest.useRealTimers();
  });

  it('keeps a refused result and delivers it, oldest first, with the next delivery', async () => {
    let refuse = true;
    const delivered: CommandResult[] = [];
    const agent = new RecordingAgent();
    const { channel } = open({
      apply: agent.apply,
      sink: async (result) => {
        if (refuse) throw new Error('no orchestration yet');
        delivered.push(result);
      },
    });
    await channel.start();
    await channel.send(cmd('hr:A', 1));
    await channel.whenIdle();
    expect(agent.applied).toEqual(['hr:A#1']);
    expect(delivered).toEqual([]);
    expect(channel.stats()).toEqual({ applied: 1, waiting: 0 });

    refuse = false;
    await channel.send(cmd('hr:B', 1));
    await channel.whenIdle();
    await until(() => delivered.length === 2, 'both results delivered');
    expect(delivered.map((r) => r.commandId)).toEqual(['hr:A#1', 'hr:B#1']);
    expect(agent.applied).toEqual(['hr:A#1', 'hr:B#1']); // the kept result's command is not applied again
  });

  it('a new channel delivers the results a closed one kept, without applying their commands again', async () => {
    const agent = new RecordingAgent();
    const one = open({ apply: agent.apply, sink: () => Promise.reject(new Error('engine down')) });
    await one.channel.start();
    await one.channel.send(cmd('hr:A', 1));
    await one.channel.send(cmd('hr:A', 2));
    await one.channel.whenIdle();
    await one.channel.close();
    expect(agent.applied).toEqual(['hr:A#1', 'hr:A#2']);

    const again = new RecordingAgent();
    const two = open({ apply: again.apply });
    await two.channel.start();
    expect(two.delivered.map((r) => r.commandId)).toEqual(['hr:A#1', 'hr:A#2']);
    expect(again.applied).toEqual([]);
  });
  /**
   * drainResults (local-command-channel.ts, the `setTimeout(() => void this.flushResults(), ...)` after a
   * refused result) schedules a retry that close() does not cancel, and the retry does not check
   * `closed`: when it fires after close() it reads the closed database, and its rejection is unhandled —
   * which ends the process (it ended this jest worker before these timers were faked). Fails until close
   * cancels the retry, or the retry returns when closed.
   */
  it('a retry scheduled before close does not run against the closed database', async () => {
    const proto = LocalCommandChannel.prototype as unknown as { flushResults: () => Promise<void> };
    const original = proto.flushResults;
    const flushes: Promise<void>[] = [];
    const spy = jest.spyOn(proto, 'flushResults').mockImplementation(function (this: LocalCommandChannel) {
      const flush = original.call(this);
      flush.catch(() => undefined); // observed here, so the bug cannot end the test process
      flushes.push(flush);
      return flush;
    });
    try {
      const agent = new RecordingAgent();
      const { channel } = open({ apply: agent.apply, sink: () => Promise.reject(new Error('engine down')) });
      await channel.start();
      await channel.send(cmd('hr:A', 1));
      await channel.whenIdle();
      await channel.close();
      jest.advanceTimersByTime(1000);
      const settled = await Promise.allSettled(flushes);
      expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('stats', () => {
  it('counts applied commands since start and commands waiting', async () => {
    const agent = new RecordingAgent();
    const blocker = gate();
    agent.hold = blocker.promise;
    const { channel } = open({ apply: agent.apply, concurrency: 2 });
    expect(channel.stats()).toEqual({ applied: 0, waiting: 0 });
    await channel.start();
    for (const w of ['hr:A', 'hr:B', 'hr:C']) await channel.send(cmd(w, 1));
    await until(() => agent.active === 2, 'two in flight');
    expect(channel.stats()).toEqual({ applied: 0, waiting: 3 });
    agent.hold = null;
    blocker.open();
    await channel.whenIdle();
    expect(channel.stats()).toEqual({ applied: 3, waiting: 0 });
  });
});
