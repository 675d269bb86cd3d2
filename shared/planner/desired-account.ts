/**
 * Evaluating the compiled configuration for one version of a worker's record: attributes (always /
 * on-create), match keys, the regular OU, unique-value candidates, managed groups and the manager.
 * Every value is checked against AD's rules here, so a bad mapping quarantines the worker with a
 * message naming the mapping, instead of failing later in the agent. What does not stop the plan (a
 * later unique-value candidate AD would refuse) comes back as a warning.
 */
import { checkAdAttributeValue } from '../directory/ad-attribute-rules';
import type { CompiledMapping, CompiledMappingConfig, ConfigExpression } from '../mapping/config/compile-config';
import { readAttribute, type AttributeBag } from '../mapping/config/read-attribute';
import { isCandidateList, isIgnoreFlow, type EvaluationContext, type EvaluationValue } from '../mapping/expression';
import type { AttributeMap, AttributeValue, MatchKey, UniqueValueCandidates } from '../protocol/commands';
import { deepEqual } from '../util/deep-equal';
import type { Result } from '../util/result';
import type { WorkerIssue } from '../worker/validate-worker';
import { appendMatchKeys } from './match-keys';
import type { PlanningMemo } from './planning-memo';
import type { DesiredAccount } from './types';

/** An account as the record version maps it, before the lifecycle decides enabled state and OU. */
export interface MappedAccount {
  readonly match: readonly MatchKey[];
  readonly regularOu: string;
  readonly attributes: { readonly always: AttributeMap; readonly onCreate: AttributeMap };
  readonly unique: UniqueValueCandidates;
  readonly manager?: MatchKey | null;
  readonly groups: readonly string[];
  /** What the preview should point out without stopping the plan. */
  readonly warnings: readonly WorkerIssue[];
}

export type MappedAccountResult = Result<MappedAccount, WorkerIssue>;

export interface MappingContext {
  readonly config: CompiledMappingConfig;
  readonly workerKey: string;
  readonly source: string;
  readonly managerId: string | null;
  readonly evaluation: EvaluationContext;
  /** Former match keys of a reused account: appended to the match, and matching attributes written always. */
  readonly formerMatch: readonly MatchKey[];
  /** The account as last planned: values equal to its values were checked then and are not checked again. */
  readonly validated: DesiredAccount | null;
  /**
   * The account last planned from an earlier version of this record under this same configuration, in
   * its regular OU, with that version's attributes: a value whose inputs did not change is taken from it
   * instead of being evaluated again (most changes touch one or two attributes).
   */
  readonly reuse: { readonly account: DesiredAccount; readonly bag: AttributeBag } | null;
  readonly memo: PlanningMemo;
}

/** The one way a mapping context is built: for `bag`, the record version being mapped. */
export function mappingContext(
  bag: AttributeBag,
  parts: Omit<MappingContext, 'evaluation'> & { readonly now: Date; readonly seed: string | undefined },
): MappingContext {
  const { now, seed, ...rest } = parts;
  const evaluation = {
    attributes: bag,
    now,
    seed: `${seed ?? 'hr2ad'}:${parts.workerKey}`,
    shared: [],
    callValues: parts.memo.callValues,
  };
  return { ...rest, evaluation };
}

/** The same context for another version of the record (another bag, perhaps another manager). */
function forVersion(ctx: MappingContext, bag: AttributeBag, managerId: string | null): MappingContext {
  return { ...ctx, managerId, evaluation: { ...ctx.evaluation, attributes: bag, shared: [] } };
}

const IGNORE = Symbol('ignore-flow');

/** Converts an evaluation result to a protocol value (LDAP booleans are TRUE/FALSE). */
function toAttributeValue(value: EvaluationValue): AttributeValue | typeof IGNORE | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return value === '' ? null : value;
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    default:
      break;
  }
  if (Array.isArray(value)) {
    const values = (value as readonly string[]).filter((v) => v !== '');
    return values.length === 0 ? null : values;
  }
  if (isIgnoreFlow(value)) return IGNORE;
  return undefined;
}

function evaluationIssue(ctx: MappingContext, expression: ConfigExpression, label: string, error: EvaluationError) {
  const { line, column } = error.position;
  return {
    workerKey: ctx.workerKey,
    path: expression.path,
    message: `${label}: ${error.message} (line ${line}, column ${column})`,
  };
}

