/**
 * A small OData v2 `$filter` parser and evaluator for the fake SuccessFactors: `and`/`or`/`not`,
 * parentheses, `eq ne gt ge lt le`, SuccessFactors' `in` list (`userId in 'a','b'`), literals (strings with
 * `''` escapes, `datetimeoffset'…'`, `datetime'…'`, numbers, `null`, `true`/`false`) and navigation paths
 * (`employmentNav/jobInfoNav/startDate`). A path through a collection matches when any of its rows does,
 * as SuccessFactors evaluates it. Anything else is a `FilterError`, which the fake answers with 400.
 */

export class FilterError extends Error {
  override readonly name = 'FilterError';
}

export type Literal = string | number | boolean | null | { readonly kind: 'date'; readonly ms: number };
export type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  | { readonly kind: 'compare'; readonly path: readonly string[]; readonly op: Operator; readonly value: Literal }
  | { readonly kind: 'in'; readonly path: readonly string[]; readonly values: readonly Literal[] };

type Token =
  { kind: 'punct'; value: '(' | ')' | ',' } | { kind: 'word'; value: string } | { kind: 'literal'; value: Literal };

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;
const DATETIMEOFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

function quotedAt(text: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] !== "'") value += text[i];
    else if (text[i + 1] === "'") {
      value += "'";
      i++;
    } else return { value, end: i + 1 };
  }
  throw new FilterError('unterminated string literal');
}

function typedLiteral(type: string, raw: string): Literal {
  if (type === 'datetimeoffset' && DATETIMEOFFSET.test(raw)) return { kind: 'date', ms: Date.parse(raw) };
  if (type === 'datetime' && DATETIME.test(raw)) return { kind: 'date', ms: Date.parse(`${raw}Z`) };
  throw new FilterError(`invalid ${type} literal '${raw}'`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) i++;
    else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', value: ch });
      i++;
    } else if (ch === "'") {
      const { value, end } = quotedAt(text, i);
      tokens.push({ kind: 'literal', value });
      i = end;
    } else if (/[-\d]/.test(ch)) {
      const match = /^-?\d+(\.\d+)?/.exec(text.slice(i));
      if (!match) throw new FilterError(`unexpected "${ch}" at ${i}`);
      tokens.push({ kind: 'literal', value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(text.slice(i))![0];
      i += word.length;
      if (text[i] === "'") {
        const { value, end } = quotedAt(text, i);
        tokens.push({ kind: 'literal', value: typedLiteral(word, value) });
        i = end;
      } else if (word === 'null') tokens.push({ kind: 'literal', value: null });
      else if (word === 'true' || word === 'false') tokens.push({ kind: 'literal', value: word === 'true' });
      else tokens.push({ kind: 'word', value: word });
    } else throw new FilterError(`unexpected "${ch}" at ${i}`);
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.or();
    if (this.at < this.tokens.length) throw new FilterError('unexpected text after the expression');
    return node;
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.at];
    return token?.kind === 'word' && token.value === word;
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.peekWord('or')) {
      this.at++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.peekWord('and')) {
      this.at++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    if (this.peekWord('not')) {
      this.at++;
      return { kind: 'not', operand: this.unary() };
    }
    const token = this.tokens[this.at];
    if (token?.kind === 'punct' && token.value === '(') {
      this.at++;
      const inner = this.or();
      const close = this.tokens[this.at++];
      if (close?.kind !== 'punct' || close.value !== ')') throw new FilterError('missing ")"');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): FilterNode {
    const pathToken = this.tokens[this.at++];
    if (pathToken?.kind !== 'word') throw new FilterError('expected a property path');
    const path = pathToken.value.split('/');
    if (path.some((segment) => segment === '')) throw new FilterError(`invalid property path "${pathToken.value}"`);
    const opToken = this.tokens[this.at++];
    if (opToken?.kind !== 'word') throw new FilterError(`expected an operator after "${pathToken.value}"`);
    if (opToken.value === 'in') return { kind: 'in', path, values: this.literalList() };
    if (!OPERATORS.has(opToken.value)) throw new FilterError(`unknown operator "${opToken.value}"`);
    return { kind: 'compare', path, op: opToken.value as Operator, value: this.literal() };
  }

  private literal(): Literal {
    const token = this.tokens[this.at++];
    if (token?.kind !== 'literal') throw new FilterError('expected a literal');
    return token.value;
  }

  private literalList(): Literal[] {
    const values = [this.literal()];
    while (this.tokens[this.at]?.kind === 'punct' && (this.tokens[this.at] as { value: string }).value === ',') {
      this.at++;
      values.push(this.literal());
    }
    return values;
  }
}

export function parseFilter(text: string): FilterNode {
  return new Parser(tokenize(text)).parse();
}

/** Every property path the filter names (for validation against the entity model). */
export function filterPaths(node: FilterNode): (readonly string[])[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...filterPaths(node.left), ...filterPaths(node.right)];
    case 'not':
      return filterPaths(node.operand);
    default:
      return [node.path];
  }
}

/** What a path gives for one row: every value reached (many through a collection). */
export type PathValues = (path: readonly string[]) => readonly unknown[];

const ODATA_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** A row value in comparable form: `/Date(ms)/` as ms. */
function comparable(value: unknown): unknown {
  if (typeof value === 'string') {
    const match = ODATA_DATE.exec(value);
    if (match) return Number(match[1]);
  }
  return value;
}

function literalValue(literal: Literal): unknown {
  return typeof literal === 'object' && literal !== null ? literal.ms : literal;
}

function compare(value: unknown, op: Operator, literal: Literal): boolean {
  const right = literalValue(literal);
  const left = comparable(value);
  if (op === 'eq') return left === right;
  if (op === 'ne') return left !== right;
  if (left === null || left === undefined || right === null) return false;
  if (typeof left !== typeof right) return false;
  const l = left as number | string;
  const r = right as number | string;
  return op === 'gt' ? l > r : op === 'ge' ? l >= r : op === 'lt' ? l < r : l <= r;
}

export function evaluateFilter(node: FilterNode, values: PathValues): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateFilter(node.left, values) && evaluateFilter(node.right, values);
    case 'or':
      return evaluateFilter(node.left, values) || evaluateFilter(node.right, values);
    case 'not':
      return !evaluateFilter(node.operand, values);
    case 'in': {
      const found = values(node.path);
      return node.values.some((literal) => found.some((value) => compare(value, 'eq', literal)));
    }
    case 'compare': {
      const found = values(node.path);
      if (node.value === null && node.op === 'eq') return found.length === 0 || found.some((v) => v === null);
      return found.some((value) => compare(value ?? null, node.op, node.value));
    }
  }
}
