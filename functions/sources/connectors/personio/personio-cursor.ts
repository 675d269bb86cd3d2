/**
 * The Personio source's cursor, made of Personio's data only (never the clock), so two reads with the same
 * `since` and no change in between give the same cursor:
 *
 *     v1;<newest last_modified_at, ISO 8601 UTC, or "-">;<the employee ids listed, as sorted ranges>
 *
 * e.g. `v1;2026-05-31T16:02:11Z;1-250,252,260-300`. The stamp is the next delta's `updated_since`. The
 * ids are what the deletion diff compares against: Personio's list has no tombstones, so an employee
 * deleted in Personio is found only as an id the cursor holds that the full list no longer has. Keeping
 * them in the cursor makes the diff hold across restarts and hosts. Personio's ids are integers handed
 * out in sequence, so ranges keep the cursor short (10,000 employees hired in turn are `1-10000`).
 */
export interface PersonioCursor {
  /** The newest `last_modified_at` seen (epoch ms, whole seconds), or null when none was readable. */
  readonly stamp: number | null;
  /** The employee ids Personio listed, ascending, deduplicated. */
  readonly ids: readonly number[];
}

const PREFIX = 'v1';

export function encodeCursor(cursor: PersonioCursor): string {
  const stamp = cursor.stamp === null ? '-' : new Date(cursor.stamp).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `${PREFIX};${stamp};${rangesOf(cursor.ids)}`;
}

/** The cursor `text` holds, or null when it is not a Personio cursor (then the read is a full one). */
export function decodeCursor(text: string): PersonioCursor | null {
  const [prefix, stampText, rangesText, ...rest] = text.split(';');
  if (prefix !== PREFIX || stampText === undefined || rangesText === undefined || rest.length > 0) return null;
  const stamp = stampText === '-' ? null : Date.parse(stampText);
  if (stamp !== null && Number.isNaN(stamp)) return null;
  const ids = idsOf(rangesText);
  return ids === null ? null : { stamp, ids };
}

/** `[1,2,3,5]` → `1-3,5`. */
function rangesOf(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function idsOf(text: string): number[] | null {
  if (text === '') return [];
  const ids: number[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) return null;
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (to < from) return null;
    for (let id = from; id <= to; id++) ids.push(id);
  }
  return ids;
}
