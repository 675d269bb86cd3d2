/**
 * What the agent does with one message from its worker's session: verify it (signature, journal,
 * order), apply it, keep its result in the journal, publish the result, and say how to settle the
 * message. The order matters for crashes: the result is journaled before it is published and published
 * before the message is completed, so a crash at any point leads to a redelivery that either applies
 * again (idempotent) or finds the journaled result and publishes it again — never a second side effect,
 * never a lost result.
 */
import type { Logger } from '../../shared/ports/logger.port';
import type { DirectoryCommand } from '../../shared/protocol/commands';
import type { CommandResult, FailedResult } from '../../shared/protocol/results';
import type { CommandGuard } from './command-guard';
import type { CommandJournal } from './command-journal';
import type { RelayCounters } from './relay-counters';
import type { ResultPublisher } from './result-publisher';

/** How the session pump settles the message once the handler is done. */
export type Settlement =
  | { readonly kind: 'complete' }
  | { readonly kind: 'abandon'; readonly afterMs: number }
  | { readonly kind: 'deadLetter'; readonly reason: string; readonly description: string };

/** The message as the handler needs it (claimed ids are for logs only; the signature decides trust). */
export interface ReceivedCommand {
  readonly body: unknown;
  readonly sessionId: string;
  readonly messageId: string;
  /** Earlier deliveries of this message (0 on the first). */
  readonly deliveryCount: number;
}

export interface CommandHandlerDeps {
  readonly agentId: string;
  readonly guard: CommandGuard;
  readonly applier: { apply(command: DirectoryCommand): Promise<CommandResult> };
  readonly journal: CommandJournal;
  readonly publisher: ResultPublisher;
  readonly counters: RelayCounters;
  readonly logger: Logger;
  readonly now: () => Date;
  /** The delivery on which a command still failing is dead-lettered. */
  readonly maxDeliveries: number;
  readonly retryBackoff: { readonly firstMs: number; readonly maxMs: number };
}

const COMPLETE: Settlement = { kind: 'complete' };

export class CommandHandler {
  constructor(private readonly deps: CommandHandlerDeps) {}

  async handle(message: ReceivedCommand): Promise<Settlement> {
    const verdict = this.deps.guard.check(message.body, message.sessionId);
    switch (verdict.kind) {
      case 'untrusted':
        return this.refuseUntrusted(message, verdict.code, verdict.reason);
      case 'duplicate':
        this.deps.logger.info('command already done: its result is published again', fieldsOf(verdict.result));
        await this.publish(verdict.result);
        return COMPLETE;
      case 'refuse':
        this.deps.counters.commandsRefused++;
        this.deps.journal.recordRefusal();
        this.deps.logger.warn('command refused', { ...fieldsOf(verdict.result), reason: verdict.reason });
        await this.publish(verdict.result);
        return COMPLETE;
      case 'apply':
        return this.apply(verdict.command, message);
    }
  }

  private async apply(command: DirectoryCommand, message: ReceivedCommand): Promise<Settlement> {
    const result = await this.deps.applier.apply(command);
    if (result.kind === 'Failed' && result.retryable) return this.retryLater(command, result, message);
    return this.finish(command, result);
  }

  private async finish(command: DirectoryCommand, result: CommandResult): Promise<Settlement> {
    this.deps.journal.record(result, command.expiresAt);
    await this.publish(result);
    this.deps.counters.commandsApplied++;
    this.deps.logger.info('command done', { ...fieldsOf(result), ...changesOf(result) });
    return COMPLETE;
  }

  /** Abandons with backoff; on the last allowed delivery, reports the command failed and dead-letters it. */
  private async retryLater(command: DirectoryCommand, result: FailedResult, message: ReceivedCommand) {
    const delivery = message.deliveryCount + 1;
    this.deps.counters.noteError(`${result.code}: ${result.message}`);
    if (delivery < this.deps.maxDeliveries) {
      const afterMs = backoffMs(this.deps.retryBackoff, delivery);
      this.deps.logger.warn('command failed for now: delivered again later', {
        ...fieldsOf(result),
        delivery,
        afterMs,
      });
      return { kind: 'abandon', afterMs } as const;
    }
    const description = `failed on ${delivery} deliveries, last ${result.code}: ${result.message}`;
    const exhausted: FailedResult = { ...result, code: 'DeliveryExhausted', retryable: false, message: description };
    await this.finish(command, exhausted);
    this.deps.counters.deadLettered++;
    return { kind: 'deadLetter', reason: 'DeliveryExhausted', description } as const;
  }

  /** Not signed by a pinned key, or not a command: reported to the control plane and kept in the dead-letter queue. */
  private async refuseUntrusted(message: ReceivedCommand, code: UntrustedCode, reason: string): Promise<Settlement> {
    this.deps.counters.commandsRefused++;
    this.deps.journal.recordRefusal();
    const claimed = { messageId: message.messageId.slice(0, 256), sessionId: message.sessionId.slice(0, 256) };
    this.deps.logger.warn('message refused', { ...claimed, code, reason });
    await this.deps.publisher.publish({
      type: 'CommandRefused',
      agentId: this.deps.agentId,
      at: this.deps.now().toISOString(),
      ...claimed,
      code,
      reason: reason.slice(0, 2000),
    });
    this.deps.counters.deadLettered++;
    return { kind: 'deadLetter', reason: code, description: reason.slice(0, 1000) };
  }

  private publish(result: CommandResult): Promise<void> {
    return this.deps.publisher.publish({ type: 'CommandResult', agentId: this.deps.agentId, result });
  }
}

type UntrustedCode = 'SignatureInvalid' | 'ProtocolError' | 'UnsupportedVersion';

/** Doubles from the first delay at the first retry, up to the cap. */
export function backoffMs(backoff: { readonly firstMs: number; readonly maxMs: number }, delivery: number): number {
  return Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, delivery - 1));
}

function fieldsOf(result: CommandResult) {
  return { workerKey: result.workerKey, commandId: result.commandId, sequence: result.sequence, outcome: result.kind };
}

/** What changed, for the log: names only, never values (a value may be personal data). */
function changesOf(result: CommandResult) {
  if (result.kind === 'Applied') {
    return {
      dn: result.dn,
      created: result.created,
      deleted: result.deleted,
      changed: result.changes.map((change) => change.attribute),
      groupsAdded: result.groupsAdded.length,
      groupsRemoved: result.groupsRemoved.length,
      ...(result.moved ? { movedFrom: result.moved.from } : {}),
    };
  }
  if (result.kind === 'Failed') return { code: result.code, field: result.field };
  return {};
}
