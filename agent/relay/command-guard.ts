/**
 * The agent's gate for every message from the command queue: it decides, before anything touches the
 * directory, whether a message is a command the control plane signed, for the session it arrived on,
 * not finished already and not older than what was applied for its worker. The checks run in that order,
 * each on what the one before established (a payload is parsed only once its signature holds).
 *
 * Expiry is not checked here: the applier refuses an expired command (Expired) with a result the control
 * plane acts on. Refusals are counted by the caller (journal.recordRefusal) when it settles the message.
 * Reasons name fields, ids and keys, never the payload.
 */
import { decodeCommand } from '../../shared/protocol/codec';
import type { DirectoryCommand } from '../../shared/protocol/commands';
import { isRetryable, type ErrorCode } from '../../shared/protocol/error-codes';
import type { CommandResult, FailedResult } from '../../shared/protocol/results';
import { signedCommandEnvelope, type SignedCommandEnvelope } from '../../shared/protocol/signed-command';
import { issuesFromZod } from '../../shared/util/result';
import type { CommandJournal } from './command-journal';
import type { SignatureVerifier } from './signature-verifier';

export type GuardVerdict =
  /** Verified, decoded, new and in order: apply it. */
  | { readonly kind: 'apply'; readonly command: DirectoryCommand }
  /** Already finished: publish the kept result again, apply nothing. */
  | { readonly kind: 'duplicate'; readonly result: CommandResult }
  /** Signed and decoded, but refused: publish `result` (the command's identity is trusted). */
  | { readonly kind: 'refuse'; readonly result: FailedResult; readonly reason: string }
  /** Nothing in it can be trusted: report it as a refusal, never on an orchestration. */
  | {
      readonly kind: 'untrusted';
      readonly code: 'SignatureInvalid' | 'ProtocolError' | 'UnsupportedVersion';
      readonly reason: string;
    };

export interface CommandGuardDeps {
  readonly verifier: SignatureVerifier;
  readonly journal: Pick<CommandJournal, 'completed' | 'lastSequence'>;
}

function parseEnvelope(body: unknown): SignedCommandEnvelope | { readonly reason: string } {
  let value = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8')) as unknown;
    } catch {
      return { reason: 'unsigned command: the message is not JSON' };
    }
  }
  const parsed = signedCommandEnvelope.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(issuesFromZod(parsed.error).map((issue) => issue.path))].join(', ');
  return { reason: `unsigned command: not a signed command envelope (${fields})` };
}

function refusal(command: DirectoryCommand, code: ErrorCode, message: string, field: string): GuardVerdict {
  const result: FailedResult = {
    kind: 'Failed',
    commandId: command.commandId,
    workerKey: command.workerKey,
    sequence: command.sequence,
    code,
    retryable: isRetryable(code),
    message,
    field,
  };
  return { kind: 'refuse', result, reason: message };
}

export class CommandGuard {
  constructor(private readonly deps: CommandGuardDeps) {}

  check(body: unknown, sessionId: string): GuardVerdict {
    const envelope = parseEnvelope(body);
    if ('reason' in envelope) return { kind: 'untrusted', code: 'SignatureInvalid', reason: envelope.reason };
    const verified = this.deps.verifier.verify(envelope);
    if (!verified.ok) return { kind: 'untrusted', code: 'SignatureInvalid', reason: verified.reason };
    const decoded = decodeCommand(envelope.payload);
    if (!decoded.ok) return { kind: 'untrusted', code: decoded.code, reason: decoded.message };
    return this.admit(decoded.value, sessionId);
  }

  /** The checks on a trusted command: its session, whether it is done, and its order. */
  private admit(command: DirectoryCommand, sessionId: string): GuardVerdict {
    if (command.workerKey !== sessionId)
      return refusal(
        command,
        'ProtocolError',
        `command ${command.commandId}: workerKey ${command.workerKey} is not the session it arrived on (${sessionId})`,
        'workerKey',
      );
    const kept = this.deps.journal.completed(command.commandId);
    if (kept) return { kind: 'duplicate', result: kept };
    const last = this.deps.journal.lastSequence(command.workerKey);
    if (last !== undefined && command.sequence < last)
      return refusal(
        command,
        'OutOfOrder',
        `command ${command.commandId}: sequence ${command.sequence} is older than ${last}, the last applied for this worker`,
        'sequence',
      );
    return { kind: 'apply', command };
  }
}
