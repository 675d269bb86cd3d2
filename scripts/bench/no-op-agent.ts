/**
 * A stand-in for the agent in benchmarks of the control plane alone: it answers every command at once,
 * an UpsertAccount as "created" with its first unique-value candidates, anything else as NoChange, and
 * counts what it was sent.
 */
import { randomUUID } from 'node:crypto';
import type { CommandResult } from '../../shared/protocol/results';

export interface NoOpAgent {
  readonly apply: (command: unknown) => Promise<CommandResult>;
  readonly counts: Map<string, number>;
}

interface AnyCommand {
  kind: string;
  commandId: string;
  workerKey: string;
  sequence: number;
  parentOu?: string;
  unique?: Record<string, string[] | undefined>;
}

/** Answers at once: an UpsertAccount "created" with its first candidates, anything else NoChange. */
export function noOpAgent(): NoOpAgent {
  const counts = new Map<string, number>();
  const apply = async (payload: unknown): Promise<CommandResult> => {
    const c = payload as AnyCommand;
    counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
    const envelope = { commandId: c.commandId, workerKey: c.workerKey, sequence: c.sequence };
    if (c.kind !== 'UpsertAccount') return { kind: 'NoChange', ...envelope, pending: [] };
    const chosen: Record<string, string> = {};
    for (const [attribute, candidates] of Object.entries(c.unique ?? {}))
      if (Array.isArray(candidates) && candidates[0]) chosen[attribute] = candidates[0];
    return {
      kind: 'Applied',
      ...envelope,
      dn: `CN=${chosen.cn ?? c.workerKey},${c.parentOu}`,
      objectGUID: randomUUID(),
      created: true,
      deleted: false,
      changes: [],
      chosen,
      groupsAdded: [],
      groupsRemoved: [],
      pending: [],
    };
  };
  return { apply, counts };
}