type EvaluationError = { readonly message: string; readonly position: { line: number; column: number } };

function mappingValue(
  mapping: CompiledMapping,
  bag: AttributeBag,
  ctx: MappingContext,
  issues: WorkerIssue[],
): AttributeValue | typeof IGNORE {
  const source = mapping.source;
  let value: AttributeValue | typeof IGNORE | undefined;
  if (source.kind === 'constant') value = source.value;
  else if (source.kind === 'direct') {
    const raw = readAttribute(bag, source.attribute);
    value = typeof raw === 'string' ? (raw === '' ? null : raw) : raw === null ? null : toAttributeValue(raw);
  } else {
    const result = source.expression.compiled.evaluate(ctx.evaluation);
    if (!result.ok) {
      issues.push(evaluationIssue(ctx, source.expression, mapping.target, result.error));
      return null;
    }
    value = toAttributeValue(result.value);
  }
  if (value === undefined) {
    issues.push({
      workerKey: ctx.workerKey,
      path: `attributeMappings.${mapping.index}`,
      message: `${mapping.target}: the value is not a string, number, boolean or list of strings`,
    });
    return null;
  }
  if (value === null && mapping.defaultValue !== null) return mapping.defaultValue;
  return value;
}

function checkValue(target: string, value: AttributeValue, where: string, ctx: MappingContext, issues: WorkerIssue[]) {
  if (value === null) return;
  for (const v of typeof value === 'string' ? [value] : value) {
    const problem = checkAdAttributeValue(target, v);
    if (problem)
      issues.push({
        workerKey: ctx.workerKey,
        path: where,
        message: `${target} gives ${JSON.stringify(v)}: ${problem}`,
      });
  }
}

type UniqueAttribute = 'sAMAccountName' | 'userPrincipalName' | 'cn' | 'mail';

/** The values an expression gives as candidates, in order, empty ones left out. */
function candidateValues(value: EvaluationValue): readonly string[] {
  if (isCandidateList(value)) return value.values;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value as readonly string[];
  return [];
}

/**
 * The usable candidates for a unique attribute. A candidate that repeats an earlier one (AD compares
 * these attributes case-insensitively) is dropped: it can never win. One AD would refuse is dropped
 * with a warning while a valid one is left; the worker is quarantined only when none is.
 */
export function usableCandidates(
  attribute: UniqueAttribute,
  values: readonly string[],
  path: string,
  workerKey: string,
): { readonly valid: string[]; readonly warnings: WorkerIssue[]; readonly issues: WorkerIssue[] } {
  const valid: string[] = [];
  const refused: string[] = [];
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (value === '') return;
    const folded = value.toLowerCase();
    if (seen.has(folded)) return;
    seen.add(folded);
    const problem = checkAdAttributeValue(attribute, value);
    if (problem) refused.push(`candidate ${index + 1} ${JSON.stringify(value)}: ${problem}`);
    else valid.push(value);
  });
  if (valid.length === 0) {
    const why = refused.length ? refused.join('; ') : 'the expression gave nothing';
    return { valid, warnings: [], issues: [{ workerKey, path, message: `no usable ${attribute} candidate (${why})` }] };
  }
  const warnings = refused.map((message) => ({ workerKey, path, message: `${message}; left out` }));
  return { valid: valid.slice(0, 64), warnings, issues: [] };
}

function candidates(
  attribute: UniqueAttribute,
  expression: ConfigExpression,
  ctx: MappingContext,
  problems: { issues: WorkerIssue[]; warnings: WorkerIssue[] },
): string[] {
  const result = expression.compiled.evaluate(ctx.evaluation);
  if (!result.ok) {
    problems.issues.push(evaluationIssue(ctx, expression, `the ${attribute} candidates`, result.error));
    return [];
  }
  const values = candidateValues(result.value);
  const known = ctx.validated?.unique[attribute];
  if (known && deepEqual(known, values)) return known as string[];
  const checked = usableCandidates(attribute, values, expression.path, ctx.workerKey);
  problems.issues.push(...checked.issues);
  problems.warnings.push(...checked.warnings);
  return checked.valid;
}

