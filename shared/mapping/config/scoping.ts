/**
 * Scoping filters and group conditions compiled into predicates: regular expressions and integers are
 * prepared once when the configuration loads, so testing a worker is a few comparisons.
 */
import type { Issue, Result } from '../../util/result';
import type { ScopingClause, ScopingFilter } from './config-schema';
import { readAttribute, scalarText, type AttributeBag } from './read-attribute';
import type { ScopingOperator } from './scoping-operators';

type Test = (text: string) => boolean;

export interface CompiledClause {
  readonly attribute: string;
  readonly operator: ScopingOperator;
  readonly value: string | undefined;
  /** True when the clause holds for this worker. */
  holds(bag: AttributeBag): boolean;
}

export interface CompiledFilter {
  readonly name: string;
  readonly clauses: readonly CompiledClause[];
}

/** ORed filters of ANDed clauses; empty admits everyone. */
export interface CompiledFilterSet {
  readonly filters: readonly CompiledFilter[];
  /** True when any filter admits the worker (or there are no filters). */
  admits(bag: AttributeBag): boolean;
  /** The name of the first filter that admits the worker, null when none does (for previews). */
  admittingFilter(bag: AttributeBag): string | null;
}

/** A clause that cannot work, with its path. */
export type FilterProblem = Issue;

const INTEGER = /^-?\d{1,15}$/;

function integerOf(text: string): number | null {
  return INTEGER.test(text) ? Number(text) : null;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Compiles a regular expression with .NET-like defaults (Unicode classes when the pattern allows). */
function compilePattern(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch (error) {
      return `invalid regular expression ${JSON.stringify(pattern)}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

function textTest(operator: ScopingOperator, value: string): Test | string {
  switch (operator) {
    case 'EQUALS':
      return (t) => t === value;
    case 'NOT EQUALS':
      return (t) => t !== value;
    case 'Includes':
      return (t) => t.includes(value);
    case 'ENDS_WITH':
      return (t) => t.endsWith(value);
    case '&':
      return (t) => value.includes(t);
    case '!&':
      return (t) => !value.includes(t);
    case 'REGEX MATCH':
    case 'NOT REGEX MATCH': {
      const regex = compilePattern(value);
      if (typeof regex === 'string') return regex;
      return operator === 'REGEX MATCH' ? (t) => regex.test(t) : (t) => !regex.test(t);
    }
    case 'Greater_Than':
    case 'Greater_Than_OR_EQUALS':
    case 'Less_Than':
    case 'Less_Than_OR_EQUALS': {
      const bound = integerOf(value);
      if (bound === null) return `${operator} compares integers; "${value}" is not one`;
      const compare = (t: string, f: (n: number) => boolean) => {
        const n = integerOf(t.trim());
        return n !== null && f(n);
      };
      if (operator === 'Greater_Than') return (t) => compare(t, (n) => n > bound);
      if (operator === 'Greater_Than_OR_EQUALS') return (t) => compare(t, (n) => n >= bound);
      if (operator === 'Less_Than') return (t) => compare(t, (n) => n < bound);
      return (t) => compare(t, (n) => n <= bound);
    }
    default:
      return `${operator} takes no value`;
  }
}

function compileClause(clause: ScopingClause): CompiledClause | string {
  const { attribute, operator, value } = clause;
  const base = { attribute, operator, value };
  switch (operator) {
    case 'IS NULL':
      return { ...base, holds: (bag) => isEmpty(readAttribute(bag, attribute)) };
    case 'IS NOT NULL':
      return { ...base, holds: (bag) => !isEmpty(readAttribute(bag, attribute)) };
    case 'IS TRUE':
    case 'IS FALSE': {
      const wanted = operator === 'IS TRUE';
      return {
        ...base,
        holds: (bag) => {
          const v = readAttribute(bag, attribute);
          if (typeof v === 'boolean') return v === wanted;
          return typeof v === 'string' && v.toLowerCase() === (wanted ? 'true' : 'false');
        },
      };
    }
    default: {
      if (value === undefined) return `${operator} needs a value`;
      const test = textTest(operator, value);
      if (typeof test === 'string') return test;
      return {
        ...base,
        holds: (bag) => {
          const text = scalarText(readAttribute(bag, attribute));
          // Entra: a null or empty value makes the clause false (multi-values are unsupported: false).
          return text !== null && text !== '' && test(text);
        },
      };
    }
  }
}

/** Compiles filters; problems name the path of the clause at fault below `path`. */
export function compileFilters(
  filters: readonly ScopingFilter[],
  path: string,
): Result<CompiledFilterSet, FilterProblem> {
  const problems: FilterProblem[] = [];
  const compiled: CompiledFilter[] = filters.map((filter, f) => {
    const clauses: CompiledClause[] = [];
    filter.clauses.forEach((clause, c) => {
      const result = compileClause(clause);
      if (typeof result === 'string') problems.push({ path: `${path}.${f}.clauses.${c}`, message: result });
      else clauses.push(result);
    });
    return { name: filter.name ?? `filter ${f + 1}`, clauses };
  });
  if (problems.length) return { ok: false, issues: problems };
  const matching = (bag: AttributeBag): CompiledFilter | undefined =>
    compiled.find((filter) => filter.clauses.every((clause) => clause.holds(bag)));
  return {
    ok: true,
    value: {
      filters: compiled,
      admits: (bag) => compiled.length === 0 || matching(bag) !== undefined,
      admittingFilter: (bag) => (compiled.length === 0 ? null : (matching(bag)?.name ?? null)),
    },
  };
}
