import type { PendingItem, UpsertAccount } from '../../shared/protocol';
import type { AccountLookup } from './account-lookup';
import { ApplyFailure } from './apply-failure';

export interface ResolvedManager {
  /** The manager's DN; null clears the manager; undefined leaves it alone (absent, or not found yet). */
  dn: string | null | undefined;
  pending: PendingItem[];
}

/** Finds the manager the command names by the manager's own match key. */
export async function resolveManager(command: UpsertAccount, lookup: AccountLookup): Promise<ResolvedManager> {
  if (command.manager === undefined) return { dn: undefined, pending: [] };
  if (command.manager === null) return { dn: null, pending: [] };
  const found = await lookup.findByKey(command.manager, ['objectGUID']);
  if (found.length > 1) {
    throw new ApplyFailure(
      'AmbiguousMatch',
      `manager: ${command.manager.attribute}=${command.manager.value} matches ${found.length} accounts`,
      'manager',
    );
  }
  if (found.length === 0) {
    // Not an error: the manager may be a joiner not created yet. The result says so; a later delivery sets it.
    const { attribute, value } = command.manager;
    return { dn: undefined, pending: [{ kind: 'ManagerNotFound', attribute, value }] };
  }
  return { dn: found[0]!.dn, pending: [] };
}
