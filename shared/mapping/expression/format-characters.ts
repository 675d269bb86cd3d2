/**
 * Invisible formatting characters: bidirectional controls and zero-width characters.
 *
 * HR systems pass them through from copy-and-paste (a right-to-left mark typed before an Arabic
 * name, a zero-width space from a web form, a byte-order mark at the start of a CSV cell). They are
 * legitimate Unicode, so a record holding them is not quarantined, but in AD they make two names
 * that look the same compare different and can make a displayed name read in another order. The
 * default mapping strips them (`StripFormatCharacters`) from every value it derives from a name.
 *
 * The planner counts them with {@link formatCharactersIn} to tell the preview how many were removed.
 */

/**
 * The characters stripped, with their Unicode names. Bidi: the embeddings and overrides
 * (U+202A–U+202E), the isolates (U+2066–U+2069) and the marks (U+200E, U+200F, U+061C). Zero-width:
 * space, non-joiner, joiner (U+200B–U+200D), word joiner (U+2060) and the byte-order mark / zero-width
 * no-break space (U+FEFF).
 */
export const FORMAT_CHARACTERS: ReadonlyMap<string, string> = new Map([
  ['\u061C', 'ARABIC LETTER MARK'],
  ['\u200B', 'ZERO WIDTH SPACE'],
  ['\u200C', 'ZERO WIDTH NON-JOINER'],
  ['\u200D', 'ZERO WIDTH JOINER'],
  ['\u200E', 'LEFT-TO-RIGHT MARK'],
  ['\u200F', 'RIGHT-TO-LEFT MARK'],
  ['\u202A', 'LEFT-TO-RIGHT EMBEDDING'],
  ['\u202B', 'RIGHT-TO-LEFT EMBEDDING'],
  ['\u202C', 'POP DIRECTIONAL FORMATTING'],
  ['\u202D', 'LEFT-TO-RIGHT OVERRIDE'],
  ['\u202E', 'RIGHT-TO-LEFT OVERRIDE'],
  ['\u2060', 'WORD JOINER'],
  ['\u2066', 'LEFT-TO-RIGHT ISOLATE'],
  ['\u2067', 'RIGHT-TO-LEFT ISOLATE'],
  ['\u2068', 'FIRST STRONG ISOLATE'],
  ['\u2069', 'POP DIRECTIONAL ISOLATE'],
  ['\uFEFF', 'ZERO WIDTH NO-BREAK SPACE (byte-order mark)'],
]);

/**
 * Matches one character of {@link FORMAT_CHARACTERS}. Not global, so `test` is safe to call
 * repeatedly; use {@link stripFormatCharacters} or {@link formatCharactersIn} for all of them.
 */
export const FORMAT_CHARACTER_PATTERN = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;

// Module-level but stateless between calls: `replace` and `match` reset a global regex's lastIndex.
const EVERY_FORMAT_CHARACTER = new RegExp(FORMAT_CHARACTER_PATTERN.source, 'g');

/** How many of {@link FORMAT_CHARACTERS} `text` holds (0 for text without any). */
export function formatCharactersIn(text: string): number {
  if (!FORMAT_CHARACTER_PATTERN.test(text)) return 0;
  return text.match(EVERY_FORMAT_CHARACTER)?.length ?? 0;
}

/** `text` without any of {@link FORMAT_CHARACTERS}; every other character is kept as it is. */
export function stripFormatCharacters(text: string): string {
  return FORMAT_CHARACTER_PATTERN.test(text) ? text.replace(EVERY_FORMAT_CHARACTER, '') : text;
}
