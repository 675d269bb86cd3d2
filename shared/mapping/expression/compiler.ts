/**
 * Compiles a syntax tree into a tree of closures.
 *
 * Mappings are evaluated for every worker on every run (about a million evaluations for a
 * 100,000-worker tenant), so name resolution, arity checks, constant handling and regex or
 * format preparation happen once here, and evaluation is just calls between closures.
 * Problems that do not depend on data (unknown function, wrong number of arguments, a
 * nested SelectUniqueValue) are found here and reported on every evaluation, wherever they
 * sit in the expression, like Entra rejecting the mapping when it is saved.
 */
import type { CallNode, ExpressionNode, Span } from './ast';
import { compareValues } from './comparison';
import { CallSite, type CompiledArgument } from './functions/function-types';
import { compileCandidates } from './functions/generator-functions';
import { findFunction, suggestFunction, UNSUPPORTED_FUNCTIONS } from './functions/registry';
import { printExpression } from './printer';
import type { SharedSlots } from './shared-slots';
import { EvaluationFault, type Runtime, type Thunk } from './runtime';
import { describeValue, IGNORE_FLOW, isNullOrEmpty, type EvaluationValue, type Value } from './values';

/** Evaluates the whole expression; may throw EvaluationFault or the ignore-flow signal. */
export type RootThunk = (rt: Runtime) => EvaluationValue;

export type Compilation =
  { readonly ok: true; readonly root: RootThunk } | { readonly ok: false; readonly fault: EvaluationFault };

/** Bare words Entra expressions use as constants. */
const CONSTANTS: ReadonlyMap<string, Value> = new Map<string, Value>([
  ['true', true],
  ['false', false],
  ['vbbinarycompare', 0],
  ['vbtextcompare', 1],
]);

const constant =
  (value: Value): Thunk =>
  () =>
    value;
const OMITTED = constant(null);

/** Functions whose value is not a function of their arguments and the context alone. */
const NOT_SHAREABLE = new Set(['guid', 'randomstring', 'redact', 'selectuniquevalue']);

/** Whether a subtree's value depends only on the attributes, the clock and the seed. */
function shareable(node: ExpressionNode): boolean {
  switch (node.type) {
    case 'call':
      return (
        !NOT_SHAREABLE.has(node.name.toLowerCase()) && node.args.every((a) => a.type === 'omitted' || shareable(a))
      );
    case 'comparison':
      return shareable(node.left) && shareable(node.right);
    default:
      return true;
  }
}

/**
 * A nested call whose value the context's `shared` array may already hold: mappings repeat the same
 * clean-up of a name in many places (the default sAMAccountName candidates clean the last name five
 * times), and it is computed once per worker. Faults and flow signals are thrown, never stored.
 */
function sharedThunk(node: CallNode, thunk: Thunk, slots: SharedSlots): Thunk {
  if (!node.args.some((a) => a.type === 'call') || !shareable(node)) return thunk;
  const slot = slots.slotOf(printExpression(node));
  const input = onlyAttribute(node);
  return (rt) => {
    const shared = rt.context.shared;
    if (shared === undefined) return thunk(rt);
    let value = shared[slot];
    if (value === undefined) shared[slot] = value = input ? acrossWorkers(rt, slot, input, thunk) : thunk(rt);
    return value;
  };
}

/** The call's value from the cycle's values for its one attribute's text, computed and kept when new. */
function acrossWorkers(rt: Runtime, slot: number, input: AttributeNode, thunk: Thunk): Value {
  const values = rt.context.callValues;
  const text = values && rt.attribute(input.name, input.lowerName);
  if (typeof text !== 'string') return thunk(rt);
  let value = values!.get(slot, text);
  if (value === undefined) values!.set(slot, text, (value = thunk(rt)));
  return value;
}

/** The one attribute a subtree reads (the same one wherever it appears), if it reads exactly one. */
function onlyAttribute(node: ExpressionNode): AttributeNode | undefined {
  let found: AttributeNode | undefined;
  let several = false;
  const visit = (n: ExpressionNode | { type: 'omitted' }): void => {
    if (n.type === 'attribute') {
      if (found && found.lowerName !== n.name.toLowerCase()) several = true;
      found ??= { name: n.name, lowerName: n.name.toLowerCase() };
    } else if (n.type === 'call') n.args.forEach(visit);
    else if (n.type === 'comparison') {
      visit(n.left);
      visit(n.right);
    }
  };
  visit(node);
  return several ? undefined : found;
}

interface AttributeNode {
  readonly name: string;
  readonly lowerName: string;
}

function fault(code: EvaluationFault['code'], message: string, span: Span): EvaluationFault {
  return new EvaluationFault(code, message, span);
}

