/**
 * Several directory connections behind one Directory: each call goes to the next connection in turn.
 * Samba and AD serve one connection's operations one after another, so an agent applying several
 * workers' commands at once over a single connection would queue them all behind each other. A command's
 * own operations are awaited one by one, so they still happen in order, whichever connection carries
 * each; a write is visible to a read on any connection once it has returned.
 */
import type { Directory, DirectoryEntry, Modification, SearchRequest } from './directory.port';

export class PooledDirectory implements Directory {
  private next = 0;

  constructor(private readonly connections: readonly Directory[]) {
    if (connections.length === 0) throw new Error('a directory pool needs at least one connection');
  }

  private pick(): Directory {
    const connection = this.connections[this.next]!;
    this.next = (this.next + 1) % this.connections.length;
    return connection;
  }

  search(request: SearchRequest): Promise<DirectoryEntry[]> {
    return this.pick().search(request);
  }

  add(dn: string, attributes: Readonly<Record<string, readonly string[]>>): Promise<void> {
    return this.pick().add(dn, attributes);
  }

  modify(dn: string, modifications: readonly Modification[]): Promise<void> {
    return this.pick().modify(dn, modifications);
  }

  move(dn: string, newDn: string): Promise<void> {
    return this.pick().move(dn, newDn);
  }

  delete(dn: string): Promise<void> {
    return this.pick().delete(dn);
  }

  highestCommittedUsn(): Promise<bigint> {
    return this.pick().highestCommittedUsn();
  }

  async close(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.close()));
  }
}
