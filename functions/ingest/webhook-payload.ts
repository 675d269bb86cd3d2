/**
 * Where a webhook's JSON payload names the workers that changed. Each HR system shapes its events its
 * own way, so a source's settings give a small path:
 *
 * - `workerIds` — the value at that key: an array of ids (or one id);
 * - `employees[].id` — `[]` walks each element of an array: here, the `id` of every employee;
 * - `data.employee.id` — dots walk into objects: here, one id.
 *
 * Ids are strings or integers (an integer becomes its digits), trimmed and deduplicated in the order
 * they come. The payload is only a hint — the source is then read for those workers — but it is still
 * input from outside: an id that is empty, longer than a worker id may be or holds a control character
 * refuses the payload, and so do more than 1000 workers in one event.
 */
import { controlCharacterProblem } from '../../shared/worker/worker-schema';

/** Most workers one webhook may name; an event about more is a bulk change, for a full read. */
export const MAX_WEBHOOK_WORKER_IDS = 1000;
/** Longest id accepted, as the worker schema's. */
const MAX_ID_LENGTH = 128;

const SEGMENT = /^([A-Za-z0-9_$@-]+)(\[\])?$/;

interface Segment {
  readonly key: string;
  /** `[]`: the value is an array whose every element goes on. */
  readonly each: boolean;
}

/** A value found on the way, and where (`employees[2].id`), for the details. */
interface Found {
  readonly value: unknown;
  readonly at: string;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly detail: string };

function segmentsOf(path: string): Segment[] | null {
  const segments: Segment[] = [];
  for (const part of path.split('.')) {
    const m = SEGMENT.exec(part);
    if (!m) return null;
    segments.push({ key: m[1]!, each: m[2] !== undefined });
  }
  return segments;
}

/** Why `path` is not a payload path, or null (for the settings' validation). */
export function payloadPathProblem(path: string): string | null {
  return segmentsOf(path)
    ? null
    : 'must be keys joined by dots, each optionally followed by [] to walk an array (e.g. "employees[].id")';
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' || typeof value === 'undefined' ? `an ${typeof value}` : `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function step(found: readonly Found[], segment: Segment): Outcome<Found[]> {
  const next: Found[] = [];
  for (const { value, at } of found) {
    const here = at ? `${at}.${segment.key}` : segment.key;
    if (!isObject(value)) return { ok: false, detail: `${at || 'the payload'} is ${kindOf(value)}, not an object` };
    if (!Object.hasOwn(value, segment.key)) return { ok: false, detail: `${here} is missing` };
    const inner = value[segment.key];
    if (!segment.each) next.push({ value: inner, at: here });
    else if (!Array.isArray(inner)) return { ok: false, detail: `${here} is ${kindOf(inner)}, not an array` };
    else inner.forEach((element, i) => next.push({ value: element, at: `${here}[${i}]` }));
  }
  return { ok: true, value: next };
}

function idOf({ value, at }: Found): Outcome<string> {
  let id: string;
  if (typeof value === 'string') id = value.trim();
  else if (typeof value === 'number' && Number.isSafeInteger(value)) id = String(value);
  else return { ok: false, detail: `${at} is ${kindOf(value)}, not a worker id (a string or an integer)` };
  if (id === '') return { ok: false, detail: `${at} is empty` };
  if (id.length > MAX_ID_LENGTH) return { ok: false, detail: `${at} is longer than ${MAX_ID_LENGTH} characters` };
  const problem = controlCharacterProblem(id);
  return problem ? { ok: false, detail: `${at} ${problem}` } : { ok: true, value: id };
}

/** The ids of the workers the payload names at `path`, or what is wrong with it. */
export function workerIdsFromPayload(
  body: unknown,
  path: string,
): { ok: true; ids: string[] } | { ok: false; detail: string } {
  const segments = segmentsOf(path);
  if (!segments) return { ok: false, detail: `the path "${path}" ${payloadPathProblem(path)!}` };
  let found: Found[] = [{ value: body, at: '' }];
  for (const segment of segments) {
    const next = step(found, segment);
    if (!next.ok) return next;
    found = next.value;
  }
  // The path may end at an array of ids (`workerIds`) as well as at ids.
  const candidates = found.flatMap((f) =>
    Array.isArray(f.value) ? f.value.map((value, i) => ({ value, at: `${f.at}[${i}]` })) : [f],
  );
  const ids = new Set<string>();
  for (const candidate of candidates) {
    const id = idOf(candidate);
    if (!id.ok) return id;
    ids.add(id.value);
    if (ids.size > MAX_WEBHOOK_WORKER_IDS)
      return { ok: false, detail: `the payload names more than ${MAX_WEBHOOK_WORKER_IDS} workers` };
  }
  return { ok: true, ids: [...ids] };
}
