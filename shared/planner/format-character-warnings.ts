/**
 * Invisible formatting characters (bidi controls, zero-width characters) in a worker's text fields do
 * not stop the plan, but an administrator should know about them: the preview says how many the mapping
 * stripped from a field, or which attribute would still carry them (a custom mapping that does not strip).
 */
import { FORMAT_CHARACTERS, formatCharactersIn } from '../mapping/expression';
import type { WorkerIssue } from '../worker/validate-worker';
import type { Worker } from '../worker/worker-schema';
import type { DesiredAccount } from './types';

/** The worker's free-text fields that mappings usually write, by path. */
const TEXT_FIELDS: readonly (readonly [string, (worker: Worker) => string | null | undefined])[] = [
  ['legalName.first', (w) => w.legalName.first],
  ['legalName.middle', (w) => w.legalName.middle],
  ['legalName.last', (w) => w.legalName.last],
  ['preferredName.first', (w) => w.preferredName?.first],
  ['preferredName.middle', (w) => w.preferredName?.middle],
  ['preferredName.last', (w) => w.preferredName?.last],
  ['department', (w) => w.department],
  ['title', (w) => w.title],
  ['company', (w) => w.company],
  ['location', (w) => w.location],
];

/** The fields that hold invisible formatting characters (most workers' hold none: nothing is built for them). */
function fieldsWithFormatCharacters(worker: Worker): [string, string][] {
  let found: [string, string][] | null = null;
  for (const [path, read] of TEXT_FIELDS) {
    const text = read(worker);
    if (text && formatCharactersIn(text) > 0) (found ??= []).push([path, text]);
  }
  return found ?? [];
}

function names(text: string): string {
  const found = [...new Set([...text].filter((c) => FORMAT_CHARACTERS.has(c)))];
  return found
    .map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${FORMAT_CHARACTERS.get(c)}`)
    .join(', ');
}

function writtenValues(account: DesiredAccount): [string, string][] {
  const out: [string, string][] = [];
  for (const map of [account.attributes.always, account.attributes.onCreate]) {
    for (const [attribute, value] of Object.entries(map)) {
      for (const v of value === null ? [] : typeof value === 'string' ? [value] : value) out.push([attribute, v]);
    }
  }
  for (const [attribute, candidates] of Object.entries(account.unique)) {
    if (attribute !== 'follow') for (const v of candidates as readonly string[]) out.push([attribute, v]);
  }
  return out;
}

export function formatCharacterWarnings(
  workerKey: string,
  worker: Worker,
  account: DesiredAccount | null,
): WorkerIssue[] {
  const fields = fieldsWithFormatCharacters(worker);
  if (fields.length === 0 || !account) return [];
  const kept = writtenValues(account).filter(([, v]) => formatCharactersIn(v) > 0);
  if (kept.length) {
    return [...new Set(kept.map(([attribute]) => attribute))].map((attribute) => ({
      workerKey,
      path: attribute,
      message: `will hold invisible formatting characters (${names(kept.find(([a]) => a === attribute)![1])}); map it through StripFormatCharacters to remove them`,
    }));
  }
  return fields.map(([path, text]) => {
    const n = formatCharactersIn(text);
    return {
      workerKey,
      path,
      message: `${n} invisible formatting character${n === 1 ? '' : 's'} (${names(text)}) stripped from the values written`,
    };
  });
}
