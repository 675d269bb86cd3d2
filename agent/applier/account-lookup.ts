import { formatDn, normalizeDn, type Dn } from '../../shared/directory/dn';
import type { MatchKey } from '../../shared/protocol';
import { guidBase } from '../directory/ad-binary';
import type { Directory, DirectoryEntry } from '../directory/directory.port';
import { and, eq, isUserAccount } from '../directory/ldap-filter';
import { ApplyFailure } from './apply-failure';
import { lower, type AttributeValues } from './attribute-values';
import { MatchIndex } from './match-index';

/** What the applier reads of every matched account. */
export const ACCOUNT_ATTRIBUTES = [
  'objectGUID',
  'objectSid',
  'cn',
  'sAMAccountName',
  'userPrincipalName',
  'mail',
  'userAccountControl',
  'adminCount',
  'manager',
  'memberOf',
  'pwdLastSet',
  'displayName',
];

/**
 * Finds accounts by match key: by LDAP search for attributes AD indexes, through the agent's own
 * `MatchIndex` for the ones it does not (employeeID), verifying every index hit by reading it by GUID.
 */
export class AccountLookup {
  private readonly index: MatchIndex;

  constructor(
    private readonly directory: Directory,
    private readonly matchScope: readonly string[],
    indexedAttributes: readonly string[],
  ) {
    this.index = new MatchIndex(directory, matchScope, new Set(indexedAttributes.map(lower)));
  }

  private async readByGuid(guid: string, attributes: readonly string[]): Promise<DirectoryEntry | undefined> {
    const [entry] = await this.directory.search({
      base: guidBase(guid),
      scope: 'base',
      filter: '(objectClass=*)',
      attributes,
    });
    return entry;
  }

  private inScope(dn: string): boolean {
    return this.matchScope.some((base) => normalizeDn(dn).endsWith(normalizeDn(base)));
  }

  /** Accounts holding this key, read with `wanted` (and the key's attribute). */
  async findByKey(key: MatchKey, wanted: readonly string[]): Promise<DirectoryEntry[]> {
    const attributes = wanted.includes(key.attribute) ? wanted : [...wanted, key.attribute];
    const found: DirectoryEntry[] = [];
    if (!this.index.covers(key.attribute)) {
      for (const base of this.matchScope) {
        found.push(
          ...(await this.directory.search({
            base,
            scope: 'sub',
            filter: and(isUserAccount, eq(key.attribute, key.value)),
            attributes,
          })),
        );
      }
      return found;
    }
    await this.index.refresh();
    for (const guid of this.index.lookup(key.attribute, key.value)) {
      const entry = await this.readByGuid(guid, attributes);
      const current = entry?.attributes[lower(key.attribute)]?.[0];
      if (!entry || !this.inScope(entry.dn) || current === undefined || lower(current) !== lower(key.value)) {
        // Deleted or moved out of scope since indexed: AD's uSNChanged search does not show either.
        this.index.forget(guid);
        continue;
      }
      found.push(entry);
    }
    return found;
  }

  /** The account the keys designate: the first key that finds anything decides; two finds are refused. */
  async match(keys: readonly MatchKey[], extra: readonly string[]): Promise<DirectoryEntry | undefined> {
    const attributes = [...new Set([...ACCOUNT_ATTRIBUTES, ...keys.map((k) => k.attribute), ...extra])];
    for (const [i, key] of keys.entries()) {
      const found = await this.findByKey(key, attributes);
      if (found.length > 1) {
        throw new ApplyFailure(
          'AmbiguousMatch',
          `match[${i}] ${key.attribute}=${key.value} matches ${found.length} accounts: ${found.map((e) => e.dn).join('; ')}`,
          `match[${i}]`,
        );
      }
      if (found.length === 1) return found[0];
    }
    return undefined;
  }

  /** Records what the applier just wrote, so the next command sees it without a sweep. */
  record(guid: string, dn: string, attributes: AttributeValues): void {
    this.index.record(guid, dn, (a) => attributes[a]?.[0]);
  }

  forget(guid: string): void {
    this.index.forget(guid);
  }
}

/** Refuses a target (parent OU, move target) that does not exist, naming the command field. */
export async function requireEntry(directory: Directory, dn: Dn, field: string): Promise<void> {
  const [entry] = await directory.search({
    base: formatDn(dn),
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: ['objectClass'],
  });
  if (!entry) throw new ApplyFailure('ParentNotFound', `${field}: ${formatDn(dn)} does not exist`, field);
}
