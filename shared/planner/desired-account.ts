/**
 * Evaluating the compiled configuration for one version of a worker's record: attributes (always /
 * on-create), match keys, the regular OU, unique-value candidates, managed groups and the manager.
 * Every value is checked against AD's rules here, so a bad mapping quarantines the worker with a
 * message naming the mapping, instead of failing later in the agent.
 */
import { checkAdAttributeValue } from '../directory/ad-attribute-rules';
import { tryParseDn } from '../directory/dn';
import type { CompiledMapping, CompiledMappingConfig, ConfigExpression } from '../mapping/config/compile-config';
import { readAttribute, type AttributeBag } from '../mapping/config/read-attribute';
import {
  isCandidateList,
  isIgnoreFlow,
  validateCandidates,
  type EvaluationContext,
  type EvaluationValue,
} from '../mapping/expression';
import type { AttributeMap, AttributeValue, MatchKey, UniqueValueCandidates } from '../protocol/commands';
import { deepEqual } from '../util/deep-equal';
import type { DesiredAccount } from './types';
import type { WorkerIssue } from '../worker/validate-worker';

/** An account as the record version maps it, before the lifecycle decides enabled state and OU. */
export interface MappedAccount {
  readonly match: readonly MatchKey[];
  readonly regularOu: string;
  readonly attributes: { readonly always: AttributeMap; readonly onCreate: AttributeMap };
  readonly unique: UniqueValueCandidates;
  readonly manager?: MatchKey | null;
  readonly groups: readonly string[];
}

export type MappedAccountResult =
  | { readonly ok: true; readonly account: MappedAccount }
  | { readonly ok: false; readonly issues: readonly WorkerIssue[] };

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
}

const IGNORE = Symbol('ignore-flow');

/** Parent OUs repeat across workers (a handful of OUs, many people): parse each text once. */
const dnValidity = new Map<string, boolean>();

function isDistinguishedName(text: string): boolean {
  let valid = dnValidity.get(text);
  if (valid === undefined) {
    const dn = tryParseDn(text);
    valid = dn !== null && dn.length > 0;
    if (dnValidity.size >= 10_000) dnValidity.clear();
    dnValidity.set(text, valid);
  }
  return valid;
}

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
    value =
      typeof raw === 'string'
        ? raw === ''
          ? null
          : raw
        : raw === null
          ? null
          : toAttributeValue(raw as EvaluationValue);
  } else {
    const result = source.expression.compiled.evaluate(ctx.evaluation);
    if (!result.ok) {
      issues.push({
        workerKey: ctx.workerKey,
        path: source.expression.path,
        message: `${mapping.label}: ${result.error.message} (line ${result.error.position.line}, column ${result.error.position.column})`,
      });
      return null;
    }
    value = toAttributeValue(result.value);
  }
  if (value === undefined) {
    issues.push({
      workerKey: ctx.workerKey,
      path: `attributeMappings.${mapping.index}`,
      message: `${mapping.label}: the value is not a string, number, boolean or list of strings`,
    });
    return null;
  }
  if (value === null && mapping.defaultValue !== null) return mapping.defaultValue;
  return value;
}

function checkValue(
  target: string,
  value: AttributeValue,
  where: string,
  ctx: MappingContext,
  issues: WorkerIssue[],
): void {
  if (value === null) return;
  const values = typeof value === 'string' ? [value] : value;
  for (const v of values) {
    const problem = checkAdAttributeValue(target, v);
    if (problem)
      issues.push({
        workerKey: ctx.workerKey,
        path: where,
        message: `${where} gives ${JSON.stringify(v)}: ${problem}`,
      });
  }
}

function candidates(
  attribute: 'sAMAccountName' | 'userPrincipalName' | 'cn' | 'mail',
  expression: ConfigExpression,
  ctx: MappingContext,
  issues: WorkerIssue[],
): string[] {
  const result = expression.compiled.evaluate(ctx.evaluation);
  if (!result.ok) {
    issues.push({
      workerKey: ctx.workerKey,
      path: expression.path,
      message: `${expression.path}: ${result.error.message} (line ${result.error.position.line}, column ${result.error.position.column})`,
    });
    return [];
  }
  const value = result.value;
  let values: readonly string[];
  if (isCandidateList(value)) values = value.values;
  else if (typeof value === 'string') values = [value];
  else if (Array.isArray(value)) values = value as readonly string[];
  else values = [];
  const known = ctx.validated?.unique[attribute];
  if (known && deepEqual(known, values)) return known as string[];
  const checked = validateCandidates(
    attribute,
    values.filter((v) => v !== ''),
  );
  // A candidate AD would refuse is a mapping error now, not an LDAP failure at the agent later.
  const invalid = checked.issues.filter((i) => i.index >= 0);
  if (invalid.length > 0) {
    issues.push({
      workerKey: ctx.workerKey,
      path: expression.path,
      message: `${expression.path}: ${invalid.map((i) => `candidate ${i.index + 1} ${i.reason}`).join('; ')}`,
    });
    return [];
  }
  if (checked.valid.length === 0) {
    issues.push({
      workerKey: ctx.workerKey,
      path: expression.path,
      message: `${expression.path}: no usable candidate${values.length ? ` (${checked.issues.map((i) => i.reason).join('; ')})` : ' (the expression gave nothing)'}`,
    });
  }
  return checked.valid.slice(0, 64);
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
  const value = mappingValue(first, bag, { ...ctx, evaluation: { ...ctx.evaluation, attributes: bag } }, issues);
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
  return Object.prototype.hasOwnProperty.call(always, target)
    ? always[target]
    : Object.prototype.hasOwnProperty.call(onCreate, target)
      ? onCreate[target]
      : undefined;
}

