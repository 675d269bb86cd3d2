/**
 * Preview (dry run): a cycle's plans shown before anything reaches the directory, per worker the
 * classification, the plan and the attribute-level differences from the last known state.
 *
 * The report is data (`previewCycle`); both renderings are pure generators of chunks, one per worker
 * (plus the report's head and tail), so a caller streams them to wherever they go and a snapshot of any
 * size never becomes one string. The text form passes every line through `displayText`: a value from HR
 * cannot add a line or reorder one.
 */
import type { AttributeValue, DirectoryCommandInput, MatchKey } from '../protocol/commands';
import { displayLines } from '../util/display-text';
import { planCycle, type CycleHold, type CycleInput, type CycleResult, type QuarantinedRecord } from './plan-cycle';
import type { Classification, Plan, PlanOutcome, PlanStep, StateDiff, WorkerPlanResult } from './types';
import type { WorkerIssue } from '../worker/validate-worker';

export interface PreviewWorker {
  readonly workerKey: string;
  readonly classification: Classification;
  readonly details: readonly string[];
  readonly outcome: PlanOutcome;
  readonly plan: Plan | null;
  readonly diff: StateDiff;
  readonly issues: readonly WorkerIssue[];
  /** What does not stop the plan but an administrator should see. */
  readonly warnings?: readonly WorkerIssue[];
  /** HR's employment status now (absent for a quarantined record). */
  readonly employmentStatus?: string;
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
  const workers = cycle.results.filter((r) => inPreview(r, input.changesOnly)).map(previewWorkerOf);
  return { ...previewHeadOf(cycle, input.config.fingerprint), workers };
}

/** The report without its workers: what the cycle as a whole says. */
export type PreviewHead = Omit<PreviewReport, 'workers'>;

export function previewHeadOf(cycle: Omit<CycleResult, 'results'>, configFingerprint: string): PreviewHead {
  return {
    kind: 'hr2ad-preview',
    generatedAt: cycle.now,
    configFingerprint,
    summary: cycle.summary,
    hold: cycle.hold,
    quarantined: cycle.quarantined,
    missing: cycle.missing,
  };
}

/** Whether the report lists a worker: every one, or with `changesOnly` those whose state changes. */
export function inPreview(r: WorkerPlanResult, changesOnly: boolean | undefined): boolean {
  return !changesOnly || r.outcome !== 'unchanged';
}

export function previewWorkerOf(r: WorkerPlanResult): PreviewWorker {
  return {
    workerKey: r.workerKey,
    classification: r.classification,
    details: r.details,
    outcome: r.outcome,
    plan: r.plan,
    diff: r.diff,
    issues: r.issues,
    ...(r.warnings?.length ? { warnings: r.warnings } : {}),
    ...(r.employmentStatus !== undefined ? { employmentStatus: r.employmentStatus } : {}),
    ...(r.reusesAccountOf ? { reusesAccountOf: r.reusesAccountOf } : {}),
  };
}

/** How many lines (text) or workers (JSON) go into one chunk: few enough writes, small enough chunks. */
const CHUNK_ITEMS = 256;

function show(value: AttributeValue | undefined): string {
  if (value === undefined) return '(not set)';
  if (value === null) return '(empty)';
  if (!Array.isArray(value)) return jsonQuoted(value);
  let shown = '[';
  for (let i = 0; i < value.length; i++) shown += i ? `, ${jsonQuoted(value[i]!)}` : jsonQuoted(value[i]!);
  return `${shown}]`;
}

