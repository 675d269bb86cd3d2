/**
 * The attribute-level difference between the last known desired state and the new one: what a
 * preview shows an administrator before anything reaches the directory.
 */
import { normalizeDn } from '../directory/dn';
import type { AttributeMap, AttributeValue } from '../protocol/commands';
import { deepEqual } from '../util/deep-equal';
import type { PlanningMemo } from './planning-memo';
import type { AttributeDiff, DesiredAccount, DesiredState, StateDiff } from './types';

/** `names` in order (a cycle's memo remembers the few sets of names it meets). */
function sorted(names: readonly string[], memo: PlanningMemo | undefined): readonly string[] {
  return memo ? memo.sortedNames(names) : [...names].sort();
}

function compareMaps(
  out: AttributeDiff[],
  b: AttributeMap | undefined,
  a: AttributeMap | undefined,
  apply: AttributeDiff['apply'],
  memo: PlanningMemo | undefined,
): void {
  if (b === undefined || a === undefined) {
    // A created or removed account: every value is a difference.
    const only = (b ?? a)!;
    for (const name of sorted(Object.keys(only ?? {}), memo)) {
      if (only[name] !== null) out.push({ attribute: name, before: b?.[name], after: a?.[name], apply });
    }
    return;
  }
  const names = new Set([...Object.keys(b), ...Object.keys(a)]);
  for (const name of sorted([...names], memo)) {
    const bv: AttributeValue | undefined = b?.[name];
    const av: AttributeValue | undefined = a?.[name];
    if (!deepEqual(bv ?? null, av ?? null)) out.push({ attribute: name, before: bv, after: av, apply });
  }
}

function attributeDiffs(
  before: DesiredAccount | null,
  after: DesiredAccount | null,
  memo: PlanningMemo | undefined,
): AttributeDiff[] {
  const out: AttributeDiff[] = [];
  compareMaps(out, before?.attributes.always, after?.attributes.always, 'always', memo);
  compareMaps(out, before?.attributes.onCreate, after?.attributes.onCreate, 'on-create', memo);
  return out;
}

function dnKey(dn: string): string {
  try {
    return normalizeDn(dn);
  } catch {
    return dn.toLowerCase();
  }
}

/** Differences from `before` (null: nothing known) to `after`; `memo`, when given, sorts attribute names for the cycle. */
export function diffStates(before: DesiredState | null, after: DesiredState, memo?: PlanningMemo): StateDiff {
  const b = before?.account ?? null;
  const a = after.account;
  const diff: { -readonly [K in keyof StateDiff]: StateDiff[K] } = { attributes: attributeDiffs(b, a, memo) };
  if (before?.phase !== after.phase) diff.phase = { before: before?.phase ?? null, after: after.phase };
  if ((b === null) !== (a === null)) diff.account = { before: b !== null, after: a !== null };
  if ((b?.parentOu ?? null) !== (a?.parentOu ?? null))
    diff.parentOu = { before: b?.parentOu ?? null, after: a?.parentOu ?? null };
  if ((b?.enabled ?? null) !== (a?.enabled ?? null))
    diff.enabled = { before: b?.enabled ?? null, after: a?.enabled ?? null };
  if (!deepEqual(b?.manager, a?.manager)) diff.manager = { before: b?.manager, after: a?.manager };
  const bg = new Map((b?.groups ?? []).map((g) => [dnKey(g), g]));
  const ag = new Map((a?.groups ?? []).map((g) => [dnKey(g), g]));
  const added = [...ag].filter(([k]) => !bg.has(k)).map(([, g]) => g);
  const removed = [...bg].filter(([k]) => !ag.has(k)).map(([, g]) => g);
  if (added.length || removed.length) diff.groups = { added, removed };
  if (b && a && !deepEqual(b.match, a.match)) diff.match = { before: b.match, after: a.match };
  return diff;
}

/** True when the diff has nothing in it. */
export function isEmptyDiff(diff: StateDiff): boolean {
  return Object.keys(diff).length === 1 && diff.attributes.length === 0;
}
