/**
 * Errors as RFC 9457 problem details (`application/problem+json`): a stable `type` URI per kind of
 * problem, a human title, the status, and a `detail` that names what is wrong — never a secret and never
 * an internal error's text.
 */
import type { HttpResponseInit } from '@azure/functions';

/** The kinds of problem the API reports; each `type` is `https://hr2ad.dev/problems/<kind>`. */
export type ProblemKind =
  | 'not-found'
  | 'invalid-request'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'too-large'
  | 'unsupported-media-type'
  | 'too-many-requests'
  | 'quarantined'
  | 'unknown-source'
  | 'internal';

const TITLES: Readonly<Record<ProblemKind, [number, string]>> = {
  'not-found': [404, 'Not found'],
  'invalid-request': [400, 'The request is not valid'],
  unauthorized: [401, 'The request is not authenticated'],
  forbidden: [403, 'The caller may not do this'],
  conflict: [409, 'The request conflicts with the current state'],
  'too-large': [413, 'The request is too large'],
  'unsupported-media-type': [415, 'The body is not in a format this route takes'],
  'too-many-requests': [429, 'Too many requests'],
  quarantined: [422, 'The worker record is quarantined'],
  'unknown-source': [404, 'No such HR source'],
  internal: [500, 'Internal error'],
};

export function problem(kind: ProblemKind, detail: string, extra: Record<string, unknown> = {}): HttpResponseInit {
  const [status, title] = TITLES[kind];
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: `https://hr2ad.dev/problems/${kind}`, title, status, detail, ...extra }),
  };
}

export function json(status: number, body: unknown): HttpResponseInit {
  return { status, jsonBody: body };
}
