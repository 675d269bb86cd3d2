/**
 * `hr2ad expr`: evaluate a mapping expression against one worker, like the expression tester in Entra's
 * provisioning portal, so administrators can check a mapping before it runs against the whole HR
 * population. The worker is either a canonical worker record (what `preview` reads, validated the same
 * way and seen through the same attribute names) or a flat JSON object of attribute names to values.
 */
import {
  evaluateExpression,
  isCandidateList,
  isIgnoreFlow,
  parseExpression,
  renderValue,
  type EvaluationValue,
  type ExpressionError,
  type ExpressionNode,
  type Value,
} from '../../shared/mapping/expression';
import { localDateAt } from '../../shared/time/zoned-time';
import { displayText } from '../../shared/util/display-text';
import { formatIssues } from '../../shared/util/result';
import { validateWorker, workerAsOf, workerAttributes, WORKER_ATTRIBUTES } from '../../shared/worker';
import type { CliIo } from './cli-io';
import { EXIT, type ExitCode } from './exit-codes';
import { nameOf, readInputJson } from './read-input';

export const DEFAULT_SEED = 'hr2ad';

export interface ExprOptions {
  readonly worker?: string;
  readonly now?: Date;
  readonly seed: string;
  readonly json?: boolean;
}

/** The help's part about the input. */
export const EXPR_HELP = `
The worker (--worker <file>, or - for standard input) is one of:
  - a canonical worker record, as in an HR snapshot for "hr2ad preview" (JSON Schema:
    schemas/worker.v1.schema.json). It is validated, brought to the date of --now, and read through
    the attribute names the mappings use: ${Object.keys(WORKER_ATTRIBUTES).join(', ')},
    and its custom fields by name. Example: examples/worker.json
      {"source": "workday", "id": "1001", "legalName": {"first": "Ada", "last": "Lovelace"},
       "employeeType": "employee", "employmentStatus": "active", "hireDate": "2024-01-08"}
  - a flat JSON object of attribute names to values, e.g. {"givenName": "Zoë", "sn": "Smith"}.
Without --worker every attribute is missing (null). An attribute the worker does not have reads as
null; hr2ad warns about it on standard error.

Examples:
  hr2ad expr 'Join(".", [PreferredFirstName], [LegalLastName])' --worker examples/worker.json
  echo '{"givenName":"Zoë"}' | hr2ad expr 'NormalizeDiacritics([givenName])' --worker -
`;

/** Echoes the offending line with carets under the problem, like a compiler diagnostic. */
export function formatErrorWithCaret(expression: string, error: ExpressionError): string {
  const { line, column, length } = error.position;
  const lines = expression.split('\n');
  const text = (lines[line - 1] ?? '').replace(/\r$/, '');
  const lead = [...text.slice(0, column - 1)].map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
  const width = Math.max(1, Math.min(length, text.length - (column - 1)));
  const location = lines.length > 1 ? `line ${line}, column ${column}` : `column ${column}`;
  return `error[${error.code}]: ${displayText(error.message)}\n  at ${location} (offset ${error.position.offset})\n\n  ${text}\n  ${lead}${'^'.repeat(width)}\n`;
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

type Attributes = Record<string, unknown>;

/** A canonical record says where it comes from and whose it is; a flat bag does not. */
function isCanonicalRecord(value: Attributes): boolean {
  return 'source' in value && 'legalName' in value;
}

/** The attribute bag to evaluate against, or a message (exit 1). */
async function loadAttributes(source: string | undefined, now: Date, io: CliIo): Promise<Attributes | string> {
  if (source === undefined) return {};
  const read = await readInputJson(io, source, 'worker');
  if (!read.ok) return read.message;
  const value = read.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `${nameOf('worker', source)} must be a JSON object: a canonical worker record, or attribute names to values such as {"givenName": "Ana"}.`;
  }
  if (!isCanonicalRecord(value as Attributes)) return value as Attributes;
  const validation = validateWorker(value);
  if (!validation.ok) {
    const issues = validation.issues.map((i) => `  ${displayText(formatIssues([i]))}`).join('\n');
    return `${nameOf('worker', source)} is not a valid worker record (${displayText(validation.workerKey)}):\n${issues}`;
  }
  const { worker, timeZone } = validation.value;
  return workerAttributes(workerAsOf(worker, localDateAt(timeZone.zone, now.getTime())), timeZone.zone);
}

/** Every attribute the expression names, in order, each once. */
function attributeNames(node: ExpressionNode, into = new Set<string>()): Set<string> {
  switch (node.type) {
    case 'attribute':
      into.add(node.name);
      break;
    case 'call':
      for (const arg of node.args) if (arg.type !== 'omitted') attributeNames(arg, into);
      break;
    case 'comparison':
      attributeNames(node.left, into);
      attributeNames(node.right, into);
      break;
    default:
      break;
  }
  return into;
}

/** Warnings for attributes the worker does not have (compared case-insensitively, as expressions do). */
function missingAttributeWarnings(expression: string, attributes: Attributes, hasWorker: boolean): string[] {
  if (!hasWorker) return [];
  const parsed = parseExpression(expression);
  if (!parsed.ok) return [];
  const known = new Set(Object.keys(attributes).map((k) => k.toLowerCase()));
  return [...attributeNames(parsed.ast)]
    .filter((name) => !known.has(name.toLowerCase()))
    .map(
      (name) =>
        `warning: the worker has no attribute [${displayText(name)}]; it reads as null (see "hr2ad expr --help" for the names)\n`,
    );
}

/** Runs `hr2ad expr` once its command line is parsed. Never throws for bad input. */
export async function runExpr(expression: string, options: ExprOptions, io: CliIo): Promise<ExitCode> {
  const now = options.now ?? io.now;
  const attributes = await loadAttributes(options.worker, now, io);
  if (typeof attributes === 'string') {
    io.stderr(`hr2ad expr: ${attributes}\n`);
    return EXIT.invalidInput;
  }
  for (const warning of missingAttributeWarnings(expression, attributes, options.worker !== undefined))
    io.stderr(warning);

  const result = evaluateExpression(expression, {
    attributes: attributes as Record<string, Value>,
    now,
    seed: options.seed,
  });
  if (options.json) {
    const payload = result.ok
      ? { ok: true, kind: kindOf(result.value), value: jsonValue(result.value), redacted: result.redacted }
      : { ok: false, error: result.error };
    await io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
    return result.ok ? EXIT.ok : EXIT.invalidInput;
  }
  if (!result.ok) {
    io.stderr(formatErrorWithCaret(expression, result.error));
    return EXIT.invalidInput;
  }
  const { value } = result;
  if (isIgnoreFlow(value)) {
    io.stderr('IgnoreFlow: the value is null or empty, so the target attribute is left out of the change.\n');
    return EXIT.ok;
  }
  if (value === null) {
    io.stderr('(null: no value; the target attribute would be cleared)\n');
    return EXIT.ok;
  }
  if (isCandidateList(value) && value.values.length === 0) {
    io.stderr('SelectUniqueValue produced no candidates: every rule was empty.\n');
    return EXIT.ok;
  }
  // One value per line, each shown safely, so one value cannot look like two.
  const values: readonly string[] = isCandidateList(value)
    ? value.values
    : Array.isArray(value)
      ? (value as readonly string[])
      : [renderValue(value)];
  await io.stdout(`${values.map(displayText).join('\n')}\n`);
  if (result.redacted) io.stderr('(this value is shown as [Redact] in provisioning logs)\n');
  return EXIT.ok;
}
