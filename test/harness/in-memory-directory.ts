import { randomUUID } from 'node:crypto';
import {
  AndFilter,
  EqualityFilter,
  ExtensibleFilter,
  FilterParser,
  GreaterThanEqualsFilter,
  NotFilter,
  OrFilter,
  PresenceFilter,
  type Filter,
} from 'ldapts';
import { normalizeDn, parentOf, formatDn } from '../../shared/directory/dn';
import {
  DirectoryError,
  type Directory,
  type DirectoryEntry,
  type Modification,
  type SearchRequest,
} from '../../agent/directory/directory.port';

interface Stored {
  dn: string;
  attributes: Map<string, string[]>;
}

/**
 * A small in-memory `Directory` for fast unit tests of code that only needs the port: entries keyed by
 * DN (or AD's `<GUID=…>`), objectGUID and uSNChanged assigned on write, the filters the agent builds (and, or, not, equality,
 * presence, >=) evaluated case-insensitively. It is not AD: no schema, no ACLs, no implicit UPNs, and
 * in-chain matching finds nothing. The real-DC suites (`*.dc.test.ts`) test the same paths against Samba.
 */
export class InMemoryDirectory implements Directory {
  private readonly entries = new Map<string, Stored>();
  private usn = 1n;
  /** Every write, in order, for assertions (`setPassword` values are not kept). */
  readonly writes: string[] = [];

  constructor(containers: readonly string[] = []) {
    for (const dn of containers) this.store(dn, { objectClass: ['top', 'organizationalUnit'] });
  }

  private store(dn: string, attributes: Readonly<Record<string, readonly string[]>>): Stored {
    const map = new Map(Object.entries(attributes).map(([k, v]) => [k.toLowerCase(), [...v]]));
    map.set('objectguid', [randomUUID()]);
    const entry = { dn, attributes: map };
    this.entries.set(normalizeDn(dn), entry);
    this.touch(entry);
    return entry;
  }

  private touch(entry: Stored): void {
    this.usn += 1n;
    entry.attributes.set('usnchanged', [String(this.usn)]);
  }

  private require(dn: string): Stored {
    const entry = this.entries.get(normalizeDn(dn));
    if (!entry) throw new DirectoryError('ParentNotFound', `${dn} does not exist`, false);
    return entry;
  }

  async search(request: SearchRequest): Promise<DirectoryEntry[]> {
    // AD's `<GUID=…>` base names an object by its objectGUID, wherever it is.
    const byGuid = /^<GUID=([0-9a-f-]+)>$/i.exec(request.base)?.[1]?.toLowerCase();
    const found = byGuid
      ? [...this.entries.values()].find((e) => e.attributes.get('objectguid')?.[0] === byGuid)
      : undefined;
    if (byGuid && !found) return [];
    const base = normalizeDn(found ? found.dn : request.base);
    const filter = FilterParser.parseString(request.filter);
    const wanted = request.attributes.map((a) => a.toLowerCase());
    return [...this.entries.entries()]
      .filter(([key]) =>
        request.scope === 'base'
          ? key === base
          : request.scope === 'one'
            ? normalizeDn(parentOf(key)) === base
            : key === base || key.endsWith(`,${base}`),
      )
      .map(([, entry]) => entry)
      .filter((entry) => matches(filter, entry.attributes))
      .map((entry) => ({
        dn: entry.dn,
        attributes: Object.fromEntries(
          wanted.flatMap((a) => (entry.attributes.has(a) ? [[a, entry.attributes.get(a)!]] : [])),
        ),
      }));
  }

  async add(dn: string, attributes: Readonly<Record<string, readonly string[]>>): Promise<void> {
    if (this.entries.has(normalizeDn(dn))) throw new DirectoryError('AlreadyExists', `${dn} already exists`, false);
    this.require(formatDn(parentOf(dn)));
    this.store(dn, attributes);
    this.writes.push(`add ${dn}`);
  }

  async modify(dn: string, modifications: readonly Modification[]): Promise<void> {
    const entry = this.require(dn);
    for (const m of modifications) {
      if (m.operation === 'setPassword') {
        this.writes.push(`set password of ${dn}`);
        continue;
      }
      const name = m.attribute.toLowerCase();
      const current = entry.attributes.get(name) ?? [];
      if (m.operation === 'replace') entry.attributes.set(name, [...m.values]);
      else if (m.operation === 'add') entry.attributes.set(name, [...current, ...m.values]);
      else if (!m.values?.length) entry.attributes.delete(name);
      else
        entry.attributes.set(
          name,
          current.filter((v) => !m.values!.includes(v)),
        );
      this.writes.push(`${m.operation} ${m.attribute} of ${dn}`);
    }
    this.touch(entry);
  }

  async move(dn: string, newDn: string): Promise<void> {
    const entry = this.require(dn);
    if (this.entries.has(normalizeDn(newDn)))
      throw new DirectoryError('AlreadyExists', `${newDn} already exists`, false);
    this.entries.delete(normalizeDn(dn));
    entry.dn = newDn;
    this.entries.set(normalizeDn(newDn), entry);
    this.touch(entry);
    this.writes.push(`move ${dn} to ${newDn}`);
  }

  async delete(dn: string): Promise<void> {
    this.require(dn);
    this.entries.delete(normalizeDn(dn));
    this.writes.push(`delete ${dn}`);
  }

  async highestCommittedUsn(): Promise<bigint> {
    return this.usn;
  }

  async close(): Promise<void> {}

  /** An entry's attributes (lower-cased names), or undefined. */
  read(dn: string): Record<string, string[]> | undefined {
    const entry = this.entries.get(normalizeDn(dn));
    return entry ? Object.fromEntries(entry.attributes) : undefined;
  }
}

function matches(filter: Filter, attributes: ReadonlyMap<string, readonly string[]>): boolean {
  const values = (attribute: string) => attributes.get(attribute.toLowerCase()) ?? [];
  if (filter instanceof AndFilter) return filter.filters.every((f) => matches(f, attributes));
  if (filter instanceof OrFilter) return filter.filters.some((f) => matches(f, attributes));
  if (filter instanceof NotFilter) return !matches(filter.filter, attributes);
  if (filter instanceof PresenceFilter) return values(filter.attribute).length > 0;
  if (filter instanceof EqualityFilter) {
    const wanted = String(filter.value).toLowerCase();
    return values(filter.attribute).some((v) => v.toLowerCase() === wanted);
  }
  if (filter instanceof GreaterThanEqualsFilter) {
    return values(filter.attribute).some((v) =>
      /^\d+$/.test(v) && /^\d+$/.test(filter.value) ? BigInt(v) >= BigInt(filter.value) : v >= filter.value,
    );
  }
  if (filter instanceof ExtensibleFilter) return false;
  throw new Error(`InMemoryDirectory: unsupported filter ${filter.toString()}`);
}
