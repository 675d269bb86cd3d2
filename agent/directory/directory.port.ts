import type { ErrorCode } from '../../shared/protocol';

/**
 * What the applier needs from a directory. The LDAP adapter implements it over ldapts; tests may wrap
 * it to inject faults. Attribute names in entries are lower-cased; values are strings (binary
 * attributes the applier needs — objectGUID, objectSid, tokenGroups — are decoded to their string forms).
 */
export interface DirectoryEntry {
  dn: string;
  /** Lower-cased attribute name → values (a single-valued attribute is a one-element list). */
  attributes: Readonly<Record<string, readonly string[]>>;
}

export type SearchScope = 'base' | 'one' | 'sub';

export interface SearchRequest {
  base: string;
  scope: SearchScope;
  /** An RFC 4515 filter built with escaping (see `ldap-filter.ts`). */
  filter: string;
  attributes: readonly string[];
  /** Return at most this many entries (0: no limit; paging is used). */
  sizeLimit?: number;
}

export type Modification =
  | { operation: 'replace'; attribute: string; values: readonly string[] }
  | { operation: 'add'; attribute: string; values: readonly string[] }
  | { operation: 'delete'; attribute: string; values?: readonly string[] }
  /** unicodePwd replace: the adapter encodes it as quoted UTF-16LE and never logs it. */
  | { operation: 'setPassword'; password: string };

export interface Directory {
  /** Entries matching; a base search of a missing object returns an empty list, not an error. */
  search(request: SearchRequest): Promise<DirectoryEntry[]>;
  add(dn: string, attributes: Readonly<Record<string, readonly string[]>>): Promise<void>;
  modify(dn: string, modifications: readonly Modification[]): Promise<void>;
  /** Renames and/or moves: `newDn` is the full new DN. */
  move(dn: string, newDn: string): Promise<void>;
  delete(dn: string): Promise<void>;
  /** The directory's highest committed update sequence number (for incremental index refresh). */
  highestCommittedUsn(): Promise<bigint>;
  close(): Promise<void>;
}

/** A directory failure, already classified into a stable code. */
export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable: boolean,
    /** The LDAP result code, when the directory answered. */
    readonly ldapCode?: number,
    /** The server's diagnostic text (e.g. `0000202F: ...`), for finer classification. */
    readonly diagnostic?: string,
  ) {
    super(message);
  }
}
