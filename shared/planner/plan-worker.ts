/**
 * The lifecycle planner for one worker: a pure function of the last known state, the new HR record,
 * the compiled configuration and the clock. It lays the record out on a timeline (account creation,
 * start, effective-dated changes, termination, hard delete — each at a local-day boundary in the
 * worker's zone), derives the desired account at each point, and turns the transitions into ordered,
 * dated agent commands. When the result equals what is already in force, nothing is planned.
 *
 * A new plan always supersedes the plan in force: its not-yet-executed steps are cancelled, and the
 * new plan's first step re-asserts the state due now (commands are idempotent, so re-asserting what
 * already holds changes nothing), which also covers a superseded step that was due but not yet run.
 */
import type { CompiledMappingConfig } from '../mapping/config/compile-config';
import type { MatchKey } from '../protocol/commands';
import { localDateAt } from '../time/zoned-time';
import { deepEqual } from '../util/deep-equal';
import { hash128 } from '../util/hash';
import { validateWorker, type WorkerIssue, type WorkerValidation } from '../worker/validate-worker';
import { workerAsOf } from '../worker/worker-as-of';
import { workerAttributes, type WorkerAttributes } from '../worker/worker-attributes';
import type { Worker } from '../worker/worker-schema';
import { resolveTimeZone } from '../worker/worker-time-zone';
import { classify, changedFields, diffDetails } from './classify';
import { mapAccount, type MappedAccount, type MappingContext } from './desired-account';
import { deleteStep, disableStep, enableStep, upsertStep, withEnvelope, type DraftStep } from './plan-commands';
import { diffStates } from './state-diff';
import { phaseAt, workerInstants, type RecordPhase, type WorkerInstants } from './timeline';
import type {
  DesiredAccount,
  DesiredState,
  LastKnownState,
  Plan,
  PlanStep,
  PlanStepRecord,
  StateDiff,
  WorkerPlanResult,
} from './types';

export interface PlanOptions {
  /** Seeds RandomString() and Guid(), together with the worker key (default `hr2ad`). */
  readonly seed?: string;
  /** How long after it is due a command stays valid, in hours (default 24). */
  readonly commandLifetimeHours?: number;
  /**
   * Work incrementally (default true): answer "no change" without evaluating anything when the record
   * and the configuration are unchanged (and nothing is effective-dated or reads the clock), and take
   * mapped values whose inputs did not change from the stored state. False evaluates everything, which
   * gives the same plans, only slower; tests compare the two.
   */
  readonly incremental?: boolean;
}

const EMPTY_DIFF: StateDiff = Object.freeze({ attributes: Object.freeze([]) as readonly never[] });
const HOUR = 3_600_000;

/** ISO text of an instant; plans repeat the same few instants (now, shared effective dates) many times. */
const isoTexts = new Map<number, string>();
function iso(ms: number): string {
  let text = isoTexts.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString();
    if (isoTexts.size >= 4096) isoTexts.clear();
    isoTexts.set(ms, text);
  }
  return text;
}

/** Whether the state's account is planned to exist at `ms`. */
export function accountExistsAt(state: LastKnownState, ms: number): boolean {
  const { createdAt, deletedAt } = state.existence;
  return createdAt !== null && instantMs(createdAt) <= ms && (deletedAt === null || instantMs(deletedAt) > ms);
}

/** Parses the planner's own ISO instants; the last few are remembered, as a cycle sees the same ones again and again. */
const recentInstants = new Map<string, number>();
function instantMs(text: string): number {
  let ms = recentInstants.get(text);
  if (ms === undefined) {
    ms = Date.parse(text);
    if (recentInstants.size >= 4096) recentInstants.clear();
    recentInstants.set(text, ms);
  }
  return ms;
}

function pendingSteps(state: LastKnownState | undefined, nowMs: number): PlanStepRecord[] {
  return state?.plan ? state.plan.steps.filter((s) => Date.parse(s.dueAt) > nowMs) : [];
}

function quarantined(workerKey: string, issues: readonly WorkerIssue[]): WorkerPlanResult {
  return {
    workerKey,
    classification: 'invalid',
    details: [],
    outcome: 'quarantined',
    plan: null,
    nextState: null,
    diff: EMPTY_DIFF,
    issues,
  };
}

