/**
 * Fencing for the agent's writes. A session lock says which agent serves a worker, but an agent can be
 * frozen (a paused VM, a long GC, SIGSTOP) past its lock's expiry while another agent takes the worker
 * over; when it wakes, its half-done command must not write over what the other agent did since. Each
 * command is handled inside a fence that knows whether this agent still holds the worker's session, and
 * every write to the directory checks it first: a write after the lock was lost fails as a retryable
 * error, so nothing is published and the message goes back to whoever holds the session now.
 * The window left is a write already past the check when the agent froze.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DirectoryError, type Directory } from '../directory/directory.port';

const fences = new AsyncLocalStorage<() => boolean>();

/** Runs `work` (one command's handling) with `stillHeld` consulted before each of its directory writes. */
export function withSessionFence<T>(stillHeld: () => boolean, work: () => Promise<T>): Promise<T> {
  return fences.run(stillHeld, work);
}

function requireHeld(operation: string, dn: string): void {
  const stillHeld = fences.getStore();
  if (stillHeld && !stillHeld()) {
    throw new DirectoryError(
      'Timeout',
      `${operation} of ${dn} not sent: this agent no longer holds the worker's session (its lock expired)`,
      true,
    );
  }
}

/** The directory with every write fenced; reads are not (a stale read changes nothing). */
export function fencedDirectory(directory: Directory): Directory {
  return {
    search: (request) => directory.search(request),
    add: async (dn, attributes) => {
      requireHeld('add', dn);
      return directory.add(dn, attributes);
    },
    modify: async (dn, modifications) => {
      requireHeld('modify', dn);
      return directory.modify(dn, modifications);
    },
    move: async (dn, newDn) => {
      requireHeld('move', dn);
      return directory.move(dn, newDn);
    },
    delete: async (dn) => {
      requireHeld('delete', dn);
      return directory.delete(dn);
    },
    highestCommittedUsn: () => directory.highestCommittedUsn(),
    close: () => directory.close(),
  };
}
