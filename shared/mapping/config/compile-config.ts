/**
 * Loading a mapping configuration: schema validation, then one parse and compile of every expression,
 * then the checks that need several parts at once. Every problem is reported together, each with the
 * path of the field at fault (and, for expressions, the position in the expression text). Planning
 * uses only the compiled result, so no expression is parsed twice.
 */
import { tryParseDn } from '../../directory/dn';
import {
  compileExpression,
  parseExpression,
  type CompiledExpression,
  type ExpressionNode,
  type SourcePosition,
  SharedSlots,
} from '../expression';
import { timeZoneProblem } from '../../time/zoned-time';
import { canonicalJson } from '../../util/canonical-json';
import { deepFreeze } from '../../util/deep-freeze';
import { formatIssues, issuesFromZod, type Issue, type Result } from '../../util/result';
import { reservedAttributeReason } from '../../directory/reserved-attributes';
import { hash128 } from '../../util/hash';
import { timeZoneSettings, type TimeZoneSettings } from '../../worker/worker-time-zone';
import { mappingConfigSchema, type ApplyMode, type MappingConfig } from './config-schema';
import { compileFilters, type CompiledFilterSet, type FilterProblem } from './scoping';

/** One problem with the configuration. */
export interface ConfigIssue extends Issue {
  /** Where in the expression text, for expression problems. */
  readonly position?: SourcePosition;
}

/** An expression parsed and compiled once, with what it reads. */
export interface ConfigExpression {
  readonly text: string;
  /** Where it sits in the document, for messages. */
  readonly path: string;
  readonly compiled: CompiledExpression;
  /** Worker attributes it reads (lower-cased). */
  readonly reads: ReadonlySet<string>;
  /** True when the value depends on the clock (Now()). */
  readonly usesClock: boolean;
}

export interface CompiledMapping {
  readonly index: number;
  /** E.g. `attributeMappings[3] (department)`. */
  readonly label: string;
  readonly target: string;
  readonly apply: ApplyMode;
  readonly defaultValue: string | null;
  readonly matchingPrecedence: number | null;
  /** Worker attributes the value depends on (lower-cased): when none changed, neither did the value. */
  readonly reads: ReadonlySet<string>;
  readonly source:
    | { readonly kind: 'direct'; readonly attribute: string }
    | { readonly kind: 'constant'; readonly value: string }
    | { readonly kind: 'expression'; readonly expression: ConfigExpression };
}

export interface CompiledGroupRule {
  readonly group: string;
  readonly when: CompiledFilterSet;
}

/** Worker attributes (lower-cased) that group membership depends on. */
function groupReads(rules: readonly CompiledGroupRule[]): ReadonlySet<string> {
  const reads = new Set<string>();
  for (const rule of rules)
    for (const filter of rule.when.filters)
      for (const clause of filter.clauses) reads.add(clause.attribute.toLowerCase());
  return reads;
}

/** A configuration ready for planning: validated, deep-frozen, expressions compiled. */
export interface CompiledMappingConfig {
  /** The document with defaults filled in. */
  readonly document: MappingConfig;
  /** Content hash of the document: states planned under another configuration are re-planned. */
  readonly fingerprint: string;
  readonly mappings: readonly CompiledMapping[];
  /** The matching mappings, in precedence order. */
  readonly matching: readonly CompiledMapping[];
  readonly parentOu: ConfigExpression;
  readonly disabledOu: string;
  readonly unique: {
    readonly sAMAccountName: ConfigExpression;
    readonly userPrincipalName: ConfigExpression;
    readonly cn: ConfigExpression;
    readonly mail: ConfigExpression | null;
  };
  /** Unique attributes that follow name changes (`uniqueValues.apply` says `always`); cn always does. */
  readonly uniqueFollow: readonly ('sAMAccountName' | 'userPrincipalName' | 'mail')[];
  readonly scope: CompiledFilterSet;
  readonly groups: readonly CompiledGroupRule[];
  /** Every group hr2ad manages (the group rules' DNs), in configuration order. */
  readonly managedGroups: readonly string[];
  /** Worker attributes (lower-cased) that group membership depends on. */
  readonly groupReads: ReadonlySet<string>;
  readonly timeZones: TimeZoneSettings;
  /** Some expression reads the clock, so an unchanged worker can still map differently tomorrow. */
  readonly usesClock: boolean;
}

