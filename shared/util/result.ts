/**
 * The core's one result and issue shape. Every check that can fail returns a `Result`; every problem is
 * an `Issue` with the path of the field at fault (dot-separated, `(root)` for the whole value) and a
 * message a person can act on. Callers that know more (the worker key, the record's position) extend it.
 */
import type { z } from 'zod';

export interface Issue {
  /** Dot-separated path of the field at fault; `(root)` for the value as a whole. */
  readonly path: string;
  readonly message: string;
}

export type Result<T, I extends Issue = Issue> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly I[] };

/** The path of a problem with the value as a whole. */
export const ROOT_PATH = '(root)';

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<I extends Issue>(issues: readonly I[]): { readonly ok: false; readonly issues: readonly I[] } {
  return { ok: false, issues };
}

/** A zod path as text: `attributeMappings.3.source`, or `(root)`. */
export function pathText(path: readonly PropertyKey[], prefix = ''): string {
  const inner = path.map(String).join('.');
  if (prefix) return inner ? `${prefix}.${inner}` : prefix;
  return inner || ROOT_PATH;
}

/** Every problem of a failed zod parse, each with its path (below `prefix`, when given). */
export function issuesFromZod(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((issue) => ({ path: pathText(issue.path, prefix), message: issue.message }));
}

/** Issues as text, one `path: message` each, joined by `separator`. */
export function formatIssues(issues: readonly Issue[], separator = '\n'): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join(separator);
}