/** The manager's match key: the first matching attribute computed from the manager's HR id. */
function managerKey(ctx: MappingContext, issues: WorkerIssue[]): MatchKey | null {
  const first = ctx.config.matching[0];
  if (!first || ctx.managerId === null) return null;
  const bag: AttributeBag = {
    WorkerID: ctx.managerId,
    SourceSystem: ctx.source,
    WorkerKey: `${ctx.source}:${ctx.managerId}`,
  };
  const value = mappingValue(first, bag, forVersion(ctx, bag, ctx.managerId), issues);
  return typeof value === 'string' ? { attribute: first.target, value } : null;
}

/** Attribute names (lower-cased) whose values differ between two bags. */
function changedAttributes(bag: AttributeBag, before: AttributeBag): Set<string> {
  const changed = new Set<string>();
  for (const key in bag) {
    const a = bag[key] ?? null;
    const b = before[key] ?? null;
    if (a !== b && !(typeof a === 'object' && typeof b === 'object' && deepEqual(a, b))) changed.add(key.toLowerCase());
  }
  for (const key in before) if (!(key in bag) && (before[key] ?? null) !== null) changed.add(key.toLowerCase());
  return changed;
}

/** The account's value for `target` (null included); undefined when it has none. */
function knownValue(account: DesiredAccount, target: string): AttributeValue | undefined {
  const { always, onCreate } = account.attributes;
  if (Object.prototype.hasOwnProperty.call(always, target)) return always[target];
  return Object.prototype.hasOwnProperty.call(onCreate, target) ? onCreate[target] : undefined;
}

function unaffected(reads: ReadonlySet<string>, changed: ReadonlySet<string> | null): boolean {
  if (changed === null) return false;
  for (const name of reads) if (changed.has(name)) return false;
  return true;
}

/** What the previous account can stand in for: nothing, or the values whose inputs did not change. */
interface Reuse {
  readonly account: DesiredAccount | null;
  readonly changed: ReadonlySet<string> | null;
}

function reuseOf(bag: AttributeBag, ctx: MappingContext): Reuse {
  return ctx.reuse
    ? { account: ctx.reuse.account, changed: changedAttributes(bag, ctx.reuse.bag) }
    : { account: null, changed: null };
}

interface MappedAttributes {
  readonly always: Record<string, AttributeValue>;
  readonly onCreate: Record<string, AttributeValue>;
  /** Mapping indexes whose evaluation failed (already reported). */
  readonly failed: ReadonlySet<number>;
}

function mapAttributes(bag: AttributeBag, ctx: MappingContext, reuse: Reuse, issues: WorkerIssue[]): MappedAttributes {
  const always: Record<string, AttributeValue> = {};
  const onCreate: Record<string, AttributeValue> = {};
  const failed = new Set<number>();
  // A reused account must take the new identity: its matching attributes are written on update too.
  const promote = ctx.formerMatch.length > 0;
  const put = (mapping: CompiledMapping, value: AttributeValue) => {
    if (mapping.apply === 'always' || (promote && mapping.matchingPrecedence !== null)) always[mapping.target] = value;
    else onCreate[mapping.target] = value;
  };
  for (const mapping of ctx.config.mappings) {
    if (reuse.account && unaffected(mapping.reads, reuse.changed)) {
      // Absent before means IgnoreFlowIfNullOrEmpty dropped it: with the same inputs it does again.
      const value = knownValue(reuse.account, mapping.target);
      if (value !== undefined) put(mapping, value);
      continue;
    }
    const before = issues.length;
    const value = mappingValue(mapping, bag, ctx, issues);
    if (issues.length > before) failed.add(mapping.index);
    if (value === IGNORE) continue;
    const known = ctx.validated ? knownValue(ctx.validated, mapping.target) : undefined;
    if (known === undefined || !(known === value || (typeof value === 'object' && deepEqual(known, value)))) {
      checkValue(mapping.target, value, `attributeMappings.${mapping.index}`, ctx, issues);
    }
    put(mapping, value);
  }
  return { always, onCreate, failed };
}

function matchOf(attributes: MappedAttributes, ctx: MappingContext, issues: WorkerIssue[]): MatchKey[] {
  const match: MatchKey[] = [];
  for (const mapping of ctx.config.matching) {
    const value = attributes.always[mapping.target] ?? attributes.onCreate[mapping.target];
    if (typeof value === 'string') match.push({ attribute: mapping.target, value });
    else if (!attributes.failed.has(mapping.index)) {
      issues.push({
        workerKey: ctx.workerKey,
        path: `attributeMappings.${mapping.index}`,
        message: `${mapping.target}: the matching attribute is empty for this worker, so the account could not be found`,
      });
    }
  }
  return appendMatchKeys(match, ctx.formerMatch);
}

