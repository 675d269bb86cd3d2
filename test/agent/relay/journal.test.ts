/**
 * The agent's command journal on SQLite: a finished command's result is kept by command id; each worker's
 * last sequence only rises; both survive a reopen; pruning drops results a day after their command
 * expired but keeps every worker's sequence; a read-only handle reads while the agent holds the journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandJournal } from '../../../agent/relay/command-journal';
import type { NoChangeResult } from '../../../shared/protocol/results';

let dir: string;
let path: string;
const open: CommandJournal[] = [];
const NOW = new Date('2026-03-01T12:00:00Z');

function journal(): CommandJournal {
  const opened = CommandJournal.open(path, { clock: { now: () => NOW } });
  open.push(opened);
  return opened;
}

function noChange(commandId: string, workerKey: string, sequence: number): NoChangeResult {
  return { kind: 'NoChange', commandId, workerKey, sequence, pending: [] };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hr2ad-journal-'));
  path = join(dir, 'journal.db');
});
afterEach(() => {
  for (const j of open.splice(0)) j.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CommandJournal', () => {
  it('keeps a result by command id and the worker sequence; unknown ids and workers have none', () => {
    const j = journal();
    const result = noChange('c-1', 'hr:1', 4);
    j.record(result, '2026-03-02T00:00:00Z');
    expect(j.completed('c-1')).toEqual(result);
    expect(j.lastSequence('hr:1')).toBe(4);
    expect(j.completed('c-2')).toBeUndefined();
    expect(j.lastSequence('hr:2')).toBeUndefined();
  });

  it('raises the last sequence to the highest recorded, never lowers it', () => {
    const j = journal();
    j.record(noChange('c-5', 'hr:1', 5), '2026-03-02T00:00:00Z');
    j.record(noChange('c-3', 'hr:1', 3), '2026-03-02T00:00:00Z');
    expect(j.lastSequence('hr:1')).toBe(5);
    j.record(noChange('c-7', 'hr:1', 7), '2026-03-02T00:00:00Z');
    expect(j.lastSequence('hr:1')).toBe(7);
  });

  it('recording the same command twice keeps the first result and counts it once', () => {
    const j = journal();
    j.record(noChange('c-1', 'hr:1', 1), '2026-03-02T00:00:00Z');
    j.record({ ...noChange('c-1', 'hr:1', 1), dn: 'CN=other' }, '2026-03-02T00:00:00Z');
    expect(j.completed('c-1')).toEqual(noChange('c-1', 'hr:1', 1));
    expect(j.stats().commandsCompleted).toBe(1);
  });

  it('refuses an expiry that is not an instant, naming the command', () => {
    expect(() => journal().record(noChange('c-1', 'hr:1', 1), 'soon')).toThrow('command c-1: expiresAt');
  });

  it('keeps results, sequences and counts across a reopen', () => {
    const first = journal();
    first.record(noChange('c-1', 'hr:1', 2), '2026-03-02T00:00:00Z');
    first.recordRefusal();
    first.close();
    open.splice(0);
    const reopened = journal();
    expect(reopened.completed('c-1')).toEqual(noChange('c-1', 'hr:1', 2));
    expect(reopened.lastSequence('hr:1')).toBe(2);
    expect(reopened.stats()).toEqual({
      commandsCompleted: 1,
      workers: 1,
      refusals: 1,
      lastCompletedAt: NOW.toISOString(),
    });
  });

  it('prunes results a day after their command expired and keeps every worker sequence', () => {
    const j = journal();
    j.record(noChange('old', 'hr:1', 1), '2026-03-01T00:00:00Z');
    j.record(noChange('recent', 'hr:2', 9), '2026-03-01T12:00:00+01:00');
    expect(j.prune(new Date('2026-03-02T10:30:00Z'))).toBe(1);
    expect(j.completed('old')).toBeUndefined();
    expect(j.completed('recent')).toBeDefined();
    expect(j.lastSequence('hr:1')).toBe(1);
    expect(j.lastSequence('hr:2')).toBe(9);
    expect(j.stats()).toMatchObject({ commandsCompleted: 2, workers: 2 });
  });

  it('has empty stats when new', () => {
    expect(journal().stats()).toEqual({ commandsCompleted: 0, workers: 0, refusals: 0 });
  });

  it('opens read-only while the agent holds it open, sees its writes, and refuses to write', () => {
    const writer = journal();
    writer.record(noChange('c-1', 'hr:1', 1), '2026-03-02T00:00:00Z');
    const reader = CommandJournal.openReadOnly(path);
    open.push(reader);
    expect(reader.stats().commandsCompleted).toBe(1);
    writer.record(noChange('c-2', 'hr:1', 2), '2026-03-02T00:00:00Z');
    expect(reader.stats().commandsCompleted).toBe(2);
    expect(reader.completed('c-2')).toEqual(noChange('c-2', 'hr:1', 2));
    expect(() => reader.recordRefusal()).toThrow(/readonly/);
  });
});
