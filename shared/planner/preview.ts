/**
 * Preview (dry run): a cycle's plans shown before anything reaches the directory, per worker the
 * classification, the plan and the attribute-level differences from the last known state. The JSON
 * form is the data itself; the text form is rendered from it by a pure function.
 */
import type { AttributeValue, DirectoryCommandInput, MatchKey } from '../protocol/commands';
import { planCycle, type CycleHold, type CycleInput, type QuarantinedRecord } from './plan-cycle';
import type { Classification, Plan, PlanOutcome, StateDiff } from './types';
import type { WorkerIssue } from '../worker/validate-worker';

export interface PreviewWorker {
  readonly workerKey: string;
  readonly classification: Classification;
  readonly details: readonly string[];
  readonly outcome: PlanOutcome;
  readonly plan: Plan | null;
  readonly diff: StateDiff;
  readonly issues: readonly WorkerIssue[];
  readonly reusesAccountOf?: string;
}

export interface PreviewReport {
  readonly kind: 'hr2ad-preview';
  readonly generatedAt: string;
  readonly configFingerprint: string;
  readonly summary: Readonly<Record<Classification, number>>;
  readonly hold: CycleHold;
  readonly quarantined: readonly QuarantinedRecord[];
  readonly missing: readonly string[];
  readonly workers: readonly PreviewWorker[];
}

export interface PreviewInput extends CycleInput {
  /** Leave unchanged workers out of `workers` (default false: every worker is listed). */
  readonly changesOnly?: boolean;
}

/** Plans the snapshot without storing or sending anything, and reports what would happen. */
export function previewCycle(input: PreviewInput): PreviewReport {
  const cycle = planCycle(input);
  const workers = cycle.results
    .filter((r) => !input.changesOnly || r.outcome !== 'unchanged')
    .map((r) => ({
      workerKey: r.workerKey,
      classification: r.classification,
      details: r.details,
      outcome: r.outcome,
      plan: r.plan,
      diff: r.diff,
      issues: r.issues,
      ...(r.reusesAccountOf ? { reusesAccountOf: r.reusesAccountOf } : {}),
    }));
  return {
    kind: 'hr2ad-preview',
    generatedAt: cycle.now,
    configFingerprint: input.config.fingerprint,
    summary: cycle.summary,
    hold: cycle.hold,
    quarantined: cycle.quarantined,
    missing: cycle.missing,
    workers,
  };
}

function show(value: AttributeValue | undefined): string {
  if (value === undefined) return '(not set)';
  if (value === null) return '(empty)';
  return Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]` : JSON.stringify(value);
}

function showKey(key: MatchKey | null | undefined): string {
  if (key === undefined) return '(not managed)';
  return key === null ? '(none)' : `${key.attribute}=${key.value}`;
}

function describeCommand(command: DirectoryCommandInput): string {
  switch (command.kind) {
    case 'UpsertAccount':
      return `UpsertAccount ${command.enabled ? 'enabled' : 'disabled'} in ${command.parentOu}`;
    case 'DisableAccount':
      return `DisableAccount${command.moveTo ? ` and move to ${command.moveTo}` : ''}`;
    case 'EnableAccount':
      return `EnableAccount${command.moveTo ? ` in ${command.moveTo}` : ''}`;
    case 'DeleteAccount':
      return 'DeleteAccount';
    case 'LookupAccount':
      return 'LookupAccount';
  }
}

function diffLines(diff: StateDiff): string[] {
  const lines: string[] = [];
  if (diff.phase) lines.push(`lifecycle: ${diff.phase.before ?? '(new)'} → ${diff.phase.after}`);
  if (diff.account)
    lines.push(`account: ${diff.account.before ? 'exists' : 'none'} → ${diff.account.after ? 'exists' : 'none'}`);
  if (diff.parentOu) lines.push(`OU: ${diff.parentOu.before ?? '(none)'} → ${diff.parentOu.after ?? '(none)'}`);
  if (diff.enabled)
    lines.push(`enabled: ${String(diff.enabled.before ?? '(none)')} → ${String(diff.enabled.after ?? '(none)')}`);
  if (diff.manager) lines.push(`manager: ${showKey(diff.manager.before)} → ${showKey(diff.manager.after)}`);
  if (diff.groups) {
    for (const g of diff.groups.added) lines.push(`group + ${g}`);
    for (const g of diff.groups.removed) lines.push(`group - ${g}`);
  }
  if (diff.match)
    lines.push(`match: ${diff.match.before.map(showKey).join(', ')} → ${diff.match.after.map(showKey).join(', ')}`);
  for (const a of diff.attributes) {
    lines.push(
      `${a.attribute}: ${show(a.before)} → ${show(a.after)}${a.apply === 'on-create' ? '  (on create only)' : ''}`,
    );
  }
  return lines;
}

/** The report as readable text: a summary, then one block per worker with something to say. */
export function renderPreviewText(report: PreviewReport): string {
  const out: string[] = [];
  const counts = Object.entries(report.summary)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  out.push(`hr2ad preview at ${report.generatedAt} (configuration ${report.configFingerprint.slice(0, 12)})`);
  out.push(`workers: ${counts || 'none'}`);
  if (report.hold.held)
    out.push(`HOLD: ${report.hold.reason} — ${report.hold.heldPlanIds.length} plan(s) await approval`);
  if (report.quarantined.length) out.push(`quarantined: ${report.quarantined.length}`);
  if (report.missing.length)
    out.push(`known to hr2ad but not in this snapshot (left alone): ${report.missing.join(', ')}`);
  for (const w of report.workers) {
    if (w.outcome === 'unchanged' && w.issues.length === 0 && w.details.length === 0) continue;
    out.push('');
    out.push(
      `${w.workerKey}: ${w.classification}${w.details.length ? ` (${w.details.join(', ')})` : ''} — ${w.outcome}${w.reusesAccountOf ? `, reuses the account of ${w.reusesAccountOf}` : ''}`,
    );
    for (const issue of w.issues) out.push(`  ! ${issue.path}: ${issue.message}`);
    for (const line of diffLines(w.diff)) out.push(`  ${line}`);
    if (w.plan) {
      if (w.plan.supersedes)
        out.push(
          `  supersedes ${w.plan.supersedes}${w.plan.cancels.length ? ` (cancels ${w.plan.cancels.length} pending step(s))` : ''}`,
        );
      for (const step of w.plan.steps)
        out.push(
          `  ${step.index + 1}. ${step.immediate ? 'now' : step.dueAt}  ${describeCommand(step.command)}  [${step.purpose}]`,
        );
    }
  }
  return `${out.join('\n')}\n`;
}