function unaffected(reads: ReadonlySet<string>, changed: ReadonlySet<string> | null): boolean {
  if (changed === null) return false;
  for (const name of reads) if (changed.has(name)) return false;
  return true;
}

/** Maps one record version (its attribute bag) to the account it describes. */
export function mapAccount(bag: AttributeBag, ctx: MappingContext): MappedAccountResult {
  const { config } = ctx;
  const issues: WorkerIssue[] = [];
  const always: Record<string, AttributeValue> = {};
  const onCreate: Record<string, AttributeValue> = {};
  const promote = ctx.formerMatch.length > 0;
  const reused = ctx.reuse?.account ?? null;
  const changed = ctx.reuse ? changedAttributes(bag, ctx.reuse.bag) : null;

  const failed = new Set<number>();
  for (const mapping of config.mappings) {
    if (reused && unaffected(mapping.reads, changed)) {
      // Absent before means IgnoreFlowIfNullOrEmpty dropped it: with the same inputs it does again.
      const value = knownValue(reused, mapping.target);
      if (value === undefined) continue;
      if (mapping.apply === 'always' || (promote && mapping.matchingPrecedence !== null))
        always[mapping.target] = value;
      else onCreate[mapping.target] = value;
      continue;
    }
    const before = issues.length;
    const value = mappingValue(mapping, bag, ctx, issues);
    if (issues.length > before) failed.add(mapping.index);
    if (value === IGNORE) continue;
    const known = ctx.validated ? knownValue(ctx.validated, mapping.target) : undefined;
    if (known === undefined || !(known === value || (typeof value === 'object' && deepEqual(known, value))))
      checkValue(mapping.target, value, mapping.label, ctx, issues);
    // A reused account must take the new identity: its matching attributes are written on update too.
    if (mapping.apply === 'always' || (promote && mapping.matchingPrecedence !== null)) always[mapping.target] = value;
    else onCreate[mapping.target] = value;
  }

  const match: MatchKey[] = [];
  for (const mapping of config.matching) {
    const value = always[mapping.target] ?? onCreate[mapping.target];
    if (typeof value === 'string') match.push({ attribute: mapping.target, value });
    else if (!failed.has(mapping.index)) {
      issues.push({
        workerKey: ctx.workerKey,
        path: `attributeMappings.${mapping.index}`,
        message: `${mapping.label}: the matching attribute is empty for this worker, so the account could not be found`,
      });
    }
  }
  for (const key of ctx.formerMatch) {
    if (
      !match.some(
        (m) =>
          m.attribute.toLowerCase() === key.attribute.toLowerCase() &&
          m.value.toLowerCase() === key.value.toLowerCase(),
      )
    )
      match.push(key);
  }

  let regularOu = '';
  const ou =
    reused && unaffected(config.parentOu.reads, changed)
      ? ({ ok: true, value: reused.parentOu } as const)
      : config.parentOu.compiled.evaluate(ctx.evaluation);
  if (!ou.ok) {
    issues.push({
      workerKey: ctx.workerKey,
      path: 'parentOu',
      message: `parentOu: ${ou.error.message} (line ${ou.error.position.line}, column ${ou.error.position.column})`,
    });
  } else if (typeof ou.value !== 'string' || !isDistinguishedName(ou.value)) {
    issues.push({
      workerKey: ctx.workerKey,
      path: 'parentOu',
      message: `parentOu: gives ${JSON.stringify(ou.value)}, which is not a distinguished name`,
    });
  } else regularOu = ou.value;

  const u = config.unique;
  const unique: UniqueValueCandidates =
    reused &&
    unaffected(u.sAMAccountName.reads, changed) &&
    unaffected(u.userPrincipalName.reads, changed) &&
    unaffected(u.cn.reads, changed) &&
    (!u.mail || unaffected(u.mail.reads, changed))
      ? reused.unique
      : {
          sAMAccountName: candidates('sAMAccountName', u.sAMAccountName, ctx, issues),
          userPrincipalName: candidates('userPrincipalName', u.userPrincipalName, ctx, issues),
          cn: candidates('cn', u.cn, ctx, issues),
          ...(u.mail ? { mail: candidates('mail', u.mail, ctx, issues) } : {}),
        };

  let groups: readonly string[];
  if (reused && unaffected(config.groupReads, changed)) groups = reused.groups;
  else {
    const member: string[] = [];
    for (const rule of config.groups) if (rule.when.admits(bag)) member.push(rule.group);
    groups = member;
  }

  const manager =
    config.document.manager !== 'follow'
      ? undefined
      : reused && changed !== null && !changed.has('managerid')
        ? (reused.manager ?? null)
        : managerKey(ctx, issues);

  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    account: {
      match,
      regularOu,
      attributes: { always, onCreate },
      unique,
      ...(manager !== undefined ? { manager } : {}),
      groups,
    },
  };
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
