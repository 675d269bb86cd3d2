/**
 * Conditions and null handling: IIF, Switch, Coalesce, Not, IsNull, IsNullOrEmpty,
 * IsPresent, IsString, IgnoreFlowIfNullOrEmpty.
 *
 * IIF, Switch and Coalesce evaluate lazily: only the branch that is chosen runs, so an
 * error or a random draw in an unused branch cannot affect the result.
 */
import { IGNORE_FLOW_SIGNAL, type Thunk } from '../runtime';
import { describeValue, isNullOrEmpty } from '../values';
import { toBoolean } from './conversion-functions';
import { arg, eager, type FunctionDefinition } from './function-types';

const iif: FunctionDefinition = {
  name: 'IIF',
  minArgs: 3,
  maxArgs: 3,
  signature: '(condition, valueIfTrue, valueIfFalse)',
  compile(args, site) {
    const [condition, whenTrue, whenFalse] = args.map((a) => a.thunk) as [Thunk, Thunk, Thunk];
    return (rt) => (toBoolean(condition(rt), site, 0, 'condition') ? whenTrue(rt) : whenFalse(rt));
  },
};

const switchFunction: FunctionDefinition = {
  name: 'Switch',
  minArgs: 2,
  maxArgs: Infinity,
  signature: '(source, defaultValue, key1, value1, key2, value2, …)',
  arityProblem: (count) =>
    count % 2 === 0 ? null : 'keys and values must come in pairs, so Switch takes an even number of arguments',
  compile(args, site) {
    const thunks = args.map((a) => a.thunk);
    const [source, fallback] = thunks as [Thunk, Thunk];
    const pairs: { key: Thunk; value: Thunk; index: number; name: string }[] = [];
    for (let i = 2; i + 1 < thunks.length; i += 2) {
      pairs.push({ key: thunks[i] as Thunk, value: thunks[i + 1] as Thunk, index: i, name: `key${i / 2}` });
    }
    // Comparison is textual; null reads as "" so it matches an empty-string key, which Entra's
    // documented workaround for empty attributes relies on.
    return (rt) => {
      const subject = site.text(source(rt), 0, 'source');
      for (const pair of pairs) {
        if (site.text(pair.key(rt), pair.index, pair.name) === subject) return pair.value(rt);
      }
      return fallback(rt);
    };
  },
};

const coalesce: FunctionDefinition = {
  name: 'Coalesce',
  minArgs: 1,
  maxArgs: Infinity,
  signature: '(source1, source2, …, defaultValue)',
  compile(args) {
    const thunks = args.map((a) => a.thunk);
    return (rt) => {
      for (const thunk of thunks) {
        const value = thunk(rt);
        if (value !== null) return value;
      }
      return null;
    };
  },
};

const not = eager('Not', 1, 1, '(source)', (args, site) => {
  const value = arg(args, 0);
  if (Array.isArray(value))
    return site.fail('type-mismatch', `source must be a single value, but it is ${describeValue(value)}.`, 0);
  // Documented as: True gives False, anything else gives True.
  if (value === true) return false;
  if (typeof value === 'string') return value.trim().toLowerCase() !== 'true';
  if (typeof value === 'number') return value === 0;
  return true;
});

const isNull = eager('IsNull', 1, 1, '(expression)', (args) => arg(args, 0) === null);
const isNullOrEmptyFunction = eager('IsNullOrEmpty', 1, 1, '(expression)', (args) => isNullOrEmpty(arg(args, 0)));
const isPresent = eager('IsPresent', 1, 1, '(expression)', (args) => !isNullOrEmpty(arg(args, 0)));
const isString = eager('IsString', 1, 1, '(expression)', (args) => typeof arg(args, 0) === 'string');

/**
 * Nested use drops the whole attribute flow (the signal unwinds to the evaluator); a
 * top-level call is compiled without the signal by the compiler, which is the common case.
 */
const ignoreFlowIfNullOrEmpty: FunctionDefinition = {
  name: 'IgnoreFlowIfNullOrEmpty',
  minArgs: 1,
  maxArgs: 1,
  signature: '(expression)',
  compile(args) {
    const [inner] = args.map((a) => a.thunk) as [Thunk];
    return (rt) => {
      const value = inner(rt);
      if (isNullOrEmpty(value)) throw IGNORE_FLOW_SIGNAL;
      return value;
    };
  },
};

export const LOGIC_FUNCTIONS: readonly FunctionDefinition[] = [
  iif,
  switchFunction,
  coalesce,
  not,
  isNull,
  isNullOrEmptyFunction,
  isPresent,
  isString,
  ignoreFlowIfNullOrEmpty,
];
