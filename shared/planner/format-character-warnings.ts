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
function textFields(worker: Worker): [string, string | null | undefined][] {
  const legal = worker.legalName;
  const preferred = worker.preferredName;
  return [
    ['legalName.first', legal.first],
    ['legalName.middle', legal.middle],
    ['legalName.last', legal.last],
    ['preferredName.first', preferred?.first],
    ['preferredName.middle', preferred?.middle],
    ['preferredName.last', preferred?.last],
    ['department', worker.department],
    ['title', worker.title],
    ['company', worker.company],
    ['location', worker.location],
  ];
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
  const fields = textFields(worker).filter(([, text]) => text && formatCharactersIn(text) > 0) as [string, string][];
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
