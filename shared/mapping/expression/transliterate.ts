/**
 * Transliterate: any script to ASCII, for identifiers (sAMAccountName, UPN, mail) that AD or the
 * systems reading them need in ASCII.
 *
 * The tables are the `transliteration` package's (pinned exactly in package.json): pure JavaScript,
 * no Node built-ins, loaded as CommonJS by both ts-jest and tsx, and covering Cyrillic, Greek, CJK
 * (Chinese in Hanyu Pinyin without tones, Japanese kana in Hepburn, Hangul in Revised Romanization),
 * Arabic, Hebrew, Thai, Vietnamese, the Indic scripts, Georgian and Armenian among others. Characters
 * the tables do not know (emoji, pictographs) become nothing, never a placeholder.
 *
 * The package keeps a process-wide default configuration (`transliterate.config`) that we never
 * change; every call passes all options explicitly so that another user of the package in the same
 * process cannot change our results.
 */
import type { transliterate as TransliterateWithTables } from 'transliteration';
import { stripFormatCharacters } from './format-characters';

/**
 * The tables, loaded on the first text that needs them: loading takes longer than starting a small
 * preview, and names in Latin script never need them.
 */
let tables: typeof TransliterateWithTables | null = null;
function transliterateWithTables(run: string, options: Parameters<typeof TransliterateWithTables>[1]): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
  tables ??= (require('transliteration') as typeof import('transliteration')).transliterate;
  return tables(run, options);
}

const OPTIONS = Object.freeze({
  ignore: [] as string[],
  replace: [] as [string, string][],
  replaceAfter: [] as [string, string][],
  trim: false,
  unknown: '',
  // "王小明" → "Wang Xiao Ming": a space between syllables, as Pinyin is written.
  fixChineseSpacing: true,
});

// Surrogate halves are in this range too, so a run never splits an astral character.
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_RUN = /[\u0080-\uffff]+/g;
/**
 * Marks the tables write that are not letters of a name: the apostrophe and quotes for glottal stops,
 * ejectives and hard signs (ძე → z'e), and "@" for some Arabic and Hebrew vowels (عائشة → aay'sh@).
 * Dropped from transliterated text only: an apostrophe HR typed (O'Brien) stays.
 */
const TABLE_MARKS = /['"`@]/g;

function transliterateRun(run: string): string {
  return transliterateWithTables(run, { ...OPTIONS }).replace(TABLE_MARKS, '');
}

/**
 * `text` in ASCII. ASCII characters come back unchanged (so Entra-compatible mappings of Latin names
 * keep their results); each run of other characters is replaced by its transliteration, without the
 * table marks above; invisible formatting characters are dropped rather than turned into spaces.
 */
export function transliterate(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return stripFormatCharacters(text).replace(NON_ASCII_RUN, transliterateRun);
}
