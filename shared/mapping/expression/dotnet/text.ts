/**
 * String operations that must behave like .NET's rather than JavaScript's defaults:
 * one-to-one case mapping, ToTitleCase word rules, UTF-16LE/UTF-8 byte encodings.
 */

function mapCase(text: string, upper: boolean): string {
  const full = upper ? text.toUpperCase() : text.toLowerCase();
  // Equal length means every character mapped one-to-one, which is what .NET guarantees.
  if (full.length === text.length) return full;
  // JavaScript may expand a character ("ß" to "SS"); .NET keeps it, or uses the simple mapping.
  let out = '';
  for (const ch of text) {
    const mapped = upper ? ch.toUpperCase() : ch.toLowerCase();
    if (mapped.length === ch.length) out += mapped;
    else if (!upper && ch === '\u0130') out += 'i';
    else out += ch;
  }
  return out;
}

/** Invariant-culture upper-casing with .NET's one-to-one mapping. */
export function toUpperInvariant(text: string): string {
  return mapCase(text, true);
}

/** Invariant-culture lower-casing with .NET's one-to-one mapping. */
export function toLowerInvariant(text: string): string {
  return mapCase(text, false);
}

/**
 * Culture-specific casing (e.g. `tr-TR` maps `I` to `ı`). Returns null when the culture
 * name is not a valid BCP 47 tag.
 */
export function changeCaseForCulture(text: string, culture: string, upper: boolean): string | null {
  if (culture.trim() === '') return upper ? toUpperInvariant(text) : toLowerInvariant(text);
  try {
    return upper ? text.toLocaleUpperCase(culture) : text.toLocaleLowerCase(culture);
  } catch {
    return null;
  }
}

/** Unicode categories .NET's ToTitleCase treats as word separators (as listed in Entra's PCase docs). */
const TITLE_CASE_SEPARATOR = /[\p{Z}\p{Cc}\p{Cf}\p{Pc}\p{Pd}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{Sm}\p{Sc}\p{Sk}\p{So}]/u;
const LETTER = /\p{L}/u;

/** ASCII classification for ToTitleCase, so plain names avoid Unicode regex tests. */
const ASCII_KIND: readonly ('letter' | 'separator' | 'other')[] = Array.from({ length: 128 }, (_, code) => {
  const ch = String.fromCharCode(code);
  if (LETTER.test(ch)) return 'letter';
  return TITLE_CASE_SEPARATOR.test(ch) ? 'separator' : 'other';
});

function isTitleCaseSeparator(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code < 128 ? ASCII_KIND[code] === 'separator' : TITLE_CASE_SEPARATOR.test(ch);
}

function isLetter(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code < 128 ? ASCII_KIND[code] === 'letter' : LETTER.test(ch);
}

/** Unicode titlecase forms for the digraph letters whose titlecase differs from uppercase. */
const TITLECASE_DIGRAPHS: Readonly<Record<string, string>> = {
  '\u01c4': '\u01c5',
  '\u01c5': '\u01c5',
  '\u01c6': '\u01c5',
  '\u01c7': '\u01c8',
  '\u01c8': '\u01c8',
  '\u01c9': '\u01c8',
  '\u01ca': '\u01cb',
  '\u01cb': '\u01cb',
  '\u01cc': '\u01cb',
  '\u01f1': '\u01f2',
  '\u01f2': '\u01f2',
  '\u01f3': '\u01f2',
};

function titleCaseLetter(ch: string): string {
  return TITLECASE_DIGRAPHS[ch] ?? toUpperInvariant(ch);
}

/**
 * PCase without explicit separators: lower-case everything, then follow .NET ToTitleCase:
 * a word starts at a letter, continues through letters, digits, marks and apostrophes, and
 * ends at a separator character. So "o'neil" becomes "O'neil" and "3rd" becomes "3Rd",
 * exactly as .NET renders them.
 */
export function titleCaseDefault(text: string): string {
  const lower = toLowerInvariant(text);
  let out = '';
  let inWord = false;
  for (const ch of lower) {
    if (inWord) {
      if (ch !== "'" && isTitleCaseSeparator(ch)) inWord = false;
      out += ch;
    } else if (isLetter(ch)) {
      out += titleCaseLetter(ch);
      inWord = true;
    } else {
      out += ch;
    }
  }
  return out;
}

/** PCase with explicit separators: the first letter after any separator (or at the start) is upper-cased. */
export function titleCaseWithSeparators(text: string, separators: string): string {
  const separatorSet = new Set([...separators]);
  const lower = toLowerInvariant(text);
  let out = '';
  let atWordStart = true;
  for (const ch of lower) {
    if (separatorSet.has(ch)) {
      out += ch;
      atWordStart = true;
    } else if (atWordStart) {
      out += titleCaseLetter(ch);
      atWordStart = false;
    } else {
      out += ch;
    }
  }
  return out;
}

/** UTF-8 bytes of a string; lone surrogates become U+FFFD as in .NET's encoder. */
export function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else {
        cp = 0xfffd;
      }
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      cp = 0xfffd;
    }
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return bytes;
}

/** UTF-16 little-endian bytes (.NET's `Encoding.Unicode`), code unit by code unit. */
export function utf16LeBytes(text: string): number[] {
  const bytes: number[] = new Array<number>(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 * i] = unit & 0xff;
    bytes[2 * i + 1] = unit >> 8;
  }
  return bytes;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const triple = (b0 << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += BASE64_ALPHABET[(triple >> 18) & 63];
    out += BASE64_ALPHABET[(triple >> 12) & 63];
    out += b1 === undefined ? '=' : BASE64_ALPHABET[(triple >> 6) & 63];
    out += b2 === undefined ? '=' : BASE64_ALPHABET[triple & 63];
  }
  return out;
}

export function hexUpper(bytes: readonly number[]): string {
  let out = '';
  for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  return out;
}
