/**
 * States and links together: the planner's stored state says what hr2ad asked for; the link says what
 * the agent last reported (chosen identifiers, objectGUID, DN). Results are recorded as links only, so a
 * cycle committing its states never overwrites what a result just reported: the link is laid over the
 * state whenever a state is read for planning or stored.
 */
import { recordResult } from '../../shared/planner/record-result';
import type { LastKnownState } from '../../shared/planner/types';
import type { AccountLink, StateStore } from '../../shared/ports/state-store.port';
import type { CommandResult } from '../../shared/protocol/results';

export function withLink(state: LastKnownState, link: AccountLink | null | undefined): LastKnownState {
  return link ? { ...state, identifiers: link.identifiers } : state;
}

/** Stored states with their links laid over, by worker key (two reads, whatever the number of workers). */
export async function statesWithLinks(
  store: StateStore,
  workerKeys?: readonly string[],
): Promise<Map<string, LastKnownState>> {
  const [states, links] = await Promise.all([store.getStates(workerKeys), store.getLinks(workerKeys)]);
  for (const [key, state] of states) states.set(key, withLink(state, links.get(key)));
  return states;
}

/** The link after a result: what the agent chose and where the account is, or null when it tells nothing. */
export function linkAfter(previous: AccountLink | null, result: CommandResult, at: string): AccountLink | null {
  if (result.kind !== 'Applied' && result.kind !== 'NoChange') return null;
  const base = { identifiers: previous?.identifiers ?? {} } as LastKnownState;
  const { identifiers } = recordResult({ ...base, workerKey: result.workerKey }, result);
  return {
    workerKey: result.workerKey,
    objectGUID: identifiers.objectGUID ?? previous?.objectGUID ?? '',
    dn: identifiers.dn ?? '',
    identifiers,
    updatedAt: at,
  };
}
