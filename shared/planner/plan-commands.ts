/**
 * Plan steps become protocol commands here: the intent (what the account should look like, or what to
 * do to it) is built first and fingerprinted without the envelope, so two plans asking for the same
 * thing can be recognised; the envelope (ids, sequence, times) is added once the plan is fixed.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import { protocolVersionFor, type DirectoryCommandInput, type MatchKey } from '../protocol/commands';
import { hash128 } from '../util/hash';
import type { PlanningMemo } from './planning-memo';
import type { CommandIntent, DesiredAccount, StepPurpose } from './types';

export type { CommandIntent };

/** A step before the plan is fixed. */
export interface DraftStep {
  readonly dueMs: number;
  readonly purpose: StepPurpose;
  readonly intent: CommandIntent;
  readonly fingerprint: string;
}

/**
 * The intent's content hash. Intents are built by this module in a fixed key order (attribute maps in
 * configuration order), so plain JSON text is already canonical for them and cheaper than sorting.
 */
export function fingerprintOf(intent: CommandIntent): string {
  return hash128(JSON.stringify(intent));
}

function draft(dueMs: number, purpose: StepPurpose, intent: CommandIntent): DraftStep {
  return { dueMs, purpose, intent, fingerprint: fingerprintOf(intent) };
}

export function upsertStep(
  dueMs: number,
  purpose: StepPurpose,
  account: DesiredAccount,
  config: CompiledMappingConfig,
  memo: PlanningMemo,
): DraftStep {
  // Equal states share one account object, so the intent is built and hashed once per object.
  const known = memo.upsertIntents.get(account);
  if (known) return { dueMs, purpose, intent: known.intent, fingerprint: known.fingerprint };
  const joiner = config.document.joiner;
  const intent: CommandIntent = {
    kind: 'UpsertAccount',
    match: [...account.match],
    parentOu: account.parentOu,
    attributes: account.attributes,
    unique: account.unique,
    enabled: account.enabled,
    password: {
      kind: 'generated',
      length: joiner.passwordLength,
      mustChangeAtNextLogon: joiner.mustChangePasswordAtFirstLogon,
    },
    ...(account.manager !== undefined ? { manager: account.manager } : {}),
    ...(config.managedGroups.length
      ? { groups: { managed: [...config.managedGroups], memberOf: [...account.groups] } }
      : {}),
  };
  const step = draft(dueMs, purpose, intent);
  memo.upsertIntents.set(account, { intent, fingerprint: step.fingerprint });
  return step;
}

export function disableStep(
  dueMs: number,
  purpose: StepPurpose,
  match: readonly MatchKey[],
  moveTo: string | undefined,
): DraftStep {
  return draft(dueMs, purpose, { kind: 'DisableAccount', match: [...match], ...(moveTo ? { moveTo } : {}) });
}

export function enableStep(dueMs: number, purpose: StepPurpose, match: readonly MatchKey[], moveTo: string): DraftStep {
  return draft(dueMs, purpose, { kind: 'EnableAccount', match: [...match], moveTo });
}

export function deleteStep(dueMs: number, purpose: StepPurpose, match: readonly MatchKey[]): DraftStep {
  return draft(dueMs, purpose, { kind: 'DeleteAccount', match: [...match] });
}

/** Adds the envelope. */
export function withEnvelope(
  intent: CommandIntent,
  envelope: { commandId: string; workerKey: string; sequence: number; issuedAt: string; expiresAt: string },
): DirectoryCommandInput {
  // The lowest version that expresses the command, so agents that speak only protocol 1 keep working.
  return { protocol: protocolVersionFor(intent), ...envelope, ...intent } as DirectoryCommandInput;
}

/** True for the commands the cycle thresholds count. */
export function isDestructive(kind: DirectoryCommandInput['kind']): boolean {
  return kind === 'DisableAccount' || kind === 'DeleteAccount';
}
