import type { Directory } from '../directory/directory.port';
import { and, eq, gte, isUserAccount, or, present } from '../directory/ldap-filter';

/**
 * Above this many new USNs one range sweep (a scan of the whole scope) is cheaper than searches by indexed
 * equality. Below it the cost follows the changes, not the directory's size: several agents' receivers
 * writing at once easily make a few hundred USNs between two refreshes.
 */
const MAX_EQUALITY_SWEEP = 1024;
/** USNs asked for in one search (an OR of equalities). */
const EQUALITIES_PER_SEARCH = 64;

interface Indexed {
  dn: string;
  keys: Array<readonly [attribute: string, value: string]>;
}

/**
 * An in-memory index (match attribute, value) → objectGUID over the match scope, for attributes AD does
 * not index (employeeID by default): without it every command would pay an unindexed full scan.
 *
 * It stays correct by reading, before each use, only what changed since it last looked: every object
 * whose uSNChanged lies in (last seen, highest committed]. An object changed again later carries a
 * higher uSNChanged and is caught by the next sweep, so nothing is missed. The sweep asks for each USN
 * by equality — indexed in AD and in Samba, whose ldb cannot use its index for `>=` — and falls back to
 * one range search after a burst of outside changes. This catches creates, modifications and moves
 * within the scope by anyone. Deletions and moves out of the scope are not returned, so a hit is always
 * verified by reading the object by GUID (the caller does); a stale hit is dropped with `forget`.
 */
export class MatchIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly byGuid = new Map<string, Indexed>();
  private usn = -1n;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly directory: Directory,
    /** Subtrees the index covers (the match scope). */
    private readonly bases: readonly string[],
    /** Lower-cased attribute names the index covers. */
    readonly attributes: ReadonlySet<string>,
  ) {}

  covers(attribute: string): boolean {
    return this.attributes.has(attribute.toLowerCase());
  }

  private static key(attribute: string, value: string): string {
    return `${attribute.toLowerCase()}\u0000${value.toLowerCase()}`;
  }

  /** Brings the index up to date with the directory (coalescing concurrent callers). */
  async refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const highest = await this.directory.highestCommittedUsn();
    if (this.usn >= 0n && highest === this.usn) return;
    // A directory restored from backup has a lower USN than we saw: start over.
    const full = this.usn < 0n || highest < this.usn;
    if (full) {
      this.byKey.clear();
      this.byGuid.clear();
    }
    const wanted = [...this.attributes];
    for (const filter of this.sweepFilters(full, highest)) {
      for (const base of this.bases) {
        const entries = await this.directory.search({
          base,
          scope: 'sub',
          filter,
          attributes: ['objectGUID', ...wanted],
        });
        for (const entry of entries) {
          const guid = entry.attributes.objectguid?.[0];
          if (!guid) continue;
          this.record(guid, entry.dn, (attribute) => entry.attributes[attribute]?.[0]);
        }
      }
    }
    // Everything up to `highest` is now reflected: later refreshes read only what comes after it.
    this.usn = highest;
  }

  /** The searches that read every user changed after the last sweep up to `highest`. */
  private sweepFilters(full: boolean, highest: bigint): string[] {
    if (full) return [and(isUserAccount, or(...[...this.attributes].map(present)))];
    const newUsns = Number(highest - this.usn);
    if (newUsns > MAX_EQUALITY_SWEEP) return [and(isUserAccount, gte('uSNChanged', String(this.usn + 1n)))];
    const filters: string[] = [];
    for (let first = 0; first < newUsns; first += EQUALITIES_PER_SEARCH) {
      const count = Math.min(EQUALITIES_PER_SEARCH, newUsns - first);
      const usns = Array.from({ length: count }, (_, i) => this.usn + 1n + BigInt(first + i));
      filters.push(and(isUserAccount, or(...usns.map((usn) => eq('uSNChanged', String(usn))))));
    }
    return filters;
  }

  /** Records (or re-records) an object's keys, e.g. right after the applier wrote it. */
  record(guid: string, dn: string, valueOf: (lowerCaseAttribute: string) => string | undefined): void {
    this.forget(guid);
    const keys: Array<readonly [string, string]> = [];
    for (const attribute of this.attributes) {
      const value = valueOf(attribute);
      if (value === undefined || value === '') continue;
      keys.push([attribute, value]);
      const k = MatchIndex.key(attribute, value);
      let set = this.byKey.get(k);
      if (!set) this.byKey.set(k, (set = new Set()));
      set.add(guid);
    }
    this.byGuid.set(guid, { dn, keys });
  }

  forget(guid: string): void {
    const old = this.byGuid.get(guid);
    if (!old) return;
    for (const [attribute, value] of old.keys) {
      const k = MatchIndex.key(attribute, value);
      const set = this.byKey.get(k);
      set?.delete(guid);
      if (set?.size === 0) this.byKey.delete(k);
    }
    this.byGuid.delete(guid);
  }

  /** GUIDs recorded for the key (call `refresh` first). */
  lookup(attribute: string, value: string): string[] {
    return [...(this.byKey.get(MatchIndex.key(attribute, value)) ?? [])];
  }

  get size(): number {
    return this.byGuid.size;
  }
}
