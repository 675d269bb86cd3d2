/**
 * Folding the agent's results back into the last known state: the identifiers it chose (unique values
 * on create), the account's DN and objectGUID. The planner never sees the directory; this is how what
 * the directory decided reaches the next cycle.
 */
import type { CommandResult } from '../protocol/results';
import type { AccountIdentifiers, LastKnownState } from './types';

export function recordResult(state: LastKnownState, result: CommandResult): LastKnownState {
  if (result.workerKey !== state.workerKey) return state;
  if (result.kind !== 'Applied' && result.kind !== 'NoChange') return state;
  if (result.kind === 'Applied' && result.deleted) return { ...state, identifiers: {} };
  const chosen = result.kind === 'Applied' ? result.chosen : {};
  const identifiers: AccountIdentifiers = {
    ...state.identifiers,
    ...(chosen.sAMAccountName ? { sAMAccountName: chosen.sAMAccountName } : {}),
    ...(chosen.userPrincipalName ? { userPrincipalName: chosen.userPrincipalName } : {}),
    ...(chosen.cn ? { cn: chosen.cn } : {}),
    ...(chosen.mail ? { mail: chosen.mail } : {}),
    ...(result.objectGUID ? { objectGUID: result.objectGUID } : {}),
    ...(result.dn ? { dn: result.dn } : {}),
  };
  return { ...state, identifiers };
}