export type ConfigLoad = Result<CompiledMappingConfig, ConfigIssue>;

/** Error codes that do not depend on data: the expression can never work, so the configuration is wrong. */
const STATIC_ERRORS = new Set(['unknown-function', 'unknown-identifier', 'arity', 'not-top-level']);

/** Attributes a manager's match key can be computed from, knowing only the manager's HR id. */
const ID_ATTRIBUTES = new Set(['workerid', 'sourcesystem', 'workerkey']);

function walk(node: ExpressionNode, visit: (node: ExpressionNode) => void): void {
  visit(node);
  if (node.type === 'call') {
    for (const arg of node.args) if (arg.type !== 'omitted') walk(arg, visit);
  } else if (node.type === 'comparison') {
    walk(node.left, visit);
    walk(node.right, visit);
  }
}

function where(position: SourcePosition): string {
  return `line ${position.line}, column ${position.column}`;
}

/** Parses and compiles one expression; problems are added to `issues` against `label` at `path`. */
function compileConfigExpression(
  text: string,
  path: string,
  label: string,
  issues: ConfigIssue[],
  slots?: SharedSlots,
): ConfigExpression | undefined {
  const parsed = parseExpression(text);
  if (!parsed.ok) {
    issues.push({
      path,
      message: `${label}: ${parsed.error.message} (${where(parsed.error.position)})`,
      position: parsed.error.position,
    });
    return undefined;
  }
  const compiled = compileExpression(parsed.ast, text, slots);
  // Compile-time faults (unknown function, arity, nested SelectUniqueValue) surface on any evaluation.
  const probe = compiled.evaluate({ attributes: {}, now: new Date(0), seed: 'config-check' });
  if (!probe.ok && STATIC_ERRORS.has(probe.error.code)) {
    issues.push({
      path,
      message: `${label}: ${probe.error.message} (${where(probe.error.position)})`,
      position: probe.error.position,
    });
    return undefined;
  }
  const reads = new Set<string>();
  let usesClock = false;
  walk(parsed.ast, (node) => {
    if (node.type === 'attribute') reads.add(node.name.toLowerCase());
    if (node.type === 'call' && node.name.toLowerCase() === 'now') usesClock = true;
  });
  return { text, path, compiled, reads, usesClock };
}

class Compiler {
  readonly issues: ConfigIssue[] = [];
  /** Nested calls the configuration's expressions share (see SharedSlots). */
  readonly slots = new SharedSlots();

  constructor(private readonly document: MappingConfig) {}

  issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  expression(text: string, path: string, label: string): ConfigExpression | undefined {
    return compileConfigExpression(text, path, label, this.issues, this.slots);
  }

  filters(problems: readonly FilterProblem[]): void {
    for (const p of problems) this.issue(p.path, p.message);
  }

