/**
 * Where the broker writes every change so a restart loses nothing: in memory (no-op) or an SQLite file with
 * synchronous=FULL, written before the client hears that a send or settlement succeeded.
 */
import { DatabaseSync } from 'node:sqlite';
import type { MessageState, StoredMessage } from './types';

export interface JournalSnapshot {
  messages: StoredMessage[];
  sessionStates: { entity: string; sessionId: string; state: Buffer }[];
  nextSeq: number;
}

export interface Journal {
  load(): JournalSnapshot;
  saveMessage(message: StoredMessage): void;
  deleteMessage(seq: number): void;
  saveSessionState(entity: string, sessionId: string, state: Buffer | undefined): void;
  saveNextSeq(nextSeq: number): void;
  close(): void;
}

export const memoryJournal = (): Journal => ({
  load: () => ({ messages: [], sessionStates: [], nextSeq: 1 }),
  saveMessage: () => undefined,
  deleteMessage: () => undefined,
  saveSessionState: () => undefined,
  saveNextSeq: () => undefined,
  close: () => undefined,
});

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY, entity TEXT NOT NULL, session_id TEXT, state TEXT NOT NULL,
    delivery_count INTEGER NOT NULL, enqueued_at INTEGER NOT NULL, scheduled_at INTEGER,
    completes_seen INTEGER NOT NULL, locked INTEGER NOT NULL, raw BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS session_states (
    entity TEXT NOT NULL, session_id TEXT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (entity, session_id));
  CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`;

interface MessageRow {
  seq: number;
  entity: string;
  session_id: string | null;
  state: string;
  delivery_count: number;
  enqueued_at: number;
  scheduled_at: number | null;
  completes_seen: number;
  locked: number;
  raw: Uint8Array;
}

function rowToMessage(row: MessageRow): StoredMessage {
  return {
    seq: row.seq,
    entity: row.entity,
    sessionId: row.session_id ?? undefined,
    state: row.state as MessageState,
    deliveryCount: row.delivery_count,
    enqueuedAt: row.enqueued_at,
    scheduledAt: row.scheduled_at ?? undefined,
    completesSeen: row.completes_seen,
    raw: Buffer.from(row.raw),
    // A lock does not survive a restart; the store counts the interrupted delivery.
    lockToken: row.locked ? 'lost-in-restart' : undefined,
  };
}

export function sqliteJournal(file: string): Journal {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
  db.exec(SCHEMA);
  const upsertMessage = db.prepare(
    `INSERT OR REPLACE INTO messages (seq, entity, session_id, state, delivery_count, enqueued_at, scheduled_at,
       completes_seen, locked, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const deleteMessage = db.prepare('DELETE FROM messages WHERE seq = ?');
  const upsertState = db.prepare('INSERT OR REPLACE INTO session_states (entity, session_id, state) VALUES (?, ?, ?)');
  const deleteState = db.prepare('DELETE FROM session_states WHERE entity = ? AND session_id = ?');
  const upsertCounter = db.prepare("INSERT OR REPLACE INTO counters (name, value) VALUES ('next_seq', ?)");
  return {
    load() {
      const messages = (db.prepare('SELECT * FROM messages ORDER BY seq').all() as unknown as MessageRow[]).map(
        rowToMessage,
      );
      const states = db.prepare('SELECT entity, session_id, state FROM session_states').all() as unknown as {
        entity: string;
        session_id: string;
        state: Uint8Array;
      }[];
      const counter = db.prepare("SELECT value FROM counters WHERE name = 'next_seq'").get() as
        { value: number } | undefined;
      return {
        messages,
        sessionStates: states.map((s) => ({ entity: s.entity, sessionId: s.session_id, state: Buffer.from(s.state) })),
        nextSeq: counter?.value ?? 1,
      };
    },
    saveMessage(m) {
      upsertMessage.run(
        m.seq,
        m.entity,
        m.sessionId ?? null,
        m.state,
        m.deliveryCount,
        m.enqueuedAt,
        m.scheduledAt ?? null,
        m.completesSeen,
        m.lockToken ? 1 : 0,
        m.raw,
      );
    },
    deleteMessage(seq) {
      deleteMessage.run(seq);
    },
    saveSessionState(entity, sessionId, state) {
      if (state) upsertState.run(entity, sessionId, state);
      else deleteState.run(entity, sessionId);
    },
    saveNextSeq(nextSeq) {
      upsertCounter.run(nextSeq);
    },
    close() {
      db.close();
    },
  };
}
