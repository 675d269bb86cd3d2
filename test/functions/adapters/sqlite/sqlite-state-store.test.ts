/**
 * The SQLite state store: the port's contract in memory and on a file, then what only a file shows —
 * data surviving a reopen, WAL mode, and rows damaged behind the store's back reported by worker key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteStateStore } from '../../../../functions/adapters/sqlite/sqlite-state-store';
import type { LastKnownState } from '../../../../shared/planner/types';
import { describeStateStoreContract } from '../../state/state-store.contract';
import { PLANNED_AT, STATES, auditEntry, cursor, cycle, cyclePlans, quarantineOf } from '../../state/state-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'hr2ad-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A path no test has used. */
function freshFile(): string {
  files += 1;
  return join(dir, `state-${files}.db`);
}

/** Runs SQL on the file through a connection of its own, as damage from outside the store would come. */
function tamper(path: string, sql: string, ...params: string[]): void {
  const db = new DatabaseSync(path);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

describeStateStoreContract('SQLite in memory', async () => SqliteStateStore.open(':memory:'));
describeStateStoreContract('SQLite on a file', async () => SqliteStateStore.open(freshFile()));

describe('SqliteStateStore on a file', () => {
  const [first] = STATES as [LastKnownState];

  it('keeps everything across a reopen', async () => {
    const path = freshFile();
    const store = SqliteStateStore.open(path);
    await store.commitCycle({
      cycle: cycle('c1', { status: 'completed' }),
      cursor: cursor('cur-1', 'c1'),
      states: STATES,
      quarantine: quarantineOf('c1'),
    });
    await store.putCyclePlans(cyclePlans('c1'));
    await store.appendAudit(auditEntry('cmd-1', PLANNED_AT));
    await store.close();

    const reopened = SqliteStateStore.open(path);
    expect(await reopened.getStates()).toEqual(new Map(STATES.map((s) => [s.workerKey, s])));
    expect(await reopened.getCursor('workday')).toEqual(cursor('cur-1', 'c1'));
    expect(await reopened.listQuarantine()).toEqual(quarantineOf('c1'));
    expect(await reopened.getCyclePlans('c1')).toHaveLength(cyclePlans('c1').length);
    expect(await reopened.appendAudit(auditEntry('cmd-1', PLANNED_AT))).toBe(false);
    await reopened.close();
  });

  it('shares one file between two stores (two processes): commits seen, duplicates still refused', async () => {
    const path = freshFile();
    const writer = SqliteStateStore.open(path);
    const reader = SqliteStateStore.open(path);
    await writer.commitCycle({ cycle: cycle('c1'), cursor: cursor('cur-1', 'c1'), states: STATES, quarantine: [] });
    expect(await reader.getCursor('workday')).toEqual(cursor('cur-1', 'c1'));
    expect((await reader.getStates()).size).toBe(STATES.length);
    expect(await writer.appendAudit(auditEntry('cmd-1', PLANNED_AT))).toBe(true);
    expect(await reader.appendAudit(auditEntry('cmd-1', PLANNED_AT))).toBe(false);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('looks up more worker keys at once than SQLite binds parameters', async () => {
    const store = SqliteStateStore.open(':memory:');
    await store.putState(first);
    const keys = [...Array.from({ length: 40_000 }, (_, i) => `workday:x${i}`), first.workerKey];
    expect([...(await store.getStates(keys)).keys()]).toEqual([first.workerKey]);
    await store.close();
  });

  it('uses WAL mode and records its schema version', async () => {
    const path = freshFile();
    await SqliteStateStore.open(path).close();
    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 2 });
    db.close();
  });

  it('refuses a file written by a newer schema', () => {
    const path = freshFile();
    tamper(path, 'PRAGMA user_version = 99');
    expect(() => SqliteStateStore.open(path)).toThrow(
      `${path}: cannot open the state store: schema version 99 is newer`,
    );
  });

  it('names the path it cannot open', () => {
    const path = join(dir, 'no-such-directory', 'state.db');
    expect(() => SqliteStateStore.open(path)).toThrow(`${path}: cannot open the state store`);
  });

  it.each([
    [
      'fails the state codec',
      (s: LastKnownState) => JSON.stringify({ kind: 'hr2ad-state', version: 1, states: [{ ...s, sequence: -1 }] }),
    ],
    ['is not JSON', () => '{"kind": "hr2ad-state", '],
    ['is another version', (s: LastKnownState) => JSON.stringify({ kind: 'hr2ad-state', version: 2, states: [s] })],
    ['holds another worker’s state', () => JSON.stringify({ kind: 'hr2ad-state', version: 1, states: [STATES[1]] })],
  ])('reports a stored state that %s by its worker key', async (_, damage) => {
    const path = freshFile();
    const store = SqliteStateStore.open(path);
    await store.putState(first);
    tamper(path, 'UPDATE states SET document = ? WHERE worker_key = ?', damage(first), first.workerKey);
    await expect(store.getStates()).rejects.toThrow(`stored state of ${first.workerKey} is unreadable`);
    await expect(store.getStates([first.workerKey])).rejects.toThrow(first.workerKey);
    await store.close();
  });

  it('rejects calls after close', async () => {
    const store = SqliteStateStore.open(':memory:');
    await store.close();
    await expect(store.getStates()).rejects.toThrow('the state store is closed');
  });
});