function unchanged(
  workerKey: string,
  nextState: LastKnownState | null,
  details: readonly string[] = [],
  classification: WorkerPlanResult['classification'] = 'no-op',
): WorkerPlanResult {
  return {
    workerKey,
    classification,
    details,
    outcome: 'unchanged',
    plan: null,
    nextState,
    diff: EMPTY_DIFF,
    issues: [],
  };
}

/** A worker's plan from a raw HR record: validation failures come back quarantined. */
export function planWorker(
  previous: LastKnownState | undefined,
  record: unknown,
  config: CompiledMappingConfig,
  now: Date,
  options: PlanOptions = {},
): WorkerPlanResult {
  const validation = validateWorker(record, config.timeZones);
  if (!validation.ok) return quarantined(validation.workerKey, validation.issues);
  return planValidatedWorker(previous, validation, config, now, options);
}

interface Timeline {
  readonly points: readonly number[];
  readonly states: readonly DesiredState[];
}

/** Plans a worker whose record has been validated (`planCycle` validates once for all its uses). */
export function planValidatedWorker(
  previous: LastKnownState | undefined,
  validation: Extract<WorkerValidation, { ok: true }>,
  config: CompiledMappingConfig,
  now: Date,
  options: PlanOptions = {},
): WorkerPlanResult {
  const key = validation.workerKey;
  const worker = validation.worker;
  const adopting = previous !== undefined && previous.workerKey !== key;

  if (previous && !adopting && previous.adoptedBy !== null) {
    return unchanged(key, { ...previous, record: worker }, [`account reused by ${previous.adoptedBy}`]);
  }
  if (
    previous &&
    !adopting &&
    options.incremental !== false &&
    !config.usesClock &&
    worker.future.length === 0 &&
    previous.configFingerprint === config.fingerprint &&
    deepEqual(previous.record, worker)
  ) {
    // Same record, same configuration, nothing effective-dated: the mapping would give what is stored.
    return previous.desired.phase === 'unmanaged'
      ? unchanged(key, previous, [], 'out-of-scope')
      : unchanged(key, previous);
  }

  const nowMs = now.getTime();
  const zone = validation.timeZone.zone;
  const document = config.document;
  const instants = workerInstants(worker, zone, document);
  const current = workerAsOf(worker, localDateAt(zone, nowMs));
  const bagNow = workerAttributes(current, zone);
  const existsNow = previous !== undefined && accountExistsAt(previous, nowMs);

  // A newcomer out of scope takes over nobody's account.
  if (adopting && !config.scope.admits(bagNow)) {
    return {
      workerKey: key,
      classification: 'out-of-scope',
      details: [],
      outcome: 'unchanged',
      plan: null,
      nextState: null,
      diff: EMPTY_DIFF,
      issues: [],
    };
  }

  const formerMatch: readonly MatchKey[] = adopting
    ? mergeMatch(previous.desired.account?.match ?? [], previous.formerMatch)
    : (previous?.formerMatch ?? []);
  const versions = new RecordVersions(worker, current, bagNow, zone, instants, nowMs, {
    config,
    workerKey: key,
    source: worker.source,
    managerId: current.managerId,
    evaluation: { attributes: bagNow, now, seed: `${options.seed ?? 'hr2ad'}:${key}` },
    formerMatch,
    validated: previous?.desired.account ?? null,
    reuse: options.incremental === false ? null : reuseBase(previous, adopting, config),
  });
  const { issues } = versions;

  // A conversion's new record takes the account over at its start; until then it is still the former
  // worker's (a contractor working out their last days), so nothing is asked of it before.
  const storedHandover = previous?.existence.takenOverAt ? Date.parse(previous.existence.takenOverAt) : -Infinity;
  const handoverAt =
    adopting && existsNow && recordPhaseNow(previous.record, config, nowMs) === 'active'
      ? instants.hireStart
      : !adopting && storedHandover > nowMs
        ? Math.max(storedHandover, instants.hireStart)
        : -Infinity;
  const timeline = buildTimeline(
    worker,
    instants,
    nowMs,
    existsNow ? (previous!.desired.account ?? null) : null,
    existsNow,
    handoverAt,
    versions,
    config,
  );
  if (issues.length || !timeline) return quarantined(key, issues);

  const currentMatch = previous?.desired.account?.match ?? versions.mapped(versions.nowVersion)?.match ?? [];
  const drafts = stepsOf(timeline, existsNow, currentMatch, config, nowMs);
  const final = timeline.states[timeline.states.length - 1]!;
  const pending = pendingSteps(previous, nowMs);
  const futureDrafts = drafts.filter((d) => d.dueMs > nowMs);
  const sameFuture =
    pending.length === futureDrafts.length &&
    pending.every(
      (s, i) => s.fingerprint === futureDrafts[i]!.fingerprint && Date.parse(s.dueAt) === futureDrafts[i]!.dueMs,
    );

  const unmanagedNow = timeline.states[0]!.phase === 'unmanaged';
  if (previous && !adopting && sameFuture && deepEqual(previous.desired, final)) {
    const next =
      previous.configFingerprint === config.fingerprint && previous.record === worker
        ? previous
        : { ...previous, record: worker, configFingerprint: config.fingerprint };
    return unchanged(key, next, [], unmanagedNow ? 'out-of-scope' : 'no-op');
  }

  const diff = diffStates(previous?.desired ?? null, final);
  const existedBefore = existsNow;
  const previousPhaseNow = previous ? recordPhaseNow(previous.record, config, nowMs) : null;
  const phaseNow = phaseAt(worker, instants, nowMs);
  const classification = unmanagedNow
    ? 'out-of-scope'
    : classify({ previous, adopting, worker, phaseNow, previousPhaseNow, existedBefore });
  const details = [
    ...(unmanagedNow && previous && previous.desired.phase !== 'unmanaged' ? ['left scope'] : []),
    ...(previous && !adopting ? changedFields(previous.record, worker) : []),
    ...diffDetails(diff),
    ...(previous && previous.configFingerprint !== config.fingerprint ? ['mapping'] : []),
  ];
  const uniqueDetails = [...new Set(details)];

  const nextBase = {
    workerKey: key,
    record: worker,
    desired: final,
    identifiers: previous && existsNow ? previous.identifiers : {},
    configFingerprint: config.fingerprint,
    formerMatch,
    adoptedBy: null,
  };

  if (drafts.length === 0 && pending.length === 0) {
    // Nothing to ask of the directory (e.g. a worker who left before an account was made): remember the record.
    const existence = {
      createdAt: existsNow ? previous!.existence.createdAt : null,
      deletedAt: previous?.existence.deletedAt ?? null,
      takenOverAt: handoverAt > nowMs ? iso(handoverAt) : null,
    };
    const next: LastKnownState = { ...nextBase, existence, sequence: previous?.sequence ?? 0, plan: null };
    const never = !previous && !unmanagedNow;
    return {
      workerKey: key,
      classification: never ? 'no-op' : classification,
      details: never
        ? [phaseNow === 'rescinded' ? 'rescinded before an account was created' : 'left before an account was created']
        : uniqueDetails,
      outcome: 'unchanged',
      plan: null,
      nextState: next,
      diff,
      issues: [],
      ...(adopting ? { reusesAccountOf: previous.workerKey } : {}),
    };
  }

  const plan = buildPlan(key, drafts, previous, pending, now, options);
  const createStep = plan.steps.find((s, i) => drafts[i]!.purpose === 'create');
  const deleteStepDue = plan.steps.find((s) => s.command.kind === 'DeleteAccount');
  const existence = {
    createdAt: existsNow ? previous!.existence.createdAt : (createStep?.dueAt ?? null),
    deletedAt: deleteStepDue
      ? deleteStepDue.dueAt
      : final.account || createStep
        ? null
        : (previous?.existence.deletedAt ?? null),
    takenOverAt: handoverAt > nowMs ? iso(handoverAt) : null,
  };
  const next: LastKnownState = {
    ...nextBase,
    existence,
    sequence: (previous?.sequence ?? 0) + plan.steps.length,
    plan: plan.steps.length
      ? {
          planId: plan.planId,
          createdAt: plan.createdAt,
          steps: plan.steps.map((s) => ({
            index: s.index,
            commandId: s.command.commandId,
            kind: s.command.kind,
            dueAt: s.dueAt,
            sequence: s.command.sequence,
            fingerprint: s.fingerprint,
          })),
        }
      : null,
  };
  return {
    workerKey: key,
    classification,
    details: uniqueDetails,
    outcome: 'planned',
    plan,
    nextState: next,
    diff,
    issues: [],
    ...(adopting ? { reusesAccountOf: previous.workerKey } : {}),
  };
}

