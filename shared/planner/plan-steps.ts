/**
 * From a timeline of desired states to a plan: the draft steps (the state due now first, then each
 * transition), and the plan with ids, sequence numbers and envelopes once the steps are fixed.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import type { MatchKey } from '../protocol/commands';
import { deepEqual } from '../util/deep-equal';
import { hash128 } from '../util/hash';
import { deleteStep, disableStep, enableStep, upsertStep, withEnvelope, type DraftStep } from './plan-commands';
import type { PlanningMemo } from './planning-memo';
import type { Timeline } from './timeline-states';
import type { DesiredAccount, LastKnownState, Plan, PlanStep, PlanStepRecord } from './types';

const HOUR = 3_600_000;

/** Disabling: the disable itself, then (when configured) taking the account out of managed groups. */
function pushDisable(
  drafts: DraftStep[],
  at: number,
  purpose: DraftStep['purpose'],
  account: DesiredAccount,
  c: StepContext,
) {
  drafts.push(disableStep(at, purpose, account.match, c.moveTo));
  if (c.removeGroups) drafts.push(upsertStep(at, 'remove-groups', account, c.config, c.memo));
}

/** What every step of one worker's plan is built with. */
interface StepContext {
  readonly config: CompiledMappingConfig;
  readonly memo: PlanningMemo;
  /** The disabled-users OU, when leavers are moved there. */
  readonly moveTo: string | undefined;
  /** Disabling also takes the account out of the managed groups. */
  readonly removeGroups: boolean;
}

function sameExceptEnabled(a: DesiredAccount, b: DesiredAccount): boolean {
  return deepEqual({ ...a, enabled: b.enabled }, b);
}

/** Turns the timeline into draft steps: the state due now first, then each transition. */
export function stepsOf(
  timeline: Timeline,
  existsNow: boolean,
  currentMatch: readonly MatchKey[],
  config: CompiledMappingConfig,
  nowMs: number,
  memo: PlanningMemo,
): DraftStep[] {
  const { points, states } = timeline;
  const leaver = config.document.leaver;
  const moveTo = leaver.moveToDisabledOu ? config.disabledOu : undefined;
  const removeGroups = leaver.removeFromGroups && config.managedGroups.length > 0;
  const c: StepContext = { config, memo, moveTo, removeGroups };
  const drafts: DraftStep[] = [];

  const disableOutOfScope = config.document.scoping.outOfScope === 'disable';
  const first = states[0]!;
  if (first.phase === 'unmanaged') {
    if (first.account && disableOutOfScope)
      drafts.push(disableStep(nowMs, 'out-of-scope', first.account.match, moveTo));
  } else if (first.account) {
    if (first.phase === 'pre-hire' || first.phase === 'active')
      drafts.push(upsertStep(nowMs, existsNow ? 'sync' : 'create', first.account, config, memo));
    else pushDisable(drafts, nowMs, first.phase === 'rescinded' ? 'rescind' : 'sync', first.account, c);
  } else if (existsNow && (first.phase === 'deleted' || first.phase === 'rescinded')) {
    if (currentMatch.length)
      drafts.push(
        deleteStep(nowMs, first.phase === 'rescinded' ? 'rescind' : 'delete-after-termination', currentMatch),
      );
  }

  for (let i = 1; i < states.length; i++) {
    const a = states[i - 1]!;
    const b = states[i]!;
    const at = points[i]!;
    if (a === b || deepEqual(a, b)) continue;
    if (b.phase === 'unmanaged') {
      if (b.account && disableOutOfScope && a.account?.enabled)
        drafts.push(disableStep(at, 'out-of-scope', b.account.match, moveTo));
      continue;
    }
    if (!a.account && b.account) drafts.push(upsertStep(at, 'create', b.account, config, memo));
    else if (a.account && !b.account) drafts.push(deleteStep(at, 'delete-after-termination', a.account.match));
    else if (a.account && b.account) {
      if (b.phase === 'terminated' && a.phase !== 'terminated')
        pushDisable(drafts, at, 'disable-at-termination', b.account, c);
      else if (a.phase === 'pre-hire' && b.phase === 'active' && sameExceptEnabled(a.account, b.account))
        drafts.push(enableStep(at, 'enable-at-start', b.account.match, b.account.parentOu));
      else
        drafts.push(
          upsertStep(
            at,
            a.phase === 'pre-hire' && b.phase === 'active' ? 'enable-at-start' : 'effective-change',
            b.account,
            config,
            memo,
          ),
        );
    }
  }
  return drafts;
}

export function buildPlan(
  workerKey: string,
  drafts: readonly DraftStep[],
  previous: LastKnownState | undefined,
  pending: readonly PlanStepRecord[],
  now: Date,
  lifetimeHours: number,
  memo: PlanningMemo,
): Plan {
  const nowMs = now.getTime();
  const supersedes = previous?.plan?.planId ?? null;
  const base = previous?.sequence ?? 0;
  // Immediate steps hash as "now", so the same plan made again later (e.g. after approval) keeps its id.
  let content = `${workerKey}\n${supersedes ?? ''}\n${base}`;
  for (const d of drafts) content += `\n${d.dueMs <= nowMs ? 'now' : memo.iso(d.dueMs)} ${d.purpose} ${d.fingerprint}`;
  const planId = `plan-${hash128(content)}`;
  const lifetime = lifetimeHours * HOUR;
  const steps: PlanStep[] = drafts.map((d, index) => {
    const dueMs = Math.max(d.dueMs, nowMs);
    const command = withEnvelope(d.intent, {
      commandId: `${planId}.${index}`,
      workerKey,
      sequence: base + 1 + index,
      issuedAt: memo.iso(dueMs),
      expiresAt: memo.iso(dueMs + lifetime),
    });
    return {
      index,
      dueAt: memo.iso(dueMs),
      immediate: d.dueMs <= nowMs,
      purpose: d.purpose,
      command,
      fingerprint: d.fingerprint,
    };
  });
  return {
    planId,
    workerKey,
    createdAt: now.toISOString(),
    supersedes,
    cancels: pending.map((s) => s.commandId),
    steps,
  };
}