function regularOuOf(ctx: MappingContext, reuse: Reuse, issues: WorkerIssue[]): string {
  const expression = ctx.config.parentOu;
  if (reuse.account && unaffected(expression.reads, reuse.changed)) return reuse.account.parentOu;
  const ou = expression.compiled.evaluate(ctx.evaluation);
  if (!ou.ok) {
    issues.push(evaluationIssue(ctx, expression, 'parentOu', ou.error));
    return '';
  }
  if (typeof ou.value === 'string' && ctx.memo.isDistinguishedName(ou.value)) return ou.value;
  issues.push({
    workerKey: ctx.workerKey,
    path: 'parentOu',
    message: `gives ${JSON.stringify(ou.value)}, which is not a distinguished name`,
  });
  return '';
}

function uniqueOf(
  ctx: MappingContext,
  reuse: Reuse,
  problems: { issues: WorkerIssue[]; warnings: WorkerIssue[] },
): UniqueValueCandidates {
  const u = ctx.config.unique;
  const expressions = [u.sAMAccountName, u.userPrincipalName, u.cn, ...(u.mail ? [u.mail] : [])];
  if (reuse.account && expressions.every((e) => unaffected(e.reads, reuse.changed))) return reuse.account.unique;
  const follow = ctx.config.uniqueFollow;
  return {
    sAMAccountName: candidates('sAMAccountName', u.sAMAccountName, ctx, problems),
    userPrincipalName: candidates('userPrincipalName', u.userPrincipalName, ctx, problems),
    cn: candidates('cn', u.cn, ctx, problems),
    ...(u.mail ? { mail: candidates('mail', u.mail, ctx, problems) } : {}),
    ...(follow.length ? { follow: [...follow] } : {}),
  };
}

function groupsOf(bag: AttributeBag, ctx: MappingContext, reuse: Reuse): readonly string[] {
  if (reuse.account && unaffected(ctx.config.groupReads, reuse.changed)) return reuse.account.groups;
  return ctx.config.groups.filter((rule) => rule.when.admits(bag)).map((rule) => rule.group);
}

function managerOf(ctx: MappingContext, reuse: Reuse, issues: WorkerIssue[]): MatchKey | null | undefined {
  if (ctx.config.document.manager !== 'follow') return undefined;
  if (reuse.account && reuse.changed !== null && !reuse.changed.has('managerid')) return reuse.account.manager ?? null;
  return managerKey(ctx, issues);
}

/** Maps one record version (its attribute bag) to the account it describes. */
export function mapAccount(bag: AttributeBag, ctx: MappingContext): MappedAccountResult {
  const issues: WorkerIssue[] = [];
  const warnings: WorkerIssue[] = [];
  const reuse = reuseOf(bag, ctx);
  const attributes = mapAttributes(bag, ctx, reuse, issues);
  const match = matchOf(attributes, ctx, issues);
  const regularOu = regularOuOf(ctx, reuse, issues);
  const unique = uniqueOf(ctx, reuse, { issues, warnings });
  const groups = groupsOf(bag, ctx, reuse);
  const manager = managerOf(ctx, reuse, issues);
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    value: {
      match,
      regularOu,
      attributes: { always: attributes.always, onCreate: attributes.onCreate },
      unique,
      ...(manager !== undefined ? { manager } : {}),
      groups,
      warnings,
    },
  };
}

/** Maps `bag` as another version of the context's record. */
export function mapAccountVersion(bag: AttributeBag, managerId: string | null, ctx: MappingContext) {
  return mapAccount(bag, forVersion(ctx, bag, managerId));
}

/** Only the match keys a record version gives (for finding a former account); null when one is missing or fails. */
export function matchKeysFor(bag: AttributeBag, ctx: MappingContext): MatchKey[] | null {
  const issues: WorkerIssue[] = [];
  const keys: MatchKey[] = [];
  for (const mapping of ctx.config.matching) {
    const value = mappingValue(mapping, bag, ctx, issues);
    if (typeof value !== 'string' || issues.length) return null;
    keys.push({ attribute: mapping.target, value });
  }
  return keys;
}