function mergeMatch(first: readonly MatchKey[], second: readonly MatchKey[]): MatchKey[] {
  const out: MatchKey[] = [];
  for (const key of [...first, ...second]) {
    if (
      !out.some(
        (m) =>
          m.attribute.toLowerCase() === key.attribute.toLowerCase() &&
          m.value.toLowerCase() === key.value.toLowerCase(),
      )
    )
      out.push(key);
  }
  return out;
}

/**
 * What the previous plan mapped, when it can stand in for evaluating again: same configuration, no
 * clock in the mapping, a record without effective-dated entries (so the stored account came from the
 * only version there was), and the account in its regular OU (not a leaver's).
 */
function reuseBase(
  previous: LastKnownState | undefined,
  adopting: boolean,
  config: CompiledMappingConfig,
): MappingContext['reuse'] {
  if (!previous || adopting || config.usesClock || previous.configFingerprint !== config.fingerprint) return null;
  const account = previous.desired.account;
  if (
    !account ||
    previous.record.future.length > 0 ||
    (previous.desired.phase !== 'active' && previous.desired.phase !== 'pre-hire')
  )
    return null;
  return { account, bag: workerAttributes(previous.record, resolveTimeZone(previous.record, config.timeZones).zone) };
}

/**
 * The worker's record versions (index k: the first k effective-dated entries applied), each mapped
 * once, and the desired account per version and phase, each built once so equal states are the same
 * object (cheap to compare and to fingerprint).
 */
