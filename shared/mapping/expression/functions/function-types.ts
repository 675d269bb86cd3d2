/**
 * The contract between the compiler and the built-in function families.
 */
import type { ArgumentNode, CallNode, Span } from '../ast';
import type { EvaluationErrorCode } from '../errors';
import { EvaluationFault, type Runtime, type Thunk } from '../runtime';
import { describeValue, formatNumber, scalarToString, type Value } from '../values';

/** A compiled argument: how to evaluate it, where it came from, and its value if constant. */
export interface CompiledArgument {
  readonly thunk: Thunk;
  readonly node: ArgumentNode;
  /** Present when the argument is a literal (or omitted), letting functions precompute work. */
  readonly constant?: Value;
}

/** A built-in function. */
export interface FunctionDefinition {
  /** Canonical spelling as Entra documents it. */
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Describes the parameters for arity messages, e.g. `(source, suffix)`. */
  readonly signature: string;
  /** Extra arity rule beyond the min/max range; returns the problem, or null. */
  readonly arityProblem?: (count: number) => string | null;
  /** Builds the evaluation closure once per call site; runs once per compile, not per evaluation. */
  readonly compile: (args: readonly CompiledArgument[], site: CallSite) => Thunk;
}

/**
 * A function call's location plus argument-coercion helpers that fail with errors pointing
 * at the offending argument.
 */
export class CallSite {
  constructor(
    readonly definition: FunctionDefinition,
    readonly node: CallNode,
    /** True when the call is the whole expression (SelectUniqueValue requires it). */
    readonly isRoot: boolean,
  ) {}

  get name(): string {
    return this.definition.name;
  }

  spanOf(argIndex?: number): Span {
    if (argIndex === undefined) return this.node.span;
    const arg = this.node.args[argIndex];
    if (arg === undefined) return this.node.span;
    // An omitted argument has no text of its own; point at the call instead.
    return arg.type === 'omitted' ? this.node.span : arg.span;
  }

  fail(code: EvaluationErrorCode, message: string, argIndex?: number): never {
    throw new EvaluationFault(code, `${this.name}: ${message}`, this.spanOf(argIndex));
  }

  /** Text, or null when absent. Numbers and booleans convert as .NET's ToString would. */
  string(value: Value, argIndex: number, parameter: string): string | null {
    if (typeof value === 'string' || value === null) return value;
    if (Array.isArray(value)) {
      return this.fail(
        'type-mismatch',
        `${parameter} must be a single value, but it is ${describeValue(value)}; use Item() or Join() to pick from a multi-valued attribute.`,
        argIndex,
      );
    }
    return scalarToString(value as number | boolean);
  }

  /** Like {@link string} but absent values become the empty string. */
  text(value: Value, argIndex: number, parameter: string): string {
    return this.string(value, argIndex, parameter) ?? '';
  }

  /** A finite number from a number or a numeric string; null when absent. */
  number(value: Value, argIndex: number, parameter: string): number | null {
    if (value === null) return null;
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
        const parsed = Number(trimmed);
        if (Number.isFinite(parsed)) return parsed;
      }
      return this.fail('type-mismatch', `${parameter} must be a number, but got "${value}".`, argIndex);
    }
    return this.fail('type-mismatch', `${parameter} must be a number, but it is ${describeValue(value)}.`, argIndex);
  }

  /** A whole number (safe integer) from a number or an integer string; null when absent. */
  integer(value: Value, argIndex: number, parameter: string): number | null {
    const n = this.number(value, argIndex, parameter);
    if (n === null) return null;
    if (!Number.isSafeInteger(n)) {
      return this.fail('type-mismatch', `${parameter} must be a whole number, but got ${formatNumber(n)}.`, argIndex);
    }
    return n;
  }

  /** Like {@link integer} but absence is an error. */
  requiredInteger(value: Value, argIndex: number, parameter: string): number {
    const n = this.integer(value, argIndex, parameter);
    if (n === null) return this.fail('invalid-argument', `${parameter} is required but is empty.`, argIndex);
    return n;
  }
}

/** Evaluates all arguments then calls `invoke`: the shape of most functions. */
export function eager(
  name: string,
  minArgs: number,
  maxArgs: number,
  signature: string,
  invoke: (args: Value[], site: CallSite, rt: Runtime) => Value,
  arityProblem?: (count: number) => string | null,
): FunctionDefinition {
  const definition: FunctionDefinition = {
    name,
    minArgs,
    maxArgs,
    signature,
    ...(arityProblem ? { arityProblem } : {}),
    compile(args, site) {
      const thunks = args.map((a) => a.thunk);
      const count = thunks.length;
      if (count === 1) {
        const only = thunks[0] as Thunk;
        return (rt) => invoke([only(rt)], site, rt);
      }
      return (rt) => {
        const values: Value[] = new Array<Value>(count);
        for (let i = 0; i < count; i++) values[i] = (thunks[i] as Thunk)(rt);
        return invoke(values, site, rt);
      };
    },
  };
  return definition;
}

/** Reads argument `i`, treating a missing trailing argument as null (omitted). */
export function arg(args: readonly Value[], i: number): Value {
  const value = args[i];
  return value === undefined ? null : value;
}