/** What `JSON.stringify` escapes in a string: the quote, the backslash, C0 controls and surrogates. */
const JSON_ESCAPED = /["\\\u0000-\u001F\uD800-\uDFFF]/; // eslint-disable-line no-control-regex

/**
 * `value` as a JSON string. Most values hold nothing to escape, and quoting them is much cheaper than
 * `JSON.stringify` (a preview quotes about twenty values a worker); any that might goes through it.
 */
export function jsonQuoted(value: string): string {
  return JSON_ESCAPED.test(value) ? JSON.stringify(value) : `"${value}"`;
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

const UNIQUE_ATTRIBUTES = ['sAMAccountName', 'userPrincipalName', 'cn', 'mail'] as const;

/**
 * The identifiers a step lets the agent choose: on create, and on update for those that follow name
 * changes. The agent takes the first candidate not in use, so the first is what the account gets
 * unless it is taken.
 */
function candidateLines(step: PlanStep): string[] {
  const command = step.command;
  if (command.kind !== 'UpsertAccount') return [];
  const follow = command.unique.follow ?? [];
  const shown = UNIQUE_ATTRIBUTES.filter(
    (a) => (step.purpose === 'create' || (follow as readonly string[]).includes(a)) && command.unique[a]?.length,
  );
  return shown.map((a) => `  ↳ ${a}: first free of ${show(command.unique[a]!)}`);
}

/** The differences, one indented line each. */
function diffLines(diff: StateDiff): string[] {
  const lines: string[] = [];
  if (diff.phase) lines.push(`  lifecycle: ${diff.phase.before ?? '(new)'} → ${diff.phase.after}`);
  if (diff.account)
    lines.push(`  account: ${diff.account.before ? 'exists' : 'none'} → ${diff.account.after ? 'exists' : 'none'}`);
  if (diff.parentOu) lines.push(`  OU: ${diff.parentOu.before ?? '(none)'} → ${diff.parentOu.after ?? '(none)'}`);
  if (diff.enabled)
    lines.push(`  enabled: ${String(diff.enabled.before ?? '(none)')} → ${String(diff.enabled.after ?? '(none)')}`);
  if (diff.manager) lines.push(`  manager: ${showKey(diff.manager.before)} → ${showKey(diff.manager.after)}`);
  if (diff.groups) {
    for (const g of diff.groups.added) lines.push(`  group + ${g}`);
    for (const g of diff.groups.removed) lines.push(`  group - ${g}`);
  }
  if (diff.match)
    lines.push(`  match: ${diff.match.before.map(showKey).join(', ')} → ${diff.match.after.map(showKey).join(', ')}`);
  for (const a of diff.attributes) {
    lines.push(
      `  ${a.attribute}: ${show(a.before)} → ${show(a.after)}${a.apply === 'on-create' ? '  (on create only)' : ''}`,
    );
  }
  return lines;
}

function headerLines(report: PreviewHead): string[] {
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
    out.push(`known to hr2ad but not in this snapshot (left alone): ${report.missing.length}, listed at the end`);
  return out;
}

/** Whether the text report shows the worker: unchanged workers without issues, details or warnings are left out. */
export function hasSomethingToSay(w: PreviewWorker): boolean {
  return w.outcome !== 'unchanged' || w.issues.length > 0 || w.details.length > 0 || !!w.warnings?.length;
}

const warningLine = (warning: WorkerIssue) => `  ~ ${warning.path}: ${warning.message}`;

/** The block's first lines: a blank line, the heading, the issues and the warnings. */
function workerHeadLines(w: PreviewWorker): string[] {
  const out = [''];
  const details = w.details.length ? ` (${w.details.join(', ')})` : '';
  const status = w.employmentStatus !== undefined && w.employmentStatus !== 'active' ? ` [${w.employmentStatus}]` : '';
  const reuse = w.reusesAccountOf ? `, reuses the account of ${w.reusesAccountOf}` : '';
  out.push(`${w.workerKey}: ${w.classification}${details}${status} — ${w.outcome}${reuse}`);
  for (const issue of w.issues) out.push(`  ! ${issue.path}: ${issue.message}`);
  for (const warning of w.warnings ?? []) out.push(warningLine(warning));
  return out;
}

/** The rest of the block: the differences and the plan. */
function workerTailLines(w: PreviewWorker): string[] {
  const out = diffLines(w.diff);
  if (w.plan) {
    if (w.plan.supersedes)
      out.push(
        `  supersedes ${w.plan.supersedes}${w.plan.cancels.length ? ` (cancels ${w.plan.cancels.length} pending step(s))` : ''}`,
      );
    for (const step of w.plan.steps) {
      out.push(
        `  ${step.index + 1}. ${step.immediate ? 'now' : step.dueAt}  ${describeCommand(step.command)}  [${step.purpose}]`,
      );
      out.push(...candidateLines(step));
    }
  }
  return out;
}

/** A worker's block in the text report, and where warnings added later go (after its own). */
export interface WorkerText {
  /** The block's lines, each made safe to show and ended; empty when the worker has nothing to say. */
  readonly text: string;
  readonly warningsEnd: number;
}

export function previewWorkerText(w: PreviewWorker): WorkerText {
  if (!hasSomethingToSay(w)) return { text: '', warningsEnd: 0 };
  const head = workerHeadLines(w);
  const lines = head.concat(workerTailLines(w));
  const text = displayLines(lines);
  // Escaping only lengthens a line: at the same length, nothing was escaped and the head is as written.
  let headLength = head.length;
  for (const line of head) headLength += line.length;
  const written = headLength + lines.length - head.length + tailLength(lines, head.length);
  return { text, warningsEnd: text.length === written ? headLength : displayLines(head).length };
}

function tailLength(lines: readonly string[], from: number): number {
  let length = 0;
  for (let i = from; i < lines.length; i++) length += lines[i]!.length;
  return length;
}

/** A rendered block with `added` warnings after its own: the block the worker with them renders to. */
export function withWarningsText(rendered: WorkerText, added: readonly WorkerIssue[]): string {
  const { text, warningsEnd } = rendered;
  return text.slice(0, warningsEnd) + displayLines(added.map(warningLine)) + text.slice(warningsEnd);
}

/** Blocks of lines regrouped into chunks of about CHUNK_ITEMS lines, each made safe to show. */
function* chunked(blocks: Iterable<readonly string[]>): Generator<string> {
  let lines: string[] = [];
  for (const block of blocks) {
    for (const line of block) {
      if (lines.push(line) < CHUNK_ITEMS) continue;
      yield displayLines(lines);
      lines = [];
    }
  }
  if (lines.length) yield displayLines(lines);
}

/** Texts joined into chunks of CHUNK_ITEMS texts, empty ones left out. */
export function* joinedChunks(texts: Iterable<string>): Generator<string> {
  let chunk = '';
  let count = 0;
  for (const text of texts) {
    if (text === '') continue;
    chunk += text;
    if (++count % CHUNK_ITEMS === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * The report as readable text, in chunks: a summary, then one block per worker with something to say
 * (unchanged workers without issues, details or warnings are left out). Every value from HR is shown
 * through `displayText`, so each line of the output is one line of the report. The three parts can be
 * rendered apart (and the workers' part in shares) and written one after another.
 */
export function* renderPreviewText(report: PreviewReport): Generator<string> {
  yield* previewTextHead(report);
  yield* previewTextWorkers(report.workers);
  yield* previewTextTail(report);
}

export function previewTextHead(head: PreviewHead): Iterable<string> {
  return chunked([headerLines(head)]);
}

export function previewTextWorkers(workers: Iterable<PreviewWorker>): Iterable<string> {
  return joinedChunks(map(workers, (w) => previewWorkerText(w).text));
}

function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

/** The workers hr2ad knows but the snapshot does not have, listed at the end. */
export function previewTextTail(head: PreviewHead): Iterable<string> {
  if (head.missing.length === 0) return [];
  return chunked([
    ['', 'known to hr2ad but not in this snapshot (left alone):'],
    head.missing.map((key) => `  ${key}`),
  ]);
}

/**
 * A plan step as the JSON preview gives it: its index is its position in `steps`, and it is due
 * immediately exactly when `dueAt` is the report's `generatedAt`; the command goes without the envelope
 * fields the step implies.
 */
export interface PreviewStepJson {
  readonly dueAt: string;
  readonly purpose: PlanStep['purpose'];
  /**
   * The command without `workerKey` (the worker's), `commandId`
   * (`<planId>.<index>`) and `issuedAt` (the step's `dueAt`) — each kept only where it differs.
   */
  readonly command: Partial<DirectoryCommandInput> & { readonly kind: DirectoryCommandInput['kind'] };
}

export interface PreviewPlanJson {
  readonly planId: string;
  /** Only when it is not the report's `generatedAt` (a preview plans every worker at that instant). */
  readonly createdAt?: string;
  /** Only when the plan replaces one in force. */
  readonly supersedes?: string;
  /** Only when non-empty. */
  readonly cancels?: readonly string[];
  readonly steps: readonly PreviewStepJson[];
}

export type PreviewDiffJson = Omit<StateDiff, 'attributes'> & { readonly attributes?: StateDiff['attributes'] };

/** One worker in the JSON preview: empty lists, an empty diff and a missing plan are left out. */
export interface PreviewWorkerJson {
  readonly workerKey: string;
  readonly classification: Classification;
  readonly outcome: PlanOutcome;
  readonly employmentStatus?: string;
  readonly reusesAccountOf?: string;
  readonly details?: readonly string[];
  readonly issues?: readonly WorkerIssue[];
  readonly warnings?: readonly WorkerIssue[];
  /**
   * Left out when nothing differs. For an account the plan creates, only `phase` and `account` are
   * given: the create step's command carries the OU, the enabled state, the manager and every value,
   * and repeating them would double the report.
   */
  readonly diff?: PreviewDiffJson;
  readonly plan?: PreviewPlanJson;
}

function compactStep(step: PlanStep, plan: Plan): PreviewStepJson {
  const { workerKey, commandId, issuedAt, ...rest } = step.command;
  const command: Record<string, unknown> = {};
  if (workerKey !== plan.workerKey) command.workerKey = workerKey;
  if (commandId !== `${plan.planId}.${step.index}`) command.commandId = commandId;
  if (issuedAt !== step.dueAt) command.issuedAt = issuedAt;
  Object.assign(command, rest);
  return {
    dueAt: step.dueAt,
    purpose: step.purpose,
    command: command as PreviewStepJson['command'],
  };
}

function compactDiff(diff: StateDiff, plan: Plan | null): PreviewDiffJson | undefined {
  if (isEmptyDiff(diff)) return undefined;
  const created =
    diff.account?.before === false && diff.account.after && plan?.steps[0]?.command.kind === 'UpsertAccount';
  if (!created) return diff;
  return { ...(diff.phase ? { phase: diff.phase } : {}), account: diff.account! };
}

function isEmptyDiff(diff: StateDiff): boolean {
  for (const key in diff) if (key !== 'attributes' && diff[key as keyof StateDiff] !== undefined) return false;
  return diff.attributes.length === 0;
}

/** The compact JSON form of one worker (see `PreviewWorkerJson`). */
export function previewWorkerJson(w: PreviewWorker, generatedAt: string): PreviewWorkerJson {
  const plan = w.plan;
  const diff = compactDiff(w.diff, plan);
  return {
    workerKey: w.workerKey,
    classification: w.classification,
    outcome: w.outcome,
    ...(w.employmentStatus !== undefined ? { employmentStatus: w.employmentStatus } : {}),
    ...(w.reusesAccountOf ? { reusesAccountOf: w.reusesAccountOf } : {}),
    ...(w.details.length ? { details: w.details } : {}),
    ...(w.issues.length ? { issues: w.issues } : {}),
    ...(w.warnings?.length ? { warnings: w.warnings } : {}),
    ...(diff ? { diff } : {}),
    ...(plan
      ? {
          plan: {
            planId: plan.planId,
            ...(plan.createdAt !== generatedAt ? { createdAt: plan.createdAt } : {}),
            ...(plan.supersedes ? { supersedes: plan.supersedes } : {}),
            ...(plan.cancels.length ? { cancels: plan.cancels } : {}),
            steps: plan.steps.map((step) => compactStep(step, plan)),
          },
        }
      : {}),
  };
}

/** JSON array elements one per line, each followed by a comma, in chunks (`joinJsonArray` closes them). */
function jsonElements<T>(items: Iterable<T>, toJson: (item: T) => unknown): Iterable<string> {
  return joinedChunks(map(items, (item) => `${JSON.stringify(toJson(item))},\n`));
}

/** A piece of a report as written: text, or text already encoded as UTF-8 (by the thread that rendered it). */
export type ReportChunk = string | Uint8Array;

/**
 * Chunks of `jsonElements` joined into one JSON array as they come: opened before the first, the last
 * element's comma dropped at the end (so shares rendered apart join into one array).
 */
export class JsonArrayJoiner {
  private last: ReportChunk | undefined;

  /** What can be written once `chunk` is known. */
  add(chunk: ReportChunk): ReportChunk {
    if (chunk.length === 0) return '';
    const ready = this.last ?? '[\n';
    this.last = chunk;
    return ready;
  }

  /** The rest of the array. */
  end(): ReportChunk[] {
    const last = this.last;
    if (last === undefined) return ['[]'];
    // Every element ends with ",\n": two characters, and two bytes in UTF-8.
    return [typeof last === 'string' ? last.slice(0, -2) : last.subarray(0, last.length - 2), '\n]'];
  }
}

function* joinJsonArray(chunks: Iterable<string>): Generator<string> {
  const joiner = new JsonArrayJoiner();
  for (const chunk of chunks) {
    const ready = joiner.add(chunk) as string;
    if (ready) yield ready;
  }
  yield (joiner.end() as string[]).join('');
}

/**
 * The report as one JSON document, in chunks: `kind`, `generatedAt`, `configFingerprint`, `summary`,
 * `hold`, then `quarantined`, `missing` and `workers` one element per line. Workers are in their compact
 * form (`PreviewWorkerJson`). The head, the workers' elements and the end can be rendered apart.
 */
export function* renderPreviewJson(report: PreviewReport): Generator<string> {
  yield* previewJsonHead(report);
  yield* joinJsonArray(previewJsonWorkers(report.workers, report.generatedAt));
  yield PREVIEW_JSON_END;
}

/** Everything before the workers' array. */
export function* previewJsonHead(report: PreviewHead): Generator<string> {
  const { kind, generatedAt, configFingerprint, summary, hold } = report;
  const head = JSON.stringify({ kind, generatedAt, configFingerprint, summary, hold });
  yield `${head.slice(0, -1)},\n"quarantined":`;
  yield* joinJsonArray(jsonElements(report.quarantined, (q) => q));
  yield ',\n"missing":';
  yield* joinJsonArray(jsonElements(report.missing, (m) => m));
  yield ',\n"workers":';
}

/** The workers' array elements (see `JsonArrayJoiner`). */
export function previewJsonWorkers(workers: Iterable<PreviewWorker>, generatedAt: string): Iterable<string> {
  return jsonElements(workers, (w) => previewWorkerJson(w, generatedAt));
}

/** A worker's element of the JSON report (`previewWorkerJson` as text) with `added` warnings after its own. */
export function withWarningsJson(element: string, added: readonly WorkerIssue[]): string {
  const { warnings, diff, plan, ...before } = JSON.parse(element) as PreviewWorkerJson;
  const amended: PreviewWorkerJson = {
    ...before,
    warnings: [...(warnings ?? []), ...added],
    ...(diff ? { diff } : {}),
    ...(plan ? { plan } : {}),
  };
  return JSON.stringify(amended);
}

export const PREVIEW_JSON_END = '}\n';