class RecordVersions {
  readonly issues: WorkerIssue[] = [];
  readonly nowVersion: number;
  private readonly sortedEntries: Worker['future'];
  private readonly byVersion = new Map<number, MappedAccount>();
  private readonly bags = new Map<number, WorkerAttributes>();
  private readonly scope = new Map<number, boolean>();
  private readonly accounts = new Map<string, DesiredAccount>();
  private readonly disabled = new Map<DesiredAccount, DesiredAccount>();

  constructor(
    private readonly worker: Worker,
    private readonly current: Worker,
    private readonly bagNow: WorkerAttributes,
    private readonly zone: string,
    readonly instants: WorkerInstants,
    nowMs: number,
    private readonly context: MappingContext,
  ) {
    this.nowVersion = versionAt(instants, nowMs);
    this.sortedEntries =
      worker.future.length > 1
        ? [...worker.future].sort((a, b) =>
            a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : 0,
          )
        : worker.future;
  }

  private version(k: number): Worker {
    return k === this.nowVersion ? this.current : workerAsOf(this.worker, this.sortedEntries[k - 1]!.effectiveDate);
  }

  /** Version `k` as the attribute bag expressions and filters read. */
  bag(k: number): WorkerAttributes {
    if (k === this.nowVersion) return this.bagNow;
    let bag = this.bags.get(k);
    if (!bag) this.bags.set(k, (bag = workerAttributes(this.version(k), this.zone)));
    return bag;
  }

  /** Whether version `k` is in scope (scoping filters). */
  inScope(k: number): boolean {
    let admitted = this.scope.get(k);
    if (admitted === undefined) this.scope.set(k, (admitted = this.context.config.scope.admits(this.bag(k))));
    return admitted;
  }

  /** `account` disabled (and parked in the disabled-users OU when leavers are): what an out-of-scope disable leaves. */
  disabledVersion(account: DesiredAccount, moveTo: string | undefined): DesiredAccount {
    let made = this.disabled.get(account);
    if (!made)
      this.disabled.set(account, (made = { ...account, enabled: false, parentOu: moveTo ?? account.parentOu }));
    return made;
  }

  /** The account version `k` maps to; undefined (with issues recorded) when the mapping fails. */
  mapped(k: number): MappedAccount | undefined {
    const cached = this.byVersion.get(k);
    if (cached) return cached;
    const version = this.version(k);
    const bag = this.bag(k);
    const result = mapAccount(bag, {
      ...this.context,
      evaluation: { ...this.context.evaluation, attributes: bag },
      managerId: version.managerId,
    });
    if (!result.ok) {
      this.issues.push(...result.issues);
      return undefined;
    }
    this.byVersion.set(k, result.account);
    return result.account;
  }

