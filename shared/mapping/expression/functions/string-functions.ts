/**
 * Text functions: Append, Join, Left, Mid, InStr, StripSpaces, NormalizeDiacritics, PCase,
 * ToLower, ToUpper, Word.
 *
 * Absent input (null) generally stays absent so that `IgnoreFlowIfNullOrEmpty` and
 * `Coalesce` further out still see "no value"; Left and Word follow Entra's documented
 * exception and return the empty string.
 */
import { normalizeDiacritics } from '../diacritics';
import { changeCaseForCulture, titleCaseDefault, titleCaseWithSeparators, toLowerInvariant } from '../dotnet/text';
import { arg, eager, type CallSite, type FunctionDefinition } from './function-types';
import type { Value } from '../values';

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Substring by characters (code points). .NET counts UTF-16 units and can cut an emoji in
 * half, producing an invalid string AD rejects; for all BMP text the results are identical.
 */
function substring(text: string, start: number, length: number): string {
  if (!SURROGATE.test(text)) return text.substr(start, length);
  return Array.from(text)
    .slice(start, start + length)
    .join('');
}

const append = eager('Append', 2, 2, '(source, suffix)', (args, site) => {
  const source = site.string(arg(args, 0), 0, 'source');
  const suffix = site.string(arg(args, 1), 1, 'suffix');
  if (source === null && suffix === null) return null;
  return (source ?? '') + (suffix ?? '');
});

const join = eager('Join', 2, Infinity, '(separator, source1, source2, …)', (args, site) => {
  const separator = site.text(arg(args, 0), 0, 'separator');
  let out = '';
  let empty = true;
  const add = (text: string): void => {
    // Entra skips empty sources: Join(", ", "", [surname], [givenName]) gives "Doe, John".
    if (text === '') return;
    out = empty ? text : out + separator + text;
    empty = false;
  };
  for (let i = 1; i < args.length; i++) {
    const value = arg(args, i);
    if (typeof value === 'string') add(value);
    else if (Array.isArray(value)) for (const item of value) add(item);
    else if (value !== null) add(site.text(value, i, 'source'));
  }
  return out;
});

const left = eager('Left', 2, 2, '(string, numChars)', (args, site) => {
  const text = site.string(arg(args, 0), 0, 'string');
  const count = site.requiredInteger(arg(args, 1), 1, 'numChars');
  if (text === null) return '';
  if (count < 0) return text;
  return substring(text, 0, count);
});

const mid = eager('Mid', 3, 3, '(source, start, length)', (args, site) => {
  const text = site.string(arg(args, 0), 0, 'source');
  const start = site.requiredInteger(arg(args, 1), 1, 'start');
  const length = site.requiredInteger(arg(args, 2), 2, 'length');
  if (start < 1)
    site.fail('invalid-argument', `start must be 1 or greater (the first character is 1), but got ${start}.`, 1);
  if (length < 0) site.fail('invalid-argument', `length must not be negative, but got ${length}.`, 2);
  if (text === null) return null;
  return substring(text, start - 1, length);
});

function compareMode(value: Value, site: CallSite): 'binary' | 'text' {
  if (value === null) return 'binary';
  if (typeof value === 'string') {
    const name = value.trim().toLowerCase();
    if (name === 'vbbinarycompare' || name === '0') return 'binary';
    if (name === 'vbtextcompare' || name === '1') return 'text';
  }
  if (value === 0) return 'binary';
  if (value === 1) return 'text';
  return site.fail(
    'invalid-argument',
    'compareType must be vbBinaryCompare (case-sensitive) or vbTextCompare (case-insensitive).',
    3,
  );
}

const inStr = eager('InStr', 2, 4, '(value1, value2, start, compareType)', (args, site) => {
  let haystack = site.text(arg(args, 0), 0, 'value1');
  let needle = site.text(arg(args, 1), 1, 'value2');
  const start = site.integer(arg(args, 2), 2, 'start') ?? 1;
  if (start < 1) site.fail('invalid-argument', `start must be 1 or greater, but got ${start}.`, 2);
  if (compareMode(arg(args, 3), site) === 'text') {
    haystack = toLowerInvariant(haystack);
    needle = toLowerInvariant(needle);
  }
  // VB semantics: nothing can be found past the end; an empty needle is found at start.
  if (start > haystack.length) return 0;
  if (needle === '') return start;
  return haystack.indexOf(needle, start - 1) + 1;
});

const stripSpaces = eager('StripSpaces', 1, 1, '(source)', (args, site) => {
  const text = site.string(arg(args, 0), 0, 'source');
  return text === null ? null : text.replace(/ /g, '');
});

const normalize = eager('NormalizeDiacritics', 1, 1, '(source)', (args, site) => {
  const text = site.string(arg(args, 0), 0, 'source');
  return text === null ? null : normalizeDiacritics(text);
});

const pCase = eager('PCase', 1, 2, '(source, wordSeparators)', (args, site) => {
  const text = site.string(arg(args, 0), 0, 'source');
  const separators = site.string(arg(args, 1), 1, 'wordSeparators');
  if (text === null) return null;
  return separators === null || separators === '' ? titleCaseDefault(text) : titleCaseWithSeparators(text, separators);
});

function caseFunction(name: 'ToLower' | 'ToUpper', upper: boolean): FunctionDefinition {
  return eager(name, 1, 2, '(source, culture)', (args, site) => {
    const text = site.string(arg(args, 0), 0, 'source');
    const culture = site.text(arg(args, 1), 1, 'culture');
    if (text === null) return null;
    const result = changeCaseForCulture(text, culture, upper);
    if (result === null)
      return site.fail(
        'invalid-argument',
        `"${culture}" is not a valid culture name (expected e.g. en-US or tr-TR).`,
        1,
      );
    return result;
  });
}

const word = eager('Word', 3, 3, '(string, wordNumber, delimiters)', (args, site) => {
  const text = site.string(arg(args, 0), 0, 'string');
  const number = site.requiredInteger(arg(args, 1), 1, 'wordNumber');
  const delimiters = new Set(site.text(arg(args, 2), 2, 'delimiters'));
  if (text === null || number < 1) return '';
  let count = 0;
  let current = '';
  for (const ch of text) {
    if (delimiters.has(ch)) {
      if (current !== '' && ++count === number) return current;
      current = '';
    } else {
      current += ch;
    }
  }
  if (current !== '' && ++count === number) return current;
  return '';
});

export const STRING_FUNCTIONS: readonly FunctionDefinition[] = [
  append,
  join,
  left,
  mid,
  inStr,
  stripSpaces,
  normalize,
  pCase,
  caseFunction('ToLower', false),
  caseFunction('ToUpper', true),
  word,
];
