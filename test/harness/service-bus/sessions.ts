/**
 * Exclusive session locks. A lock lasts lockDuration unless renewed; when it lapses the broker takes the
 * session back (its messages return with delivery count +1) and detaches the holder's link, as the service does.
 */
import type { LockOwner } from './queue-store';

export interface SessionLock {
  entity: string;
  sessionId: string;
  owner: LockOwner;
  lockDurationMs: number;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

const keyOf = (entity: string, sessionId: string): string => `${entity}\u0000${sessionId}`;

export class SessionLocks {
  private readonly locks = new Map<string, SessionLock>();

  constructor(private readonly onExpired: (lock: SessionLock) => void) {}

  holder(entity: string, sessionId: string): SessionLock | undefined {
    return this.locks.get(keyOf(entity, sessionId));
  }

  /** Locks the session for this owner; undefined when someone else holds it. */
  acquire(entity: string, sessionId: string, owner: LockOwner, lockDurationMs: number): SessionLock | undefined {
    if (this.holder(entity, sessionId)) return undefined;
    const lock: SessionLock = {
      entity,
      sessionId,
      owner,
      lockDurationMs,
      expiresAt: Date.now() + lockDurationMs,
      timer: setTimeout(() => undefined, 0),
    };
    this.arm(lock);
    this.locks.set(keyOf(entity, sessionId), lock);
    return lock;
  }

  /** Extends the lock if this connection holds it; undefined means the lock is lost. */
  renew(entity: string, sessionId: string, connectionId: string): number | undefined {
    const lock = this.holder(entity, sessionId);
    if (!lock || lock.owner.connectionId !== connectionId) return undefined;
    lock.expiresAt = Date.now() + lock.lockDurationMs;
    this.arm(lock);
    return lock.expiresAt;
  }

  heldBy(entity: string, sessionId: string, connectionId: string): boolean {
    return this.holder(entity, sessionId)?.owner.connectionId === connectionId;
  }

  release(lock: SessionLock): void {
    clearTimeout(lock.timer);
    if (this.locks.get(keyOf(lock.entity, lock.sessionId)) === lock)
      this.locks.delete(keyOf(lock.entity, lock.sessionId));
  }

  releaseWhere(selects: (lock: SessionLock) => boolean): SessionLock[] {
    const released = [...this.locks.values()].filter(selects);
    for (const lock of released) this.release(lock);
    return released;
  }

  countLocked(entity: string): number {
    return [...this.locks.values()].filter((lock) => lock.entity === entity).length;
  }

  close(): void {
    this.releaseWhere(() => true);
  }

  private arm(lock: SessionLock): void {
    clearTimeout(lock.timer);
    lock.timer = setTimeout(() => {
      this.release(lock);
      this.onExpired(lock);
    }, lock.lockDurationMs);
    lock.timer.unref();
  }
}
