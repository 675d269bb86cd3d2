/**
 * What every logger adapter does to fields before writing them: names that look secret are censored, and
 * every text is shown on one line with control, bidi and zero-width characters escaped (values come from
 * HR: a name must not forge or reorder a log line for whoever reads the log as text). A second line of
 * defence: callers never pass secrets in the first place.
 */
import { displayText } from './display-text';

/** Field names that look secret, whatever their case or position in the name (bindPassword, clientSecret…). */
export const SECRET_FIELD_NAME = /password|passwd|pwd|secret|token|authorization|credential|apikey|api_key/i;

/** What a censored value is replaced by. */
export const CENSORED = '[Redacted]';

/** The value as it may be logged, at any depth (up to 8 levels; deeper values pass as they are). */
export function censorSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return displayText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => censorSecrets(v, depth + 1));
  if (value instanceof Error) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_FIELD_NAME.test(k) ? CENSORED : censorSecrets(v, depth + 1)]),
  );
}
