/**
 * The lifecycle orchestration's activities: send a command through the channel, and record what came of
 * it — the outcome, an audit entry (HR change → plan → command → result, with before/after), and the
 * account link the next cycle plans against. Recording twice (a replayed activity) stores once.
 */
import type { DirectoryCommandInput } from '../../shared/protocol/commands';
import type { CommandResult } from '../../shared/protocol/results';
import type { AuditEntry, CommandOutcome } from '../../shared/ports/state-store.port';
import type { ControlPlanePorts } from '../app/control-plane-ports';
import type { StepOutcome } from '../orchestrations/lifecycle.orchestrator';
import { linkAfter } from './account-links';

export interface CommandActivities {
  sendCommand(command: DirectoryCommandInput): Promise<void>;
  recordOutcome(outcome: StepOutcome): Promise<void>;
}

export function createCommandActivities(ports: ControlPlanePorts): CommandActivities {
  const { stateStore: store } = ports;
  return {
    async sendCommand(command) {
      await ports.channel.send(stampedAtSend(command, ports.clock.now(), ports.commandLifetimeHours));
    },
    async recordOutcome({ workerKey, step, attempts, result }) {
      const at = ports.clock.now().toISOString();
      const outcome: CommandOutcome = {
        commandId: step.command.commandId,
        workerKey,
        planId: step.planId,
        sequence: step.command.sequence,
        kind: step.command.kind,
        at,
        attempts,
        result,
        status: outcomeStatus(result),
      };
      await store.recordOutcome(outcome);
      const entry: AuditEntry = {
        commandId: outcome.commandId,
        workerKey,
        at,
        action: step.command.kind,
        effect: auditEffect(step.command, result),
        cause: step.cause,
        planId: step.planId,
        command: step.command,
        result,
      };
      // A delivery repeated while the manager is missing is audited only when it changed something.
      if (step.redelivery === undefined || entry.effect !== 'no-change') await store.appendAudit(entry);
      const link = result && linkAfter(await store.getLink(workerKey), result, at);
      if (link) await store.putLink(link);
      logOutcome(ports, outcome, entry.effect);
    },
  };
}

/**
 * The command as sent now: `issuedAt` is when it leaves the control plane and `expiresAt` a lifetime
 * later, so a step that runs late (the control plane was down on its date) still applies — a leaver's
 * disable above all — while a copy that lingers in transit still expires. The planner's envelope said
 * when the step was due; the audit keeps that.
 */
export function stampedAtSend(command: DirectoryCommandInput, now: Date, lifetimeHours: number): DirectoryCommandInput {
  const expiresAt = new Date(now.getTime() + lifetimeHours * 3_600_000);
  return { ...command, issuedAt: now.toISOString(), expiresAt: expiresAt.toISOString() };
}

export function outcomeStatus(result: CommandResult | null): CommandOutcome['status'] {
  if (!result) return 'timed-out';
  switch (result.kind) {
    case 'Applied':
      return 'applied';
    case 'NoChange':
      return 'unchanged';
    case 'Failed':
      return 'failed';
    case 'LookedUp':
      return 'looked-up';
  }
}

/** What the command did, in the audit's words. */
export function auditEffect(command: DirectoryCommandInput, result: CommandResult | null): string {
  if (!result) return 'timed-out';
  if (result.kind !== 'Applied') return { NoChange: 'no-change', Failed: 'failed', LookedUp: 'looked-up' }[result.kind];
  if (result.created) return 'created';
  if (result.deleted) return 'deleted';
  if (command.kind === 'DisableAccount') return 'disabled';
  if (command.kind === 'EnableAccount') return 'enabled';
  return result.moved ? 'moved' : 'updated';
}

function logOutcome(ports: ControlPlanePorts, outcome: CommandOutcome, effect: string): void {
  const fields = { workerKey: outcome.workerKey, commandId: outcome.commandId, kind: outcome.kind, effect };
  if (outcome.status === 'failed' || outcome.status === 'timed-out') {
    const code = outcome.result?.kind === 'Failed' ? outcome.result.code : null;
    ports.logger.warn('command did not apply', { ...fields, code, attempts: outcome.attempts });
  } else ports.logger.info('command outcome recorded', fields);
}
