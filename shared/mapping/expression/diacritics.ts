/**
 * NormalizeDiacritics: accented Latin letters to their plain ASCII equivalents.
 *
 * Entra's documented table maps letters with accents to the base letter (ä → a, not ae)
 * and a few letters that have no decomposition to fixed spellings (æ → ae, ø → oe, ß → ss,
 * ł → l, ı → i). Decomposing to NFD and dropping combining marks covers every
 * composed and combining-sequence entry of that table; marks are only dropped after Latin
 * letters so that scripts whose marks carry meaning (e.g. Devanagari vowel signs) are untouched.
 */

const SPECIAL: Readonly<Record<string, string>> = {
  æ: 'ae',
  Æ: 'AE',
  ø: 'oe',
  Ø: 'OE',
  œ: 'oe',
  Œ: 'OE',
  ß: 'ss',
  ẞ: 'SS',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ħ: 'h',
  Ħ: 'H',
  ŧ: 't',
  Ŧ: 'T',
  þ: 'th',
  Þ: 'TH',
  ĳ: 'ij',
  Ĳ: 'IJ',
};

const NEEDS_WORK = /[\u0080-\uffff]/;
const MARK = /\p{M}/u;
const LATIN = /\p{Script=Latin}/u;
const MARKS_AFTER_LATIN = /(\p{Script=Latin})\p{M}+/gu;

interface Folded {
  readonly text: string;
  readonly latin: boolean;
}

// Folding works per character, so whole strings are never normalised (the expensive part).
function fold(ch: string): Folded {
  let result: Folded;
  const special = SPECIAL[ch];
  if (special !== undefined) {
    result = { text: special, latin: true };
  } else {
    const decomposed = ch.normalize('NFD');
    const stripped = decomposed.replace(MARKS_AFTER_LATIN, '$1');
    const base = stripped.normalize('NFC');
    result = { text: SPECIAL[base] ?? base, latin: LATIN.test(ch) };
  }
  return result;
}

/** Replaces diacritical Latin characters with plain equivalents; other text is unchanged. */
export function normalizeDiacritics(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  let out = '';
  let afterLatin = false;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) {
      out += ch;
      afterLatin = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
      continue;
    }
    // A combining mark typed separately (e + U+0301) is dropped after a Latin letter.
    if (MARK.test(ch)) {
      if (!afterLatin) out += ch;
      continue;
    }
    const f = fold(ch);
    out += f.text;
    afterLatin = f.latin;
  }
  return out;
}