  mappings(): CompiledMapping[] {
    const result: CompiledMapping[] = [];
    const targets = new Map<string, number>();
    const precedences = new Map<number, number>();
    this.document.attributeMappings.forEach((mapping, index) => {
      const label = `attributeMappings[${index}] (${mapping.target})`;
      const at = `attributeMappings.${index}`;
      const lower = mapping.target.toLowerCase();
      const reserved = reservedAttributeReason(lower);
      if (reserved) this.issue(`${at}.target`, `${label}: ${mapping.target} ${reserved}; it cannot be mapped`);
      if (lower === 'mail' && this.document.uniqueValues.mail !== undefined) {
        this.issue(`${at}.target`, `${label}: mail is chosen from uniqueValues.mail; map it in one place only`);
      }
      const first = targets.get(lower);
      if (first !== undefined)
        this.issue(`${at}.target`, `${label}: attributeMappings[${first}] already writes ${mapping.target}`);
      else targets.set(lower, index);
      if (mapping.matchingPrecedence !== null) {
        const other = precedences.get(mapping.matchingPrecedence);
        if (other !== undefined)
          this.issue(
            `${at}.matchingPrecedence`,
            `${label}: precedence ${mapping.matchingPrecedence} is also given to attributeMappings[${other}]`,
          );
        else precedences.set(mapping.matchingPrecedence, index);
      }
      let source: CompiledMapping['source'] | undefined;
      if (mapping.type === 'direct') source = { kind: 'direct', attribute: mapping.source };
      else if (mapping.type === 'constant') source = { kind: 'constant', value: mapping.value };
      else {
        const expression = this.expression(mapping.expression, `${at}.expression`, label);
        if (expression) {
          const root = expression.compiled.ast;
          if (root.type === 'call' && root.name.toLowerCase() === 'selectuniquevalue') {
            this.issue(
              `${at}.expression`,
              `${label}: SelectUniqueValue belongs in uniqueValues (sAMAccountName, userPrincipalName, cn, mail), not in an attribute mapping`,
            );
          }
          source = { kind: 'expression', expression };
        }
      }
      if (source) {
        result.push({
          index,
          label,
          target: mapping.target,
          apply: mapping.apply,
          defaultValue: mapping.defaultValue,
          matchingPrecedence: mapping.matchingPrecedence,
          reads:
            source.kind === 'direct'
              ? new Set([source.attribute.toLowerCase()])
              : source.kind === 'expression'
                ? source.expression.reads
                : new Set<string>(),
          source,
        });
      }
    });
    return result;
  }

  matching(mappings: readonly CompiledMapping[]): CompiledMapping[] {
    const matching = mappings
      .filter((m) => m.matchingPrecedence !== null)
      .sort((a, b) => a.matchingPrecedence! - b.matchingPrecedence!);
    const declared = this.document.attributeMappings.some((m) => m.matchingPrecedence !== null);
    if (!declared) {
      this.issue(
        'attributeMappings',
        'no matching attribute: give at least one mapping a matchingPrecedence (e.g. employeeID from [WorkerID])',
      );
    }
    const first = matching[0];
    if (first && this.document.manager === 'follow') {
      const fromId = [...first.reads].every((a) => ID_ATTRIBUTES.has(a)) && first.reads.size > 0;
      if (!fromId) {
        this.issue(
          `attributeMappings.${first.index}.matchingPrecedence`,
          `${first.label}: with manager "follow", the first matching attribute must be computed from [WorkerID] alone, so that a manager's account can be found from the manager's HR id`,
        );
      }
    }
    return matching;
  }

  timeZones(): TimeZoneSettings {
    const tz = this.document.timeZone;
    const fallback = timeZoneProblem(tz.default);
    if (fallback) this.issue('timeZone.default', fallback);
    for (const [location, zone] of Object.entries(tz.locations)) {
      const problem = timeZoneProblem(zone);
      if (problem) this.issue(`timeZone.locations.${location}`, problem);
    }
    return timeZoneSettings(tz.source, tz.locations, tz.default);
  }
}

/**
 * Expression problems in a document the schema already refused, so one load reports everything: every
 * string found where an expression belongs is parsed, whatever is wrong elsewhere.
 */
function expressionIssuesOf(input: unknown, reported: ReadonlySet<string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const doc = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const check = (value: unknown, path: string, label: string) => {
    if (typeof value === 'string' && value !== '' && !reported.has(path))
      compileConfigExpression(value, path, label, issues);
  };
  if (Array.isArray(doc.attributeMappings)) {
    doc.attributeMappings.forEach((m: unknown, i: number) => {
      const mapping = (m && typeof m === 'object' ? m : {}) as Record<string, unknown>;
      if (mapping.type === 'expression')
        check(
          mapping.expression,
          `attributeMappings.${i}.expression`,
          `attributeMappings[${i}] (${String(mapping.target)})`,
        );
    });
  }
  check(doc.parentOu, 'parentOu', 'the parent OU expression');
  const unique = (doc.uniqueValues && typeof doc.uniqueValues === 'object' ? doc.uniqueValues : {}) as Record<
    string,
    unknown
  >;
  for (const name of ['sAMAccountName', 'userPrincipalName', 'cn', 'mail'])
    check(unique[name], `uniqueValues.${name}`, `the ${name} candidates`);
  return issues;
}

