import type {
  AttributeChange,
  CommandResult,
  DirectoryCommand,
  FailedResult,
  PendingItem,
} from '../../shared/protocol';
import { DirectoryError } from '../directory/directory.port';
import { ApplyFailure } from './apply-failure';

/** What a command did to one account, before it becomes a result. */
export interface Outcome {
  dn: string;
  objectGUID: string;
  created: boolean;
  deleted: boolean;
  changes: AttributeChange[];
  moved?: { from: string; to: string };
  chosen: Record<string, string>;
  groupsAdded: string[];
  groupsRemoved: string[];
  pending: PendingItem[];
}

/** An outcome with nothing but the account: the base every command's outcome starts from. */
export function unchanged(dn: string, objectGUID: string): Outcome {
  return {
    dn,
    objectGUID,
    created: false,
    deleted: false,
    changes: [],
    chosen: {},
    groupsAdded: [],
    groupsRemoved: [],
    pending: [],
  };
}

type Envelope = Pick<DirectoryCommand, 'commandId' | 'workerKey' | 'sequence'>;

export function envelopeOf(command: Envelope): Envelope {
  return { commandId: command.commandId, workerKey: command.workerKey, sequence: command.sequence };
}

export function changedAnything(outcome: Outcome): boolean {
  return (
    outcome.created ||
    outcome.deleted ||
    outcome.changes.length > 0 ||
    outcome.moved !== undefined ||
    outcome.groupsAdded.length > 0 ||
    outcome.groupsRemoved.length > 0
  );
}

/** Applied when anything changed, else NoChange (with the account, when there is one). */
export function resultOf(envelope: Envelope, outcome: Outcome | undefined): CommandResult {
  if (!outcome) return { kind: 'NoChange', ...envelope, pending: [] };
  if (!changedAnything(outcome)) {
    return { kind: 'NoChange', ...envelope, dn: outcome.dn, objectGUID: outcome.objectGUID, pending: outcome.pending };
  }
  return { kind: 'Applied', ...envelope, ...outcome };
}

/** A refusal or failure as a stable code; anything unforeseen is Unexpected (not retried). */
export function asFailure(error: unknown): ApplyFailure | DirectoryError {
  return error instanceof ApplyFailure || error instanceof DirectoryError
    ? error
    : new ApplyFailure('Unexpected', `unexpected failure: ${(error as Error)?.message ?? String(error)}`);
}

export function failedResult(envelope: Envelope, failure: ApplyFailure | DirectoryError): FailedResult {
  return {
    kind: 'Failed',
    ...envelope,
    code: failure.code,
    retryable: failure.retryable,
    message: failure.message,
    ...(failure instanceof ApplyFailure && failure.field ? { field: failure.field } : {}),
  };
}

/** A payload that did not decode: the result carries what envelope fields it had. */
export function undecodableResult(
  payload: unknown,
  decoded: { code: FailedResult['code']; message: string; issues: ReadonlyArray<{ path: string }> },
): FailedResult {
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  return {
    kind: 'Failed',
    commandId: typeof p.commandId === 'string' ? p.commandId : '',
    workerKey: typeof p.workerKey === 'string' ? p.workerKey : '',
    sequence: typeof p.sequence === 'number' ? p.sequence : -1,
    code: decoded.code,
    retryable: false,
    message: decoded.message,
    ...(decoded.issues[0] ? { field: decoded.issues[0].path } : {}),
  };
}
