import { normalizeDn } from '../../shared/directory/dn';
import type { UpsertAccount } from '../../shared/protocol';
import type { Directory } from '../directory/directory.port';
import type { AccountSafety } from './account-safety';
import type { Values } from './attribute-values';

/** The managed groups of a command, each checked (allowed, existing, not privileged), and the desired ones. */
export interface CheckedGroups {
  managed: readonly string[];
  desired: readonly string[];
}

/** Checks every managed group before the first write, so a refused command leaves the account untouched. */
export async function checkGroups(command: UpsertAccount, safety: AccountSafety): Promise<CheckedGroups | undefined> {
  if (!command.groups) return undefined;
  for (const [i, dn] of command.groups.managed.entries())
    await safety.requireManageableGroup(dn, `groups.managed[${i}]`);
  return { managed: command.groups.managed, desired: command.groups.memberOf };
}

/**
 * Membership changes on the groups' `member`, only within the managed set: removals first (groups managed
 * but no longer desired), then additions. Returns the groups changed.
 */
export async function syncGroups(
  directory: Directory,
  dn: string,
  currentMemberOf: Values,
  groups: CheckedGroups | undefined,
): Promise<{ groupsAdded: string[]; groupsRemoved: string[] }> {
  if (!groups) return { groupsAdded: [], groupsRemoved: [] };
  const current = new Set(currentMemberOf.map((g) => normalizeDn(g)));
  const desired = new Set(groups.desired.map((g) => normalizeDn(g)));
  const managed = new Set(groups.managed.map((g) => normalizeDn(g)));
  const groupsRemoved: string[] = [];
  for (const group of currentMemberOf) {
    const key = normalizeDn(group);
    if (!managed.has(key) || desired.has(key)) continue;
    await directory.modify(group, [{ operation: 'delete', attribute: 'member', values: [dn] }]);
    groupsRemoved.push(group);
  }
  const groupsAdded: string[] = [];
  for (const group of groups.desired) {
    if (current.has(normalizeDn(group))) continue;
    await directory.modify(group, [{ operation: 'add', attribute: 'member', values: [dn] }]);
    groupsAdded.push(group);
  }
  return { groupsAdded, groupsRemoved };
}
