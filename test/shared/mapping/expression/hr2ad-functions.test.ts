/**
 * Truth tables for hr2ad's own extensions to Entra's function set: Transliterate (any script to
 * ASCII, for identifiers) and StripFormatCharacters (bidi controls and zero-width characters out),
 * plus the helpers the planner uses to count what was stripped.
 *
 * Transliterate rows name the script; the readings are the `transliteration` tables' (pinned), so a
 * changed row after an upgrade of that package is a change users would see in new account names.
 */
import {
  FORMAT_CHARACTER_PATTERN,
  FORMAT_CHARACTERS,
  formatCharactersIn,
  stripFormatCharacters,
  transliterate,
} from '../../../../shared/mapping/expression';
import { err, expectOutcome, type Row } from './helpers';

type Script = [script: string, input: string, ascii: string];

const SCRIPTS: Script[] = [
  ['Latin (ASCII, unchanged)', "O'Brien d'Artagnan", "O'Brien d'Artagnan"],
  ['Latin with diacritics', 'Zoë Łukasz Ștefan', 'Zoe Lukasz Stefan'],
  ['Latin, combining marks typed separately', 'Jose\u0301 Zoe\u0308', 'Jose Zoe'],
  ['Cyrillic (Russian)', 'Ольга Петрова', 'Olga Petrova'],
  ['Cyrillic (Ukrainian)', 'Олександр Шевченко', 'Oleksandr Shevchenko'],
  ['Greek', 'Ελένη Παπαδοπούλου', 'Eleni Papadopoyloy'],
  ['Chinese (Hanzi, Pinyin syllables spaced)', '王小明', 'Wang Xiao Ming'],
  ['Japanese (kanji)', '山田 太郎', 'Shan Tian Tai Lang'],
  ['Japanese (hiragana)', 'やまだ たろう', 'yamada tarou'],
  ['Japanese (katakana)', 'カタカナ', 'katakana'],
  ['Korean (Hangul)', '김민준', 'gimminjun'],
  ['Arabic (table marks dropped)', 'عائشة', 'aaysh'],
  ['Hebrew (table marks dropped)', 'דוד כהן', 'dvd khn'],
  ['Thai', 'สมชาย ใจดี', 'smchaay aicchdii'],
  ['Vietnamese', 'Nguyễn Văn Đức', 'Nguyen Van Duc'],
  ['Devanagari', 'राम शर्मा', 'raam shrmaa'],
  ['Georgian (ejective mark dropped)', 'ნინო ბერიძე', 'nino berize'],
  ['Armenian', 'Արմեն Սարգսյան', 'Armen Sargsyan'],
  ['Fullwidth Latin', 'Ａｂｃ', 'Abc'],
  ['Emoji only (no ASCII reading)', '😀🎉', ''],
  ['Emoji beside a name', 'Ana 🌻', 'Ana '],
  ['Mixed: an apostrophe HR typed is kept', "O'Brien Ольга", "O'Brien Olga"],
  ['Invisible formatting characters dropped, not turned into spaces', 'a\u200Bb\u202Ec\uFEFF', 'abc'],
];

describe('Transliterate', () => {
  it.each(SCRIPTS)('%s: %j → %j', (_script, input, ascii) => {
    expect(transliterate(input)).toBe(ascii);
    expectOutcome('Transliterate([name])', { name: input }, ascii);
  });

  it('always gives ASCII', () => {
    for (const [, input] of SCRIPTS) expect(transliterate(input)).toMatch(/^[\x20-\x7e]*$/);
  });

  const ROWS: Row[] = [
    ['Transliterate([missing])', {}, null],
    ['Transliterate("")', {}, ''],
    ['Transliterate(42)', {}, '42'],
    ['transliterate("Дарья")', {}, 'Darya'],
    ['ToLower(Transliterate(NormalizeDiacritics("Søren Ørsted")))', {}, 'soeren oersted'],
    ['Transliterate("Søren")', {}, 'Soren'],
    ['Transliterate([multi])', { multi: ['a', 'b'] }, err('type-mismatch')],
    ['Transliterate()', {}, err('arity')],
    ['Transliterate("a", "b")', {}, err('arity')],
  ];
  it.each(ROWS)('%s', (expression, attributes, expected) => expectOutcome(expression, attributes, expected));
});

describe('StripFormatCharacters', () => {
  const EACH = [...FORMAT_CHARACTERS].map(([ch, name]) => [name, ch] as const);

  it.each(EACH)('strips %s', (_name, ch) => {
    expect(stripFormatCharacters(`Zo${ch}ë`)).toBe('Zoë');
    expect(formatCharactersIn(`${ch}Zo${ch}ë${ch}`)).toBe(3);
    expect(FORMAT_CHARACTER_PATTERN.test(ch)).toBe(true);
  });

  const KEPT: [what: string, text: string][] = [
    ['letters in any script', 'Ольга 王小明 عائشة'],
    ['combining marks', 'Jose\u0301'],
    ['emoji, including a ZWJ-free flag', '🇬🇪 😀'],
    ['spaces, including no-break space', 'Anne\u00A0Marie Smith'],
    ['the soft hyphen and other format characters that are not bidi or zero-width', 'Anne\u00ADMarie'],
  ];
  it.each(KEPT)('keeps %s', (_what, text) => {
    expect(stripFormatCharacters(text)).toBe(text);
    expect(formatCharactersIn(text)).toBe(0);
  });

  const ROWS: Row[] = [
    ['StripFormatCharacters([name])', { name: '\u202Bعائشة\u202C' }, 'عائشة'],
    ['StripFormatCharacters([name])', { name: '\u2067Ada\u2069 \u200ELovelace\u200F' }, 'Ada Lovelace'],
    ['StripFormatCharacters([name])', { name: '\u061C\u2060\u200C\u200D' }, ''],
    ['StripFormatCharacters([missing])', {}, null],
    ['stripformatcharacters("x")', {}, 'x'],
    ['StripFormatCharacters([multi])', { multi: ['a', 'b'] }, err('type-mismatch')],
    ['StripFormatCharacters()', {}, err('arity')],
  ];
  it.each(ROWS)('%s', (expression, attributes, expected) => expectOutcome(expression, attributes, expected));

  it('covers exactly the documented ranges', () => {
    const expected = [0x061c, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e];
    expected.push(0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff);
    const found: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      if (formatCharactersIn(String.fromCharCode(code)) === 1) found.push(code);
    }
    expect(found).toEqual(expected);
    expect([...FORMAT_CHARACTERS.keys()].map((ch) => ch.charCodeAt(0))).toEqual(expected);
  });
});