/** Validates and compiles a configuration document (parsed JSON). Never throws. */
export function compileMappingConfig(input: unknown): ConfigLoad {
  const parsed = mappingConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error);
    return { ok: false, issues: [...issues, ...expressionIssuesOf(input, new Set(issues.map((i) => i.path)))] };
  }
  const document = deepFreeze(parsed.data);
  const c = new Compiler(document);

  const mappings = c.mappings();
  const matching = c.matching(mappings);
  const parentOu = c.expression(document.parentOu, 'parentOu', 'the parent OU expression');
  if (parentOu && parentOu.compiled.ast.type === 'string' && !tryParseDn(parentOu.compiled.ast.value)) {
    c.issue('parentOu', `"${parentOu.compiled.ast.value}" is not a distinguished name`);
  }
  const u = document.uniqueValues;
  const sAMAccountName = c.expression(u.sAMAccountName, 'uniqueValues.sAMAccountName', 'the sAMAccountName candidates');
  const userPrincipalName = c.expression(
    u.userPrincipalName,
    'uniqueValues.userPrincipalName',
    'the userPrincipalName candidates',
  );
  const cn = c.expression(u.cn, 'uniqueValues.cn', 'the cn candidates');
  const mail = u.mail === undefined ? null : (c.expression(u.mail, 'uniqueValues.mail', 'the mail candidates') ?? null);

  const scope = compileFilters(document.scoping.filters, 'scoping.filters');
  if (!scope.ok) c.filters(scope.issues);
  const groups: CompiledGroupRule[] = [];
  const seenGroups = new Map<string, number>();
  document.groups.forEach((rule, i) => {
    const when = compileFilters(rule.when, `groups.${i}.when`);
    if (!when.ok) c.filters(when.issues);
    else groups.push({ group: rule.group, when: when.value });
    const key = rule.group.toLowerCase();
    const first = seenGroups.get(key);
    if (first !== undefined)
      c.issue(
        `groups.${i}.group`,
        `groups[${i}]: ${rule.group} already has a rule (groups[${first}]); put both conditions in one rule's "when"`,
      );
    else seenGroups.set(key, i);
  });
  const timeZones = c.timeZones();

  if (c.issues.length > 0 || !parentOu || !sAMAccountName || !userPrincipalName || !cn || !scope.ok) {
    return { ok: false, issues: c.issues };
  }
  const expressions = [
    parentOu,
    sAMAccountName,
    userPrincipalName,
    cn,
    ...(mail ? [mail] : []),
    ...mappings.flatMap((m) => (m.source.kind === 'expression' ? [m.source.expression] : [])),
  ];
  const config: CompiledMappingConfig = {
    document,
    fingerprint: hash128(canonicalJson(document)),
    mappings,
    matching,
    parentOu,
    disabledOu: document.disabledOu,
    unique: { sAMAccountName, userPrincipalName, cn, mail },
    uniqueFollow: (['sAMAccountName', 'userPrincipalName', 'mail'] as const).filter(
      (name) => u.apply[name] === 'always' && (name !== 'mail' || u.mail !== undefined),
    ),
    scope: scope.value,
    groups,
    managedGroups: groups.map((g) => g.group),
    groupReads: groupReads(groups),
    timeZones,
    usesClock: expressions.some((e) => e.usesClock),
  };
  return { ok: true, value: Object.freeze(config) };
}

/** One line per issue, for logs and CLI output. */
export function describeConfigIssues(issues: readonly ConfigIssue[]): string {
  return formatIssues(issues);
}