function compileCall(node: CallNode, isRoot: boolean, slots: SharedSlots | undefined): Thunk {
  const definition = findFunction(node.name);
  if (definition === undefined) {
    const lower = node.name.toLowerCase();
    if (UNSUPPORTED_FUNCTIONS.has(lower)) {
      throw fault(
        'unknown-function',
        `${node.name} is not supported: it only applies to app-role assignments in outbound SaaS provisioning.`,
        node.span,
      );
    }
    const suggestion = suggestFunction(node.name);
    throw fault(
      'unknown-function',
      `Unknown function "${node.name}".${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
      node.span,
    );
  }
  const count = node.args.length;
  if (count < definition.minArgs || count > definition.maxArgs) {
    const expected =
      definition.minArgs === definition.maxArgs
        ? `exactly ${definition.minArgs}`
        : definition.maxArgs === Infinity
          ? `at least ${definition.minArgs}`
          : `${definition.minArgs} to ${definition.maxArgs}`;
    throw fault(
      'arity',
      `${definition.name} takes ${expected} argument${definition.maxArgs === 1 && definition.minArgs === 1 ? '' : 's'} ${definition.signature}, but was given ${count}.`,
      node.span,
    );
  }
  const extra = definition.arityProblem?.(count);
  if (extra) throw fault('arity', `${definition.name}: ${extra}; it was given ${count}.`, node.span);
  const args: CompiledArgument[] = node.args.map((argNode) => {
    if (argNode.type === 'omitted') return { thunk: OMITTED, node: argNode, constant: null };
    const thunk = compileNode(argNode, slots);
    if (argNode.type === 'string' || argNode.type === 'number')
      return { thunk, node: argNode, constant: argNode.value };
    return { thunk, node: argNode };
  });
  const thunk = definition.compile(args, new CallSite(definition, node, isRoot));
  return slots ? sharedThunk(node, thunk, slots) : thunk;
}

function compileNode(node: ExpressionNode, slots: SharedSlots | undefined): Thunk {
  switch (node.type) {
    case 'string':
    case 'number':
      return constant(node.value);
    case 'identifier': {
      const value = CONSTANTS.get(node.name.toLowerCase());
      if (value === undefined) {
        throw fault(
          'unknown-identifier',
          `Unknown name "${node.name}". Write "${node.name}" for text, [${node.name}] for an attribute, or ${node.name}(…) for a function.`,
          node.span,
        );
      }
      return constant(value);
    }
    case 'attribute': {
      const { name, span } = node;
      const lowerName = name.toLowerCase();
      return (rt) => {
        const value = rt.attribute(name, lowerName);
        if (value === undefined) {
          throw new EvaluationFault(
            'type-mismatch',
            `Attribute [${name}] holds a value that is not text, a number, a boolean or a list of text.`,
            span,
          );
        }
        return value;
      };
    }
    case 'comparison': {
      const left = compileNode(node.left, slots);
      const right = compileNode(node.right, slots);
      const { operator, span } = node;
      return (rt) => {
        const a = left(rt);
        const b = right(rt);
        const result = compareValues(operator, a, b);
        if (result === null) {
          throw new EvaluationFault(
            'type-mismatch',
            `Cannot compare ${describeValue(a)} with ${describeValue(b)} using "${operator}".`,
            span,
          );
        }
        return result;
      };
    }
    case 'call':
      return compileCall(node, false, slots);
  }
}

function compileRoot(node: ExpressionNode, slots: SharedSlots | undefined): RootThunk {
  if (node.type !== 'call') return compileNode(node, slots);
  const definition = findFunction(node.name);
  if (definition?.name === 'SelectUniqueValue') {
    // Arity is checked through the normal path; the nested-use error is not reachable at the root.
    const count = node.args.length;
    if (count < definition.minArgs) return compileCall(node, true, slots);
    const site = new CallSite(definition, node, true);
    const rules = node.args.map((a) => (a.type === 'omitted' ? OMITTED : compileNode(a, slots)));
    const evaluateRules = compileCandidates(rules, site);
    return (rt) => ({ kind: 'candidates', values: evaluateRules(rt) });
  }
  if (definition?.name === 'IgnoreFlowIfNullOrEmpty' && node.args.length === 1) {
    // The common top-level form needs no signal: decide directly.
    const only = node.args[0];
    const inner = only === undefined || only.type === 'omitted' ? OMITTED : compileNode(only, slots);
    return (rt) => {
      const value = inner(rt);
      return isNullOrEmpty(value) ? IGNORE_FLOW : value;
    };
  }
  return compileCall(node, true, slots);
}

/** Compiles a tree; static problems come back as a fault instead of a runnable root. */
export function compile(ast: ExpressionNode, slots?: SharedSlots): Compilation {
  try {
    return { ok: true, root: compileRoot(ast, slots) };
  } catch (error) {
    if (error instanceof EvaluationFault) return { ok: false, fault: error };
    return {
      ok: false,
      fault: new EvaluationFault('internal', `Internal error while compiling: ${String(error)}`, ast.span),
    };
  }
}
