/**
 * Reading a worker attribute by the name a configuration uses: the exact name first (the common case),
 * then case-insensitively, as Entra matches attribute names.
 */
import type { WorkerAttributeValue } from '../../worker/worker-attributes';

export type AttributeBag = Readonly<Record<string, WorkerAttributeValue>>;

const hasOwn = Object.prototype.hasOwnProperty;

/** The value, or null when the worker has no such attribute. */
export function readAttribute(bag: AttributeBag, name: string): WorkerAttributeValue {
  if (hasOwn.call(bag, name)) return bag[name] ?? null;
  const lower = name.toLowerCase();
  for (const key in bag) if (key.length === lower.length && key.toLowerCase() === lower) return bag[key] ?? null;
  return null;
}

/** A single value as text, the way .NET prints it (booleans `True`/`False`); null for null or multi-values. */
export function scalarText(value: WorkerAttributeValue): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return null;
}