  /** The desired account at instant `at` in `phase`. */
  account(
    at: number,
    phase: 'pre-hire' | 'active' | 'terminated',
    config: CompiledMappingConfig,
  ): DesiredAccount | undefined {
    const k = versionAt(this.instants, at);
    const key = `${k}:${phase}`;
    const cached = this.accounts.get(key);
    if (cached) return cached;
    const mapped = this.mapped(k);
    if (!mapped) return undefined;
    const account = accountFor(phase, mapped, config);
    this.accounts.set(key, account);
    return account;
  }
}

/** How many effective-dated entries have taken effect at `ms`. */
function versionAt(instants: WorkerInstants, ms: number): number {
  let k = 0;
  while (k < instants.effective.length && instants.effective[k]! <= ms) k++;
  return k;
}

/** Where a stored record puts the worker now (its zone resolved under today's settings). */
function recordPhaseNow(record: Worker, config: CompiledMappingConfig, nowMs: number): RecordPhase {
  const zone = resolveTimeZone(record, config.timeZones).zone;
  return phaseAt(record, workerInstants(record, zone, config.document), nowMs);
}

/** The desired account for a lifecycle phase, from what the record version maps to. */
function accountFor(
  phase: 'pre-hire' | 'active' | 'terminated',
  mapped: MappedAccount,
  config: CompiledMappingConfig,
): DesiredAccount {
  const leaver = config.document.leaver;
  const terminated = phase === 'terminated';
  return {
    match: mapped.match,
    parentOu: terminated && leaver.moveToDisabledOu ? config.disabledOu : mapped.regularOu,
    enabled: phase === 'active',
    attributes: mapped.attributes,
    unique: mapped.unique,
    ...(mapped.manager !== undefined ? { manager: mapped.manager } : {}),
    groups: terminated && leaver.removeFromGroups ? [] : mapped.groups,
  };
}

/** The desired state at each point from now on: now, then every instant where the record changes. */
function buildTimeline(
  worker: Worker,
  instants: WorkerInstants,
  nowMs: number,
  accountNow: DesiredAccount | null,
  existsNow: boolean,
  handoverAt: number,
  versions: RecordVersions,
  config: CompiledMappingConfig,
): Timeline | undefined {
  const disableOutOfScope = config.document.scoping.outOfScope === 'disable';
  const moveTo = config.document.leaver.moveToDisabledOu ? config.disabledOu : undefined;
  const boundaries = new Set<number>();
  if (worker.employmentStatus !== 'rescinded') {
    for (const t of [
      instants.createAt,
      instants.hireStart,
      ...instants.effective,
      instants.terminationAt,
      instants.deleteAt,
    ]) {
      if (Number.isFinite(t) && t > nowMs) boundaries.add(t);
    }
  }
  const points = boundaries.size ? [nowMs, ...[...boundaries].sort((a, b) => a - b)] : [nowMs];
  const states: DesiredState[] = [];
  let exists = existsNow;
  for (const p of points) {
    const previousState = states[states.length - 1];
    if (!versions.inScope(versionAt(instants, p))) {
      // Out of scope, hr2ad manages nothing: the account stays as it is (or is disabled, if so configured).
      const last = previousState ? previousState.account : accountNow;
      const account = exists && last ? (disableOutOfScope ? versions.disabledVersion(last, moveTo) : last) : null;
      states.push(
        previousState && previousState.phase === 'unmanaged' && previousState.account === account
          ? previousState
          : { phase: 'unmanaged', account },
      );
      continue;
    }
    const phase = phaseAt(worker, instants, p);
    let account: DesiredAccount | null | undefined = null;
    let statePhase: DesiredState['phase'] = phase;
    switch (phase) {
      case 'rescinded':
        if (exists && config.document.leaver.rescindedHire === 'disable')
          account = versions.account(p, 'terminated', config);
        break;
      case 'deleted':
        break;
      case 'terminated':
        // The account as it stood on the last day of work.
        if (exists) account = versions.account(Math.min(p, instants.terminationAt - 1), 'terminated', config);
        break;
      case 'pre-hire':
      case 'active':
        if ((!exists && p < instants.createAt) || p < handoverAt) statePhase = 'none';
        else account = versions.account(p, phase, config);
        break;
    }
    if (account === undefined) return undefined;
    // Equal consecutive states share one object, so transitions compare by identity first.
    states.push(
      previousState && previousState.phase === statePhase && previousState.account === account
        ? previousState
        : { phase: statePhase, account },
    );
    exists = account !== null;
  }
  return { points, states };
}

