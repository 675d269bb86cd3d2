/**
 * hr2ad's own extensions to Entra's function set: Transliterate, StripFormatCharacters.
 *
 * Entra has no function for either, and both are needed to turn HR names in any script into AD
 * values: Entra's NormalizeDiacritics only folds accented Latin letters, so a Cyrillic, Chinese or
 * Arabic name leaves nothing for an ASCII identifier. A mapping that uses them is not portable back to
 * Entra. Both follow the language's null rule: absent input stays absent.
 */
import { stripFormatCharacters } from '../format-characters';
import { transliterate } from '../transliterate';
import { arg, eager, type FunctionDefinition } from './function-types';

/**
 * `Transliterate(source)` — `source` in ASCII, whatever its script: `Transliterate("Владимир")` is
 * `"Vladimir"`, `Transliterate("王小明")` is `"Wang Xiao Ming"`, `Transliterate("김민준")` is
 * `"gimminjun"`. ASCII text is returned unchanged; characters with no ASCII reading (emoji) are
 * dropped, so the result can be empty; invisible formatting characters are dropped. Accented Latin
 * letters become their base letters, but `ø`, `æ` and `ß` follow the transliteration tables (`o`,
 * `ae`, `ss`), so apply NormalizeDiacritics first to keep Entra's spellings (`ø` → `oe`).
 * hr2ad extension, not in Entra.
 */
const transliterateFunction = eager('Transliterate', 1, 1, '(source)', (args, site) => {
  const text = site.string(arg(args, 0), 0, 'source');
  return text === null ? null : transliterate(text);
});

/**
 * `StripFormatCharacters(source)` — `source` without invisible formatting characters: the bidi
 * controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and the zero-width characters
 * (U+200B–U+200D, U+2060, U+FEFF). Everything else, in any script, is kept.
 * hr2ad extension, not in Entra.
 */
const stripFormatCharactersFunction = eager('StripFormatCharacters', 1, 1, '(source)', (args, site) => {
  const text = site.string(arg(args, 0), 0, 'source');
  return text === null ? null : stripFormatCharacters(text);
});

export const HR2AD_FUNCTIONS: readonly FunctionDefinition[] = [transliterateFunction, stripFormatCharactersFunction];
