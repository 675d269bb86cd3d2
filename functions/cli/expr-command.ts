/**
 * `hr2ad expr`: evaluate a mapping expression against one worker, like the expression
 * tester in Entra's provisioning portal, so administrators can check a mapping before
 * it runs against the whole HR population.
 *
 * Exit codes: 0 success, 1 the expression failed to parse or evaluate, 2 usage error
 * (bad options, unreadable or malformed worker file).
 */
import {
  evaluateExpression,
  isCandidateList,
  isIgnoreFlow,
  renderValue,
  type EvaluationValue,
  type ExpressionError,
  type Value,
} from '../../shared/mapping/expression';

/** Everything the command touches outside itself, injected so it can be tested without a process. */
export interface ExprCommandIo {
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Default evaluation clock when --now is not given. */
  readonly now: Date;
}

export const EXPR_USAGE = `Usage: hr2ad expr '<expression>' [--worker <file.json | ->] [--now <ISO-8601>] [--seed <seed>] [--json]

Evaluates an attribute-mapping expression (Microsoft Entra syntax) for one worker.

Options:
  --worker <file|->  JSON object of the worker's attributes; "-" reads it from stdin.
                     Without it, every attribute is missing (null).
  --now <ISO-8601>   Clock for Now() and date defaults (default: the current time).
  --seed <seed>      Seed for Guid() and RandomString() (default: "hr2ad").
  --json             Print the result as JSON.
  -h, --help         Show this help.

Examples:
  hr2ad expr 'Join(".", [givenName], [sn])' --worker worker.json
  echo '{"givenName":"Zoë"}' | hr2ad expr 'NormalizeDiacritics([givenName])' --worker -
`;

const DEFAULT_SEED = 'hr2ad';

interface Options {
  readonly expression: string;
  readonly worker: string | undefined;
  readonly now: string | undefined;
  readonly seed: string;
  readonly json: boolean;
}

type ParsedArgs =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly options: Options }
  | { readonly kind: 'usage-error'; readonly message: string };

function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const values: Record<'worker' | 'now' | 'seed', string | undefined> = {
    worker: undefined,
    now: undefined,
    seed: undefined,
  };
  let json = false;
  let onlyPositional = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (onlyPositional || !token.startsWith('-') || token === '-' || /^-\d/.test(token)) {
      positional.push(token);
      continue;
    }
    if (token === '--') {
      onlyPositional = true;
      continue;
    }
    if (token === '-h' || token === '--help') return { kind: 'help' };
    if (token === '--json') {
      json = true;
      continue;
    }
    const match = /^--(worker|now|seed)(?:=(.*))?$/s.exec(token);
    if (!match) return { kind: 'usage-error', message: `Unknown option ${token}.` };
    const name = match[1] as 'worker' | 'now' | 'seed';
    let value = match[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) return { kind: 'usage-error', message: `Option --${name} needs a value.` };
    }
    if (values[name] !== undefined)
      return { kind: 'usage-error', message: `Option --${name} is given more than once.` };
    values[name] = value;
  }
  if (positional.length === 0) return { kind: 'usage-error', message: 'Missing the expression to evaluate.' };
  if (positional.length > 1) {
    return {
      kind: 'usage-error',
      message: `Expected one expression but got ${positional.length} arguments; quote the expression as a single argument.`,
    };
  }
  return {
    kind: 'run',
    options: {
      expression: positional[0] as string,
      worker: values.worker,
      now: values.now,
      seed: values.seed ?? DEFAULT_SEED,
      json,
    },
  };
}

async function loadWorker(source: string | undefined, io: ExprCommandIo): Promise<Record<string, unknown> | string> {
  if (source === undefined) return {};
  let text: string;
  try {
    text = source === '-' ? await io.readStdin() : await io.readFile(source);
  } catch (error) {
    return `Cannot read worker file ${source}: ${error instanceof Error ? error.message : String(error)}`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `Worker ${source === '-' ? 'from stdin' : `file ${source}`} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return 'The worker must be a JSON object of attribute names to values, e.g. {"givenName": "Ana"}.';
  }
  return parsed as Record<string, unknown>;
}

/** Echoes the offending line with carets under the problem, like a compiler diagnostic. */
export function formatErrorWithCaret(expression: string, error: ExpressionError): string {
  const { line, column, length } = error.position;
  const lines = expression.split('\n');
  const text = (lines[line - 1] ?? '').replace(/\r$/, '');
  const lead = [...text.slice(0, column - 1)].map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
  const width = Math.max(1, Math.min(length, text.length - (column - 1)));
  const location = lines.length > 1 ? `line ${line}, column ${column}` : `column ${column}`;
  return `error[${error.code}]: ${error.message}\n  at ${location} (offset ${error.position.offset})\n\n  ${text}\n  ${lead}${'^'.repeat(width)}\n`;
}

function kindOf(value: EvaluationValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'multi-value';
  if (typeof value === 'object') return isCandidateList(value) ? 'candidates' : 'ignore-flow';
  return typeof value;
}

function jsonValue(value: EvaluationValue): Value | readonly string[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return isCandidateList(value) ? value.values : null;
  }
  return value as Value;
}

/**
 * Runs `hr2ad expr` with the arguments after the subcommand name. Returns the exit code;
 * never throws for bad input.
 */
export async function runExprCommand(argv: string[], io: ExprCommandIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout(EXPR_USAGE);
    return 0;
  }
  if (parsed.kind === 'usage-error') {
    io.stderr(`${parsed.message}\n\n${EXPR_USAGE}`);
    return 2;
  }
  const { options } = parsed;
  let now = io.now;
  if (options.now !== undefined) {
    now = new Date(options.now);
    if (Number.isNaN(now.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(options.now)) {
      io.stderr(`--now must be an ISO-8601 date/time such as 2024-05-01T09:00:00Z, but got "${options.now}".\n`);
      return 2;
    }
  }
  const worker = await loadWorker(options.worker, io);
  if (typeof worker === 'string') {
    io.stderr(`${worker}\n`);
    return 2;
  }

  const result = evaluateExpression(options.expression, {
    attributes: worker as Record<string, Value>,
    now,
    seed: options.seed,
  });
  if (options.json) {
    const payload = result.ok
      ? { ok: true, kind: kindOf(result.value), value: jsonValue(result.value), redacted: result.redacted }
      : { ok: false, error: result.error };
    io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
    return result.ok ? 0 : 1;
  }
  if (!result.ok) {
    io.stderr(formatErrorWithCaret(options.expression, result.error));
    return 1;
  }
  const { value } = result;
  if (isIgnoreFlow(value)) {
    io.stderr('IgnoreFlow: the value is null or empty, so the target attribute is left out of the change.\n');
    return 0;
  }
  if (value === null) {
    io.stderr('(null: no value; the target attribute would be cleared)\n');
    return 0;
  }
  if (isCandidateList(value) && value.values.length === 0) {
    io.stderr('SelectUniqueValue produced no candidates: every rule was empty.\n');
    return 0;
  }
  io.stdout(`${renderValue(value)}\n`);
  if (result.redacted) io.stderr('(this value is shown as [Redact] in provisioning logs)\n');
  return 0;
}
