/**
 * Text from HR (names, ids, departments, DNs built from them, messages quoting them) shown to a person
 * on one line, so a record cannot forge output: a newline cannot start a fake line of a report, a bidi
 * override cannot make a line read differently from what it holds, and an invisible character cannot
 * make two different values look the same.
 *
 * Shown escaped, JavaScript style (`\n`, `\t`, `\u202E`):
 * - C0 controls (U+0000–U+001F), DEL (U+007F) and C1 controls (U+0080–U+009F, which include NEL);
 * - the line and paragraph separators U+2028 and U+2029;
 * - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F,
 *   U+061C);
 * - zero-width characters (U+200B–U+200D, U+2060, U+FEFF) — except a zero-width joiner between two
 *   pictographs, which is part of an emoji (👩‍💻) and cannot hide anything there;
 * - lone surrogates (not text at all).
 *
 * Everything else — every script, combining marks, emoji — is shown as it is. A backslash is shown as it
 * is too: DNs carry escapes of their own (`CN=Smith\, Ann`) that must read as AD shows them. So `\n` in the
 * output is either an escaped newline or a backslash followed by `n` in the data; it is never a line break.
 */

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Everything escaped (`\p{Cs}`: lone surrogates; paired ones are one code point under the `u` flag). */
const UNSAFE =
  /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF]|\p{Cs}/gu; // eslint-disable-line no-control-regex

/**
 * A cheap first look without the `u` flag (most lines hold nothing to escape): the same characters, with
 * every surrogate, so a line with an emoji goes on to the exact pattern.
 */
const MAYBE_UNSAFE =
  /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF\uD800-\uDFFF]/; // eslint-disable-line no-control-regex

/** The same, but for the line feed: lines joined with line feeds are looked at in one go. */
const MAYBE_UNSAFE_BUT_LINE_FEED =
  /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060\uFEFF\uD800-\uDFFF]/; // eslint-disable-line no-control-regex

function escapeChar(ch: string, offset: number, whole: string): string {
  if (ch === '\u200D' && isEmojiJoiner(whole, offset)) return ch;
  return NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A pictograph (optionally with the emoji presentation selector) before, a pictograph after. */
function isEmojiJoiner(text: string, offset: number): boolean {
  const before = text.slice(Math.max(0, offset - 3), offset).replace(/\uFE0F$/u, '');
  const after = text.slice(offset + 1, offset + 3);
  return /\p{Extended_Pictographic}$/u.test(before) && /^\p{Extended_Pictographic}/u.test(after);
}

/** `value` safe to print on one line: invisible and line-breaking characters shown escaped. */
export function displayText(value: string): string {
  return MAYBE_UNSAFE.test(value) ? value.replace(UNSAFE, escapeChar) : value;
}

/**
 * `lines`, each shown as `displayText` shows it and ended with a line feed. They are looked at in one go
 * first (most lines hold nothing to escape): nothing suspect but the line feeds, and only those that end
 * the lines.
 */
export function displayLines(lines: readonly string[]): string {
  // Joined with an empty line after the last: one flat string, where appending "\n" to the joined text
  // would have the test below copy it once more to flatten it.
  const text = lines.concat('').join('\n');
  if (!MAYBE_UNSAFE_BUT_LINE_FEED.test(text) && lineFeeds(text) === lines.length) return text;
  let shown = '';
  for (const line of lines) shown += `${displayText(line)}\n`;
  return shown;
}

function lineFeeds(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