/** Disabling: the disable itself, then (when configured) taking the account out of managed groups. */
function pushDisable(
  drafts: DraftStep[],
  at: number,
  purpose: DraftStep['purpose'],
  account: DesiredAccount,
  moveTo: string | undefined,
  removeGroups: boolean,
  config: CompiledMappingConfig,
): void {
  drafts.push(disableStep(at, purpose, account.match, moveTo));
  if (removeGroups) drafts.push(upsertStep(at, 'remove-groups', account, config));
}

function sameExceptEnabled(a: DesiredAccount, b: DesiredAccount): boolean {
  return deepEqual({ ...a, enabled: b.enabled }, b);
}

/** Turns the timeline into draft steps: the state due now first, then each transition. */
function stepsOf(
  timeline: Timeline,
  existsNow: boolean,
  currentMatch: readonly MatchKey[],
  config: CompiledMappingConfig,
  nowMs: number,
): DraftStep[] {
  const { points, states } = timeline;
  const leaver = config.document.leaver;
  const moveTo = leaver.moveToDisabledOu ? config.disabledOu : undefined;
  const removeGroups = leaver.removeFromGroups && config.managedGroups.length > 0;
  const drafts: DraftStep[] = [];

  const disableOutOfScope = config.document.scoping.outOfScope === 'disable';
  const first = states[0]!;
  if (first.phase === 'unmanaged') {
    if (first.account && disableOutOfScope)
      drafts.push(disableStep(nowMs, 'out-of-scope', first.account.match, moveTo));
  } else if (first.account) {
    if (first.phase === 'pre-hire' || first.phase === 'active')
      drafts.push(upsertStep(nowMs, existsNow ? 'sync' : 'create', first.account, config));
    else
      pushDisable(
        drafts,
        nowMs,
        first.phase === 'rescinded' ? 'rescind' : 'sync',
        first.account,
        moveTo,
        removeGroups,
        config,
      );
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
    if (!a.account && b.account) drafts.push(upsertStep(at, 'create', b.account, config));
    else if (a.account && !b.account) drafts.push(deleteStep(at, 'delete-after-termination', a.account.match));
    else if (a.account && b.account) {
      if (b.phase === 'terminated' && a.phase !== 'terminated')
        pushDisable(drafts, at, 'disable-at-termination', b.account, moveTo, removeGroups, config);
      else if (a.phase === 'pre-hire' && b.phase === 'active' && sameExceptEnabled(a.account, b.account))
        drafts.push(enableStep(at, 'enable-at-start', b.account.match, b.account.parentOu));
      else
        drafts.push(
          upsertStep(
            at,
            a.phase === 'pre-hire' && b.phase === 'active' ? 'enable-at-start' : 'effective-change',
            b.account,
            config,
          ),
        );
    }
  }
  return drafts;
}

function buildPlan(
  workerKey: string,
  drafts: readonly DraftStep[],
  previous: LastKnownState | undefined,
  pending: readonly PlanStepRecord[],
  now: Date,
  options: PlanOptions,
): Plan {
  const nowMs = now.getTime();
  const supersedes = previous?.plan?.planId ?? null;
  const base = previous?.sequence ?? 0;
  // Immediate steps hash as "now", so the same plan made again later (e.g. after approval) keeps its id.
  let content = `${workerKey}\n${supersedes ?? ''}\n${base}`;
  for (const d of drafts) content += `\n${d.dueMs <= nowMs ? 'now' : iso(d.dueMs)} ${d.purpose} ${d.fingerprint}`;
  const planId = `plan-${hash128(content)}`;
  const lifetime = (options.commandLifetimeHours ?? 24) * HOUR;
  const steps: PlanStep[] = drafts.map((d, index) => {
    const dueMs = Math.max(d.dueMs, nowMs);
    const command = withEnvelope(d.intent, {
      commandId: `${planId}.${index}`,
      workerKey,
      sequence: base + 1 + index,
      issuedAt: iso(dueMs),
      expiresAt: iso(dueMs + lifetime),
    });
    return {
      index,
      dueAt: iso(dueMs),
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
