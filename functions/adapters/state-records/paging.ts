/**
 * Bounds and keyset paging for the state stores' lists. Audit pages continue from the last entry
 * returned (its instant and insertion sequence), not from an offset: entries appended while a reader
 * pages never shift what it has yet to see, and a late page costs what the first one does.
 */
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from '../../../shared/ports/state-store.port';

/** A list's `limit` as the port defines it: default when absent, capped, at least 1. */
export function boundedLimit(limit: number | undefined): number {
  if (limit === undefined || Number.isNaN(limit)) return DEFAULT_LIST_LIMIT;
  return Math.min(MAX_LIST_LIMIT, Math.max(1, Math.floor(limit)));
}

/** Epoch milliseconds of an ISO instant; `what` names the field when it is not one. */
export function instantMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${what}: ${JSON.stringify(iso)} is not an ISO instant`);
  return ms;
}

/** Where an audit page ended: the last entry's instant and insertion sequence. */
export interface AuditPosition {
  readonly atMs: number;
  readonly seq: number;
}

const TOKEN_PREFIX = 'a1.';

/** The opaque `next` token for a position (versioned, so a later format can refuse an old token). */
export function encodeAuditToken(position: AuditPosition): string {
  return TOKEN_PREFIX + Buffer.from(`${position.atMs}:${position.seq}`).toString('base64url');
}

/** The position a `next` token stands for; rejects a token this store did not make. */
export function decodeAuditToken(token: string): AuditPosition {
  const match = token.startsWith(TOKEN_PREFIX)
    ? /^(-?\d+):(\d+)$/.exec(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString())
    : null;
  if (!match) throw new RangeError('audit query: "after" is not a page token from this store');
  return { atMs: Number(match[1]), seq: Number(match[2]) };
}
